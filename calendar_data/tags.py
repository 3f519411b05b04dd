"""Tags: free labels on posts, with counts, colours, rename, merge and delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from calendar_data.post_stamps import bump_tagged_posts
from calendar_data.storage.changelog import log_change


class TagError(ValueError):
    """A tag operation that cannot be done; names the tag."""


@dataclass(frozen=True)
class TagInfo:
    """A tag with how many posts carry it."""

    name: str
    count: int
    colour: str = ""


def tag_name(text: str) -> str:
    """A tag as stored: surrounding spaces and leading '#' dropped ("  #Flu Season " -> "Flu Season").

    The one rule for what a typed tag means: the editor, the CLI, the filter, imports
    and rename all pass their text through it.
    """
    return text.strip().lstrip("#").strip()


def split_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags as typed (a tag may hold spaces); blanks and repeats dropped, order kept."""
    return tuple(dict.fromkeys(name for name in map(tag_name, text.split(",")) if name))


MAX_TAG = 60


def clean_tag(text: str) -> str:
    """A tag as stored: trimmed, no leading '#'; TagError when empty, too long or holding a comma.

    The one rule for a tag's shape, used by posts, rename, merge and every form.
    """
    tag = tag_name(text or "")
    if not tag:
        raise TagError("tag: a tag needs at least one letter")
    if len(tag) > MAX_TAG:
        raise TagError(f"tag: {tag[:20]!r}... is {len(tag)} characters; keep tags under {MAX_TAG}")
    if "," in tag:
        raise TagError(f"tag: {tag!r} has a comma; tags are single labels")
    return tag


def _bump_posts(db, tag_id: int) -> None:
    """Posts carrying the tag change version, so an editor opened before the change sees a conflict."""
    bump_tagged_posts(db, tag_id)


def list_tags(db) -> list[TagInfo]:
    """Every tag with its post count, most used first."""
    rows = db.execute(
        # count(pt.tag_id), not count(pt.post_id): the tag index alone answers it (a covering index), where
        # post_id sent SQLite to the table row of every link: 0.5 s at 1,000,000 links, on the app's start.
        "SELECT t.name, count(pt.tag_id), t.colour FROM tags t LEFT JOIN post_tags pt ON pt.tag_id = t.id "
        "GROUP BY t.id ORDER BY count(pt.tag_id) DESC, t.name COLLATE NOCASE"
    ).fetchall()
    return [TagInfo(*row) for row in rows]


def has_tag(db, name: str) -> bool:
    """Whether a tag of this name (any case) exists."""
    return (
        db.execute("SELECT 1 FROM tags WHERE name = ? COLLATE NOCASE", [name]).fetchone()
        is not None
    )


def _tag_id(db, name: str) -> int:
    row = db.execute("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    if row is None:
        raise TagError(f"tag: no tag named {name!r}")
    return row[0]


def rename_tag(
    db, old: str, new: str, *, who: str | None = None, now: datetime | None = None
) -> None:
    """Rename a tag on every post; renaming onto an existing tag merges them."""
    new = clean_tag(new)
    old_id = _tag_id(db, old)
    existing = db.execute(
        "SELECT id FROM tags WHERE name = ? COLLATE NOCASE AND id != ?", [new, old_id]
    ).fetchone()
    if existing:
        merge_tags(db, old, new, who=who, now=now)
        return
    with db.atomic():
        db.execute("UPDATE tags SET name = ? WHERE id = ?", [new, old_id])
        _bump_posts(db, old_id)
        log_change(db, "rename", "tag", old, {"name": [old, new]}, who=who, at=now)


def merge_tags(
    db, source: str, target: str, *, who: str | None = None, now: datetime | None = None
) -> None:
    """Move every post from `source` to `target`, then drop `source`."""
    source_id, target_id = _tag_id(db, source), _tag_id(db, target)
    if source_id == target_id:
        return
    with db.atomic():
        undo = _membership(db, source_id) | {
            "had_target": _post_ids(db, target_id)
        }  # what undo needs
        _bump_posts(db, source_id)
        db.execute(
            "INSERT OR IGNORE INTO post_tags (post_id, tag_id) SELECT post_id, ? FROM post_tags WHERE tag_id = ?",
            [target_id, source_id],
        )
        db.execute("DELETE FROM tags WHERE id = ?", [source_id])
        log_change(db, "merge", "tag", source, {"into": target} | undo, who=who, at=now)


def delete_tag(db, name: str, *, who: str | None = None, now: datetime | None = None) -> int:
    """Remove a tag from every post; returns how many posts lost it."""
    tag_id = _tag_id(db, name)
    with db.atomic():
        undo = _membership(db, tag_id)
        count = len(undo["post_ids"])
        _bump_posts(db, tag_id)
        db.execute("DELETE FROM tags WHERE id = ?", [tag_id])
        log_change(db, "delete", "tag", name, {"posts": count} | undo, who=who, at=now)
    return count


def _post_ids(db, tag_id: int) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "SELECT post_id FROM post_tags WHERE tag_id = ? ORDER BY post_id", [tag_id]
        )
    ]


def _membership(db, tag_id: int) -> dict:
    """The tag's posts and colour, logged with a merge or delete so `undo` can put them back."""
    colour = db.execute("SELECT colour FROM tags WHERE id = ?", [tag_id]).fetchone()[0]
    return {"post_ids": _post_ids(db, tag_id), "colour": colour or ""}


def set_tag_colour(
    db, name: str, colour: str, *, who: str | None = None, now: datetime | None = None
) -> None:
    """Give a tag a display colour (any Textual colour name or #hex)."""
    tag_id = _tag_id(db, name)
    with db.atomic():
        before = db.execute("SELECT colour FROM tags WHERE id = ?", [tag_id]).fetchone()[0] or ""
        db.execute("UPDATE tags SET colour = ? WHERE id = ?", [colour, tag_id])
        log_change(db, "colour", "tag", name, {"colour": colour, "before": before}, who=who, at=now)
