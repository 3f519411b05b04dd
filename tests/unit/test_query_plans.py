"""The reads on every start and month switch touch only what they show, through an index.

Checked with EXPLAIN QUERY PLAN (never with timings): a plan that scans a whole table makes
the cost grow with the file, which the harness's scale figure (50,000 -> 500,000 posts) caught.
"""

from __future__ import annotations

from datetime import date

from calendar_data.checks.marks import stored_marks
from calendar_data.models import Filters
from calendar_data.post_rows import SELECT, filter_sql


def _plan(db, sql: str, params=()) -> list[str]:
    return [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", list(params)).fetchall()]


def test_a_months_posts_are_found_by_date_not_by_scanning(db):
    where, params = filter_sql(date(2027, 2, 22), date(2027, 4, 4), Filters())
    plan = _plan(db, SELECT + " WHERE " + " AND ".join(where), params)
    assert any(
        "SEARCH p USING INDEX posts_by_date (post_date>? AND post_date<?)" in step for step in plan
    ), plan
    assert not any(step.startswith("SCAN") for step in plan), plan


def test_tag_counts_read_the_tag_index_alone(db):
    import calendar_data.tags as tags

    captured = []

    class Spy:
        def execute(self, sql, params=()):
            captured.append(sql)
            return db.execute(sql, params)

    tags.list_tags(Spy())
    plan = _plan(db, captured[0])
    assert any("USING COVERING INDEX post_tags_by_tag" in step for step in plan), plan


def test_stored_marks_are_read_by_post_id(db):
    captured = []

    class Spy:
        def execute(self, sql, params=()):
            captured.append((sql, params))
            return db.execute(sql, params)

    stored_marks(Spy(), [1, 2, 3])
    sql, params = captured[0]
    plan = _plan(db, sql, params)
    assert any("SEARCH attention_marks USING INTEGER PRIMARY KEY" in step for step in plan), plan
