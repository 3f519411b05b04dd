"""The PHI scanner's phone numbers on a held-out set written before the scanner learnt them.

tests/data/phi_holdout_intl.json (issue 13) was committed before calendar_data/checks/phi.py
used libphonenumber, and is never used for tuning: tune on phi_samples.json only. Over
half its copy is UK/IE/AU/NZ/CA. Floors sit a little below the measured figures
(docs/compliance.md), so a regression shows. Every set's figures are printed; run with
``pytest -s``, or ``python tools/phi_eval.py tests/data/phi_*.json``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from calendar_data.checks.phi import IDENTIFIER_KINDS
from calendar_data.checks.phi_eval import evaluate

DATA = Path(__file__).resolve().parents[1] / "data"
INTL = DATA / "phi_holdout_intl.json"
TOOL = Path(__file__).resolve().parents[2] / "tools" / "phi_eval.py"

#: (set, precision floor, recall floor); measured figures are in docs/compliance.md.
FLOORS = [
    ("phi_samples.json", 0.95, 0.98),
    ("phi_holdout.json", 0.85, 0.90),
    ("phi_holdout_intl.json", 0.80, 0.75),
]


def test_intl_set_is_well_formed():
    data = json.loads(INTL.read_text(encoding="utf-8"))
    samples = data["samples"]
    assert len(samples) >= 80 and len({s["id"] for s in samples}) == len(samples)
    assert sum(s["locale"] in {"UK", "AU", "CA", "IE", "NZ"} for s in samples) >= len(samples) / 2
    positives = [s for s in samples if s["expected"]]
    assert 0.4 <= len(positives) / len(samples) <= 0.6
    for sample in samples:
        for item in sample["expected"]:
            assert item["kind"] in IDENTIFIER_KINDS and item["text"] in sample["text"], sample["id"]
    assert {s["locale"] for s in positives} >= {"UK", "AU", "CA", "IE", "NZ", "US"}
    assert data["allow"]["phones"] and data["team"]["country"]


@pytest.mark.parametrize(("name", "precision", "recall"), FLOORS)
def test_precision_and_recall_on_every_set(name, precision, recall):
    score = evaluate(DATA / name)
    print(f"\nPHI {name}: {score.line()}")
    assert score.precision >= precision
    assert score.recall >= recall


def _tool():
    spec = importlib.util.spec_from_file_location("phi_eval_tool", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tool_prints_one_line_per_set(capsys):
    assert _tool().main([str(INTL)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{INTL}: precision ") and "over 100 samples" in out


def test_tool_scans_text_in_the_team_regions(capsys):
    tool = _tool()
    assert tool.main(["--scan", "Ring 020 7946 0018", "--country", "GB"]) == 0
    assert "'020 7946 0018'" in capsys.readouterr().out
    assert tool.main(["--scan", "Ring 020 7946 0018"]) == 0  # a US team reads US formats only
    assert capsys.readouterr().out == ""


def test_tool_reports_an_unreadable_set(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert _tool().main([str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"{bad}: cannot read labelled set")
