"""Compliance checks run before a post may be approved: PHI, consent, evidence, channel limits.

`check_post` is pure: it takes a post, the team's settings, today's date and the
reviewer overrides, and returns findings. Blocking findings stop a move to
approved, scheduled or published (see `checks.approval`); the rest are
warnings. The same findings feed `carecal check`, the editor's compliance panel
and the calendar's needs-attention mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from calendar_data.checks.channel_rules import CHANNEL_LIMITS, limit_problems
from calendar_data.checks.evidence_sources import trusted_domains
from calendar_data.checks.overrides import Override
from calendar_data.checks.phi import PhiAllowList, scan_fields
from calendar_data.checks.phi_phones import phone_regions
from calendar_data.models import Channel, ContentType, Post
from calendar_data.settings import Settings

EVIDENCE_TYPES = frozenset(
    {ContentType.EDUCATIONAL, ContentType.MYTH_BUSTING, ContentType.CRISIS_UPDATE}
)
"""Content types that must cite a source, one of them trusted, before approval."""

_IMAGE = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".tif", ".tiff"}
_VIDEO = {".mp4", ".mov", ".m4v", ".avi", ".webm", ".mkv"}
_AUDIO = {".mp3", ".wav", ".m4a", ".aac", ".ogg"}
_VIDEO_CHANNELS = frozenset({Channel.YOUTUBE, Channel.TIKTOK})

_HEALTH = (
    r"risk|chances?|odds|surviv\w*|mortality|deaths?|die|dying|cases|infections?|effective\w*"
    r"|heart|cancers?|strokes?|diabet\w*|disease|illness|hospitali[sz]\w*|symptoms?|obes\w*"
    r"|blood\s+pressure|cholesterol|vaccin\w*|flu|covid\w*|injur\w*|overdoses?|dementia|asthma"
)
CLAIM_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"\b(?:reduc|lower|cut|decreas|halv|slash)\w*\s+(?:(?:the|your|their|our|a)\s+)?"
        r"(?:\w+\s+){0,2}risks?\b",
        re.I,
    ),
    re.compile(r"\b(?:prevents?|prevented|cures?|cured|reverses?)\b", re.I),
    re.compile(
        r"\b(?:studies|(?:a\s+)?study|research|science|data|evidence|trials?)\s+"
        r"(?:shows?|showed|proves?|proved|finds?|found|confirms?|suggests?)\b",
        re.I,
    ),
    re.compile(r"\b(?:clinically\s+)?proven\s+to\b|\bboosts?\s+(?:your\s+)?immun\w*", re.I),
)
"""Words that make a health claim; a claim with no source gets a (non-blocking) warning."""
_STAT = re.compile(r"\b\d{1,3}(?:\.\d+)?\s?(?:%|percent\b|per\s+cent\b)|\b\d+\s+in\s+\d+\b", re.I)
_HEALTH_NEAR = re.compile(rf"\b(?:{_HEALTH})\b", re.I)
_NEAR = 60


@dataclass(frozen=True)
class Finding:
    """One problem (or warning) with one field of one post.

    `type` groups findings (phi, consent, evidence, claim, channel); `kind` is
    the specific rule; `span` is (start, end) in `field`'s text when the
    finding points at words in it.
    """

    type: str
    kind: str
    field: str
    message: str
    blocking: bool
    post_id: int | None = None
    span: tuple[int, int] | None = None
    text: str = ""
    override: Override | None = None

    @property
    def key(self) -> str:
        """What an override names: kind and matched text for PHI, else type, kind and field."""
        return (
            f"{self.kind}:{self.text}"
            if self.type == "phi"
            else f"{self.type}:{self.kind}:{self.field}"
        )

    @property
    def overridable(self) -> bool:
        """Only PHI findings may be accepted by a reviewer (with a recorded reason)."""
        return self.type == "phi"

    def to_json(self) -> dict:
        """The finding as `carecal check --json` prints it."""
        return {
            "post_id": self.post_id,
            "field": self.field,
            "type": self.type,
            "kind": self.kind,
            "span": list(self.span) if self.span else None,
            "text": self.text or None,
            "message": self.message,
            "blocking": self.blocking,
            "key": self.key,
            "overridden": None
            if self.override is None
            else {
                "reason": self.override.reason,
                "who": self.override.who,
                "at": self.override.at.isoformat(),
            },
        }


def check_post(
    post: Post,
    settings: Settings,
    *,
    today: date,
    overrides: Iterable[Override] = (),
    observance_source: str | None = None,
) -> list[Finding]:
    """Every finding for `post`, blocking ones first within each group, in field order.

    `observance_source` is the linked observance's source URL (trusted as evidence for
    this post); None looks the observance up in the curated list.
    """
    findings = [
        *_phi(post, settings, {o.key: o for o in overrides}),
        *_consent(post, today),
        *_evidence(post, settings, observance_source),
        *_claims(post),
        *_channels(post),
    ]
    return findings


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that stop approval (overridden ones never do)."""
    return [f for f in findings if f.blocking]


