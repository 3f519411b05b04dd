"""The PHI scanner on a held-out set it was not tuned on (tests/data/phi_holdout.json).

The main labelled set (test_phi_labelled.py) was written alongside the scanner,
so its figures are optimistic. This smaller set was written afterwards by the
compliance work; docs/compliance.md reports both. Floors sit a little below
the measured figures so a regression shows, without pretending to a precision
the set cannot support. Reproduce: python tools/phi_eval.py tests/data/phi_holdout.json
"""

from __future__ import annotations

import json
from pathlib import Path

from calendar_data.checks.phi import IDENTIFIER_KINDS, PhiAllowList
from calendar_data.checks.phi_eval import measure

HOLDOUT = Path(__file__).resolve().parents[1] / "data" / "phi_holdout.json"


def test_holdout_set_is_well_formed():
    data = json.loads(HOLDOUT.read_text(encoding="utf-8"))
    samples = data["samples"]
    assert len(samples) >= 50 and len({s["id"] for s in samples}) == len(samples)
    for sample in samples:
        for item in sample["expected"]:
            assert item["kind"] in IDENTIFIER_KINDS and item["text"] in sample["text"], sample["id"]
    kinds = {item["kind"] for s in samples for item in s["expected"]}
    assert kinds == set(IDENTIFIER_KINDS)


def test_holdout_precision_and_recall():
    data = json.loads(HOLDOUT.read_text(encoding="utf-8"))
    allow = PhiAllowList(**{k: tuple(v) for k, v in data["allow"].items()})
    precision, recall, tp, fp, fn = measure(data["samples"], allow)
    print(
        f"\nPHI held-out: precision {precision:.2f} recall {recall:.2f} (tp={tp} fp={fp} fn={fn})"
    )
    assert precision >= 0.85
    assert recall >= 0.90
