"""Regenerate the README screenshots: `python docs/screenshots/make_screenshots.py`.

Each SVG is the app on `carecal demo` data (a fresh calendar in a temporary
folder, today fixed at 21 Nov 2026, the shipped observance list), driven by
key presses as a person would. Nothing outside this folder is written.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from calendar_data.demo import fill_demo  # noqa: E402
from calendar_data.storage.database import open_db  # noqa: E402
from calendar_data.storage.settings_table import load_settings  # noqa: E402

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 14, 30, tzinfo=UTC)
SHOTS: dict[str, tuple[tuple[int, int], tuple[str, ...]]] = {
    "month": ((150, 44), ()),
    "week": ((150, 44), ("w",)),
    "move": ((150, 44), ("tab", "M", "right", "right")),
    "quick-add": ((120, 30), ("A", "type:Wear Red Day 2026-12-04 09:30 #heart @instagram @x")),
    "legend": ((120, 40), ("L",)),
    "month-80x24": ((80, 24), ()),
    "quarter": ((160, 48), ("q",)),
    "agenda": ((120, 40), ("g",)),
    "awareness": ((150, 40), ("a",)),
    "post-editor": (
        (140, 44),
        (
            "a",
            "down",
            "n",
            "tab",
            "type:Lung cancer screening finds cancer early, when it is easier to treat. "
            "Ask your doctor if you qualify.",
            "tab",
            "space",
            "right",
            "right",
            "space",
        ),
    ),
    "campaigns": ((130, 36), ("c",)),
    "help": ((130, 44), ("question_mark",)),
}


async def shoot(db_path: Path, name: str, size: tuple[int, int], keys: tuple[str, ...]) -> None:
    from tui.app import make_app

    db = open_db(db_path)
    app = make_app(db, load_settings(db), TODAY, lambda: NOW, db_path)
    async with app.run_test(size=size) as pilot:
        for key in ("", *keys):
            if key.startswith("type:"):
                await pilot.press(
                    *[
                        {
                            " ": "space",
                            ",": "comma",
                            ".": "full_stop",
                            "#": "number_sign",
                            "@": "at",
                            ":": "colon",
                            "-": "minus",
                        }.get(c, c)
                        for c in key[5:]
                    ]
                )
            elif key:
                await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    db.close()


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "carecal.db"
        db = open_db(db_path)
        fill_demo(db, TODAY.replace(day=1), today=TODAY)
        db.close()
        for name, (size, keys) in SHOTS.items():
            await shoot(db_path, name, size, keys)
            print(HERE / f"{name}.svg")


if __name__ == "__main__":
    asyncio.run(main())
