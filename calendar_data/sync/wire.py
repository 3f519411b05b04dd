"""What a post looks like on the server: the one place that decides which fields leave the machine.

A post becomes a "wire" dict of plain JSON values; the same dict is hashed to
tell whether anything changed since the last sync, kept as the base for
three-way comparisons, and written into a VEVENT by `vevent`. Private notes
are never in it. Each channel's own copy ("variants") is in it only when the
post has some (`OPTIONAL_FIELDS`), so a post without variants has the same wire
dict, and hash, as before they travelled. Consent travels as what another teammate's approval gate
needs (on file or not, channels, media, expiry); the form reference, the
signed date and who recorded it travel only to a target marked
`share_consent`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date, time
from typing import Any

from calendar_data.models import Channel, Consent, ContentType, Post, Status

POST_FIELDS: tuple[str, ...] = (
    "title",
    "date",
    "time",
    "body",
    "status",
    "content_type",
    "channels",
    "tags",
    "hashtags",
    "campaign",
    "observance_id",
    "owner",
    "assets",
    "sources",
    "features_patient",
    "consent",
    "variants",
)
"""Every field of a post that goes to the server, in display order (docs/team.md lists them)."""
OPTIONAL_FIELDS: tuple[str, ...] = ("variants",)
"""Fields left out of a wire dict when empty (absent and empty mean the same)."""

CONSENT_SUMMARY: tuple[str, ...] = ("on_file", "channels", "media", "expires_on")
"""What the server carries about consent for any target: enough for a teammate's approval gate."""
CONSENT_SHARED: tuple[str, ...] = ("form_ref", "signed_on", "recorded_by")
"""Added only for a target marked --share-consent."""

PLACEHOLDER_PREFIX = "sync:"
"""`recorded_by` of a consent written from a teammate's summary (the real form stays with them)."""


def consent_wire(consent: Consent | None, *, share: bool) -> dict | None:
    """The consent as the server may carry it (None when there is none on file)."""
    if consent is None:
        return None
    data = {
        "on_file": True,
        "channels": sorted(str(c) for c in consent.channels),
        "media": sorted(consent.media),
        "expires_on": consent.expires_on.isoformat() if consent.expires_on else None,
    }
    if share and not consent.recorded_by.startswith(PLACEHOLDER_PREFIX):
        data |= {
            "form_ref": consent.form_ref,
            "signed_on": consent.signed_on.isoformat(),
            "recorded_by": consent.recorded_by,
        }
    return data


def post_wire(post: Post, *, share_consent: bool) -> dict:
    """The post as it goes to the server (never its private notes)."""
    return {
        "title": post.title,
        "date": post.day.isoformat(),
        "time": post.time.strftime("%H:%M") if post.time else None,
        "body": post.body,
        "status": str(post.status),
        "content_type": str(post.content_type) if post.content_type else None,
        "channels": sorted(str(c) for c in post.channels),
        "tags": sorted(post.tags, key=str.casefold),
        "hashtags": list(post.hashtags),
        "campaign": post.campaign,
        "observance_id": post.observance_id,
        "owner": post.owner,
        "assets": list(post.assets),
        "sources": list(post.sources),
        "features_patient": bool(post.features_patient),
        "consent": consent_wire(post.consent, share=share_consent),
    } | _variants_wire(post.variants)


def _variants_wire(variants) -> dict:
    """{"variants": {channel: copy}} when the post has per-channel copy, else nothing."""
    return {"variants": {str(c): text for c, text in variants}} if variants else {}


