"""Team settings and the one place that resolves carecal's paths.

Settings live in the database (the team shares one calendar file, so it shares
its country, time zone and allowed public numbers); a per-user `config.toml`
in the platformdirs config dir may name a default database and the user's name.
"""

from __future__ import annotations

import getpass
import json
import os
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from calendar_data.models import REGIONS

APP_NAME = "carecal"

DEFAULT_TRUSTED_DOMAINS: tuple[str, ...] = (
    ".gov",
    "who.int",
    "nih.gov",
    "cdc.gov",
    "nhs.uk",
    "gov.uk",
    "canada.ca",
    "health.gov.au",
    "nejm.org",
    "thelancet.com",
    "jamanetwork.com",
    "bmj.com",
    "nature.com",
    "cochrane.org",
    "heart.org",
    "cancer.org",
    "mayoclinic.org",
)


EXPORT_OWNER = ("name", "none")
"""`export_owner` values: the owner's name without any e-mail address, or nothing at all."""


class SettingsError(ValueError):
    """A setting with a value carecal cannot use; names the setting."""


@dataclass(frozen=True)
class Settings:
    """What a team configures once; every field has a working default."""

    country: str = "US"
    """ISO country code for public holidays."""
    subdivision: str | None = None
    """State or province code for regional holidays, e.g. "NY"."""
    timezone: str = "America/New_York"
    """IANA zone that post times are written in; exports carry it as TZID."""
    regions: tuple[str, ...] = ("global", "US")
    """Observance regions shown in calendars and lists."""
    org_hashtags: tuple[str, ...] = ()
    """The organisation's own hashtags, suggested on every post."""
    allowed_phones: tuple[str, ...] = ()
    """Public phone numbers the PHI check must not flag."""
    allowed_addresses: tuple[str, ...] = ()
    """Public street addresses the PHI check must not flag."""
    allowed_domains: tuple[str, ...] = ()
    """The organisation's web and email domains."""
    trusted_domains: tuple[str, ...] = DEFAULT_TRUSTED_DOMAINS
    """Evidence sources accepted for health claims."""
    first_weekday: int = 6
    """First column of the month grid: 0 Monday ... 6 Sunday (US calendars start on Sunday)."""
    backups_kept: int = 7
    """Daily backups kept beside the database (the app makes one a day on start); 0 turns them off."""
    approvers: tuple[str, ...] = ()
    """Who may move a post into approved or later (names as the change log records them); empty: anyone."""
    approver_not_author: bool = False
    """Refuse an approval of a patient story or a health claim by the person who wrote the post."""
    export_owner: str = "name"
    """What exports and feeds say about a post's owner: "name" (e-mail addresses removed) or "none"."""

    def validated(self) -> Settings:
        """Self, after checking each value; raises SettingsError naming the field."""
        if not isinstance(self.timezone, str) or not self.timezone.strip():
            raise SettingsError(
                "timezone: give an IANA time zone such as America/New_York or Europe/London"
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "America"
            raise SettingsError(
                f"timezone: unknown time zone {self.timezone!r} "
                "(use an IANA name such as America/Chicago)"
            ) from None
        if not isinstance(self.country, str) or not self.country.strip():
            raise SettingsError("country: give a country code such as US, GB, CA, AU, NZ or IE")
        bad = [r for r in self.regions if r not in REGIONS]
        if bad:
            raise SettingsError(f"regions: unknown region {bad[0]!r} (use {', '.join(REGIONS)})")
        if not 0 <= self.first_weekday <= 6:
            raise SettingsError("first_weekday: must be 0 (Monday) to 6 (Sunday)")
        kept = self.backups_kept
        if (
            isinstance(kept, str) and kept.strip().isdigit()
        ):  # `carecal settings set backups_kept 14`
            kept = int(kept)
        if not isinstance(kept, int) or isinstance(kept, bool) or not 0 <= kept <= 366:
            raise SettingsError(
                f"backups_kept: must be a whole number from 0 (none) to 366, got {kept!r}"
            )
        approvers = tuple(
            dict.fromkeys(" ".join(str(a).split()) for a in self.approvers if str(a).strip())
        )
        not_author = self.approver_not_author
        if isinstance(not_author, str) and not_author.strip().lower() in (
            "true",
            "false",
            "yes",
            "no",
            "1",
            "0",
        ):
            not_author = not_author.strip().lower() in ("true", "yes", "1")
        if not isinstance(not_author, bool):
            raise SettingsError(f"approver_not_author: must be true or false, got {not_author!r}")
        if self.export_owner not in EXPORT_OWNER:
            raise SettingsError(
                f"export_owner: must be one of {', '.join(EXPORT_OWNER)}, got {self.export_owner!r}"
            )
        return replace(self, backups_kept=kept, approvers=approvers, approver_not_author=not_author)

    def to_json(self) -> dict:
        """A JSON-ready dict (tuples become lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> Settings:
        """Settings from stored JSON; unknown keys (from a newer carecal) are ignored."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known
        }
        return replace(cls(), **values)


