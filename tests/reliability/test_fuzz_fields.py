"""What a person can type into the post editor and the palette's go-to box, fuzzed below the screen.

The editor turns its fields into a Post with calendar_data.form_values and asks
posts.validate (then add_post saves). For any text in any field the outcome is
a saved post, or a ValueError/PostError whose one-line message the editor shows
under the field; the database keeps nothing from a refused draft.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendar_data.errors import PostError
from calendar_data.form_values import parse_day, parse_goto_date, parse_time, split_list
from calendar_data.models import Post
from calendar_data.posts import add_post
from calendar_data.storage.database import open_db
from calendar_data.tags import split_tags
from tests.reliability.figures import record

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("CARECAL_FUZZ_EXAMPLES", "10000")) // 4

FIELD = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "2027-02-30",
            "2027-02-28",
            "0001-01-01",
            "9999-12-31",
            "  2027-01-05 ",
            "24:00",
            "09:30",
            "#a, #b",
            "a,,b",
            "x" * 301,
            "=cmd|' /C calc'!A0",
            "\u202e",
            "\x00",
            "https://cdc.gov",
            "javascript:alert(1)",
            "#",
            "##",
            "#\u00e9t\u00e9",
        ]
    ),
)


def _mostly(valid: st.SearchStrategy) -> st.SearchStrategy:
    """What a person means to type four times in five; anything at all the fifth."""
    return st.integers(0, 4).flatmap(lambda n: FIELD if n == 4 else valid)


def test_any_typing_in_the_editor_saves_or_names_the_field(tmp_path):
    db = open_db(tmp_path / "fields.db")
    seen = {"examples": 0, "saved": 0, "refused": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        title=_mostly(st.text(min_size=1, max_size=60)),
        day=_mostly(st.dates().map(str)),
        clock=_mostly(st.one_of(st.just(""), st.times().map(lambda t: t.strftime("%H:%M")))),
        tags=_mostly(st.lists(st.text(max_size=12), max_size=3).map(", ".join)),
        hashtags=_mostly(
            st.lists(st.from_regex(r"#?\w{1,10}", fullmatch=True), max_size=3).map(" ".join)
        ),
        sources=_mostly(
            st.sampled_from(["", "https://www.cdc.gov/flu/", "http://example.org/a b"])
        ),
        goto=FIELD,
    )
    def check(title, day, clock, tags, hashtags, sources, goto) -> None:
        seen["examples"] += 1
        assert parse_goto_date(goto, date(2026, 11, 21)) is None or isinstance(
            parse_goto_date(goto, date(2026, 11, 21)), date
        )
        before = db.execute(
            "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM changes)"
        ).fetchone()
        try:
            draft = Post(
                title=title,
                day=parse_day(day),
                time=parse_time(clock),
                tags=split_tags(tags),
                hashtags=split_list(hashtags),
                sources=split_list(sources),
            )
            add_post(db, draft, who="fuzz")
        except (ValueError, PostError) as exc:
            assert str(exc) and "\n" not in str(exc), exc
            after = db.execute(
                "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM changes)"
            ).fetchone()
            assert after == before
            seen["refused"] += 1
            return
        seen["saved"] += 1

    check()
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    record("fuzz/editor-fields", **seen)