def reasons(findings: Iterable[Finding]) -> list[str]:
    """One line per blocking finding, for refusals ("body: ...")."""
    return [f"{f.field}: {f.message}" for f in blocking(findings)]


def needs_attention(findings: Iterable[Finding]) -> bool:
    """Whether the calendar should mark the post (anything blocking or warned)."""
    return any(f.blocking or f.override is None for f in findings)


# --- checks --------------------------------------------------------------------------


def _phi(post: Post, settings: Settings, overrides: dict[str, Override]) -> list[Finding]:
    allow = PhiAllowList(
        phones=settings.allowed_phones,
        addresses=settings.allowed_addresses,
        domains=settings.allowed_domains,
    )
    fields = {"title": post.title, "body": post.body}
    fields.update({f"body[{channel}]": text for channel, text in post.variants})
    fields.update({f"assets[{i}]": asset for i, asset in enumerate(post.assets)})
    found = scan_fields(
        fields,
        allow=allow,
        features_patient=features_patient(post),
        has_consent=post.consent is not None,
        phone_regions=phone_regions(settings.country, settings.regions),
    )
    findings = []
    for hit in found:
        override = overrides.get(f"{hit.kind}:{hit.text}")
        label = hit.kind.replace("-", " ")
        message = f"possible {label} {hit.text!r}: {hit.why}"
        if override:
            message += f" (overridden by {override.who}: {override.reason})"
        findings.append(
            Finding(
                "phi",
                hit.kind,
                hit.field,
                message,
                override is None,
                post.id,
                (hit.start, hit.end),
                hit.text,
                override,
            )
        )
    return findings


def features_patient(post: Post) -> bool:
    """Whether the post tells a patient's story: marked so, or of the patient-story type.

    The one test every door uses (the editor ticks its box from it, an import sets the
    mark from it, the consent check requires consent by it), so a patient story whose
    mark was lost on the way (an .ics file does not carry it) still needs consent.
    """
    return post.features_patient or post.content_type is ContentType.PATIENT_STORY


def _consent(post: Post, today: date) -> list[Finding]:
    def block(kind: str, message: str) -> Finding:
        return Finding("consent", kind, "consent", message, True, post.id)

    if not features_patient(post):
        return []
    consent = post.consent
    if consent is None:
        return [
            block(
                "missing",
                "features a patient but no consent is on file "
                f"(record it: carecal consent add {post.id or 'ID'} --form REF ...)",
            )
        ]
    findings = []
    needed = max(today, post.day)
    if consent.signed_on > today:
        findings.append(
            block("not-signed", f"the consent on file is dated {consent.signed_on}, in the future")
        )
    if consent.expires_on is None:
        findings.append(block("no-expiry", "the consent on file has no expiry date"))
    elif consent.expires_on < today:
        findings.append(block("expired", f"consent on file expired on {consent.expires_on}"))
    elif consent.expires_on < needed:
        findings.append(
            block(
                "expires-before-post",
                f"consent on file expires on {consent.expires_on}, before the post date {post.day}",
            )
        )
    outside = [c for c in post.channels if c not in consent.channels]
    if outside:
        names = ", ".join(CHANNEL_LIMITS[c].name for c in outside)
        allowed = ", ".join(CHANNEL_LIMITS[c].name for c in consent.channels) or "no channels"
        findings.append(
            block("channel-scope", f"consent on file does not cover {names} (it allows {allowed})")
        )
    used = post_media(post)
    missing = [m for m in used if m not in consent.media]
    if missing:
        allowed = ", ".join(consent.media) or "no media"
        findings.append(
            block(
                "media-scope",
                f"consent on file does not cover {', '.join(missing)} (it allows {allowed})",
            )
        )
    return findings


