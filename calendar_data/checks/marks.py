"""The stored needs-attention mark: every check run once per change, not once per month switch.

Running every check (the PHI patterns above all) over the ~1,200 posts of a month grid cost
~0.3 s of CPU per switch at 50,000 posts. The mark depends only on the post, the team's
settings, the post's overrides, its observance's source and, through consent, on the date.
So each mark is stored with a fingerprint of those inputs and the run of days it holds for
(`attention_marks`, step m011). A read uses a stored mark only when its fingerprint matches
and today lies in its days; anything else (a post saved, a consent recorded, an override,
settings changed, a date passing an expiry, a row written by another program) is computed
again, so a stale mark is never shown, whichever write path changed the inputs.

Reads never write: `marks_for` returns the marks it had to compute, and the caller that owns
the write connection stores them with `store_marks` (the app after painting; `prime_marks`
for the CLI and for a calendar built outside the app).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from calendar_data.checks.evidence_sources import stored_observance_sources
from calendar_data.checks.overrides import overrides_by_post
from calendar_data.checks.workflow import INACTIVE
from calendar_data.models import Post
from calendar_data.settings import Settings
from calendar_data.storage.settings_table import load_settings

_BLOCKING = 2
"""`attention_marks.needs` of a post with a blocking finding (1: open warnings only, 0: clear)."""
_FORMAT = "v2"
"""Part of every fingerprint: marks stored before `needs` told blocking apart are recomputed."""
_CHUNK = 500
"""Ids per `IN (...)` query (well under SQLite's variable limit)."""


@dataclass(frozen=True)
class Mark:
    """One post's needs-attention mark and what it was computed from."""

    post_id: int
    needs: bool
    fingerprint: str
    valid_from: date | None
    """First day the mark holds (None: any day before `valid_until`)."""
    valid_until: date | None
    """Last day the mark holds (None: every day after `valid_from`)."""

    blocking: bool = False
    """A blocking finding among them (what an export holds back), not only open warnings."""

    def holds(self, today: date) -> bool:
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_until is None or today <= self.valid_until
        )


@dataclass(frozen=True)
class Marks:
    """The result of a read: the posts that need attention, and the marks computed afresh."""

    flagged: frozenset[int]
    computed: tuple[Mark, ...]
    blocked: frozenset[int] = frozenset()
    """Of `flagged`, the posts with a blocking finding."""


def days_valid(post: Post, today: date) -> tuple[date | None, date | None]:
    """The days around `today` over which the checks give `post` the same findings.

    Only consent reads the date (`findings._consent`): a consent dated in the future counts
    from its signing day, and one past `expires_on` is expired from the day after. Those two
    days are the only ones where the answer can change; a check that starts reading the date
    must add its own days here (tests/unit/test_attention_marks.py sweeps the days).
    """
    consent = post.consent
    if not post.features_patient or consent is None:
        return None, None
    turns = [consent.signed_on]
    if consent.expires_on is not None:
        turns.append(consent.expires_on + timedelta(days=1))
    before = [d for d in turns if d <= today]
    after = [d for d in turns if d > today]
    return (max(before) if before else None), (min(after) - timedelta(days=1) if after else None)


def _context(db, settings: Settings | None) -> tuple[str, dict, dict]:
    settings = settings or load_settings(db)
    return repr(settings), overrides_by_post(db), stored_observance_sources(db)


def fingerprint(post: Post, settings_text: str, overrides: Sequence, source: str | None) -> str:
    """A digest of everything the checks read: the whole post, settings, its overrides and source."""
    text = f"{_FORMAT}\x1f{post!r}\x1f{settings_text}\x1f{overrides!r}\x1f{source}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def stored_marks(db, post_ids: Iterable[int]) -> dict[int, Mark]:
    """The marks stored for these posts (whatever their fingerprint)."""
    ids = list(post_ids)
    found: dict[int, Mark] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        marks = ", ".join("?" * len(chunk))  # placeholders only: the ids are bound
        sql = f"SELECT post_id, needs, fingerprint, valid_from, valid_until FROM attention_marks WHERE post_id IN ({marks})"  # nosec B608
        rows = db.execute(sql, chunk).fetchall()
        for pid, needs, digest, first, last in rows:
            found[pid] = Mark(
                pid,
                bool(needs),
                digest,
                date.fromisoformat(first) if first else None,
                date.fromisoformat(last) if last else None,
                blocking=needs == _BLOCKING,
            )
    return found


def marks_for(db, posts: Iterable[Post], *, today: date, settings: Settings | None = None) -> Marks:
    """Which of `posts` need attention, from stored marks where they still hold, computed otherwise.

    Inactive (rejected, archived) and unsaved posts are never marked, as in `review`.
    """
    active = [p for p in posts if p.id is not None and p.status not in INACTIVE]
    if not active:
        return Marks(frozenset(), ())
    settings_text, grouped, sources = _context(db, settings)
    ids = {id(p): p.id for p in active if p.id is not None}
    stored = stored_marks(db, ids.values())
    flagged: set[int] = set()
    blocked: set[int] = set()
    stale: list[tuple[int, Post, str]] = []
    for post in active:
        post_id = ids[id(post)]
        digest = fingerprint(
            post, settings_text, grouped.get(post_id, ()), sources.get(post.observance_id or "")
        )
        mark = stored.get(post_id)
        if mark is not None and mark.fingerprint == digest and mark.holds(today):
            if mark.needs:
                flagged.add(post_id)
            if mark.blocking:
                blocked.add(post_id)
        else:
            stale.append((post_id, post, digest))
    computed: list[Mark] = []
    if stale:
        # The checks (PHI patterns, regex, phonenumbers) load only when a mark must be computed:
        # an app start whose grid marks are all stored never imports them (start-up time).
        from calendar_data.checks.findings import needs_attention
        from calendar_data.checks.review import review

        found = review(db, [p for _, p, _ in stale], today=today, settings=settings)
        for post_id, post, digest in stale:
            findings = found.get(post_id, ())
            needs = needs_attention(findings)
            blocking = any(f.blocking for f in findings)
            computed.append(
                Mark(post_id, needs, digest, *days_valid(post, today), blocking=blocking)
            )
            if needs:
                flagged.add(post_id)
            if blocking:
                blocked.add(post_id)
    return Marks(frozenset(flagged), tuple(computed), frozenset(blocked))


def store_marks(db, marks: Iterable[Mark]) -> int:
    """Store computed marks (one transaction); marks of posts deleted meanwhile are dropped."""
    rows = [
        (
            m.post_id,
            _BLOCKING if m.blocking else int(m.needs),
            m.fingerprint,
            m.valid_from.isoformat() if m.valid_from else None,
            m.valid_until.isoformat() if m.valid_until else None,
        )
        for m in marks
    ]
    if not rows:
        return 0
    with db.atomic():
        db.conn.executemany(
            "INSERT OR REPLACE INTO attention_marks (post_id, needs, fingerprint, valid_from, valid_until)"
            " SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM posts WHERE id = ?1)",
            rows,
        )
    return len(rows)


def prime_marks(
    db, posts: Iterable[Post], *, today: date, settings: Settings | None = None
) -> frozenset[int]:
    """`marks_for`, storing what it computed: for a writer (the CLI, a bulk import, a calendar built by hand)."""
    result = marks_for(db, posts, today=today, settings=settings)
    store_marks(db, result.computed)
    return result.flagged
