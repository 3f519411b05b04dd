"""Which sources count as trusted evidence for one post: the team's list plus its observance's own site.

A post written for World Kidney Day cites the organiser's page that carecal
itself pre-filled from awareness_days.yaml (https://www.worldkidneyday.org/);
refusing it as "untrusted" would teach teams to ignore the check. So the host
of a linked observance's `source` (without ``www.``) joins the trusted domains
for posts linked to that observance, and for no other post. The organiser's
site is trusted for its own observance; it is not added to the team's list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from calendar_data.awareness import ObservanceError, load_observances
from calendar_data.models import Observance, Post


def source_domain(url: str) -> str | None:
    """The host of an observance's source URL, without a leading ``www.`` (None if it has none)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if host.startswith("www."):
        host = host[4:]
    return host if "." in host else None


def observance_sources(observances: Iterable[Observance]) -> dict[str, str]:
    """Observance id to its source URL, for the observances that name one."""
    return {o.id: o.source for o in observances if o.source}


def curated_sources() -> dict[str, str]:
    """The curated list's source URLs by observance id (empty if the list cannot be read)."""
    try:
        return observance_sources(load_observances())
    except (ObservanceError, OSError):
        return {}


def curated_source(observance_id: str | None) -> str | None:
    """The curated list's source URL for an observance id (None when unknown or unlinked)."""
    return curated_sources().get(observance_id) if observance_id else None


def trusted_domains(
    post: Post, trusted: tuple[str, ...], observance_source: str | None
) -> tuple[str, ...]:
    """The team's trusted domains plus, for a post linked to an observance, that observance's site.

    Args:
        post: The post being checked.
        trusted: The team's trusted domains (settings.trusted_domains).
        observance_source: The linked observance's source URL; None looks it up in
            the curated list (the database-aware callers pass custom observances' too).
    """
    if not post.observance_id:
        return trusted
    url = observance_source if observance_source is not None else curated_source(post.observance_id)
    domain = source_domain(url or "")
    return (*trusted, domain) if domain else trusted


def stored_observance_sources(db) -> dict[str, str]:
    """Every observance's source URL by id: the curated list's and the organisation's own.

    Read here rather than through `observances` (checks never import the nouns): only the
    id and source of each stored observance are needed, to trust its site as evidence.
    """
    sources = dict(curated_sources())
    for (data,) in db.execute("SELECT data FROM custom_observances").fetchall():
        entry = json.loads(data)
        if isinstance(entry, dict) and entry.get("id") and entry.get("source"):
            sources[str(entry["id"])] = str(entry["source"])
    return sources
