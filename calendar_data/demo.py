"""A realistic quarter of a hospital's social plans, so a first look shows a living calendar.

The demo is built from the real observances of the chosen quarter: campaigns
for the biggest ones, posts on their days across channels and statuses, plus
the evergreen work of a comms team (flu clinics, recruitment, shout-outs,
patient stories with and without consent on file). It is deterministic for a
given start date. A few posts deliberately carry problems (a patient story
with no consent, a phone number in the copy, a health claim with no source)
so the compliance checks have something real to find; the step
challenge makes a health claim without a source (a warning, not a block).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from calendar_data.agenda import observance_occurrences
from calendar_data.campaigns import add_campaign
from calendar_data.consent import record_consent
from calendar_data.models import (
    Campaign,
    Channel,
    Consent,
    ContentType,
    Kind,
    Occurrence,
    Post,
    Status,
)
from calendar_data.posts import add_post
from calendar_data.storage.changelog import log_change
from calendar_data.tags import list_tags

ORG_TAG = "#RiversideHealth"
DEMO_USER = "demo"

_C = Channel
_T = ContentType

OBSERVANCE_POSTS = (
    (
        _T.EDUCATIONAL,
        "{name}: know the signs",
        "It's {name}. Our specialists share three signs you shouldn't ignore, and when to call your doctor. {tags} {org}",
        (_C.FACEBOOK, _C.INSTAGRAM, _C.LINKEDIN),
        ("https://www.cdc.gov/", "https://medlineplus.gov/"),
    ),
    (
        _T.INFOGRAPHIC,
        "{name} by the numbers",
        "{name} by the numbers: what the latest data says and what you can do this week. Swipe through. {tags}",
        (_C.INSTAGRAM, _C.X, _C.THREADS),
        ("https://www.who.int/",),
    ),
    (
        _T.MYTH_BUSTING,
        "Myth vs fact for {name}",
        "Myth or fact? We asked our care team the questions we hear most during {name}. {tags} {org}",
        (_C.FACEBOOK, _C.TIKTOK),
        ("https://www.nih.gov/",),
    ),
    (
        _T.LIVE_EVENT,
        "Live Q&A for {name}",
        "Join our experts live at noon for a {name} Q&A. Drop your questions below. {tags}",
        (_C.FACEBOOK, _C.YOUTUBE, _C.LINKEDIN),
        (),
    ),
    (
        _T.BEHIND_THE_SCENES,
        "Behind the scenes: {name}",
        "A morning with the team that makes {name} more than a date on the calendar. {tags} {org}",
        (_C.INSTAGRAM, _C.TIKTOK, _C.BLUESKY),
        (),
    ),
)

EVERGREEN = (
    (
        "Flu shot walk-in clinic",
        _T.ANNOUNCEMENT,
        (_C.FACEBOOK, _C.INSTAGRAM, _C.X),
        "Walk-in flu shots this Saturday, 9:00-1:00, at our Main Street clinic. No appointment needed. "
        "#FluSeason #GetVaccinated " + ORG_TAG,
        ("https://www.cdc.gov/flu/",),
        "vaccines",
    ),
    (
        "Now hiring: night-shift RNs",
        _T.RECRUITMENT,
        (_C.LINKEDIN, _C.FACEBOOK),
        "Our ICU is growing. We're hiring night-shift RNs with a sign-on bonus and tuition support. "
        "#NursingJobs #HealthcareCareers",
        (),
        "recruitment",
    ),
    (
        "Shout-out: 4 West nursing team",
        _T.SHOUT_OUT,
        (_C.INSTAGRAM, _C.FACEBOOK, _C.LINKEDIN),
        "Huge thanks to the 4 West nursing team for 500 days without a fall with injury. #NursesRock "
        + ORG_TAG,
        (),
        "staff",
    ),
    (
        "Visitor guidance update",
        _T.CRISIS_UPDATE,
        (_C.FACEBOOK, _C.X),
        "Respiratory illness is rising in our region. Starting Monday, masks are required in patient areas. "
        "Details on our website. " + ORG_TAG,
        ("https://www.cdc.gov/respiratory-viruses/",),
        "operations",
    ),
    (
        "Meet our new cardiologist",
        _T.ANNOUNCEMENT,
        (_C.LINKEDIN, _C.FACEBOOK),
        "Welcome Dr. Priya Raman to Riverside Heart & Vascular. She specialises in women's heart health. "
        + ORG_TAG,
        (),
        "cardiology",
    ),
    (
        "Healthy holiday plates",
        _T.EDUCATIONAL,
        (_C.PINTEREST, _C.INSTAGRAM),
        "Five swaps for a lighter holiday plate from our dietitians. Save this for your next gathering. "
        "#HealthyEating",
        ("https://www.myplate.gov/",),
        "nutrition",
    ),
    (
        "Ask a pharmacist",
        _T.LIVE_EVENT,
        (_C.YOUTUBE, _C.FACEBOOK),
        "Questions about your medications? Our pharmacists answer them live on Thursday at 6:30 pm. "
        + ORG_TAG,
        (),
        "pharmacy",
    ),
    (
        "Step challenge kickoff",
        _T.ANNOUNCEMENT,
        (_C.FACEBOOK, _C.INSTAGRAM, _C.LINKEDIN),
        "Walking 30 minutes a day reduces your risk of heart disease. Join the Riverside step challenge "
        "this month! #StepChallenge " + ORG_TAG,
        (),
        "wellness",
    ),
    (
        "Maternity unit tour video",
        _T.BEHIND_THE_SCENES,
        (_C.YOUTUBE, _C.INSTAGRAM, _C.TIKTOK),
        "Expecting? Take a two-minute tour of our newly renovated birthing suites. #MaternalHealth",
        (),
        "maternity",
    ),
)

PATIENT_STORIES = (
    # (title, body, consent?) - one has consent on file, one does not, one leaks a phone number.
    (
        "Patient story: back on the trail after heart surgery",
        "After her bypass surgery, Maria is hiking again. Her story, shared with her permission. "
        "#HeartHealth " + ORG_TAG,
        True,
    ),
    (
        "Patient story: a NICU graduate's first birthday",
        "Baby Theo spent 62 days in our NICU. Today he turns one! #NICU #Preemie",
        False,
    ),
    (
        "Thank-you note from a grateful family",
        '"Thank you to everyone on 5 North." Reach the family\'s organiser, John Carter, at 555-201-3344 to '
        "add your message. " + ORG_TAG,
        False,
    ),
)


@dataclass(frozen=True)
class DemoSummary:
    """What `fill_demo` added."""

    start: date
    end: date
    posts: int
    campaigns: int
    tags: int


def fill_demo(db, start: date, *, today: date, months: int = 3) -> DemoSummary:
    """Add a quarter of campaigns and posts from `start`, all in one transaction."""
    end = _add_months(start, months) - timedelta(days=1)
    rng = random.Random(start.toordinal())
    occurrences = [o for o in observance_occurrences(db, start, end) if o.start >= start]
    big = [o for o in occurrences if o.observance.kind in (Kind.MONTH, Kind.WEEK)][:4]
    days = [o for o in occurrences if o.observance.kind is Kind.DAY]
    rng.shuffle(days)
    with db.atomic():
        _add_campaigns(db, big)
        plans = [(occ, occ.observance.name if occ in big else None) for occ in big] + [
            (o, None) for o in days[:18]
        ]
        count = _add_observance_posts(db, plans, today, rng)
        count += _add_evergreen_posts(db, start, end, today, rng)
        count += _add_patient_stories(db, start)
        log_change(
            db,
            "demo",
            "calendar",
            "demo",
            {"posts": count, "from": start.isoformat()},
            who=DEMO_USER,
        )
    return DemoSummary(start, end, count, len(big), len(list_tags(db)))


def _add_campaigns(db, big: list[Occurrence]) -> None:
    """One campaign per big observance (a month or a week), starting two weeks ahead of it."""
    for occ in big:
        add_campaign(
            db,
            Campaign(
                name=occ.observance.name,
                start=occ.start - timedelta(days=14),
                end=occ.end,
                goal=f"Reach and engagement for {occ.observance.name}",
                colour=_colour(occ.observance.category),
                tags=(occ.observance.category,),
            ),
            who=DEMO_USER,
        )


def _add_observance_posts(
    db, plans: list[tuple[Occurrence, str | None]], today: date, rng: random.Random
) -> int:
    """Posts on observances' days: three per campaign's observance, one per other day."""
    count = 0
    for occ, campaign in plans:
        for template in _pick(rng, OBSERVANCE_POSTS, 3 if campaign else 1):
            day = occ.start + timedelta(days=rng.randrange(0, min(occ.days, 21)))
            add_post(
                db,
                _observance_post(template, occ, day, campaign, today, rng),
                who=DEMO_USER,
                today=today,
            )
            count += 1
    return count


def _add_evergreen_posts(db, start: date, end: date, today: date, rng: random.Random) -> int:
    """The weekly rhythm of a comms team: an evergreen post every other day or so."""
    count = 0
    for slot, spec in enumerate(EVERGREEN * 6):
        day = start + timedelta(days=slot * 2 + rng.randrange(0, 2))
        if day > end:
            break
        add_post(db, _evergreen_post(spec, day, today, rng), who=DEMO_USER, today=today)
        count += 1
    return count


def _add_patient_stories(db, start: date) -> int:
    """Three weeks apart, the patient stories; the one with consent on file gets it recorded."""
    for index, (title, body, consented) in enumerate(PATIENT_STORIES):
        day = start + timedelta(days=20 + 21 * index)
        saved = add_post(
            db,
            Post(
                title=title,
                day=day,
                time=time(10, 0),
                body=body,
                status=Status.REVIEW if consented else Status.DRAFT,
                content_type=ContentType.PATIENT_STORY,
                channels=(Channel.FACEBOOK, Channel.INSTAGRAM),
                tags=("patient-stories",),
                features_patient=True,
                owner="Jordan (comms)",
                private_notes="Family contact via patient experience office.",
                consent=None,
            ),
            who=DEMO_USER,
        )
        if consented and saved.id is not None:
            record_consent(db, saved.id, _demo_consent(day), who=DEMO_USER)
    return len(PATIENT_STORIES)


def _demo_consent(day: date) -> Consent:
    """The consent form on file for the story posted on `day`: signed a month before, for a year."""
    return Consent(
        form_ref="PX-2026-0142",
        signed_on=day - timedelta(days=30),
        expires_on=day + timedelta(days=365),
        channels=(Channel.FACEBOOK, Channel.INSTAGRAM),
        media=("photo", "story"),
        recorded_by="Jordan (comms)",
    )


def _pick(rng: random.Random, items: tuple, count: int) -> list:
    return rng.sample(list(items), k=min(count, len(items)))


def _status_for(day: date, today: date, rng: random.Random) -> Status:
    """Past posts went out; this week's are scheduled; later ones are still being written."""
    if day < today:
        return Status.PUBLISHED
    if day <= today + timedelta(days=7):
        return rng.choice((Status.SCHEDULED, Status.APPROVED))
    if day <= today + timedelta(days=30):
        return rng.choice((Status.REVIEW, Status.DRAFT, Status.APPROVED))
    return rng.choice((Status.IDEA, Status.DRAFT, Status.IDEA))