def wire_hash(data: dict) -> str:
    """A stable digest of a wire dict: equal content, equal hash (key order does not matter)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def tidy_wire(data: dict, base: dict | None = None) -> dict:
    """A wire dict read from a server, with every field present and of the right type.

    Fields the event did not carry (a calendar client that drops X- properties)
    keep the value of `base`, the last synced version, so such an edit changes
    only what the client showed. Raises ValueError naming a bad field.
    """
    base = base or {}
    out: dict[str, Any] = {}  # a wire dict: JSON values of several types, one per field
    for key in POST_FIELDS:
        value = data[key] if key in data else base.get(key)
        out[key] = value
    out["title"] = str(out["title"] or "").strip()
    if not out["title"]:
        raise ValueError("SUMMARY: the event has no title")
    date.fromisoformat(str(out["date"]))
    if out["time"] is not None:
        out["time"] = time.fromisoformat(str(out["time"])).strftime("%H:%M")
    out["body"] = str(out["body"] or "")
    out["status"] = str(Status(out["status"] or Status.IDEA))
    out["content_type"] = str(ContentType(out["content_type"])) if out["content_type"] else None
    out["channels"] = sorted({str(Channel(c)) for c in out["channels"] or ()})
    for key in ("tags", "hashtags", "assets", "sources"):
        out[key] = [str(v) for v in out[key] or ()]
    out["tags"] = sorted(dict.fromkeys(out["tags"]), key=str.casefold)
    for key in ("campaign", "observance_id"):
        out[key] = str(out[key]) if out[key] else None
    out["owner"] = str(out["owner"] or "")
    out["features_patient"] = bool(out["features_patient"])
    out["consent"] = _tidy_consent(out["consent"])
    out["variants"] = _tidy_variants(out["variants"], out["channels"], out["body"])
    return {k: v for k, v in out.items() if v or k not in OPTIONAL_FIELDS}


def _tidy_variants(value, channels: list[str], body: str) -> dict:
    """Per-channel copy as `posts` keeps it: text, for the post's own channels, unlike the body."""
    if not isinstance(value, dict):
        return {}
    found = {str(Channel(str(c).strip().lower())): str(t) for c, t in value.items() if t}
    keep = {
        c: t for c, t in found.items() if c in channels and t.strip() and t.strip() != body.strip()
    }
    return dict(sorted(keep.items()))


def _tidy_consent(value) -> dict | None:
    if not value or not isinstance(value, dict) or not value.get("on_file"):
        return None
    data = {
        "on_file": True,
        "channels": sorted(str(Channel(c)) for c in value.get("channels") or ()),
        "media": sorted(str(m) for m in value.get("media") or ()),
        "expires_on": date.fromisoformat(value["expires_on"]).isoformat()
        if value.get("expires_on")
        else None,
    }
    if value.get("form_ref"):
        data["form_ref"] = str(value["form_ref"])
        data["signed_on"] = date.fromisoformat(str(value["signed_on"])).isoformat()
        data["recorded_by"] = str(value.get("recorded_by") or "")
    return data


def post_from_wire(data: dict, local: Post | None) -> Post:
    """A Post carrying the server's version, keeping what never travels (id, private notes) from `local`."""
    post = local or Post(title=data["title"], day=date.fromisoformat(data["date"]))
    return replace(
        post,
        title=data["title"],
        day=date.fromisoformat(data["date"]),
        time=time.fromisoformat(data["time"]) if data["time"] else None,
        body=data["body"],
        status=Status(data["status"]),
        content_type=ContentType(data["content_type"]) if data["content_type"] else None,
        channels=tuple(Channel(c) for c in data["channels"]),
        tags=tuple(data["tags"]),
        hashtags=tuple(data["hashtags"]),
        campaign=data["campaign"],
        observance_id=data["observance_id"],
        owner=data["owner"],
        assets=tuple(data["assets"]),
        sources=tuple(data["sources"]),
        features_patient=data["features_patient"],
        variants=tuple((Channel(c), t) for c, t in (data.get("variants") or {}).items()),
    )


def consent_from_wire(
    data: dict | None, local: Consent | None, *, target: str, today: date
) -> Consent | None:
    """The consent record the server's summary means on this machine.

    A summary without a form reference keeps the local form reference and
    signed date when there is one; otherwise it becomes a placeholder record
    (recorded by `sync:TARGET`) that tells the gate consent is on file with a
    teammate, within the channels, media and expiry they recorded.
    """
    if data is None:
        return None
    expires = date.fromisoformat(data["expires_on"]) if data.get("expires_on") else None
    channels = tuple(Channel(c) for c in data["channels"])
    media = tuple(data["media"])
    if data.get("form_ref"):
        return Consent(
            form_ref=data["form_ref"],
            signed_on=date.fromisoformat(data["signed_on"]),
            expires_on=expires,
            channels=channels,
            media=media,
            recorded_by=data.get("recorded_by") or f"{PLACEHOLDER_PREFIX}{target}",
        )
    if local is not None:
        return replace(local, expires_on=expires, channels=channels, media=media)
    signed = min(today, expires) if expires else today
    return Consent(
        form_ref=f"on file with a teammate (target {target}; reference not shared)",
        signed_on=signed,
        expires_on=expires,
        channels=channels,
        media=media,
        recorded_by=f"{PLACEHOLDER_PREFIX}{target}",
    )


def differing_fields(a: dict | None, b: dict | None) -> list[str]:
    """The post fields whose values differ between two wire dicts (all of them if one is missing)."""
    if a is None or b is None:
        return list(POST_FIELDS)
    return [k for k in POST_FIELDS if (a.get(k) or None) != (b.get(k) or None)]
