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
        """
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
        """
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
        """
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
)
"""Every step in the order it runs; append, never edit or reorder."""
