"""Metrics import: the documented template read strictly, rows matched by URL or by time and copy, all reviewable.

The sample files are written here from the template's documentation
(docs/publishing.md, "The carecal metrics template").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from calendar_data.errors import PostError
from calendar_data.models import Channel, Post, Status
from calendar_data.posts import add_post
from calendar_data.publish.links import record_published
from calendar_data.publish.metrics import (
    assign_row,
    import_metrics,
    reject_row,
    review_rows,
    similarity,
)
from calendar_data.publish.metrics_formats import TEMPLATE_HEADERS, MetricsFileError, template_bytes

TODAY = date(2027, 3, 1)
NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
HEADER = ",".join(TEMPLATE_HEADERS)


@pytest.fixture
def plan(db):
    def add(title, day, at, body, channels, status=Status.PUBLISHED):
        return add_post(
            db,
            Post(title=title, day=day, time=at, body=body, channels=channels, status=status),
            who="tester",
            today=date(2027, 3, 1),
        )  # published: their dates have come

    posts = {
        "heart": add(
            "Heart month kickoff",
            date(2027, 2, 1),
            time(9, 0),
            "Wear red on Friday for heart health. Join us in the lobby at noon! #GoRed",
            (Channel.FACEBOOK, Channel.X),
        ),
        "flu": add(
            "Flu clinic",
            date(2027, 2, 3),
            time(15, 0),
            "Walk-in flu shots all week at the main entrance, 8am to 6pm.",
            (Channel.X, Channel.LINKEDIN),
        ),
        "hiring": add(
            "Now hiring",
            date(2027, 2, 3),
            time(16, 0),
            "We are hiring night-shift nurses: sign-on bonus and tuition support.",
            (Channel.X,),
        ),
    }
    record_published(
        db,
        posts["heart"].id,
        "facebook",
        "https://www.facebook.com/riverside/posts/1001",
        at=datetime(2027, 2, 1, 14, 2, tzinfo=UTC),
        now=NOW,
    )
    return posts


def sample(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def run(db, data: bytes, name="export.csv"):
    return import_metrics(db, name, data=data, today=TODAY, now=NOW)


def test_rows_match_by_url_then_by_time_and_copy(db, plan):
    data = sample(
        "facebook,https://facebook.com/riverside/posts/1001/?ref=page,2027-02-01 09:02,Wear red,"
        "1200,900,60,8,5,2,25,,2027-02-20",
        'x,,2027-02-03 15:04,"Walk-in flu shots all week at the main entrance, 8am-6pm.",3000,,45,6,12,,30,,',
        "x,,2027-02-03 16:01,We're hiring night shift nurses! Sign-on bonus + tuition support,800,,10,1,2,,9,,",
        "linkedin,,2027-02-09 10:00,Walk-in flu shots all week at the main entrance,400,,5,0,1,,3,,",
        "x,https://x.com/riverside/status/77,2027-02-05 12:00,A reply we never planned,90,,1,0,0,,0,,",
    )
    result = run(db, data)
    assert (result.rows, result.by_url, result.by_similarity) == (5, 1, 2)
    matched = {(r.line, m.post_id, m.method) for r, m in result.matches}
    assert matched == {
        (2, plan["heart"].id, "url"),
        (3, plan["flu"].id, "similarity"),
        (4, plan["hiring"].id, "similarity"),
    }
    assert all(m.score == 1.0 for _, m in result.matches if m.method == "url")
    assert all(0.6 <= m.score < 1 for _, m in result.matches if m.method == "similarity")
    assert [r.line for r in result.unmatched] == [5, 6]  # outside the window; no such post
    stored = {r.source: r for r in review_rows(db)}
    assert stored["export.csv:5"].status == "unmatched" and stored["export.csv:6"].post_id is None
    assert (
        stored["export.csv:2"].exported_on == date(2027, 2, 20)
        and stored["export.csv:3"].exported_on == TODAY
    )
    assert stored["export.csv:3"].engagements == 45 + 6 + 12 + 30


def test_a_similar_post_at_another_address_is_not_matched(db, plan):
    record_published(db, plan["hiring"].id, "x", "https://x.com/riverside/status/5", now=NOW)
    data = sample(
        "x,https://x.com/riverside/status/6,2027-02-03 16:00,"
        "We are hiring night-shift nurses: sign-on bonus and tuition support.,100,,1,0,0,,0,,"
    )
    assert len(run(db, data).unmatched) == 1


def test_similarity_is_difflib_on_normalised_copy():
    assert similarity("Wear RED  on Friday https://x.org/a", "wear red on friday") == 1.0
    assert similarity("Wear red on Friday", "Flu shots today") < 0.5


def test_a_reimport_updates_numbers_and_keeps_the_reviewers_decisions(db, plan):
    row = "x,,2027-02-03 16:01,We're hiring night shift nurses! Sign-on bonus + tuition support,800,,10,1,2,,9,,"
    run(db, sample(row))
    first = review_rows(db)[0]
    reject_row(db, first.id, who="sam")
    run(db, sample(row.replace(",800,", ",950,")))
    again = review_rows(db)
    assert len(again) == 1 and again[0].status == "rejected" and again[0].impressions == 950


def test_rows_can_be_rejected_and_assigned_by_hand(db, plan):
    result = run(
        db, sample("linkedin,,2027-02-09 10:00,Walk-in flu shots all week,400,,5,0,1,,3,,")
    )
    row_id = review_rows(db)[0].id
    assert result.unmatched and review_rows(db, status="unmatched")[0].id == row_id
    with pytest.raises(PostError, match="not planned for linkedin"):
        assign_row(db, row_id, plan["heart"].id)
    fixed = assign_row(db, row_id, plan["flu"].id, who="sam")
    assert (fixed.status, fixed.post_id, fixed.method, fixed.score) == (
        "matched",
        plan["flu"].id,
        "manual",
        None,
    )
    assert reject_row(db, row_id).status == "rejected"
    with pytest.raises(PostError, match="no imported metrics row"):
        reject_row(db, 999)


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        (
            ["facebook,,2027-02-01 09:00,ok,100,,1,1,1,,1,,", "x,,2027-02-03,ok,12k,,1,0,0,,0,,"],
            "export.csv, line 3, column 5 (impressions): '12k' is not a whole number",
        ),
        (
            ["myspace,,2027-02-01,hi,1,,,,,,,,"],
            "export.csv, line 2, column 1 (channel): 'myspace' is not a channel",
        ),
        (
            ["x,,yesterday,hi,1,,,,,,,,"],
            "export.csv, line 2, column 3 (published_at): 'yesterday' is not a date",
        ),
        (
            ["x,www.x.com/a,,hi,1,,,,,,,,"],
            "export.csv, line 2, column 2 (url): 'www.x.com/a' is not an http(s) URL",
        ),
        (["x,,,hi,,,,,,,,,"], "export.csv, line 2, column 5 (impressions): impressions is empty"),
        (["x,,,hi,1,,,,,,,,,extra"], "export.csv, line 2, column 14: 14 cells but only 13 headers"),
        (['x,,,"never closed,1'], "export.csv, line 2"),
    ],
)
def test_a_malformed_file_names_file_line_and_column_and_imports_nothing(db, plan, rows, where):
    with pytest.raises(MetricsFileError) as caught:
        run(db, sample(*rows))
    assert str(caught.value).startswith(where)
    assert db.execute("SELECT count(*) FROM metric_rows").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (
            b"Post ID,Permalink,Publish time,Reach\r\n1,https://x,2027-01-01,5\r\n",
            r"unrecognised headers \('post id'",
        ),
        (b"channel,impressions,impressions\r\n", "header 'impressions' appears twice"),
        ("channel,impressions\r\nx,5\r\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_files_of_no_documented_format_are_refused_on_line_one(db, data, message):
    with pytest.raises(MetricsFileError, match=message) as caught:
        run(db, data)
    assert caught.value.line == 1


def test_only_aggregate_numbers_are_kept_never_commenters_or_comments(db, plan):
    header = HEADER + ",commenter_names,top_comment"
    run(
        db,
        sample(
            "facebook,https://facebook.com/riverside/posts/1001,2027-02-01 09:02,Wear red,1200,900,60,8,5,"
            "2,25,,,Ann Smith;Bob Jones,Ann Smith: my dad had a stroke at 52",
            header=header,
        ),
    )
    dump = "\n".join(db.conn.iterdump())
    assert "Ann Smith" not in dump and "Bob Jones" not in dump and "stroke at 52" not in dump
    assert db.execute("SELECT impressions, reactions FROM metric_rows").fetchone() == (1200, 60)


def test_minimal_file_with_only_the_required_columns(db, plan):
    data = b"Channel,Impressions,URL\r\nfacebook,5,https://facebook.com/riverside/posts/1001\r\n"
    result = run(db, data)
    assert result.by_url == 1 and review_rows(db)[0].impressions == 5


def test_the_template_header_is_what_the_docs_list():
    assert template_bytes() == (
        b"channel,url,published_at,text,impressions,reach,reactions,comments,shares,"
        b"saves,clicks,video_views,exported_on\r\n"
    )
