"""The reliability tests' fixed clock: every command and helper process sees the same 'today'."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fixed_today(isolated_dirs, monkeypatch: pytest.MonkeyPatch) -> None:
    """CARECAL_TODAY for commands run without --today, and for the helper scripts they start."""
    monkeypatch.setenv("CARECAL_TODAY", "2026-11-21")
