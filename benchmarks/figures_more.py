"""The figures issue 18 added: editor open, week view switch, feed 304 and 200, scale (50,000 -> 500,000 posts)."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

from benchmarks.data import BENCH_TODAY, Sizes, build_database
from benchmarks.figures import FLOORS, IDLE_TIMEOUT, ROOT, START_MONTH, Context, title
from benchmarks.measure import Figure, Group, Skip, alternating
from benchmarks.terminal import Session

EDITOR_MARKER = "Edit post"
"""carecal's editor heading ("Edit post #12 · ..."), and the floor's modal text."""
FEED_TOKEN = "benchfeedtoken0123456789abcdefgh"
"""The saved feed's secret (32 URL-safe characters), so the figure knows its path."""
SCALE = 10
"""The big calendar has this many times the posts, spread over more years; the bench year is the same."""


def _today(ctx: Context) -> str:
    return f"{ctx.year}-{BENCH_TODAY[0]:02d}-{BENCH_TODAY[1]:02d}"


# --- editor open -------------------------------------------------------------------------------


def editor_group(ctx: Context) -> Group:
    """CPU from `e` to an idle screen with the editor open, against a bare modal screen push."""
    opens = 2 if ctx.quick else 5
    marker = title(ctx.year, START_MONTH)

    def argv(name: str) -> list[str]:
        if name == "carecal":
            return ctx.carecal("--db", str(ctx.db), "--today", _today(ctx))
        return [ctx.python, str(FLOORS / "bare_modal.py"), marker]

    def one(name: str) -> float:
        with Session(argv(name), env=ctx.env(), cwd=ROOT) as s:
            s.wait_for(marker, timeout=120)
            s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            total = 0.0
            for _ in range(opens):
                mark, before = s.mark(), s.cpu_seconds()
                s.press("e")
                s.wait_for(EDITOR_MARKER, since=mark, timeout=IDLE_TIMEOUT)
                s.wait_idle(0.1, timeout=IDLE_TIMEOUT)
                total += s.cpu_seconds() - before
                s.press("escape")
                s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            s.stop()
        return total / opens

    def run(index: int) -> dict[str, float]:
        names = alternating(index, "carecal", "bare modal")
        return {name: one(name) for name in names}

    return Group(
        "editor",
        [
            Figure(
                "editor open",
                "carecal",
                "bare modal",
                "s",
                2.0,
                "bare modal screen push",
                note=f"CPU from `e` (the day's first post) to idle, {opens} opens",
            ),
        ],
        run,
        runs=1 if ctx.quick else 5,
        warmups=0 if ctx.quick else 1,
    )


# --- week view switch -------------------------------------------------------------------------


def week_group(ctx: Context) -> Group:
    """CPU per pagedown in the week view (`w`), against the bare grid floor's pagedown."""
    switches = 3 if ctx.quick else 8
    marker = title(ctx.year, START_MONTH)

    def argv(name: str) -> list[str]:
        if name == "carecal":
            return ctx.carecal("--db", str(ctx.db), "--today", _today(ctx))
        return [ctx.python, str(FLOORS / "bare_grid.py"), str(ctx.year), str(START_MONTH)]

    def one(name: str) -> float:
        with Session(argv(name), env=ctx.env(), cwd=ROOT) as s:
            s.wait_for(marker, timeout=120)
            s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            if name == "carecal":
                mark = s.mark()
                s.press("w")
                s.wait_output(since=mark)
                s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            before = s.cpu_seconds()
            for _ in range(switches):
                mark = s.mark()
                s.press("pagedown")
                s.wait_output(since=mark)
                s.wait_idle(0.1, timeout=IDLE_TIMEOUT)
            s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            per_switch = (s.cpu_seconds() - before) / switches
            s.stop()
        return per_switch

    def run(index: int) -> dict[str, float]:
        names = alternating(index, "carecal", "bare grid")
        return {name: one(name) for name in names}

    return Group(
        "week",
        [
            Figure(
                "week view switch",
                "carecal",
                "bare grid",
                "s",
                1.5,
                "bare 42-Static grid, updated in place",
                note=f"CPU per pagedown in the week view, {switches} weeks from mid-March",
            ),
        ],
        run,
        runs=1 if ctx.quick else 5,
        warmups=0 if ctx.quick else 1,
    )


# --- feed requests -----------------------------------------------------------------------------


