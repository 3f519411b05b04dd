"""An import planned from a snapshot never writes that snapshot back over an edit saved meanwhile."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from calendar_data.ical.export import ExportSpec, export_bytes
from calendar_data.ical.plan import apply_import, plan_import
from calendar_data.models import Channel, Post
from calendar_data.posts import add_post, get_post, list_posts, update_post
from calendar_data.storage.database import open_db

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 21)


def test_an_edit_saved_while_the_import_runs_is_kept_and_reported(tmp_path):
    path = tmp_path / "cal.db"
    db = open_db(path)
    ours = add_post(db, Post(title="Flu clinic", day=date(2027, 1, 12), tags=("flu",)))
    update_post(db, replace(get_post(db, ours.id), title="Flu clinic (renamed in the file)"))
    data = export_bytes(
        db, ExportSpec(date(2027, 1, 1), date(2027, 1, 31), include=("posts",)), now=NOW
    )
    update_post(
        db, replace(get_post(db, ours.id), title="Flu clinic")
    )  # the file now differs: an update
    plan = plan_import(db, data, today=TODAY)
    assert [c.action for c in plan.changes] == ["update"]

    other = open_db(path)  # a teammate's CLI edit lands between planning and writing
    theirs = get_post(other, ours.id)
    update_post(
        other, replace(theirs, tags=("flu", "vaccines"), owner="Sam", channels=(Channel.TIKTOK,))
    )
    other.close()

    apply_import(db, plan, today=TODAY)
    kept = get_post(db, ours.id)
    assert (
        kept.tags == ("flu", "vaccines")
        and kept.owner == "Sam"
        and kept.channels == (Channel.TIKTOK,)
    )
    assert any("was changed while the import ran" in w for w in plan.warnings)
    assert len(list_posts(db)) == 1
    db.close()
