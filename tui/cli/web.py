"""`carecal web`: the app in a browser for reviewers (clinicians, legal, leadership) with no terminal.

textual-serve runs one carecal app process per browser tab, on the same
calendar file, and relays the terminal over a WebSocket. There is no login:
by default it listens on 127.0.0.1 only; any other address needs `--public`
and prints a warning. `--read-only` serves an app that refuses every write
(approve and reject included); without it a reviewer can approve or reject
(A / X in a day's dialog) and edit like any teammate. The page textual-serve
ships asks Google Fonts for a font: carecal serves its own copy of that page
without it (the same font comes from textual-serve's static folder on this
server), so the browser talks to this server and nothing else.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

import click

from calendar_data.sync.targets import is_loopback
from tui.cli.context import calendar_path, open_context_db
from tui.cli.params import db_option

FONT_LINK = '<link\n      rel="stylesheet"\n      href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n    />'
LOCAL_FONT = """<style>
      @font-face { font-family: "Roboto Mono"; font-style: normal;
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
      @font-face { font-family: "Roboto Mono"; font-style: italic;
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }
    </style>"""
"""The same font from textual-serve's own static folder (it ships the files), served by this server."""


def app_command(db: Path, *, read_only: bool, today: str | None = None) -> str:
    """The shell command textual-serve runs for each browser tab: this carecal on this calendar."""
    argv = [sys.executable, "-m", "tui", "--db", str(db)]
    if today:
        argv += ["--today", today]
    if read_only:
        argv.append("--read-only")
    return shlex.join(argv)


def local_page(folder: Path) -> Path:
    """textual-serve's page template without its Google Fonts link, written into `folder`.

    Raises:
        RuntimeError: the installed textual-serve's page has changed shape (refuse rather than leak).
    """
    page = files("textual_serve").joinpath("templates/app_index.html").read_text(encoding="utf-8")
    if "fonts.googleapis.com" in page:
        page = page.replace(FONT_LINK, LOCAL_FONT)
    if "googleapis" in page or "//" in page.split("<body", 1)[0].replace("http://www.w3.org", ""):
        raise RuntimeError("textual-serve's page loads something from another site; not serving it")
    (folder / "app_index.html").write_text(page, encoding="utf-8")
    return folder


@click.command()
@db_option
@click.option(
    "--read-only",
    "read_only",
    is_flag=True,
    help="Refuse every write, approve and reject included (reviewers only read).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback needs --public.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--public",
    is_flag=True,
    help="Allow a non-loopback --host (there is no login: anyone who reaches it "
    "can read the calendar, and change it without --read-only).",
)
@click.pass_context
def web(ctx: click.Context, read_only: bool, host: str, port: int, public: bool) -> None:
    """Serve the calendar app to a browser (textual-serve); open http://HOST:PORT/."""
    if not is_loopback(host) and not public:
        raise click.UsageError(
            f"--host {host}: not a loopback address; there is no login, so add --public "
            "to serve the calendar to the network on purpose"
        )
    open_context_db(ctx, create=True)  # the file exists and is carecal's before any tab opens it
    from textual_serve.server import Server

    if not is_loopback(host):
        click.echo(
            f"warning: serving on {host}:{port} with no login: anyone who can reach it can read "
            f"{'' if read_only else 'and change '}the calendar; prefer an SSH tunnel to 127.0.0.1",
            err=True,
        )
    root = ctx.find_root()
    today = root.params.get("today")
    command = app_command(
        calendar_path(ctx), read_only=read_only, today=today.isoformat() if today else None
    )
    with tempfile.TemporaryDirectory(prefix="carecal-web-") as folder:
        server = Server(
            command,
            host=host,
            port=port,
            title="carecal" + (" (read-only)" if read_only else ""),
            templates_path=local_page(Path(folder)),
        )
        click.echo(
            f"carecal web: http://{host}:{port}/ ({'read-only' if read_only else 'review'} mode); "
            "ctrl+c stops",
            err=True,
        )
        server.serve()