def _observance_post(
    template: tuple, occ, day: date, campaign: str | None, today: date, rng: random.Random
) -> Post:
    content_type, title, body, channels, sources = template
    obs = occ.observance
    tags = " ".join(obs.hashtags[:2])
    return Post(
        title=title.format(name=obs.name),
        day=day,
        time=rng.choice((None, time(9, 30), time(12, 0), time(17, 0))),
        body=body.format(name=obs.name, tags=tags, org=ORG_TAG),
        status=_status_for(day, today, rng),
        content_type=content_type,
        channels=channels,
        tags=(obs.category, "awareness"),
        campaign=campaign,
        observance_id=obs.id,
        owner=rng.choice(("Sam", "Alex", "Jordan", "Priya")),
        sources=sources,
    )


def _evergreen_post(spec: tuple, day: date, today: date, rng: random.Random) -> Post:
    title, content_type, channels, body, sources, tag = spec
    return Post(
        title=title,
        day=day,
        time=rng.choice((time(8, 0), time(11, 30), time(15, 0))),
        body=body,
        status=_status_for(day, today, rng),
        content_type=content_type,
        channels=channels,
        tags=(tag,),
        owner=rng.choice(("Sam", "Alex", "Jordan")),
        sources=sources,
    )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _colour(category: str) -> str:
    return {
        "cancer": "pink",
        "cardiovascular": "red",
        "mental-health": "green",
        "diabetes": "blue",
        "immunization": "teal",
    }.get(category, "orange")
