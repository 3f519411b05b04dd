"""The benchmark harness still works: its data builders and one figure, at a tiny size.

Structure only, never timing: these machines are shared, and benchmarks/run measures ratios.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from benchmarks.data import TINY, build_database, write_calcurse, write_ics
from benchmarks.figures import Context, posts_list_group
from benchmarks.measure import run_group
from benchmarks.runner import markdown_table, text_table

REQUIRED = {"median", "min", "max", "runs", "unit", "ratio", "goal"}


def test_builders_make_what_they_promise(tmp_path: Path):
    stats = build_database(tmp_path / "bench.db", TINY)
    assert (stats.posts, stats.tag_links, stats.campaigns) == (
        TINY.posts,
        TINY.tag_links,
        TINY.campaigns,
    )
    with closing(sqlite3.connect(tmp_path / "bench.db")) as conn:
        year = conn.execute(
            "SELECT count(*) FROM posts WHERE post_date LIKE ?", [f"{TINY.bench_year}-%"]
        ).fetchone()
        links = conn.execute("SELECT count(*) FROM post_tags").fetchone()
    assert year[0] == TINY.bench_year_posts
    assert links[0] == TINY.tag_links
    feed = write_ics(tmp_path / "feed.ics", TINY).read_bytes()
    assert feed.count(b"BEGIN:VEVENT") == TINY.ics_timed + TINY.ics_yearly
    assert all(len(line) <= 75 for line in feed.split(b"\r\n"))
    assert (
        write_calcurse(tmp_path / "calcurse", tmp_path / "bench.db", TINY.bench_year)
        == TINY.bench_year_posts
    )


def test_one_figure_runs_and_reports_its_shape(tmp_path: Path):
    ctx = Context(workdir=tmp_path / "work", sizes=TINY, quick=True)
    ctx.build(log=lambda line: None)
    group = posts_list_group(ctx)
    group.runs, group.warmups = 1, 0
    results = run_group(group, log=lambda line: None)
    by_name = {r.figure.name: r for r in results}
    floor = by_name["posts list (floor)"]
    assert not floor.failed
    report = floor.to_json()
    assert set(report) >= REQUIRED
    assert report["runs"] == 1 and report["unit"] == "s"
    assert report["ratio"] is not None and report["ratio"] > 0
    assert json.loads(json.dumps({"figures": {r.figure.name: r.to_json() for r in results}}))
    assert "posts list (floor)" in text_table(results)
    assert markdown_table(results).startswith("| figure |")