def make_private_dirs(folder: Path) -> None:
    """Create `folder` and any missing parents with mode 0700 (the umask cannot widen them)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(part, 0o700)


def data_dir() -> Path:
    """Where the default database and backups live."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Where the per-user config.toml lives."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Where carecal keeps what it can recompute (computed public holidays); safe to delete."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


CONFIG_KEYS: dict[str, str] = {
    "db": "the calendar database file to open by default",
    "user": "the name the change log records for you",
    "theme": "the app's colour theme (else the one last chosen in the app is used)",
    "keys": 'a table of binding id = key(s) that remaps the app\'s keys, e.g. "post.move" = "ctrl+m"',
    "sync_every": "minutes between syncs while the app is open (a whole number; 0 or absent: only on S)",
}
"""Every key config.toml may hold, with what it means (anything else is refused, naming the key)."""


def user_config() -> dict:
    """The per-user config.toml as a dict (empty when there is none).

    Raises:
        SettingsError: naming the file (and line, or key) of anything it cannot use.
    """
    path = config_dir() / "config.toml"
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(f"{path}: {exc.strerror}") from None
    # every write asks who is writing: parse the file once per version of it
    return dict(_read_config(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _read_config(path_text: str, _mtime: int, _size: int) -> dict:
    path = Path(path_text)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise SettingsError(f"{path}: {' '.join(str(reason).split())}") from None
    for key, value in data.items():
        if key not in CONFIG_KEYS:
            raise SettingsError(f"{path}: unknown key {key!r} (known: {', '.join(CONFIG_KEYS)})")
        if key == "keys":
            _check_keys(path, value)
            continue
        if key == "sync_every":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 24 * 60:
                raise SettingsError(
                    f"{path}: key 'sync_every' must be whole minutes from 0 to 1440, "
                    f"got {repr(value)[:60]}"
                )
            continue
        if not isinstance(value, str) or not value.strip() or "\0" in value:
            raise SettingsError(
                f"{path}: key {key!r} must be a non-empty string, got {repr(value)[:60]}"
            )
    return data


def _check_keys(path: Path, table: object) -> None:
    """The [keys] table: binding ids (checked against the app's by the app) to key strings."""
    if not isinstance(table, dict):
        raise SettingsError(
            f'{path}: \'keys\' must be a table, e.g. [keys] then "post.move" = "ctrl+m"'
        )
    for binding_id, keys in table.items():
        if (
            not isinstance(keys, str)
            or not keys.strip()
            or any(not k.strip() for k in keys.split(","))
        ):
            raise SettingsError(
                f'{path}: [keys] {binding_id!r} must be keys like "ctrl+m" or "m,ctrl+m", '
                f"got {repr(keys)[:40]}"
            )


UI_STATE_FILE = "ui-state.json"
"""What the app remembers between sessions (the chosen theme), beside config.toml."""


def load_ui_state(directory: Path | None = None) -> dict:
    """The remembered app state; {} when there is none or it is unreadable (it is only a memory)."""
    path = (directory or config_dir()) / UI_STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_ui_state(changes: dict, directory: Path | None = None) -> None:
    """Merge `changes` into the remembered state, written whole or not at all (temp file, then rename)."""
    folder = directory or config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = load_ui_state(folder) | changes
    temp = folder / f".{UI_STATE_FILE}.tmp"
    temp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    os.replace(temp, folder / UI_STATE_FILE)


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database to open: --db, then $CARECAL_DB, then config.toml `db`, then the data dir."""
    chosen = explicit or os.environ.get("CARECAL_DB") or user_config().get("db")
    if chosen:
        return Path(chosen).expanduser()
    return data_dir() / "carecal.db"


def current_user() -> str:
    """Who the change log records: config.toml `user`, else the OS login name."""
    configured = user_config().get("user")
    if configured:
        return str(configured)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return "unknown"
