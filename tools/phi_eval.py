"""Measure the PHI scanner on labelled sets, or scan text: a developer's tool, not a product command.

Usage (from the repository root):

    python tools/phi_eval.py tests/data/phi_samples.json tests/data/phi_holdout.json \
        tests/data/phi_holdout_intl.json
    python tools/phi_eval.py --scan "Call Jo on 020 7946 0018" [--features-patient]
        [--has-consent] [--country GB] [--region UK]...

Each labelled set prints one line: precision, recall and the counts behind them
(see calendar_data/checks/phi_eval.py for how a finding is matched). ``--misses``
also lists each false alarm and missed identifier; use it on the tuning set
(phi_samples.json), never to tune on a held-out set.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from calendar_data.checks.phi import scan_text  # noqa: E402
from calendar_data.checks.phi_eval import (  # noqa: E402
    _matches,
    evaluate,
    set_allow_list,
    set_regions,
)
from calendar_data.checks.phi_phones import phone_regions  # noqa: E402


def _misses(path: str) -> None:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    allow, regions = set_allow_list(data), set_regions(data)
    for sample in data["samples"]:
        text = sample["text"]
        found = scan_text(
            text,
            allow=allow,
            features_patient=sample.get("features_patient", False),
            has_consent=sample.get("has_consent", False),
            phone_regions=regions,
        )
        for f in found:
            if not any(_matches(f, item, text) for item in sample["expected"]):
                print(f"  false alarm {sample['id']}: {f.kind} {f.text!r}")
        for item in sample["expected"]:
            if not any(_matches(f, item, text) for f in found):
                print(f"  missed      {sample['id']}: {item['kind']} {item['text']!r}")


def main(argv: list[str] | None = None) -> int:
    """Evaluate each labelled set named, or scan the text given with --scan."""
    parser = argparse.ArgumentParser(prog="tools/phi_eval.py", description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", metavar="JSON", help="labelled sample files to measure")
    parser.add_argument("--misses", action="store_true", help="list false alarms and misses")
    parser.add_argument("--scan", metavar="TEXT", help="scan this text instead")
    parser.add_argument(
        "--features-patient", action="store_true", help="post tells a patient's story"
    )
    parser.add_argument("--has-consent", action="store_true", help="written consent is on file")
    parser.add_argument("--country", default="US", help="team country for phone formats (US)")
    parser.add_argument("--region", action="append", default=[], help="observance region (repeat)")
    args = parser.parse_args(argv)
    if args.scan is not None:
        regions = phone_regions(args.country, args.region)
        flags = {"features_patient": args.features_patient, "has_consent": args.has_consent}
        for f in scan_text(args.scan, phone_regions=regions, **flags):
            print(f"{f.kind:15} {f.start:>5}-{f.end:<5} {f.text!r}: {f.why}")
        return 0
    if not args.sets:
        parser.error("name at least one labelled set, or use --scan TEXT")
    for path in args.sets:
        try:
            score = evaluate(path)
        except (OSError, ValueError, KeyError) as exc:
            print(f"{path}: cannot read labelled set: {exc}", file=sys.stderr)
            return 2
        print(f"{path}: {score.line()}")
        if args.misses:
            _misses(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
