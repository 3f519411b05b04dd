"""`benchmarks/run [--quick] [--json FILE]`: every figure of issues 7 and 18 as a ratio, in one run.

Builds its own data in a temporary folder, runs each group of programs after a warm-up, prints a
table (median, min-max, runs, ratio, goal) and writes JSON (always to benchmarks/results/latest.json,
and to --json FILE when given) plus the table as Markdown (benchmarks/results/latest.md). A full run
(neither --quick nor --only) is also kept as benchmarks/results/DATE-TIME.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from benchmarks.data import FULL, TINY
from benchmarks.figures import Context, all_groups, find_khal
from benchmarks.figures_more import more_groups
from benchmarks.measure import Result, run_group

RESULTS = Path(__file__).resolve().parent / "results"


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _first_line(argv: list[str]) -> str | None:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.strip().splitlines()[0] if out.strip() else None


def machine() -> dict:
    """What this ran on: enough to tell two tables' machines apart."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    calcurse = shutil.which("calcurse")
    khal = find_khal()
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
        "textual": _version("textual"),
        "icalendar": _version("icalendar"),
        "sqlite": sqlite3.sqlite_version,
        "calcurse": _first_line([calcurse, "--version"]) if calcurse else None,
        "khal": _first_line([khal, "--version"]) if khal else None,
        "load_average": [round(x, 2) for x in os.getloadavg()]
        if hasattr(os, "getloadavg")
        else None,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    return f"{value:.1f} {unit}"


def _range(result: Result) -> str:
    if not result.samples:
        return "-"
    low, high = min(result.samples), max(result.samples)
    unit = result.figure.unit
    if unit == "s" and high < 10:
        return f"{low * 1000:.0f}-{high * 1000:.0f} ms"
    if unit == "s":
        return f"{low:.1f}-{high:.1f} s"
    return f"{low:.1f}-{high:.1f} {unit}"


def rows(results: list[Result]) -> list[list[str]]:
    """The table's rows: figure, median, min-max, runs, against, ratio, goal, verdict."""
    table = []
    for r in results:
        f = r.figure
        if r.skipped and not r.samples:
            table.append([f.name, "-", "-", "0", f.against, "-", _goal(f.goal), r.skipped])
            continue
        verdict = "met" if r.met else "MISSED" if r.met is False else "context"
        if r.skipped:
            verdict += f" ({r.skipped})"
        table.append(
            [
                f.name,
                _value(r.median, f.unit),
                _range(r),
                str(len(r.samples)),
                f.against,
                f"{r.ratio:.2f}x" if r.ratio is not None else "-",
                _goal(f.goal),
                verdict,
            ]
        )
    return table


def _goal(goal: float | None) -> str:
    return f"<= {goal:g}x" if goal is not None else "-"


HEADERS = ["figure", "median", "min-max", "runs", "against", "ratio", "goal", ""]


def text_table(results: list[Result]) -> str:
    body = rows(results)
    widths = [max(len(row[i]) for row in [HEADERS, *body]) for i in range(len(HEADERS))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [HEADERS, ["-" * w for w in widths], *body]
    )


def markdown_table(results: list[Result]) -> str:
    headers = [*HEADERS[:-1], "verdict"]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    return "\n".join(lines)


def run_header(document: dict) -> str:
    """One line naming the run's machine, load and versions (what tells two tables apart)."""
    m = document["machine"]
    peers = (
        ", ".join(f"{name} {m[name]}" for name in ("calcurse", "khal") if m.get(name))
        or "no peers installed"
    )
    kind = (
        "quick run"
        if m.get("quick")
        else "full run"
        if not m.get("only")
        else f"partial run ({m['only']})"
    )
    return (
        f"{kind}, {m['date']}: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['platform']}; "
        f"Python {m['python']}, Textual {m['textual']}, icalendar {m['icalendar']}, SQLite {m['sqlite']}; "
        f"{peers}; load average {m['load_average']} at start, {m.get('load_average_end')} at the end; "
        f"{m['seconds']:.0f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs, no slow peers: under 2 minutes (CI smoke)"
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument(
        "--only", action="append", default=[], help="run only groups whose name contains this"
    )
    parser.add_argument(
        "--tiny", action="store_true", help=argparse.SUPPRESS
    )  # harness self-test data
    parser.add_argument("--keep", action="store_true", help="keep the generated data folder")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="carecal-bench-"))
    ctx = Context(workdir=workdir, sizes=TINY if args.tiny else FULL, quick=args.quick or args.tiny)
    started = time.perf_counter()
    info = machine()
    print(
        f"carecal benchmarks{' (quick)' if ctx.quick else ''}: {info['cpu']}, {info['cores']} cores, "
        f"Python {info['python']}, Textual {info['textual']}",
        flush=True,
    )
    results: list[Result] = []
    try:
        ctx.build()
        for group in [*all_groups(ctx), *more_groups(ctx)]:
            if args.only and not any(word in group.name for word in args.only):
                continue
            print(f"{group.name}:", flush=True)
            results += run_group(group, log=lambda line: print(line, flush=True))
    finally:
        if args.keep:
            print(f"data kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print()
    print(text_table(results))
    print(
        f"\n{len(results)} figures in {elapsed:.0f} s; ratio = median of per-run ratios (subject / reference)"
    )
    load_end = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    document = {
        "machine": info
        | {
            "quick": ctx.quick,
            "seconds": round(elapsed, 1),
            "load_average_end": load_end,
            "only": args.only or None,
        },
        "figures": {r.figure.name: r.to_json() for r in results},
    }
    RESULTS.mkdir(exist_ok=True)
    targets = [RESULTS / "latest.json", args.json]
    full = not (ctx.quick or args.only)
    if full:  # every full run is kept: the history the README's table is taken from
        stamp = time.strftime("%Y-%m-%d-%H%M")
        targets.append(RESULTS / f"{stamp}.json")
        (RESULTS / f"{stamp}.md").write_text(
            run_header(document) + "\n\n" + markdown_table(results) + "\n", encoding="utf-8"
        )
    for target in filter(None, targets):
        target.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "latest.md").write_text(
        run_header(document) + "\n\n" + markdown_table(results) + "\n", encoding="utf-8"
    )
    failed = [r.figure.name for r in results if r.failed]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
