"""A JSON copy of a parsed YAML file in the user cache dir, so a start does not run the YAML parser.

The curated observance list is ~380 entries; PyYAML with the strict loader (a Python
`construct_mapping` on every mapping) needed ~0.1-0.2 s of CPU on every start of the app,
before the month could be painted, while `json` reads the same data in a few milliseconds.
The copy is keyed by the file's path, size and mtime and carecal's version, and holds only
what YAML produced (lists, mappings, strings, numbers, booleans, dates), so it loads into the
very same structure. A missing, stale, damaged or unwritable cache only costs speed.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path

from calendar_data import __version__
from calendar_data.settings import cache_dir, make_private_dirs

_DATE = "$date"


def _encode(value):
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not kept in the YAML cache")


def _decode(mapping: dict):
    if len(mapping) == 1 and _DATE in mapping:
        return date.fromisoformat(mapping[_DATE])
    return mapping


def cache_path(source: str, mtime_ns: int, size: int) -> Path:
    """Where the parsed copy of `source` (as it is now) is kept."""
    key = hashlib.blake2b(
        f"{source}\x1f{mtime_ns}\x1f{size}\x1f{__version__}".encode(), digest_size=10
    ).hexdigest()
    return cache_dir() / "yaml" / f"{Path(source).stem}-{key}.json"


def read_cached(source: str, mtime_ns: int, size: int):
    """The data parsed from `source` at this mtime and size, or None when no good copy is kept."""
    try:
        text = cache_path(source, mtime_ns, size).read_text(encoding="utf-8")
        return json.loads(text, object_hook=_decode)
    except (OSError, ValueError):
        return None


def write_cached(source: str, mtime_ns: int, size: int, data) -> None:
    """Keep `data` (what YAML parsed from `source`) for the next start; older copies of it are removed."""
    target = cache_path(source, mtime_ns, size)
    try:
        text = json.dumps(data, default=_encode, separators=(",", ":"))
        make_private_dirs(target.parent)
        for old in target.parent.glob(f"{Path(source).stem}-*.json"):
            old.unlink(missing_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except (OSError, TypeError, ValueError):  # a read-only cache dir, or data YAML alone can hold
        return
