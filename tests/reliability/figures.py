"""Figures the reliability tests measure, collected for docs/reliability.md.

Set CARECAL_FIGURES to a file path and each test appends one JSON line to it
(kill points survived, rows written concurrently, hostile inputs tried...).
"""

from __future__ import annotations

import json
import os


def record(test: str, **figures: object) -> None:
    """Append `figures` for `test` to $CARECAL_FIGURES, when it is set."""
    target = os.environ.get("CARECAL_FIGURES")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"test": test, **figures}, sort_keys=True) + "\n")
