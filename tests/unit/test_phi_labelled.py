"""Quality floor for the PHI scanner on the hand-labelled post set.

tests/data/phi_samples.json holds realistic hospital social posts, about half
with planted identifiers. A finding counts as correct when its kind equals an
expected item's kind and its span overlaps that item's text. Run with
``pytest -s`` to see the numbers, or ``python tools/phi_eval.py
tests/data/phi_samples.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calendar_data.checks.phi import IDENTIFIER_KINDS, PhiAllowList
from calendar_data.checks.phi_eval import measure

SAMPLES_PATH = Path(__file__).resolve().parents[1] / "data" / "phi_samples.json"
PRECISION_FLOOR = 0.90
RECALL_FLOOR = 0.90


@pytest.fixture(scope="module")
def labelled() -> dict:
    return json.loads(SAMPLES_PATH.read_text(encoding="utf-8"))


def _allow(data: dict) -> PhiAllowList:
    return PhiAllowList(**{key: tuple(values) for key, values in data["allow"].items()})


def test_labelled_set_is_well_formed(labelled: dict) -> None:
    samples = labelled["samples"]
    assert len(samples) >= 160
    assert len({s["id"] for s in samples}) == len(samples)
    with_phi = sum(bool(s["expected"]) for s in samples)
    assert 0.35 <= with_phi / len(samples) <= 0.65, (
        "about half the samples should carry identifiers"
    )
    for sample in samples:
        for item in sample["expected"]:
            assert item["kind"] in IDENTIFIER_KINDS
            assert item["text"] in sample["text"], sample["id"]


def test_every_kind_is_represented(labelled: dict) -> None:
    kinds = {item["kind"] for s in labelled["samples"] for item in s["expected"]}
    assert kinds == set(IDENTIFIER_KINDS)


def test_precision_and_recall_floors(labelled: dict) -> None:
    precision, recall, tp, fp, fn = measure(labelled["samples"], _allow(labelled))
    print(
        f"\nPHI scanner: precision {precision:.2f} recall {recall:.2f} "
        f"(tp={tp} fp={fp} fn={fn}) over {len(labelled['samples'])} samples"
    )
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


def test_measure_counts_matches_misses_and_false_alarms() -> None:
    samples = [
        {"text": "Call 608-555-4417", "expected": [{"kind": "phone", "text": "608-555-4417"}]},
        {
            "text": "MRN 00482913",
            "expected": [{"kind": "account", "text": "00482913"}],
        },  # wrong kind: fp + fn
        {"text": "Nothing here.", "expected": []},
    ]
    precision, recall, tp, fp, fn = measure(samples)
    assert (tp, fp, fn) == (1, 1, 1)
    assert precision == pytest.approx(0.5) and recall == pytest.approx(0.5)
