"""The sync figures' harness pieces that need no server: the peer's absence and its one change.

Structure only, never timing (benchmarks/run measures the ratios against a real Radicale).
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import sync_figures
from benchmarks.data import TINY
from benchmarks.figures import Context
from benchmarks.measure import run_group


def test_without_vdirsyncer_every_sync_figure_is_skipped_with_a_note(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(sync_figures, "find_vdirsyncer", lambda python: None)
    group = sync_figures.sync_group(Context(workdir=tmp_path, sizes=TINY, quick=True))
    results = run_group(group, log=lambda line: None)
    assert [r.figure.name for r in results][:4] == [f"sync {s}" for s in sync_figures.STEPS]
    assert all("vdirsyncer not installed" in r.skipped and not r.failed for r in results)


def test_the_peers_change_retitles_one_event_and_keeps_its_uid(tmp_path: Path):
    event = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:post-1@carecal\r\nSUMMARY:Old title\r\n"
        b"DTSTART;VALUE=DATE:20270301\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    for name in ("a.ics", "b.ics"):
        (tmp_path / name).write_bytes(event)
    bench = sync_figures.SyncBench(Context(workdir=tmp_path, sizes=TINY), 2)
    bench._change_one_file(tmp_path)
    changed = (tmp_path / "a.ics").read_bytes()
    assert f"SUMMARY:{sync_figures.NEW_TITLE}\r\n".encode() in changed
    assert b"UID:post-1@carecal\r\n" in changed and b"Old title" not in changed
    assert (tmp_path / "b.ics").read_bytes() == event
