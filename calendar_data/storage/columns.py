"""How list-valued columns are stored: compact, stable JSON text."""

from __future__ import annotations

import json


def dumps(value: object) -> str:
    """JSON for list-valued columns (stable, compact)."""
    return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)


def loads_tuple(text: str | None) -> tuple:
    """A list-valued column back as a tuple."""
    if not text or text == "[]":  # most list columns are empty: skip the JSON parser
        return ()
    return tuple(json.loads(text))
