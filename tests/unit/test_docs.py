"""Every CLI command and option is documented (sqlite-utils' test_docs habit).

The command tree is walked from the root group, lazy commands included (LAZY_COMMANDS):
every command and option must have help text, docs/cli.md (generated from that help by
docs/make_cli_reference.py) must be current and give each command its section, and README's
"Command line" must show every top-level command in use.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import click
import pytest

from tui.cli.entry import LAZY_COMMANDS, main

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "cli.md"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_cli_reference", ROOT / "docs" / "make_cli_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
COMMANDS = [
    (context.command_path.removeprefix("carecal "), command)
    for context, command in GENERATOR.walk(
        main, click.Context(main, info_name="carecal", **main.context_settings)
    )
]


def visible_options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option) and not p.hidden]


def section(path: str) -> str:
    """The text of docs/cli.md under `## carecal PATH`, up to the next heading."""
    text = REFERENCE.read_text(encoding="utf-8")
    match = re.search(rf"^## carecal {re.escape(path)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"docs/cli.md has no section for `carecal {path}`"
    return match.group(1)


def test_the_walk_finds_every_lazy_command_and_subcommand():
    paths = {path for path, _ in COMMANDS}
    assert set(LAZY_COMMANDS) | {"demo"} <= paths
    assert {"posts add", "feeds build", "consent add", "observances add", "tags rename"} <= paths


def test_the_reference_is_current():
    """Regenerate with `python docs/make_cli_reference.py` when this fails."""
    assert REFERENCE.read_text(encoding="utf-8") == GENERATOR.render()


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_and_its_options_are_documented(path, command):
    assert (command.help or command.short_help or "").strip(), f"`carecal {path}` has no help text"
    undocumented = [o.opts[-1] for o in visible_options(command) if not (o.help or "").strip()]
    assert not undocumented, f"`carecal {path}`: no help text for {', '.join(undocumented)}"
    text = section(path)
    for option in visible_options(command):
        assert any(re.search(rf"{re.escape(flag)}\b", text) for flag in option.opts), (
            path,
            option.opts,
        )


def test_readme_shows_every_top_level_command_in_use():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [
        path
        for path, _ in COMMANDS
        if " " not in path and not re.search(rf"carecal {path}\b", readme)
    ]
    assert not missing, f"README.md never shows: {', '.join(missing)}"
    assert "docs/cli.md" in readme
