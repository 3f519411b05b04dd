"""Measure the PHI scanner on a labelled set: `python -m calendar_data.checks.phi_evaluation --evaluate FILE`.

A tool for whoever tunes `calendar_data.checks.phi`, kept out of the scanner so the
module a save runs holds only the scan. `measure` scores findings against labelled
samples (a finding counts when its kind matches and it overlaps the expected text);
without `--evaluate` the command scans text given as arguments or on stdin.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from calendar_data.checks.phi import PhiAllowList, PhiFinding, scan_text


def _matches(finding: PhiFinding, item: dict[str, str], text: str) -> bool:
    """Same kind and the finding overlaps some occurrence of the expected text."""
    if finding.kind != item["kind"]:
        return False
    for occurrence in re.finditer(re.escape(item["text"]), text):
        if finding.start < occurrence.end() and occurrence.start() < finding.end:
            return True
    return False


def measure(
    samples: list[dict], allow: PhiAllowList = PhiAllowList()
) -> tuple[float, float, int, int, int]:
    """Precision and recall of :func:`scan_text` over labelled samples.

    Args:
        samples: Dicts with ``text``, ``expected`` (list of ``{kind, text}``),
            and optional ``features_patient`` / ``has_consent``.
        allow: Allow list applied to every sample.

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
        )
        expected = sample.get("expected", [])
        findings_total += len(found)
        fp += sum(not any(_matches(f, item, text) for item in expected) for f in found)
        hits = sum(any(_matches(f, item, text) for f in found) for item in expected)
        tp, fn = tp + hits, fn + len(expected) - hits
    precision = (findings_total - fp) / findings_total if findings_total else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def evaluate(path: str | Path) -> tuple[float, float, int, int, int, int]:
    """Load a labelled JSON set and measure it; adds the sample count at the end."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    allow = PhiAllowList(**{k: tuple(v) for k, v in data.get("allow", {}).items()})
    return (*measure(data["samples"], allow), len(data["samples"]))


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--evaluate FILE`` or scan text given as arguments / stdin."""
    parser = argparse.ArgumentParser(
        prog="python -m calendar_data.checks.phi_evaluation", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--evaluate", metavar="JSON", help="labelled sample file to measure")
    parser.add_argument(
        "--features-patient", action="store_true", help="post tells a patient's story"
    )
    parser.add_argument("--has-consent", action="store_true", help="written consent is on file")
    parser.add_argument("text", nargs="*", help="text to scan (default: stdin)")
    args = parser.parse_args(argv)
    if args.evaluate:
        precision, recall, tp, fp, fn, n = evaluate(args.evaluate)
        print(
            f"precision {precision:.2f} recall {recall:.2f} (tp={tp} fp={fp} fn={fn}) over {n} samples"
        )
        return 0
    text = " ".join(args.text) if args.text else sys.stdin.read()
    flags = {"features_patient": args.features_patient, "has_consent": args.has_consent}
    for f in scan_text(text, **flags):
        print(f"{f.kind:15} {f.start:>5}-{f.end:<5} {f.text!r}: {f.why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
