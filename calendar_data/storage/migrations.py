"""The database schema as ordered steps; a step, once released, never changes.

`storage.database.open_db` applies the pending steps (backing the file up first when it
already holds data). Each step runs in its own transaction with the record of
having run, so a failed step leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable

Step = Callable[[object], None]


def m001_initial(db) -> None:
    """Campaigns, posts and their links, observance data, settings and the change log."""
    _run(
        db,
        """
        CREATE TABLE campaigns (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            goal TEXT NOT NULL DEFAULT '',
            start_date TEXT,
            end_date TEXT,
            colour TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            archived INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
        );
        CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            body TEXT NOT NULL DEFAULT '',
            post_date TEXT NOT NULL,
            post_time TEXT,
            status TEXT NOT NULL DEFAULT 'idea',
            content_type TEXT,
            campaign_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
            owner TEXT NOT NULL DEFAULT '',
            observance_id TEXT,
            hashtags TEXT NOT NULL DEFAULT '[]',
            assets TEXT NOT NULL DEFAULT '[]',
            sources TEXT NOT NULL DEFAULT '[]',
            features_patient INTEGER NOT NULL DEFAULT 0,
            private_notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX posts_by_date ON posts(post_date, post_time);
        CREATE INDEX posts_by_status ON posts(status);
        CREATE INDEX posts_by_campaign ON posts(campaign_id);
        CREATE TABLE post_channels (
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            PRIMARY KEY (post_id, channel)
        );
        CREATE INDEX post_channels_by_channel ON post_channels(channel);
        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            colour TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE post_tags (
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (post_id, tag_id)
        );
        CREATE INDEX post_tags_by_tag ON post_tags(tag_id);
        CREATE TABLE consents (
            post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
            form_ref TEXT NOT NULL,
            signed_on TEXT NOT NULL,
            expires_on TEXT,
            channels TEXT NOT NULL DEFAULT '[]',
            media TEXT NOT NULL DEFAULT '[]',
            recorded_by TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        );
        CREATE TABLE custom_observances (
            id TEXT PRIMARY KEY,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE observance_prefs (
            observance_id TEXT PRIMARY KEY,
            starred INTEGER NOT NULL DEFAULT 0,
            muted INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            changes TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX changes_by_entity ON changes(entity, entity_id);
        CREATE INDEX changes_by_time ON changes(at);
        """,
    )


def m002_overrides(db) -> None:
    """Reviewer overrides of single PHI findings, keyed by kind and matched text."""
    _run(
        db,
        """
        CREATE TABLE overrides (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            finding_key TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            who TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (post_id, finding_key)
        );
        """,
    )


def m003_ics_feeds(db) -> None:
    """iCal import and feeds: external UIDs for re-import, saved feeds, and this calendar's UID namespace."""
    _run(
        db,
        """
        ALTER TABLE posts ADD COLUMN external_uid TEXT;
        CREATE UNIQUE INDEX posts_by_external_uid ON posts(external_uid) WHERE external_uid IS NOT NULL;
        ALTER TABLE custom_observances ADD COLUMN external_uid TEXT;
        CREATE UNIQUE INDEX custom_observances_by_external_uid ON custom_observances(external_uid)
            WHERE external_uid IS NOT NULL;
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
            token TEXT NOT NULL UNIQUE,
            spec TEXT NOT NULL,
            path TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE calendar_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        INSERT INTO calendar_meta (key, value) VALUES ('uid_namespace', lower(hex(randomblob(6))))
        """,
    )


def m004_publish_links_and_metrics(db) -> None:
    """Where each post went live (one URL per channel) and the analytics rows imported for it.

    `metric_rows` keeps one line per imported export row, matched or not, so an
    unmatched row is reviewable rather than dropped; only aggregate numbers and
    the post's own copy excerpt are stored, never commenters' names or comments.
    """
    _run(
        db,
        """
        CREATE TABLE published_links (
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            url TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
            url_key TEXT NOT NULL,
            published_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (post_id, channel)
        );
        CREATE UNIQUE INDEX published_links_by_url ON published_links(url_key);
        CREATE TABLE metric_rows (
            id INTEGER PRIMARY KEY,
            fingerprint TEXT NOT NULL UNIQUE,
            source_format TEXT NOT NULL,
            source_file TEXT NOT NULL,
            source_line INTEGER NOT NULL,
            channel TEXT NOT NULL,
            url TEXT,
            published_at TEXT,
            excerpt TEXT NOT NULL DEFAULT '',
            impressions INTEGER,
            reach INTEGER,
            reactions INTEGER,
            comments INTEGER,
            shares INTEGER,
            saves INTEGER,
            clicks INTEGER,
            video_views INTEGER,
            exported_on TEXT NOT NULL,
            post_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,
            match_method TEXT,
            match_score REAL,
            status TEXT NOT NULL CHECK (status IN ('matched', 'unmatched', 'rejected')),
            imported_at TEXT NOT NULL
        );
        CREATE INDEX metric_rows_by_post ON metric_rows(post_id, channel);
        CREATE INDEX metric_rows_by_status ON metric_rows(status)
        """,
    )


def m005_post_time_fold(db) -> None:
    """Which of two identical local times a post means when the clocks go back (0 first, 1 later)."""
    db.execute("ALTER TABLE posts ADD COLUMN time_fold INTEGER NOT NULL DEFAULT 0")


def m006_channel_copy(db) -> None:
    """Per-channel copy (issue 16): an optional version of a post's body for one of its channels.

    One post keeps one plan slot; the X version can be short and the LinkedIn one long. A row
    exists only where the copy differs from the body, and goes with its post.
    """
    _run(
        db,
        """
        CREATE TABLE post_copy (
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            body TEXT NOT NULL CHECK (length(trim(body)) > 0),
            PRIMARY KEY (post_id, channel)
        )
        """,
    )


def m007_review_comments(db) -> None:
    """Review comments (issue 16): the writer's and approver's thread on a post; never exported."""
    _run(
        db,
        """
        CREATE TABLE post_comments (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            who TEXT NOT NULL,
            at TEXT NOT NULL,
            body TEXT NOT NULL CHECK (length(trim(body)) > 0)
        );
        CREATE INDEX post_comments_by_post ON post_comments(post_id, at)
        """,
    )


def m008_caldav_sync(db) -> None:
    """CalDAV sync: targets (no passwords), per-resource state, the server's sync token, conflicts.

    `sync_items` is keyed by UID, not by post id, so a sync killed after a PUT
    reconciles by UID on resume instead of uploading a duplicate. `post_id` has
    no foreign key on purpose: a row whose post is gone is a local deletion
    still to be sent to the server. A trigger unlinks the rows of a deleted
    post, so a new post that gets the same id (SQLite may reuse the highest id)
    is never taken for the old one; `post_created` double-checks the same.
    """
    _run(
        db,
        """
        CREATE TABLE sync_targets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
            url TEXT NOT NULL,
            username TEXT NOT NULL DEFAULT '',
            password_source TEXT NOT NULL DEFAULT 'none'
                CHECK (password_source IN ('none', 'keyring', 'command', 'env')),
            password_ref TEXT NOT NULL DEFAULT '',
            share_consent INTEGER NOT NULL DEFAULT 0,
            allow_http INTEGER NOT NULL DEFAULT 0,
            sync_token TEXT,
            last_sync_at TEXT,
            last_result TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE TABLE sync_items (
            target_id INTEGER NOT NULL REFERENCES sync_targets(id) ON DELETE CASCADE,
            uid TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'post',
            post_id INTEGER,
            post_created TEXT,
            href TEXT NOT NULL,
            etag TEXT,
            synced_hash TEXT NOT NULL,
            synced_data TEXT NOT NULL,
            PRIMARY KEY (target_id, uid)
        );
        CREATE INDEX sync_items_by_post ON sync_items(target_id, post_id);
        CREATE INDEX sync_items_by_href ON sync_items(target_id, href);
        CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY,
            target_id INTEGER NOT NULL REFERENCES sync_targets(id) ON DELETE CASCADE,
            uid TEXT NOT NULL,
            kind TEXT NOT NULL,
            post_id INTEGER,
            local_data TEXT,
            remote_data TEXT,
            remote_href TEXT,
            remote_etag TEXT,
            created_at TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT
        );
        CREATE UNIQUE INDEX sync_conflicts_open ON sync_conflicts(target_id, uid) WHERE resolved_at IS NULL
        """,
    )
    db.execute(  # one statement with a body: not through _run, which splits on ';'
        "CREATE TRIGGER sync_items_forget_deleted_post AFTER DELETE ON posts BEGIN "
        "UPDATE sync_items SET post_id = NULL WHERE post_id = OLD.id; END"
    )


def m009_ical_fidelity(db) -> None:
    """iCal both ways (issue 14): how long a post's slot lasts, and an iCal SEQUENCE and change time that
    move only when exported content changes (a private note edit leaves subscribers alone)."""
    _run(
        db,
        """
        ALTER TABLE posts ADD COLUMN duration_minutes INTEGER
            CHECK (duration_minutes IS NULL OR duration_minutes > 0);
        ALTER TABLE posts ADD COLUMN ical_sequence INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE posts ADD COLUMN content_changed_at TEXT;
        UPDATE posts SET ical_sequence = sequence, content_changed_at = updated_at
        """,
    )


def m010_crisis_holds(db) -> None:
    """Crisis holds: a window of approved and scheduled posts paused during an incident, until released."""
    _run(
        db,
        """
        CREATE TABLE holds (
            id INTEGER PRIMARY KEY,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            except_types TEXT NOT NULL DEFAULT '[]',
            held_by TEXT NOT NULL,
            held_at TEXT NOT NULL,
            released_by TEXT,
            released_at TEXT,
            CHECK (end_date >= start_date)
        );
        CREATE TABLE held_posts (
            hold_id INTEGER NOT NULL REFERENCES holds(id) ON DELETE CASCADE,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            PRIMARY KEY (hold_id, post_id)
        );
        CREATE INDEX held_posts_by_post ON held_posts(post_id)
        """,
    )


def m011_attention_marks(db) -> None:
    """Stored needs-attention marks (issue 18): a month switch reads them instead of running every check.

    `fingerprint` digests what the checks read (post, settings, overrides, source), and
    `valid_from`/`valid_until` bound the days the mark holds (consent dates); see
    `checks.marks`. Empty after the step: marks are computed on first read and stored.
    """
    _run(
        db,
        """
        CREATE TABLE attention_marks (
            post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
            needs INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            valid_from TEXT,
            valid_until TEXT
        )
        """,
    )


def _run(db, script: str) -> None:
    """Run DDL statement by statement: `executescript` would COMMIT the open transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


STEPS: tuple[tuple[str, Step], ...] = (
    ("m001_initial", m001_initial),
    ("m002_overrides", m002_overrides),
    ("m003_ics_feeds", m003_ics_feeds),
    ("m004_publish_links_and_metrics", m004_publish_links_and_metrics),
    ("m005_post_time_fold", m005_post_time_fold),
    ("m006_channel_copy", m006_channel_copy),
    ("m007_review_comments", m007_review_comments),
    ("m008_caldav_sync", m008_caldav_sync),
    ("m009_ical_fidelity", m009_ical_fidelity),
    ("m010_crisis_holds", m010_crisis_holds),
    ("m011_attention_marks", m011_attention_marks),
)
"""Every step in the order it runs; append, never edit or reorder."""
