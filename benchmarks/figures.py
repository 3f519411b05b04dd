"""The figures of issue 7 and how each is measured (the programs, their inputs, their checks)."""

from __future__ import annotations

import calendar
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from benchmarks.data import (
    FULL,
    Sizes,
    build_database,
    empty_database,
    events_from_ics,
    write_calcurse,
    write_ics,
)
from benchmarks.measure import Figure, Group, Skip, alternating
from benchmarks.sync_figures import sync_group
from benchmarks.terminal import Session, TerminalTimeout

ROOT = Path(__file__).resolve().parents[1]
FLOORS = Path(__file__).resolve().parent / "floors"
START_MONTH = 3  # the app opens on March of the bench year
FILTER_TEXT = "heart"
FILTER_SETUP = ("g", "r", "r", "slash")
IDLE_TIMEOUT = 20.0  # seconds a key may keep the program busy before the run counts as failed  # agenda view, its longest range (90 days), the filter bar


@dataclass
class Context:
    """Where this run's data lives and how big it is."""

    workdir: Path
    sizes: Sizes = FULL
    quick: bool = False
    python: str = sys.executable

    @property
    def db(self) -> Path:
        return self.workdir / "calendar.db"

    @property
    def ics(self) -> Path:
        return self.workdir / "feed.ics"

    @property
    def year(self) -> int:
        return self.sizes.bench_year

    def env(self) -> dict[str, str]:
        """The environment of every program: private config and data dirs, no carecal overrides."""
        home = self.workdir / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CARECAL_")}
        env.update(
            {
                "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_DATA_HOME": str(home / "data"),
                "XDG_CACHE_HOME": str(home / "cache"),
                "PYTHONPATH": str(ROOT),
                "TZ": "America/New_York",
            }
        )
        return env

    def carecal(self, *args: str) -> list[str]:
        """The carecal command as a user runs it (the console script is `python -m tui`)."""
        return [self.python, "-m", "tui", *args]

    def build(self, log=print) -> None:
        """Every input: the database, the .ics feed, what the floors and peers read."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        stats = build_database(self.db, self.sizes)
        write_ics(self.ics, self.sizes)
        write_calcurse(self.workdir / "calcurse", self.db, self.year)
        empty_database(self.workdir / "empty.db")
        log(
            f"data: {stats.posts} posts ({stats.bench_year_posts} in {self.year}), {stats.tag_links} tag links, "
            f"{stats.campaigns} campaigns, {stats.observances} observances; .ics of "
            f"{self.sizes.ics_timed} timed + {self.sizes.ics_yearly} yearly events "
            f"({time.perf_counter() - started:.1f} s)"
        )


def run_process(argv: list[str], ctx: Context, *, check: bool = True) -> float:
    """CPU time (user + system) of one whole process, spawn to exit, output discarded.

    CPU time rather than wall time: these machines are shared, and another job's burst lands in
    one program's wall time and not its pair's, while CPU time barely moves.
    """
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ctx.env(), cwd=ROOT
    )
    assert proc.stderr is not None
    errors = proc.stderr.read()
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, argv[:6]))}... exited {proc.returncode}: "
            f"{errors.decode(errors='replace').strip()[-500:]}"
        )
    return usage.ru_utime + usage.ru_stime


def title(year: int, month: int) -> str:
    return f"{calendar.month_name[month]} {year}"


# --- cold start and memory ---------------------------------------------------------------------


def app_start_group(ctx: Context) -> Group:
    marker = title(ctx.year, START_MONTH)
    programs = {
        "carecal": lambda: ctx.carecal(
            "--db", str(ctx.db), "--today", f"{ctx.year}-{START_MONTH:02d}-15"
        ),
        "bare": lambda: [ctx.python, str(FLOORS / "bare_app.py"), marker],
    }

    def one(name: str) -> tuple[float, float]:
        with Session(programs[name](), env=ctx.env(), cwd=ROOT) as session:
            first_frame = session.wait_for(marker, timeout=120) - session.started
            session.wait_idle(0.3, timeout=IDLE_TIMEOUT)  # the view loaded: now read the peak
            peak = session.peak_memory_mib()
            session.stop()
        return first_frame, peak

    def run(index: int) -> dict[str, float]:
        samples: dict[str, float] = {}
        for name in alternating(index, "carecal", "bare"):
            samples[name], samples[f"{name} memory"] = one(name)
        return samples

    return Group(
        "app start",
        [
            Figure(
                "cold start",
                "carecal",
                "bare",
                "s",
                1.3,
                "bare Textual app, one Static",
                note=f"spawn to the month title ({marker!r}) in a {Session.columns}x{Session.rows} pty",
            ),
            Figure(
                "peak memory",
                "carecal memory",
                "bare memory",
                "MiB",
                1.5,
                "bare Textual app, one Static",
                note="max RSS, view loaded, then ctrl+q",
            ),
        ],
        run,
        runs=1 if ctx.quick else 7,
    )


# --- month switch and filter typing ------------------------------------------------------------


def interactive_group(ctx: Context) -> Group:
    switches = 3 if ctx.quick else 9

    def session_for(name: str) -> Session:
        if name == "carecal":
            argv = ctx.carecal("--db", str(ctx.db), "--today", f"{ctx.year}-{START_MONTH:02d}-15")
        else:
            argv = [ctx.python, str(FLOORS / "bare_grid.py"), str(ctx.year), str(START_MONTH)]
        return Session(argv, env=ctx.env(), cwd=ROOT)

    def one(name: str) -> tuple[float, float, float]:
        try:
            return measure(name)
        except TerminalTimeout as exc:
            raise TerminalTimeout(f"{name}: {exc}") from None

    def measure(name: str) -> tuple[float, float, float]:
        with session_for(name) as s:
            s.wait_for(title(ctx.year, START_MONTH), timeout=120)
            s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            before, first = s.cpu_seconds(), s.mark()
            for _ in range(switches):
                mark = s.mark()
                s.press("pagedown")
                s.wait_output(since=mark)
                s.wait_idle(0.1, timeout=IDLE_TIMEOUT)
            s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            per_switch = (s.cpu_seconds() - before) / switches
            last = calendar.month_name[START_MONTH + switches]
            if not s.shown_since(
                last, first
            ):  # repaints skip unchanged text, so only the month name
                raise RuntimeError(f"{name}: no {last!r} on screen after {switches} pagedowns")
            if name == "carecal":  # the agenda view at its longest range, then the filter bar
                for key in FILTER_SETUP:
                    s.press(key)
                    s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            before = s.cpu_seconds()
            for key in FILTER_TEXT:
                s.press(key)
                s.wait_idle(0.1, timeout=IDLE_TIMEOUT)
            typed = s.cpu_seconds()
            s.press("enter")
            s.wait_idle(0.3, timeout=IDLE_TIMEOUT)
            done = s.cpu_seconds()
            s.stop()
        return per_switch, (done - before) / (len(FILTER_TEXT) + 1), done - typed

    def run(index: int) -> dict[str, float]:
        samples: dict[str, float] = {}
        for name in alternating(index, "carecal", "bare grid"):
            samples[f"{name} switch"], samples[f"{name} key"], samples[f"{name} enter"] = one(name)
        return samples

    return Group(
        "interactive",
        [
            Figure(
                "month switch",
                "carecal switch",
                "bare grid switch",
                "s",
                1.5,
                "bare 42-Static grid, updated in place",
                note=f"CPU per pagedown, {switches} switches through {ctx.year}",
            ),
            Figure(
                "filter typing",
                "carecal key",
                "bare grid key",
                "s",
                1.5,
                "bare 42-Static grid, updated in place",
                note=f"CPU per key typing '{FILTER_TEXT}' + enter in the agenda's filter bar ({' '.join(FILTER_SETUP)})",
            ),
            Figure(
                "filter apply (enter)",
                "carecal enter",
                "bare grid enter",
                "s",
                None,
                "bare 42-Static grid, updated in place",
                note="context: the enter that applies the filter, alone",
            ),
        ],
        run,
        runs=1 if ctx.quick else 5,
        warmups=0 if ctx.quick else 1,
    )


# --- posts list --------------------------------------------------------------------------------


def posts_list_group(ctx: Context) -> Group:
    start, end = f"{ctx.year}-01-01", f"{ctx.year}-12-31"
    calcurse = shutil.which("calcurse")
    group = Group("posts list", [], lambda i: {}, runs=2 if ctx.quick else 9)
    if not calcurse:
        group.skipped["calcurse"] = "calcurse not installed (apt-get install calcurse)"
    argv = {
        "carecal": ctx.carecal(
            "--db", str(ctx.db), "posts", "list", "--from", start, "--to", end, "--json"
        ),
        "floor": [ctx.python, str(FLOORS / "list_sqlite.py"), str(ctx.db), start, end],
    }
    if calcurse:
        confdir = ctx.workdir / "calcurse-conf"
        confdir.mkdir(exist_ok=True)
        us = lambda d: f"{d[5:7]}/{d[8:10]}/{d[:4]}"  # noqa: E731 - calcurse's default input format
        argv["calcurse"] = [
            calcurse,
            "-D",
            str(ctx.workdir / "calcurse"),
            "-C",
            str(confdir),
            "--read-only",
            "-Q",
            "--from",
            us(start),
            "--to",
            us(end),
        ]

    def check() -> None:
        out = subprocess.run(
            argv["carecal"], capture_output=True, env=ctx.env(), cwd=ROOT, check=True
        ).stdout
        found = len(json.loads(out))
        if found != ctx.sizes.bench_year_posts:
            raise RuntimeError(
                f"posts list printed {found} posts, expected {ctx.sizes.bench_year_posts}"
            )

    def run(index: int) -> dict[str, float]:
        if index == 0:
            check()
        names = list(argv)
        if index % 2:
            names.reverse()
        return {name: run_process(argv[name], ctx) for name in names}

    group.run = run
    group.figures = [
        Figure(
            "posts list --json",
            "carecal",
            "calcurse",
            "s",
            0.8,
            "calcurse -Q, same appointments",
            note=f"CPU time of the whole process, {ctx.sizes.bench_year_posts} posts of {ctx.year}",
        ),
        Figure(
            "posts list (floor)",
            "carecal",
            "floor",
            "s",
            None,
            "sqlite3 + json script",
            note="context: what Python itself needs for the same listing",
        ),
    ]
    return group


# --- export and import -------------------------------------------------------------------------


def _has_command(ctx: Context, name: str) -> str:
    """'' when `carecal NAME` exists, else why not."""
    proc = subprocess.run(
        ctx.carecal(name, "--help"), capture_output=True, env=ctx.env(), cwd=ROOT, check=False
    )
    if proc.returncode == 0:
        return ""
    return f"skipped: not built yet (`carecal {name}`: {proc.stderr.decode(errors='replace').strip().splitlines()[-1:]})"


def export_group(ctx: Context) -> Group:
    out = ctx.workdir / "export"
    argv = {
        "carecal": ctx.carecal(
            "--db",
            str(ctx.db),
            "export",
            "--from",
            f"{ctx.year}-01-01",
            "--to",
            f"{ctx.year}-12-31",
            "-o",
            str(out / "carecal.ics"),
        ),
        "floor": [
            ctx.python,
            str(FLOORS / "ics_build.py"),
            str(ctx.workdir / "events.json"),
            str(out / "floor.ics"),
        ],
    }

    def setup() -> None:
        missing = _has_command(ctx, "export")
        if missing:
            raise Skip(missing)
        out.mkdir(exist_ok=True)
        # The floor builds the very events carecal writes: read them back from one export, untimed.
        run_process(argv["carecal"], ctx)
        events = events_from_ics((out / "carecal.ics").read_bytes())
        (ctx.workdir / "events.json").write_text(json.dumps(events), encoding="utf-8")

    def run(index: int) -> dict[str, float]:
        names = list(alternating(index, *argv))
        samples = {name: run_process(argv[name], ctx) for name in names}
        if index == 0:
            ours = (out / "carecal.ics").read_bytes().count(b"BEGIN:VEVENT")
            theirs = (out / "floor.ics").read_bytes().count(b"BEGIN:VEVENT")
            if abs(ours - theirs) > theirs * 0.05:
                raise RuntimeError(
                    f"export wrote {ours} events, the floor {theirs}: not the same work"
                )
        return samples

    return Group(
        "export",
        [
            Figure(
                "export a year",
                "carecal",
                "floor",
                "s",
                1.1,
                "icalendar by hand, same events and properties",
                note=f"CPU time of the whole process, {ctx.sizes.bench_year_posts} posts + observances + holidays",
            ),
        ],
        run,
        runs=1 if ctx.quick else 5,
        setup=setup,
        warmups=0,
    )  # setup's export is the warm-up


def _khal_config(ctx: Context, run_dir: Path) -> Path:
    (run_dir / "cal").mkdir(parents=True)
    config = run_dir / "config"
    config.write_text(
        f"[calendars]\n[[bench]]\npath = {run_dir / 'cal'}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = America/New_York\ndefault_timezone = America/New_York\n"
        f"[sqlite]\npath = {run_dir / 'cache.db'}\n",
        encoding="utf-8",
    )
    return config


def find_khal() -> str | None:
    """The khal command: on PATH, or installed beside this Python."""
    beside = Path(sys.executable).with_name("khal")
    return shutil.which("khal") or (str(beside) if beside.exists() else None)


def import_group(ctx: Context) -> Group:
    khal = find_khal()
    khal_runs = 0 if ctx.quick else 3
    target = ctx.workdir / "import.db"
    group = Group(
        "import", [], lambda i: {}, runs=1 if ctx.quick else 5, warmups=0 if ctx.quick else 1
    )
    if not khal:
        group.skipped["khal"] = "khal not installed (pip install khal)"
    elif ctx.quick:
        group.skipped["khal"] = "khal import skipped in --quick (about 30 s a run)"

    def setup() -> None:
        missing = _has_command(ctx, "import")
        if missing:
            raise Skip(missing)

    def carecal() -> float:
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copy(ctx.workdir / "empty.db", target)
        return run_process(ctx.carecal("--db", str(target), "import", str(ctx.ics)), ctx)

    def floor() -> float:
        return run_process([ctx.python, str(FLOORS / "ics_parse.py"), str(ctx.ics)], ctx)

    def khal_import(index: int) -> float:
        run_dir = ctx.workdir / f"khal-{index}"
        shutil.rmtree(run_dir, ignore_errors=True)
        config = _khal_config(ctx, run_dir)
        elapsed = run_process(
            [khal, "-c", str(config), "import", "--batch", "-a", "bench", str(ctx.ics)], ctx
        )
        shutil.rmtree(run_dir, ignore_errors=True)
        return elapsed

    def run(index: int) -> dict[str, float]:
        steps = [("carecal", carecal), ("floor", floor)]
        if index % 2:
            steps.reverse()
        samples = {name: step() for name, step in steps}
        if index == 0:
            with closing(sqlite3.connect(target)) as conn:
                imported = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
            if imported < ctx.sizes.ics_timed:
                raise RuntimeError(
                    f"import stored {imported} posts of {ctx.sizes.ics_timed} timed events"
                )
        if khal and group.warmups <= index < group.warmups + khal_runs:
            samples["khal"] = khal_import(index)
        return samples

    group.run, group.setup = run, setup
    group.figures = [
        Figure(
            "import 10k events",
            "carecal",
            "floor",
            "s",
            1.3,
            "icalendar parsing the same file",
            note=f"CPU time of the whole process, {ctx.sizes.ics_timed} timed + {ctx.sizes.ics_yearly} yearly events, fresh db",
        ),
        Figure(
            "import vs khal",
            "carecal",
            "khal",
            "s",
            0.1,
            "khal import --batch, same file",
            note=f"khal runs {khal_runs} times (about 30 s a run); ratio over those pairs",
        ),
    ]
    return group


def all_groups(ctx: Context) -> list[Group]:
    """Every figure of issue 7, in the order the table shows them."""
    return [
        app_start_group(ctx),
        interactive_group(ctx),
        posts_list_group(ctx),
        export_group(ctx),
        import_group(ctx),
        sync_group(ctx),
    ]