def post_media(post: Post) -> list[str]:
    """The media a post evidently uses: from its asset file types and video-only channels."""
    used: list[str] = []
    for asset in post.assets:
        suffix = PurePosixPath(urlsplit(asset).path).suffix.lower()
        kind = (
            "photo"
            if suffix in _IMAGE
            else "video"
            if suffix in _VIDEO
            else "audio"
            if suffix in _AUDIO
            else None
        )
        if kind and kind not in used:
            used.append(kind)
    if any(c in _VIDEO_CHANNELS for c in post.channels) and "video" not in used:
        used.append("video")
    return used


def is_trusted(url: str, trusted: Iterable[str]) -> bool:
    """Whether the URL's host is a trusted domain (".gov" matches any .gov host)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    for domain in trusted:
        domain = domain.strip().lower()
        if not domain:
            continue
        if domain.startswith("."):
            if host.endswith(domain):
                return True
        elif host == domain or host.endswith("." + domain):
            return True
    return False


def _evidence(post: Post, settings: Settings, observance_source: str | None) -> list[Finding]:
    if post.content_type not in EVIDENCE_TYPES:
        return []
    kind = str(post.content_type).replace("-", " ")
    if not post.sources:
        return [
            Finding(
                "evidence",
                "no-source",
                "sources",
                f"{kind} posts need at least one source URL",
                True,
                post.id,
            )
        ]
    trusted = trusted_domains(post, settings.trusted_domains, observance_source)
    if not any(is_trusted(url, trusted) for url in post.sources):
        own = trusted[len(settings.trusted_domains) :]
        also = f", or the observance's own site {own[0]}" if own else ""
        return [
            Finding(
                "evidence",
                "untrusted",
                "sources",
                f"{kind} posts need a source from a trusted domain (e.g. cdc.gov, who.int, "
                f"nhs.uk or a major journal{also}); add one or ask an admin to trust the domain",
                True,
                post.id,
            )
        ]
    return []


def _claims(post: Post) -> list[Finding]:
    if post.sources:
        return []
    findings = []
    texts = (
        ("title", post.title),
        ("body", post.body),
        *((f"body[{c}]", t) for c, t in post.variants),
    )
    for name, text in texts:
        for start, end in claim_spans(text or ""):
            findings.append(
                Finding(
                    "claim",
                    "unsourced-claim",
                    name,
                    f"{text[start:end]!r} reads as a health claim; add a source URL",
                    False,
                    post.id,
                    (start, end),
                    text[start:end],
                )
            )
    return findings


def claim_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` makes a health claim: claim words, or a statistic near a health word."""
    spans = [m.span() for pattern in CLAIM_PATTERNS for m in pattern.finditer(text)]
    for match in _STAT.finditer(text):
        window = text[max(0, match.start() - _NEAR) : match.end() + _NEAR]
        if _HEALTH_NEAR.search(window):
            spans.append(match.span())
    kept: list[tuple[int, int]] = []
    for span in sorted(set(spans)):
        if kept and span[0] < kept[-1][1]:
            kept[-1] = (kept[-1][0], max(kept[-1][1], span[1]))
        else:
            kept.append(span)
    return kept


def _channels(post: Post) -> list[Finding]:
    return [
        Finding("channel", str(p.channel), p.where, p.message, True, post.id)
        for p in limit_problems(post.title, post.body, post.hashtags, post.channels, post.variants)
    ]
