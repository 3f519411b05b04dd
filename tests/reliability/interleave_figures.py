"""Print the app-and-CLI interleaving figures (the closing note's numbers): many CLI calls beside a live app.

Usage: python -m tests.reliability.interleave_figures [CLI_WRITES] [CLI_READS] [APP_SECONDS]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from calendar_data.storage.database import open_db
from tests.reliability.test_app_and_cli import _cli, interleave


def main() -> None:
    writes, reads, seconds = (int(a) for a in (sys.argv[1:] + ["200", "120", "90"])[:3])
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "team.db"
        open_db(db).close()
        _cli(db, "demo")
        figures = interleave(
            db,
            Path(folder) / "report.json",
            cli_writes=writes,
            cli_reads=reads,
            app_seconds=seconds,
        )
    failures = figures["cli_failures"]
    figures["cli_failures"] = len(failures)
    figures["cli_failure_messages"] = sorted({" ".join(f.split())[:200] for f in failures})
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
