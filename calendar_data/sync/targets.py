"""Sync targets: a name, a calendar URL, a user and where the password comes from (never the password).

A password lives in the platform's keyring when it has a usable one; otherwise
the target names a command that prints it (`pass show carecal`) or an
environment variable that holds it, and only that name is stored. Plain HTTP is
refused unless the server is on this machine (loopback) or the target was added
with `allow_http`, which warns on every sync: on the network it would carry
the plan, and the password, in clear.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shlex
import subprocess  # runs the user's own --password-command, without a shell  # nosec B404
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from calendar_data.storage.changelog import log_change
from calendar_data.storage.connection import utcnow

KEYRING_SERVICE = "carecal-sync"
PASSWORD_SOURCES = ("none", "keyring", "command", "env")
COMMAND_TIMEOUT_SECONDS = 60
RESERVED_NAMES = frozenset({"add", "list", "rm", "conflicts", "resolve", "run"})
"""`carecal sync NAME` cannot tell a target with these names from the subcommands."""


class TargetError(ValueError):
    """A target that cannot be added, found or used as given; names the field."""


@dataclass(frozen=True)
class Target:
    """Where one calendar syncs to."""

    name: str
    url: str
    username: str = ""
    password_source: str = "none"
    """none, keyring, command or env."""
    password_ref: str = ""
    """The command line or environment variable name (empty for keyring and none)."""
    share_consent: bool = False
    allow_http: bool = False
    sync_token: str | None = None
    last_sync_at: datetime | None = None
    last_result: dict | None = None
    id: int | None = None

    @property
    def saved_id(self) -> int:
        """The row id of a target read from the database; the sync state is keyed by it.

        Raises:
            TargetError: the target was never saved (only `get_target`'s targets can sync).
        """
        if self.id is None:
            raise TargetError(f"target {self.name!r}: not saved yet (it has no id); add it first")
        return self.id

    def to_json(self) -> dict:
        """The target as `carecal sync list --json` prints it (no secret: there is none stored)."""
        return {
            "name": self.name,
            "url": self.url,
            "user": self.username or None,
            "password_source": self.password_source,
            "password_ref": self.password_ref or None,
            "share_consent": self.share_consent,
            "allow_http": self.allow_http,
            "last_sync_at": self.last_sync_at.isoformat() if self.last_sync_at else None,
            "last_result": self.last_result or None,
        }


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine (127.0.0.0/8, ::1 or localhost)."""
    host = (host or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, allow_http: bool) -> str | None:
    """Raise TargetError for a URL that cannot be used; returns a warning for allowed plain HTTP."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetError(f"url: {url!r} is not an http(s) URL of a calendar")
    if parts.username or parts.password:
        raise TargetError(
            "url: put the user in --user and the password in the keyring, not in the URL"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        if not allow_http:
            raise TargetError(
                f"url: {url!r} is plain http to another machine; use https "
                "(or --allow-http if you really must)"
            )
        return (
            f"{url} is plain http: the plan and the password cross the network unencrypted; "
            "use https"
        )
    return None


_SELECT = (
    "SELECT id, name, url, username, password_source, password_ref, share_consent, allow_http, "
    "sync_token, last_sync_at, last_result FROM sync_targets"
)


def _row(row) -> Target:
    return Target(
        id=row[0],
        name=row[1],
        url=row[2],
        username=row[3],
        password_source=row[4],
        password_ref=row[5],
        share_consent=bool(row[6]),
        allow_http=bool(row[7]),
        sync_token=row[8],
        last_sync_at=datetime.fromisoformat(row[9]) if row[9] else None,
        last_result=json.loads(row[10]) if row[10] else None,
    )


def list_targets(db) -> list[Target]:
    """Every sync target, by name."""
    return [_row(r) for r in db.execute(_SELECT + " ORDER BY name COLLATE NOCASE").fetchall()]


def get_target(db, name: str) -> Target:
    """A target by name (any case); TargetError when there is none."""
    row = db.execute(_SELECT + " WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    if row is None:
        known = ", ".join(t.name for t in list_targets(db)) or "none yet: carecal sync add NAME URL"
        raise TargetError(f"target: no sync target named {name!r} (known: {known})")
    return _row(row)


def add_target(
    db, target: Target, *, who: str | None = None, now: datetime | None = None
) -> Target:
    """Save a new target after checking its name, URL and password source (the password is not here)."""
    name = " ".join(target.name.split())
    if not name or len(name) > 60 or "/" in name:
        raise TargetError(f"name: {target.name!r} must be 1-60 characters without '/'")
    if name.casefold() in RESERVED_NAMES:
        raise TargetError(f"name: {name!r} is a `carecal sync` subcommand; choose another name")
    check_url(target.url, allow_http=target.allow_http)
    if target.password_source not in PASSWORD_SOURCES:
        raise TargetError(f"password: unknown source {target.password_source!r}")
    if target.password_source == "env" and not target.password_ref.replace("_", "").isalnum():
        raise TargetError(
            f"password-env: {target.password_ref!r} is not an environment variable name"
        )
    if target.password_source == "command" and not shlex.split(target.password_ref or ""):
        raise TargetError("password-command: give the command that prints the password")
    if db.execute("SELECT 1 FROM sync_targets WHERE name = ? COLLATE NOCASE", [name]).fetchone():
        raise TargetError(
            f"name: a sync target named {name!r} already exists (carecal sync rm {name})"
        )
    with db.atomic():
        db.execute(
            "INSERT INTO sync_targets (name, url, username, password_source, password_ref, share_consent, "
            "allow_http, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                name,
                target.url.strip(),
                target.username,
                target.password_source,
                target.password_ref,
                int(target.share_consent),
                int(target.allow_http),
                (now or utcnow()).isoformat(),
            ],
        )
        log_change(
            db, "sync-target-add", "sync", name, target.to_json() | {"name": name}, who=who, at=now
        )
    return get_target(db, name)


def remove_target(db, name: str, *, who: str | None = None) -> Target:
    """Forget a target and its sync state (the server's copy and the local posts stay as they are)."""
    target = get_target(db, name)
    with db.atomic():
        db.execute("DELETE FROM sync_targets WHERE id = ?", [target.id])
        log_change(db, "sync-target-rm", "sync", target.name, {"url": target.url}, who=who)
    if target.password_source == "keyring":
        forget_keyring_password(target)
    return target


def keyring_key(target: Target) -> str:
    """The keyring entry's user name for a target (one entry per target and user)."""
    return f"{target.name}:{target.username}@{urlsplit(target.url).hostname}"


def resolve_password(target: Target, *, environ: dict | None = None) -> str:
    """The target's password from where it is kept; TargetError naming the source when it cannot be had."""
    source = target.password_source
    if source == "none":
        return ""
    if source == "env":
        value = (os.environ if environ is None else environ).get(target.password_ref)
        if not value:
            raise TargetError(f"password-env: ${target.password_ref} is not set")
        return value
    if source == "command":
        return _run_password_command(target.password_ref)
    from calendar_data.sync import credentials

    value = credentials.get_password(KEYRING_SERVICE, keyring_key(target))
    if not value:
        raise TargetError(
            f"password: no password for {target.name!r} in the keyring (carecal sync rm "
            f"{target.name}, then add it again)"
        )
    return value


def _run_password_command(command: str) -> str:
    try:
        argv = shlex.split(command)  # the user's own command, run without a shell
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_SECONDS, check=False
        )  # nosec B603
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise TargetError(f"password-command: cannot run {command!r} ({exc})") from None
    if result.returncode != 0:
        raise TargetError(f"password-command: {command!r} exited {result.returncode}")
    line = result.stdout.split("\n", 1)[0].rstrip("\r")
    if not line:
        raise TargetError(f"password-command: {command!r} printed nothing")
    return line


def store_keyring_password(target: Target, password: str) -> None:
    """Put the password in the platform keyring (TargetError when there is no usable keyring)."""
    from calendar_data.sync import credentials

    credentials.set_password(KEYRING_SERVICE, keyring_key(target), password)


def forget_keyring_password(target: Target) -> None:
    """Remove a target's keyring entry, if any (a missing entry or keyring is not an error)."""
    from calendar_data.sync import credentials

    credentials.delete_password(KEYRING_SERVICE, keyring_key(target))
