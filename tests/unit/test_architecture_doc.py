"""docs/architecture.md stays true: every table the migrations create has an owner that exists,
and every module the layer table names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def created_tables() -> set[str]:
    text = (ROOT / "calendar_data" / "storage" / "migrations.py").read_text(encoding="utf-8")
    return set(re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", text))


def ownership() -> dict[str, str]:
    """table -> owning module path, from the doc's 'Who owns which table' rows."""
    owners = {}
    for row in re.findall(r"^\| (`[^|]+`) \| `([\w/]+\.py)`", DOC, flags=re.M):
        for table in re.findall(r"`(\w+)`", row[0]):
            owners[table] = row[1]
    return owners


def test_every_table_has_an_owner_that_exists():
    owners = ownership()
    assert created_tables() and created_tables() == set(owners), set(owners) ^ created_tables()
    for table, module in owners.items():
        assert (ROOT / module).is_file(), f"{table}: {module} does not exist"


def test_every_module_the_doc_names_exists():
    for dotted in set(re.findall(r"`((?:calendar_data|tui)(?:\.\w+)+)`", DOC)):
        parts = dotted.split(".")
        candidates = [
            ROOT.joinpath(*parts).with_suffix(".py"),
            ROOT.joinpath(*parts, "__init__.py"),
        ]
        # a trailing attribute (tui.write_path.WritePath) is fine when its module exists
        candidates += [ROOT.joinpath(*parts[:-1]).with_suffix(".py")]
        assert any(c.is_file() for c in candidates), dotted