def feed_group(ctx: Context) -> Group:
    """A quarter's feed through carecal's WSGI app: a 304 against a 200, a 200 against the export."""
    start, end = date(ctx.year, 1, 1), date(ctx.year, 3, 31)
    rounds = 2 if ctx.quick else 4

    def setup() -> None:
        from calendar_data.ical.feeds import Feed, Scope, add_feed, feed_by_token
        from calendar_data.storage.database import open_db

        db = open_db(ctx.db)
        try:
            if feed_by_token(db, FEED_TOKEN) is None:
                add_feed(db, Feed("Bench quarter", Scope(start, end), token=FEED_TOKEN))
        finally:
            db.close()

    def run(index: int) -> dict[str, float]:
        out = subprocess.run(
            [
                ctx.python,
                str(FLOORS / "feed_requests.py"),
                str(ctx.db),
                FEED_TOKEN,
                start.isoformat(),
                end.isoformat(),
                str(rounds),
            ],
            capture_output=True,
            env=ctx.env(),
            cwd=ROOT,
            check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(
                f"feed_requests.py exited {out.returncode}: {out.stderr.decode()[-400:]}"
            )
        found = json.loads(out.stdout)
        if abs(found["events"] - found["export_events"]) > found["export_events"] * 0.05:
            raise RuntimeError(
                f"the feed held {found['events']} events, the export {found['export_events']}"
            )
        return {"304": found["304"], "200": found["200"], "export": found["export"]}

    return Group(
        "feed",
        [
            Figure(
                "feed 304",
                "304",
                "200",
                "s",
                0.1,
                "a 200 of the same feed",
                note="CPU per request in one process, If-None-Match with the 200's ETag; a quarter",
            ),
            Figure(
                "feed 200",
                "200",
                "export",
                "s",
                1.2,
                "export_bytes of the same range",
                note="CPU per request (opens the calendar, builds, hashes) against building the export alone",
            ),
        ],
        run,
        runs=1 if ctx.quick else 3,
        setup=setup,
        warmups=0,
    )


# --- scale -------------------------------------------------------------------------------------


def scale_sizes(sizes: Sizes) -> Sizes:
    """Ten times the posts over ten times the years: the bench year (and so each month) holds the same."""
    return replace(
        sizes,
        posts=sizes.posts * SCALE,
        tag_links=sizes.tag_links * SCALE,
        first_year=sizes.bench_year - 5 * sizes.years,
        years=sizes.years * SCALE,
    )


def scale_group(ctx: Context) -> Group:
    """Cold start and month switch on the big calendar against the same on the usual one."""
    big = ctx.workdir / "calendar-big.db"
    switches = 4

    def setup() -> None:
        if ctx.quick:
            raise Skip("skipped in --quick (building 500,000 posts takes about a minute)")
        stats = build_database(big, scale_sizes(ctx.sizes))
        print(
            f"  scale: {stats.posts} posts ({stats.bench_year_posts} in {ctx.year}), "
            f"{Path(big).stat().st_size / 2**20:.0f} MiB",
            flush=True,
        )

    def one(db: Path) -> tuple[float, float]:
        marker = title(ctx.year, START_MONTH)
        with Session(
            ctx.carecal("--db", str(db), "--today", _today(ctx)), env=ctx.env(), cwd=ROOT
        ) as s:
            started = s.wait_for(marker, timeout=120) - s.started
            s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            before = s.cpu_seconds()
            for _ in range(switches):
                mark = s.mark()
                s.press("pagedown")
                s.wait_output(since=mark)
                s.wait_idle(0.1, timeout=IDLE_TIMEOUT)
            s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            per_switch = (s.cpu_seconds() - before) / switches
            s.stop()
        return started, per_switch

    def run(index: int) -> dict[str, float]:
        order = alternating(index, ("500k", big), ("50k", ctx.db))
        samples: dict[str, float] = {}
        for name, db in order:
            samples[f"{name} start"], samples[f"{name} switch"] = one(db)
        return samples

    return Group(
        "scale",
        [
            Figure(
                "scale: cold start",
                "500k start",
                "50k start",
                "s",
                1.2,
                "cold start at 50,000 posts",
                note=f"{ctx.sizes.posts * SCALE} posts over {ctx.sizes.years * SCALE} years, same bench year",
            ),
            Figure(
                "scale: month switch",
                "500k switch",
                "50k switch",
                "s",
                1.2,
                "month switch at 50,000 posts",
                note=f"CPU per pagedown, {switches} switches",
            ),
        ],
        run,
        runs=3,
        setup=setup,
        warmups=1,
    )


def more_groups(ctx: Context) -> list[Group]:
    """Issue 18's groups, in table order (the feed group saves a feed in the calendar: after the others)."""
    return [editor_group(ctx), week_group(ctx), feed_group(ctx), scale_group(ctx)]
