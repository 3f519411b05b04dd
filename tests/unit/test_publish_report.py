"""The engagement report: numbers checked by hand on a small set, and the HTML page and its SVG charts.

The set (America/New_York): P1 infographic, Fri 6 Feb 2026 09:00, tags heart +
awareness, campaign Heart Month, observance National Wear Red Day, on Facebook
(1000 impressions, 100 engagements) and X (2000, 40); P2 shout-out Tue 10 Feb
15:00, staff, Facebook (500, 75; an older export said 100, 5); P3 recruitment
Wed 11 Feb 15:00, staff + jobs, LinkedIn (1000, 10); P4 published, no
metrics; P5 Wear Red Day 2025 (400, 20). Totals for Feb 2026: 4500
impressions, 225 engagements, rate 5%.
"""

from __future__ import annotations

import shutil
import subprocess  # nosec B404 - only to run a local headless browser in a test
from datetime import UTC, date, datetime, time
from html.parser import HTMLParser

import pytest

from calendar_data.campaigns import add_campaign
from calendar_data.models import Campaign, Channel, ContentType, Post, Status
from calendar_data.posts import add_post
from calendar_data.publish.links import record_published
from calendar_data.publish.metrics import import_metrics, reject_row, review_rows
from calendar_data.publish.metrics_formats import TEMPLATE_HEADERS
from calendar_data.publish.report import last_year, observance_history, performance
from calendar_data.publish.report_render import BAR_AREA, to_html, to_json, to_markdown

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FEB = (date(2026, 2, 1), date(2026, 2, 28))


@pytest.fixture
def measured(db, small_list):
    add_campaign(db, Campaign(name="Heart Month", start=date(2026, 2, 1), end=date(2026, 2, 28)))

    def add(title, day, at, body, channels, **extra):
        return add_post(
            db,
            Post(
                title=title,
                day=day,
                time=at,
                body=body,
                channels=channels,
                status=Status.PUBLISHED,
                **extra,
            ),
            who="tester",
            today=day,
        )

    p1 = add(
        "Wear red day",
        date(2026, 2, 6),
        time(9, 0),
        "Wear red today for heart health, join us at noon.",
        (Channel.FACEBOOK, Channel.X),
        content_type=ContentType.INFOGRAPHIC,
        tags=("heart", "awareness"),
        campaign="Heart Month",
        observance_id="national-wear-red-day",
    )
    p2 = add(
        "Nurse shout-out",
        date(2026, 2, 10),
        time(15, 0),
        "Thank you 4 West!",
        (Channel.FACEBOOK,),
        content_type=ContentType.SHOUT_OUT,
        tags=("staff",),
    )
    p3 = add(
        "Hiring",
        date(2026, 2, 11),
        time(15, 0),
        "Join our team.",
        (Channel.LINKEDIN,),
        content_type=ContentType.RECRUITMENT,
        tags=("staff", "jobs"),
    )
    add("No metrics yet", date(2026, 2, 12), time(10, 0), "Later.", (Channel.X,))
    p5 = add(
        "Wear red 2025",
        date(2025, 2, 7),
        time(9, 0),
        "Wear red 2025.",
        (Channel.FACEBOOK,),
        observance_id="national-wear-red-day",
    )
    links = [
        (p1, "facebook", "https://facebook.com/r/posts/1", datetime(2026, 2, 6, 14, 0, tzinfo=UTC)),
        (
            p2,
            "facebook",
            "https://facebook.com/r/posts/2",
            datetime(2026, 2, 10, 20, 0, tzinfo=UTC),
        ),
        (
            p3,
            "linkedin",
            "https://linkedin.com/feed/update/3",
            datetime(2026, 2, 11, 20, 0, tzinfo=UTC),
        ),
        (p5, "facebook", "https://facebook.com/r/posts/5", datetime(2025, 2, 7, 14, 0, tzinfo=UTC)),
    ]
    for post, channel, url, at in links:
        record_published(db, post.id, channel, url, at=at, now=NOW)
    rows = [
        "facebook,https://facebook.com/r/posts/1,,,1000,800,50,10,10,0,30,,2026-02-20",
        'x,,2026-02-06 09:00,"Wear red today for heart health, join us at noon.",2000,,20,5,5,,10,,2026-02-20',
        "facebook,https://facebook.com/r/posts/2,,,100,90,5,0,0,,0,,2026-02-11",
        "facebook,https://facebook.com/r/posts/2,,,500,450,60,15,0,,0,,2026-02-20",
        "linkedin,https://linkedin.com/feed/update/3,,,1000,700,0,0,0,,10,,2026-02-20",
        "facebook,https://facebook.com/r/posts/5,,,400,300,20,0,0,,0,,2025-02-20",
        "linkedin,https://linkedin.com/feed/update/3,,,99999,,99999,,,,,,2026-02-21",  # rejected below
    ]
    data = ("\r\n".join([",".join(TEMPLATE_HEADERS), *rows]) + "\r\n").encode()
    result = import_metrics(db, "feb.csv", data=data, today=date(2026, 3, 1), now=NOW)
    assert (result.by_url, result.by_similarity, len(result.unmatched)) == (6, 1, 0)
    reject_row(db, next(r.id for r in review_rows(db) if r.impressions == 99999))
    return {"p1": p1, "p2": p2, "p3": p3, "p5": p5}


def groups(perf, name):
    return [(g.label, g.posts, g.impressions, g.engagements) for g in perf.groups[name]]


