"""The reliability tests' fixed clock: every command and helper process sees the same 'today'."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fixed_today(isolated_dirs, monkeypatch: pytest.MonkeyPatch) -> None:
    """CARECAL_TODAY for commands run without --today, and for the helper scripts they start."""
    monkeypatch.setenv("CARECAL_TODAY", "2026-11-21")


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs (root only): `mount(size)` returns its folder; `remount_ro()` freezes it."""
    import shutil
    import subprocess

    mounted: list = []

    class Mount:
        def __init__(self) -> None:
            self.path = tmp_path / "tmpfs"

        def mount(self, size: str = "1m"):
            self.path.mkdir(exist_ok=True)
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(self.path)],
                capture_output=True,
                check=False,
            )
            if done.returncode != 0 or not shutil.which("mount"):
                pytest.skip("cannot mount a tmpfs here (needs root)")
            mounted.append(self.path)
            return self.path

        def remount_ro(self) -> None:
            subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    yield Mount()
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], check=False)
