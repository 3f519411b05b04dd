"""The `--json` contract: the one shape of each row the CLI prints, one function per noun.

Every command that prints posts, observances, campaigns, tags or a consent as JSON
builds its rows here, so `carecal posts list --json` and `carecal posts show --json`
(or `upcoming` and `observances`) can never drift apart. Dates are ISO strings;
enumerations their values; private notes only when asked for.
"""

from __future__ import annotations

from calendar_data.models import Campaign, Consent, Occurrence, Post
from calendar_data.rule_words import describe
from calendar_data.tags import TagInfo


def post_row(post: Post, *, include_private: bool = False) -> dict:
    """A post (ISO dates; private notes only with `include_private`)."""
    data = {
        "id": post.id,
        "title": post.title,
        "date": post.day.isoformat(),
        "time": post.time.isoformat(timespec="minutes") if post.time else None,
        "time_fold": post.time.fold if post.time else 0,
        "status": post.status.value,
        "content_type": post.content_type.value if post.content_type else None,
        "channels": [c.value for c in post.channels],
        "tags": list(post.tags),
        "hashtags": list(post.all_hashtags),
        "campaign": post.campaign,
        "observance_id": post.observance_id,
        "owner": post.owner,
        "body": post.body,
        "assets": list(post.assets),
        "sources": list(post.sources),
        "features_patient": post.features_patient,
        "has_consent": post.consent is not None,
        "created_at": post.created_at.isoformat() if post.created_at else None,
        "updated_at": post.updated_at.isoformat() if post.updated_at else None,
        "sequence": post.sequence,
        "variants": {c.value: text for c, text in post.variants},
        "duration_minutes": post.duration_minutes,
    }
    if include_private:
        data["private_notes"] = post.private_notes
    return data


def occurrence_row(occurrence: Occurrence) -> dict:
    """One occurrence of an observance: the observance's facts and this occurrence's dates."""
    obs = occurrence.observance
    return {
        "id": obs.id,
        "name": obs.name,
        "kind": str(obs.kind),
        "start": occurrence.start.isoformat(),
        "end": occurrence.end.isoformat(),
        "hashtags": list(occurrence.hashtags),
        "category": obs.category,
        "regions": list(obs.regions),
        "organisation": obs.organisation,
        "source": obs.source,
        "rule": describe(obs.rule),
        "custom": obs.custom,
        "staff_recognition": obs.staff_recognition,
        "rule_dates": [d.isoformat() for d in occurrence.rule_dates]
        if occurrence.rule_dates
        else None,
    }


def campaign_row(campaign: Campaign, *, posts: int) -> dict:
    """A campaign with how many posts it holds."""
    return {
        "name": campaign.name,
        "start": campaign.start.isoformat() if campaign.start else None,
        "end": campaign.end.isoformat() if campaign.end else None,
        "goal": campaign.goal,
        "colour": campaign.colour,
        "tags": list(campaign.tags),
        "archived": campaign.archived,
        "posts": posts,
    }


def tag_row(tag: TagInfo) -> dict:
    """A tag with its post count and colour."""
    return {"name": tag.name, "posts": tag.count, "colour": tag.colour}


def consent_row(post_id: int, consent: Consent) -> dict:
    """The consent on file for a post (kept in the calendar only: never exported to iCal)."""
    return {
        "post_id": post_id,
        "form_ref": consent.form_ref,
        "signed": consent.signed_on.isoformat(),
        "expires": consent.expires_on.isoformat() if consent.expires_on else None,
        "channels": [str(c) for c in consent.channels],
        "media": list(consent.media),
        "recorded_by": consent.recorded_by,
    }