def test_every_comparison_matches_the_hand_count(db, measured):
    perf = performance(db, *FEB)
    assert (perf.impressions, perf.engagements, perf.rate, perf.posts_without_metrics) == (
        4500,
        225,
        0.05,
        1,
    )
    assert groups(perf, "content_type") == [
        ("shout out", 1, 500, 75),
        ("infographic", 1, 3000, 140),
        ("recruitment", 1, 1000, 10),
    ]
    assert groups(perf, "tag") == [
        ("staff", 2, 1500, 85),
        ("awareness", 1, 3000, 140),
        ("heart", 1, 3000, 140),
        ("jobs", 1, 1000, 10),
    ]
    assert groups(perf, "campaign") == [
        ("(no campaign)", 2, 1500, 85),
        ("Heart Month", 1, 3000, 140),
    ]
    assert groups(perf, "observance") == [
        ("(no observance)", 2, 1500, 85),
        ("National Wear Red Day", 1, 3000, 140),
    ]
    assert groups(perf, "channel") == [
        ("facebook", 2, 1500, 175),
        ("x", 1, 2000, 40),
        ("linkedin", 1, 1000, 10),
    ]
    assert groups(perf, "weekday") == [
        ("Tuesday", 1, 500, 75),
        ("Wednesday", 1, 1000, 10),
        ("Friday", 1, 3000, 140),
    ]
    assert groups(perf, "hour") == [("09:00", 1, 3000, 140), ("15:00", 2, 1500, 85)]
    assert round(perf.groups["channel"][0].rate, 6) == round(175 / 1500, 6)


def test_best_and_worst_posts_of_the_period(db, measured):
    perf = performance(db, *FEB, top=1)
    assert [s.post.id for s in perf.best] == [measured["p2"].id]  # 15%
    assert [s.post.id for s in perf.worst] == [measured["p3"].id]  # 1%
    full = performance(db, *FEB)
    assert [s.post.id for s in full.best] == [measured[k].id for k in ("p2", "p1", "p3")]


def test_how_the_observance_did_last_year(db, measured):
    history = last_year(db, "national-wear-red-day", today=date(2026, 1, 15))
    assert history.year == 2025 and [s.post.id for s in history.posts] == [measured["p5"].id]
    assert (history.impressions, history.engagements, history.rate) == (400, 20, 0.05)
    this_year = observance_history(db, "national-wear-red-day", 2026)
    assert (this_year.impressions, this_year.engagements) == (
        3000,
        140,
    ) and this_year.unmeasured == ()


def test_json_and_markdown_carry_the_same_numbers(db, measured):
    perf = performance(db, *FEB)
    data = to_json(perf)
    assert data["engagement_rate"] == 0.05 and data["posts_without_metrics"] == 1
    assert data["groups"]["channel"][0] == {
        "key": "facebook",
        "label": "facebook",
        "posts": 2,
        "impressions": 1500,
        "engagements": 175,
        "engagement_rate": round(175 / 1500, 6),
    }
    text = to_markdown(perf)
    assert "| shout out | 1 | 500 | 75 | 15.0% |" in text and "engagement rate 5.0%" in text


class _Page(HTMLParser):
    """Collects what the tests check: charts, their bars, scripts and outside references."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[dict]] = {}
        self.current: str | None = None
        self.scripts = 0
        self.external: list[str] = []
        self.titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.current = attrs["data-dimension"]
            self.charts[self.current] = []
        elif tag == "rect" and self.current:
            self.charts[self.current].append(attrs)
        elif tag == "script":
            self.scripts += 1
        elif tag == "title":
            self._in_title = True
        for key in ("src", "href"):
            if attrs.get(key):
                self.external.append(attrs[key])

    def handle_endtag(self, tag):
        if tag == "svg":
            self.current = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.titles.append(data)


def test_the_html_report_is_self_contained_with_one_svg_chart_per_comparison(db, measured):
    page = _Page()
    page.feed(to_html(performance(db, *FEB)))
    assert set(page.charts) == {
        "content_type",
        "tag",
        "campaign",
        "observance",
        "channel",
        "weekday",
        "hour",
    }
    assert page.scripts == 0 and page.external == []
    bars = {r["data-key"]: float(r["width"]) for r in page.charts["channel"]}
    assert bars["facebook"] == BAR_AREA  # the best rate fills the bar
    assert bars["x"] == round(BAR_AREA * (40 / 2000) / (175 / 1500), 1)
    assert bars["linkedin"] == round(BAR_AREA * (10 / 1000) / (175 / 1500), 1)
    assert [r["data-key"] for r in page.charts["weekday"]] == ["1", "2", "4"]
    assert "Engagement rate by channel" in page.titles


def test_calendar_text_is_escaped_in_the_html(db, small_list):
    post = add_post(
        db,
        Post(
            title="<script>alert(1)</script>",
            day=date(2026, 2, 2),
            channels=(Channel.X,),
            body="x",
            status=Status.PUBLISHED,
            tags=("<b>",),
        ),
    )
    assert "No matched metrics in this period." in to_html(performance(db, *FEB))
    record_published(db, post.id, "x", "https://x.com/r/status/9", now=NOW)
    data = (
        ",".join(TEMPLATE_HEADERS) + "\r\nx,https://x.com/r/status/9,,,10,,1,,,,,,\r\n"
    ).encode()
    import_metrics(db, "x.csv", data=data, today=date(2026, 3, 1), now=NOW)
    html = to_html(performance(db, *FEB))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;" in html


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(
    shutil.which(CHROMIUM) is None, reason="Debian's chromium is not installed here"
)
def test_the_html_report_opens_in_headless_chromium_without_console_errors(db, measured, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(to_html(performance(db, *FEB)), encoding="utf-8")
    run = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # nosec B603 - fixed local binary, our own file
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.count("<svg") == 7
    assert "Uncaught" not in run.stderr and "CONSOLE" not in run.stderr
