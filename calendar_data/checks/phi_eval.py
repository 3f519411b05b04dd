"""Precision and recall of the PHI scanner on hand-labelled sets of post copy.

The scanner's floors are held by tests and reported in docs/compliance.md;
this module is the one measurement both use, so the figures in the docs are
the ones the tests assert. ``tools/phi_eval.py`` is its command line.

A labelled set is a JSON object: ``samples`` (each with ``id``, ``text``,
``expected`` as a list of ``{kind, text}``, and optional ``features_patient`` /
``has_consent``), an ``allow`` list (``phones``, ``addresses``, ``domains``) and
an optional ``team`` (``country``, ``regions``) saying whose phone formats to
read; without it the team is carecal's default (US).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from calendar_data.checks.phi import PhiAllowList, PhiFinding, scan_text
from calendar_data.checks.phi_phones import DEFAULT_REGIONS, phone_regions


@dataclass(frozen=True)
class Score:
    """What one labelled set measured.

    Attributes:
        precision: Share of findings that match an expected identifier.
        recall: Share of expected identifiers found.
        tp: Expected identifiers found.
        fp: Findings matching no expected identifier.
        fn: Expected identifiers missed.
        samples: How many samples were scanned.
    """

    precision: float
    recall: float
    tp: int
    fp: int
    fn: int
    samples: int

    def line(self) -> str:
        """The one-line report the tests print and docs/compliance.md quotes."""
        return (
            f"precision {self.precision:.2f} recall {self.recall:.2f} "
            f"(tp={self.tp} fp={self.fp} fn={self.fn}) over {self.samples} samples"
        )


def _matches(finding: PhiFinding, item: dict[str, str], text: str) -> bool:
    """Same kind and the finding overlaps some occurrence of the expected text."""
    if finding.kind != item["kind"]:
        return False
    for occurrence in re.finditer(re.escape(item["text"]), text):
        if finding.start < occurrence.end() and occurrence.start() < finding.end:
            return True
    return False


def measure(
    samples: list[dict],
    allow: PhiAllowList = PhiAllowList(),
    phone_regions: tuple[str, ...] = DEFAULT_REGIONS,
) -> tuple[float, float, int, int, int]:
    """Precision and recall of :func:`~calendar_data.checks.phi.scan_text` over labelled samples.

    Args:
        samples: Dicts with ``text``, ``expected`` (list of ``{kind, text}``),
            and optional ``features_patient`` / ``has_consent``.
        allow: Allow list applied to every sample.
        phone_regions: libphonenumber regions the team's numbers are read in.

    Returns:
        ``(precision, recall, tp, fp, fn)``: tp counts expected items found,
        fp findings matching no expected item, fn expected items missed.
    """
    tp = fp = fn = findings_total = 0
    for sample in samples:
        text = sample["text"]
        found = scan_text(
            text,
            allow=allow,
            features_patient=sample.get("features_patient", False),
            has_consent=sample.get("has_consent", False),
            phone_regions=phone_regions,
        )
        expected = sample.get("expected", [])
        findings_total += len(found)
        fp += sum(not any(_matches(f, item, text) for item in expected) for f in found)
        hits = sum(any(_matches(f, item, text) for f in found) for item in expected)
        tp, fn = tp + hits, fn + len(expected) - hits
    precision = (findings_total - fp) / findings_total if findings_total else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def set_allow_list(data: dict) -> PhiAllowList:
    """The allow list a labelled set declares."""
    return PhiAllowList(**{k: tuple(v) for k, v in data.get("allow", {}).items()})


def set_regions(data: dict) -> tuple[str, ...]:
    """The phone regions of the team a labelled set declares (US when it declares none)."""
    team = data.get("team") or {}
    return phone_regions(team.get("country", "US"), team.get("regions", ()))


def evaluate(path: str | Path) -> Score:
    """Load a labelled JSON set and measure it with its own allow list and team."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    result = measure(data["samples"], set_allow_list(data), set_regions(data))
    return Score(*result, samples=len(data["samples"]))
