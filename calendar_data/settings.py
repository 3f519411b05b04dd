"""Team settings and the one place that resolves carecal's paths.

Settings live in the database (the team shares one calendar file, so it shares
its country, time zone and allowed public numbers); a per-user `config.toml`
in the platformdirs config dir may name a default database and the user's name.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from calendar_data.models import REGIONS

APP_NAME = "carecal"

DEFAULT_TRUSTED_DOMAINS: tuple[str, ...] = (
    ".gov", "who.int", "nih.gov", "cdc.gov", "nhs.uk", "gov.uk", "canada.ca", "health.gov.au",
    "nejm.org", "thelancet.com", "jamanetwork.com", "bmj.com", "nature.com", "cochrane.org",
    "heart.org", "cancer.org", "mayoclinic.org",
)


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

    def validated(self) -> Settings:
        """Self, after checking each value; raises SettingsError naming the field."""
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"timezone: unknown time zone {self.timezone!r}") from None
        bad = [r for r in self.regions if r not in REGIONS]
        if bad:
            raise SettingsError(f"regions: unknown region {bad[0]!r} (use {', '.join(REGIONS)})")
        if not 0 <= self.first_weekday <= 6:
            raise SettingsError("first_weekday: must be 0 (Monday) to 6 (Sunday)")
        return self

    def to_json(self) -> dict:
        """A JSON-ready dict (tuples become lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> Settings:
        """Settings from stored JSON; unknown keys (from a newer carecal) are ignored."""
        known = {f.name: f for f in fields(cls)}
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
        return replace(cls(), **values)


def data_dir() -> Path:
    """Where the default database and backups live."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Where the per-user config.toml lives."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_config() -> dict:
    """The per-user config.toml as a dict (empty when there is none)."""
    path = config_dir() / "config.toml"
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: {exc}") from None


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
