"""How one figure is measured: groups of programs run side by side, summarised as paired ratios.

A group runs its programs once per run (a warm-up first, which also checks their output), each
returning one sample per program. A figure pairs two of a group's programs, the subject (carecal)
and its reference (a floor or a peer), and reports the subject's median, min and max and the median
of the per-run ratios subject / reference. Pairing within a run cancels most of a shared machine's
drift: absolute times move, ratios hold.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field


class Skip(Exception):
    """A program (or a whole group) cannot run here; the message says why."""


@dataclass(frozen=True)
class Figure:
    """One line of the table: a subject measured against a reference, with the ratio it must not exceed."""

    name: str
    subject: str
    reference: str
    unit: str
    goal: float | None
    against: str
    note: str = ""


@dataclass
class Group:
    """Programs measured together; `run(index)` returns {program: sample} for one run."""

    name: str
    figures: list[Figure]
    run: Callable[[int], dict[str, float]]
    runs: int = 5
    warmups: int = 1
    setup: Callable[[], None] | None = None
    teardown: Callable[[], None] | None = None
    skipped: dict[str, str] = field(default_factory=dict)
    """Programs that could not run, and why (filled by `run` or `setup`)."""
    runs_of: dict[str, int] = field(default_factory=dict)
    """Fewer runs for some programs (a slow peer): program -> runs."""


@dataclass
class Result:
    """A figure's summary, as the table and the JSON show it."""

    figure: Figure
    samples: list[float] = field(default_factory=list)
    references: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    skipped: str = ""
    failed: bool = False

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def ratio(self) -> float | None:
        return statistics.median(self.ratios) if self.ratios else None

    @property
    def met(self) -> bool | None:
        if self.ratio is None or self.figure.goal is None:
            return None
        return self.ratio <= self.figure.goal

    def to_json(self) -> dict:
        f = self.figure
        return {
            "median": _round(self.median),
            "min": _round(min(self.samples)) if self.samples else None,
            "max": _round(max(self.samples)) if self.samples else None,
            "runs": len(self.samples),
            "unit": f.unit,
            "ratio": _round(self.ratio, 3),
            "goal": f.goal,
            "against": f.against,
            "reference_median": _round(statistics.median(self.references))
            if self.references
            else None,
            "met": self.met,
            "skipped": self.skipped or None,
            "note": f.note or None,
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


RETRIES = 2
"""Extra attempts at a run that failed (a hiccup of the shared machine, or of the program)."""


def _run_with_retries(group: Group, index: int, log: Callable[[str], None]) -> dict[str, float]:
    for attempt in range(RETRIES + 1):
        try:
            return group.run(index)
        except Skip:
            raise
        except Exception as exc:  # noqa: BLE001 - reported, then retried or raised
            if attempt == RETRIES:
                raise
            log(
                f"  {group.name}: attempt {attempt + 1} failed ({type(exc).__name__}: "
                f"{' '.join(str(exc).split())[:300]}); retrying"
            )
    raise AssertionError("unreachable")


def run_group(group: Group, *, log: Callable[[str], None] = print) -> list[Result]:
    """Warm up, run `group.runs` times, and pair each figure's samples run by run."""
    results = [Result(f) for f in group.figures]
    per_run: list[dict[str, float]] = []
    failure = ""
    try:
        if group.setup:
            group.setup()
        for index in range(group.warmups + group.runs):
            samples = _run_with_retries(group, index, log)
            if index >= group.warmups:
                per_run.append(samples)
            shown = ", ".join(f"{k} {v:.4g}" for k, v in samples.items())
            log(
                f"  {group.name} {'warm-up' if index < group.warmups else f'run {index - group.warmups + 1}'}: {shown}"
            )
    except Skip as exc:
        for result in results:
            result.skipped = str(exc)
        return results
    except Exception as exc:  # noqa: BLE001 - one broken program must not hide every other figure
        message = " ".join(str(exc).split())[:600]
        log(f"  {group.name} FAILED: {type(exc).__name__}: {message}")
        if not per_run:
            for result in results:
                result.skipped = f"failed: {type(exc).__name__}: {message[:200]}"
                result.failed = True
            return results
        failure = f"run {len(per_run) + 1} failed ({type(exc).__name__}); {len(per_run)} runs kept"
    finally:
        if group.teardown:
            group.teardown()
    for result in results:
        f = result.figure
        for samples in per_run:
            if f.subject in samples:
                result.samples.append(samples[f.subject])
            if f.subject in samples and f.reference in samples:
                result.references.append(samples[f.reference])
                result.ratios.append(samples[f.subject] / samples[f.reference])
        missing = [p for p in (f.subject, f.reference) if p in group.skipped]
        if missing and not result.ratios:
            result.skipped = "; ".join(group.skipped[p] for p in missing)
        elif failure:
            result.skipped = failure
    return results


def alternating(index: int, *names):
    """`names` in order on odd runs and reversed on even ones, so no contender always goes first
    (a warm cache or a quieter moment would otherwise favour it)."""
    return names if index % 2 else tuple(reversed(names))
