"""Hand-checked dates for the curated observance list (awareness_days.yaml).

Each row was worked out by hand from the organiser's own statement of the rule
(or its announced dates) and checked against a calendar, independently of the
rule engine. The citation names the page the rule or date comes from. If a
row fails, check the organiser's page before touching the expected value: a
wrong campaign date is worse than a missing one.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from calendar_data.awareness import load_observances
from calendar_data.recurrence import spans_in_year

HASHTAG = re.compile(r"^#\w+$")

# (observance id, year, expected start, expected end inclusive, citation)
KNOWN_DATES: list[tuple[str, int, str, str, str]] = [
    # ---- required anchors ---------------------------------------------------------------
    (
        "world-kidney-day",
        2026,
        "2026-03-12",
        "2026-03-12",
        "worldkidneyday.org: second Thursday of March (ISN/IFKF)",
    ),
    (
        "national-wear-red-day",
        2027,
        "2027-02-05",
        "2027-02-05",
        "goredforwomen.org / nhlbi.nih.gov The Heart Truth: first Friday in February",
    ),
    (
        "great-american-smokeout",
        2026,
        "2026-11-19",
        "2026-11-19",
        "cancer.org Great American Smokeout: third Thursday in November",
    ),
    (
        "world-immunization-week",
        2027,
        "2027-04-24",
        "2027-04-30",
        "who.int/campaigns/world-immunization-week: last week of April (24-30 April)",
    ),
    # ---- WHO / UN / global days -----------------------------------------------------------
    (
        "world-kidney-day",
        2027,
        "2027-03-11",
        "2027-03-11",
        "worldkidneyday.org: second Thursday of March",
    ),
    (
        "world-immunization-week",
        2026,
        "2026-04-24",
        "2026-04-30",
        "who.int/campaigns/world-immunization-week: 24-30 April",
    ),
    (
        "world-health-day",
        2026,
        "2026-04-07",
        "2026-04-07",
        "who.int/campaigns/world-health-day: 7 April, WHO founding anniversary",
    ),
    ("world-tb-day", 2026, "2026-03-24", "2026-03-24", "who.int/campaigns/world-tb-day: 24 March"),
    (
        "world-malaria-day",
        2026,
        "2026-04-25",
        "2026-04-25",
        "who.int/campaigns/world-malaria-day: 25 April",
    ),
    (
        "world-hand-hygiene-day",
        2026,
        "2026-05-05",
        "2026-05-05",
        "who.int/campaigns/world-hand-hygiene-day: 5 May",
    ),
    (
        "world-no-tobacco-day",
        2026,
        "2026-05-31",
        "2026-05-31",
        "who.int/campaigns/world-no-tobacco-day: 31 May",
    ),
    (
        "world-blood-donor-day",
        2026,
        "2026-06-14",
        "2026-06-14",
        "who.int/campaigns/world-blood-donor-day: 14 June",
    ),
    (
        "world-hepatitis-day",
        2026,
        "2026-07-28",
        "2026-07-28",
        "who.int/campaigns/world-hepatitis-day: 28 July",
    ),
    (
        "world-patient-safety-day",
        2026,
        "2026-09-17",
        "2026-09-17",
        "who.int/campaigns/world-patient-safety-day: 17 September",
    ),
    (
        "world-antimicrobial-resistance-awareness-week",
        2026,
        "2026-11-18",
        "2026-11-24",
        "who.int/campaigns/world-amr-awareness-week: 18-24 November",
    ),
    (
        "world-antimicrobial-resistance-awareness-week",
        2027,
        "2027-11-18",
        "2027-11-24",
        "who.int/campaigns/world-amr-awareness-week: 18-24 November",
    ),
    (
        "world-aids-day",
        2026,
        "2026-12-01",
        "2026-12-01",
        "who.int/campaigns/world-aids-day: 1 December",
    ),
    (
        "world-suicide-prevention-day",
        2026,
        "2026-09-10",
        "2026-09-10",
        "iasp.info/wspd: 10 September",
    ),
    ("world-mental-health-day", 2026, "2026-10-10", "2026-10-10", "wfmh.global: 10 October"),
    ("world-sepsis-day", 2026, "2026-09-13", "2026-09-13", "worldsepsisday.org: 13 September"),
    (
        "world-heart-day",
        2026,
        "2026-09-29",
        "2026-09-29",
        "world-heart-federation.org/world-heart-day: 29 September",
    ),
    (
        "world-heart-day",
        2027,
        "2027-09-29",
        "2027-09-29",
        "world-heart-federation.org/world-heart-day: 29 September",
    ),
    ("world-stroke-day", 2026, "2026-10-29", "2026-10-29", "world-stroke.org: 29 October"),
    (
        "world-diabetes-day",
        2026,
        "2026-11-14",
        "2026-11-14",
        "worlddiabetesday.org (IDF): 14 November",
    ),
    ("world-cancer-day", 2027, "2027-02-04", "2027-02-04", "worldcancerday.org (UICC): 4 February"),
    (
        "world-alzheimers-month",
        2026,
        "2026-09-01",
        "2026-09-30",
        "alzint.org World Alzheimer's Month: September",
    ),
    (
        "rare-disease-day",
        2026,
        "2026-02-28",
        "2026-02-28",
        "rarediseaseday.org: last day of February (28 Feb in a common year)",
    ),
    (
        "rare-disease-day",
        2027,
        "2027-02-28",
        "2027-02-28",
        "rarediseaseday.org: last day of February (28 Feb in a common year)",
    ),
    (
        "international-epilepsy-day",
        2026,
        "2026-02-09",
        "2026-02-09",
        "epilepsyday.org (IBE/ILAE): second Monday of February",
    ),
    (
        "international-epilepsy-day",
        2027,
        "2027-02-08",
        "2027-02-08",
        "epilepsyday.org (IBE/ILAE): second Monday of February",
    ),
    (
        "world-leprosy-day",
        2026,
        "2026-01-25",
        "2026-01-25",
        "ilepfederation.org: last Sunday of January",
    ),
    (
        "world-leprosy-day",
        2027,
        "2027-01-31",
        "2027-01-31",
        "ilepfederation.org: last Sunday of January",
    ),
    (
        "world-sight-day",
        2026,
        "2026-10-08",
        "2026-10-08",
        "iapb.org/world-sight-day: second Thursday of October",
    ),
    (
        "world-sight-day",
        2027,
        "2027-10-14",
        "2027-10-14",
        "iapb.org/world-sight-day: second Thursday of October",
    ),
    (
        "world-hospice-and-palliative-care-day",
        2027,
        "2027-10-09",
        "2027-10-09",
        "thewhpca.org: second Saturday of October",
    ),
    (
        "world-first-aid-day",
        2027,
        "2027-09-11",
        "2027-09-11",
        "ifrc.org: second Saturday of September",
    ),
    (
        "world-copd-day",
        2026,
        "2026-11-18",
        "2026-11-18",
        "goldcopd.org World COPD Day: second or third Wednesday of November, third in every year checked",
    ),
    (
        "world-pancreatic-cancer-day",
        2026,
        "2026-11-19",
        "2026-11-19",
        "worldpancreaticcancerday.org: third Thursday of November",
    ),
    (
        "world-day-of-remembrance-for-road-traffic-victims",
        2026,
        "2026-11-15",
        "2026-11-15",
        "un.org/en/observances/road-traffic-victims-day: third Sunday of November",
    ),
    (
        "world-sleep-day",
        2026,
        "2026-03-13",
        "2026-03-13",
        "worldsleepday.org (World Sleep Society): Friday before the March equinox, 13 March 2026",
    ),
    ("movember", 2026, "2026-11-01", "2026-11-30", "movember.com: the month of November"),
    (
        "breast-cancer-awareness-month",
        2026,
        "2026-10-01",
        "2026-10-31",
        "nationalbreastcancer.org/breast-cancer-awareness-month: October",
    ),
    (
        "international-infection-prevention-week",
        2026,
        "2026-10-18",
        "2026-10-24",
        "APIC infectionpreventionandyou.org: third week of October (2019 Oct 13-19, 2020 Oct 18-24 pattern)",
    ),
    (
        "international-infection-prevention-week",
        2027,
        "2027-10-17",
        "2027-10-23",
        "APIC infectionpreventionandyou.org: third week of October, Sunday-Saturday",
    ),
    # ---- United States ----------------------------------------------------------------------
    (
        "national-wear-red-day",
        2026,
        "2026-02-06",
        "2026-02-06",
        "goredforwomen.org: first Friday in February",
    ),
    (
        "great-american-smokeout",
        2027,
        "2027-11-18",
        "2027-11-18",
        "cancer.org: third Thursday in November",
    ),
    (
        "national-hospital-week",
        2026,
        "2026-05-10",
        "2026-05-16",
        "aha.org/national-hospital-week: Sunday-Saturday week containing 12 May (2025 was May 11-17)",
    ),
    (
        "national-hospital-week",
        2027,
        "2027-05-09",
        "2027-05-15",
        "aha.org/national-hospital-week: Sunday-Saturday week containing 12 May",
    ),
    (
        "national-nurses-week",
        2026,
        "2026-05-06",
        "2026-05-12",
        "nursingworld.org (ANA): 6-12 May every year",
    ),
    (
        "national-nurses-week",
        2027,
        "2027-05-06",
        "2027-05-12",
        "nursingworld.org (ANA): 6-12 May every year",
    ),
    (
        "national-school-nurse-day",
        2026,
        "2026-05-06",
        "2026-05-06",
        "nasn.org: Wednesday of National Nurses Week (6 May 2026 is a Wednesday)",
    ),
    (
        "national-public-health-week",
        2026,
        "2026-04-06",
        "2026-04-12",
        "apha.org National Public Health Week: 'April 6 - 12, 2026'",
    ),
    (
        "national-public-health-week",
        2027,
        "2027-04-05",
        "2027-04-11",
        "apha.org: first full week of April (Monday-Sunday)",
    ),
    (
        "patient-safety-awareness-week",
        2026,
        "2026-03-08",
        "2026-03-14",
        "ihi.org: second full week of March (2025 began Sunday 9 March)",
    ),
    (
        "patient-safety-awareness-week",
        2027,
        "2027-03-14",
        "2027-03-20",
        "ihi.org: second full week of March, Sunday-Saturday",
    ),
    (
        "sleep-awareness-week",
        2026,
        "2026-03-08",
        "2026-03-14",
        "thensf.org press release 9 Feb 2026: Sleep Awareness Week March 8-14, 2026",
    ),
    (
        "sleep-awareness-week",
        2027,
        "2027-03-14",
        "2027-03-20",
        "thensf.org: begins when Daylight Saving Time starts (14 March 2027)",
    ),
    (
        "national-poison-prevention-week",
        2026,
        "2026-03-15",
        "2026-03-21",
        "poisonhelp.hrsa.gov: third full week of March (P.L. 87-319)",
    ),
    (
        "national-poison-prevention-week",
        2027,
        "2027-03-21",
        "2027-03-27",
        "poisonhelp.hrsa.gov: third full week of March",
    ),
    (
        "american-diabetes-alert-day",
        2026,
        "2026-03-24",
        "2026-03-24",
        "diabetes.org: fourth Tuesday of March",
    ),
    (
        "sti-awareness-week",
        2026,
        "2026-04-12",
        "2026-04-18",
        "cdc.gov/std/saw/about.htm: second full week in April",
    ),
    (
        "medical-laboratory-professionals-week",
        2026,
        "2026-04-19",
        "2026-04-25",
        "ascls.org/lab-week-mlpw: last full week in April",
    ),
    (
        "national-womens-health-week",
        2026,
        "2026-05-10",
        "2026-05-16",
        "womenshealth.gov/nwhw: starts on Mother's Day (10 May 2026)",
    ),
    (
        "national-womens-health-week",
        2027,
        "2027-05-09",
        "2027-05-15",
        "womenshealth.gov/nwhw: starts on Mother's Day (9 May 2027)",
    ),
    (
        "national-ems-week",
        2026,
        "2026-05-17",
        "2026-05-23",
        "emsweek.org (ACEP/NAEMT): third week of May, Sunday-Saturday",
    ),
    (
        "national-ems-week",
        2027,
        "2027-05-16",
        "2027-05-22",
        "emsweek.org (ACEP/NAEMT): third week of May, Sunday-Saturday",
    ),
    (
        "dont-fry-day",
        2026,
        "2026-05-22",
        "2026-05-22",
        "skincancerprevention.org: Friday before Memorial Day (25 May 2026)",
    ),
    (
        "dont-fry-day",
        2027,
        "2027-05-28",
        "2027-05-28",
        "skincancerprevention.org: Friday before Memorial Day (31 May 2027)",
    ),
    (
        "mens-health-week-us",
        2026,
        "2026-06-15",
        "2026-06-21",
        "menshealthmonth.org (Men's Health Network): week ending on Father's Day (21 June 2026)",
    ),
    (
        "mens-health-week-us",
        2027,
        "2027-06-14",
        "2027-06-20",
        "menshealthmonth.org (Men's Health Network): week ending on Father's Day (20 June 2027)",
    ),
    (
        "national-cancer-survivors-day",
        2027,
        "2027-06-06",
        "2027-06-06",
        "ncsd.org: first Sunday in June",
    ),
    (
        "national-suicide-prevention-week",
        2026,
        "2026-09-06",
        "2026-09-12",
        "suicidology.org / afsp.org: Sunday-Saturday week surrounding 10 September",
    ),
    (
        "national-suicide-prevention-week",
        2027,
        "2027-09-05",
        "2027-09-11",
        "suicidology.org / afsp.org: Sunday-Saturday week surrounding 10 September",
    ),
    (
        "mental-illness-awareness-week",
        2026,
        "2026-10-04",
        "2026-10-10",
        "nami.org: first full week of October",
    ),
    (
        "mental-illness-awareness-week",
        2027,
        "2027-10-03",
        "2027-10-09",
        "nami.org: first full week of October",
    ),
    (
        "radiologic-technology-week",
        2026,
        "2026-11-08",
        "2026-11-14",
        "asrt.org: week that includes 8 November",
    ),
    (
        "national-health-center-week",
        2026,
        "2026-08-02",
        "2026-08-08",
        "healthcenterweek.org (NACHC): August 2-8, 2026",
    ),
    (
        "colorectal-cancer-awareness-month-us",
        2026,
        "2026-03-01",
        "2026-03-31",
        "ccalliance.org: March",
    ),
    (
        "ovarian-cancer-awareness-month-us",
        2026,
        "2026-09-01",
        "2026-09-30",
        "ovarian.org (NOCC): September",
    ),
    ("national-donate-life-month", 2027, "2027-04-01", "2027-04-30", "donatelife.net: April"),
    ("national-blood-donor-month", 2027, "2027-01-01", "2027-01-31", "redcrossblood.org: January"),
    ("sepsis-awareness-month", 2026, "2026-09-01", "2026-09-30", "sepsis.org: September"),
    (
        "alzheimers-and-brain-awareness-month",
        2026,
        "2026-06-01",
        "2026-06-30",
        "alz.org/abam: June",
    ),
    # ---- United Kingdom -----------------------------------------------------------------------
    (
        "time-to-talk-day",
        2026,
        "2026-02-05",
        "2026-02-05",
        "mind.org.uk Time to Talk Day: first Thursday in February (5 Feb 2026)",
    ),
    (
        "time-to-talk-day",
        2027,
        "2027-02-04",
        "2027-02-04",
        "mind.org.uk: first Thursday in February",
    ),
    (
        "childrens-mental-health-week-uk",
        2026,
        "2026-02-09",
        "2026-02-15",
        "childrensmentalhealthweek.org.uk (Place2Be): 9-15 February 2026",
    ),
    (
        "mens-health-week-uk",
        2026,
        "2026-06-15",
        "2026-06-21",
        "menshealthforum.org.uk: Monday to Father's Day",
    ),
    (
        "ovarian-cancer-awareness-month-uk",
        2026,
        "2026-03-01",
        "2026-03-31",
        "targetovariancancer.org.uk: March (not September as in the US)",
    ),
    (
        "bowel-cancer-awareness-month-uk",
        2026,
        "2026-04-01",
        "2026-04-30",
        "bowelcanceruk.org.uk: April (not March as in the US)",
    ),
    (
        "baby-loss-awareness-week",
        2027,
        "2027-10-09",
        "2027-10-15",
        "babyloss-awareness.org: 9-15 October",
    ),
    ("stoptober", 2026, "2026-10-01", "2026-10-31", "nhs.uk Better Health: Stoptober, October"),
    # ---- Canada and Australia ----------------------------------------------------------------
    (
        "bell-lets-talk-day",
        2026,
        "2026-01-21",
        "2026-01-21",
        "letstalk.bell.ca; Governor General's message on Bell Let's Talk Day, 21 Jan 2026",
    ),
    (
        "canadian-mental-health-week",
        2026,
        "2026-05-04",
        "2026-05-10",
        "mentalhealthweek.ca (CMHA): first full week of May, Monday-Sunday",
    ),
    (
        "canadian-mental-health-week",
        2027,
        "2027-05-03",
        "2027-05-09",
        "mentalhealthweek.ca (CMHA): first full week of May, Monday-Sunday",
    ),
    (
        "national-nursing-week-ca",
        2026,
        "2026-05-11",
        "2026-05-17",
        "cna-aiic.ca: week containing 12 May, Monday-Sunday (2025 was 12-18 May)",
    ),
    (
        "national-nursing-week-ca",
        2027,
        "2027-05-10",
        "2027-05-16",
        "cna-aiic.ca: week containing 12 May, Monday-Sunday",
    ),
    ("ru-ok-day", 2026, "2026-09-10", "2026-09-10", "ruok.org.au: second Thursday of September"),
    ("ru-ok-day", 2027, "2027-09-09", "2027-09-09", "ruok.org.au: second Thursday of September"),
    (
        "mens-health-week-au",
        2027,
        "2027-06-14",
        "2027-06-20",
        "menshealthweekevents.com (Centre for Male Health): mid-June week with International Men's Health Week",
    ),
    (
        "bowel-cancer-awareness-month-au",
        2026,
        "2026-06-01",
        "2026-06-30",
        "bowelcanceraustralia.org: June",
    ),
    # ---- confirmed on organiser (or organiser-quoting partner) pages, 2026-11-21 pass ----
    (
        "world-cancer-day",
        2026,
        "2026-02-04",
        "2026-02-04",
        "UICC World Cancer Day toolkit: 'World Cancer Day every 4 February'",
    ),
    (
        "zero-discrimination-day",
        2026,
        "2026-03-01",
        "2026-03-01",
        "unaids.org Zero Discrimination campaign page and 1 Dec 2013 release: 1 March",
    ),
    (
        "world-hearing-day",
        2026,
        "2026-03-03",
        "2026-03-03",
        "WHO (Chadha, Reyes) in ENT & Audiology News: annually observed on 3 March",
    ),
    (
        "national-youth-hiv-aids-awareness-day",
        2026,
        "2026-04-10",
        "2026-04-10",
        "advocatesforyouth.org/nyhaad: annually April 10th",
    ),
    (
        "world-haemophilia-day",
        2026,
        "2026-04-17",
        "2026-04-17",
        "news.wfh.org (WFH): celebrated every year on April 17",
    ),
    (
        "national-donate-life-month",
        2026,
        "2026-04-01",
        "2026-04-30",
        "donatelife.net/ndlm (Donate Life America): celebrated in April each year",
    ),
    (
        "world-asthma-day",
        2026,
        "2026-05-05",
        "2026-05-05",
        "ginasthma.org/wad (GINA): first Tuesday in May (5 May 2026)",
    ),
    (
        "hiv-vaccine-awareness-day",
        2026,
        "2026-05-18",
        "2026-05-18",
        "hivinfo.nih.gov HVAD page: observed every year on May 18",
    ),
    (
        "world-ms-day",
        2026,
        "2026-05-30",
        "2026-05-30",
        "msif.org World MS Day: officially marked on 30 May",
    ),
    (
        "national-hiv-testing-day",
        2026,
        "2026-06-27",
        "2026-06-27",
        "hivinfo.nih.gov NHTD page: observed annually on June 27",
    ),
    (
        "world-drowning-prevention-day",
        2026,
        "2026-07-25",
        "2026-07-25",
        "WHO World Drowning Prevention Day 2023 page: observance on 25 July each year",
    ),
    (
        "international-overdose-awareness-day",
        2026,
        "2026-08-31",
        "2026-08-31",
        "lifesavers.global (Penington Institute): every August 31st",
    ),
    (
        "world-physiotherapy-day",
        2026,
        "2026-09-08",
        "2026-09-08",
        "world.physio/wptday (World Physiotherapy): every year on 8 September",
    ),
    (
        "world-suicide-prevention-day",
        2027,
        "2027-09-10",
        "2027-09-10",
        "IASP release 1 Sep 2022: observed on 10 September every year",
    ),
    (
        "world-alzheimers-day",
        2026,
        "2026-09-21",
        "2026-09-21",
        "alz.co.uk (ADI): World Alzheimer's Day is on 21 September each year",
    ),
    (
        "world-alzheimers-month",
        2027,
        "2027-09-01",
        "2027-09-30",
        "alz.co.uk (ADI): World Alzheimer's Month every September",
    ),
    (
        "world-pharmacists-day",
        2026,
        "2026-09-25",
        "2026-09-25",
        "FIP (fip.org news; FIP CEO in thecca.org.uk): celebrated on 25 September",
    ),
    (
        "national-gay-mens-hiv-aids-awareness-day",
        2026,
        "2026-09-27",
        "2026-09-27",
        "hiv.gov blog 17 Sep 2019: NGMHAAD is on September 27",
    ),
    (
        "baby-loss-awareness-week",
        2026,
        "2026-10-09",
        "2026-10-15",
        "sands.org.uk: takes place from 9 to 15 October every year",
    ),
    (
        "world-thrombosis-day",
        2026,
        "2026-10-13",
        "2026-10-13",
        "worldthrombosisday.org (ISTH): takes place on October 13",
    ),
    (
        "global-handwashing-day",
        2026,
        "2026-10-15",
        "2026-10-15",
        "globalhandwashing.org: celebrated every October 15",
    ),
    (
        "world-food-day",
        2026,
        "2026-10-16",
        "2026-10-16",
        "FAO World Food Day 2019 toolkit: celebrated each year on 16 October",
    ),
    (
        "red-ribbon-week",
        2026,
        "2026-10-23",
        "2026-10-31",
        "National Family Partnership releases (2012, 2018): Red Ribbon Week October 23-31",
    ),
    (
        "world-polio-day",
        2026,
        "2026-10-24",
        "2026-10-24",
        "endpolio.org/world-polio-day-resources (Rotary): 24 October",
    ),
    (
        "world-psoriasis-day",
        2026,
        "2026-10-29",
        "2026-10-29",
        "ifpa-pso.com/world-psoriasis-day (IFPA): celebrated on October 29th",
    ),
    (
        "world-prematurity-day",
        2026,
        "2026-11-17",
        "2026-11-17",
        "efcni.org news: 17 November, the annual global World Prematurity Day",
    ),
    (
        "national-rural-health-day",
        2026,
        "2026-11-19",
        "2026-11-19",
        "NOSORH releases (2020, 2022): third Thursday of November",
    ),
    (
        "national-rural-health-day",
        2027,
        "2027-11-18",
        "2027-11-18",
        "NOSORH releases (2020, 2022): third Thursday of November",
    ),
    (
        "international-day-of-persons-with-disabilities",
        2026,
        "2026-12-03",
        "2026-12-03",
        "csonet.org (UN DESA): commemorated annually on 3 December",
    ),
    (
        "universal-health-coverage-day",
        2026,
        "2026-12-12",
        "2026-12-12",
        "universalhealthcoverageday.org/about: every 12 December",
    ),
]


@pytest.fixture(scope="module")
def observances():
    return {o.id: o for o in load_observances()}


@pytest.mark.parametrize(
    ("obs_id", "year", "start", "end", "citation"),
    KNOWN_DATES,
    ids=[f"{row[0]}-{row[1]}" for row in KNOWN_DATES],
)
def test_known_date(observances, obs_id, year, start, end, citation):
    assert obs_id in observances, f"{obs_id} missing from awareness_days.yaml ({citation})"
    observance = observances[obs_id]
    assert observance.holds_in(year), f"{obs_id} does not hold in {year} ({citation})"
    spans = spans_in_year(observance.rule, year)
    expected = (date.fromisoformat(start), date.fromisoformat(end))
    assert expected in spans, (
        f"{obs_id} {year}: expected {expected}, rule gives {spans} ({citation})"
    )


def test_known_dates_table_is_large_enough():
    assert len(KNOWN_DATES) >= 70
    assert {row[1] for row in KNOWN_DATES} == {2026, 2027}
    assert all(row[4].strip() for row in KNOWN_DATES)


def test_rare_disease_day_uses_leap_day():
    rule = {o.id: o for o in load_observances()}["rare-disease-day"].rule
    assert spans_in_year(rule, 2028) == ((date(2028, 2, 29), date(2028, 2, 29)),)


def test_regional_traps_differ():
    by_id = {o.id: o for o in load_observances()}

    def month_of(obs_id: str) -> int:
        ((start, _end),) = spans_in_year(by_id[obs_id].rule, 2026)
        return start.month

    assert month_of("ovarian-cancer-awareness-month-us") == 9
    assert month_of("ovarian-cancer-awareness-month-uk") == 3
    assert month_of("ovarian-cancer-awareness-month-au") == 2
    assert month_of("colorectal-cancer-awareness-month-us") == 3
    assert month_of("bowel-cancer-awareness-month-uk") == 4
    assert month_of("bowel-cancer-awareness-month-au") == 6
    assert month_of("mental-health-awareness-month-us") == 5
    assert month_of("alzheimers-and-brain-awareness-month") == 6
    assert month_of("world-alzheimers-month") == 9


def test_at_least_200_entries():
    assert len(load_observances()) >= 200


def test_hashtags_are_well_formed():
    bad = [(o.id, tag) for o in load_observances() for tag in o.hashtags if not HASHTAG.match(tag)]
    assert not bad


def test_sources_are_https():
    bad = [o.id for o in load_observances() if not o.source.startswith("https://")]
    assert not bad
    bad_toolkits = [
        o.id for o in load_observances() if o.toolkit and not o.toolkit.startswith("https://")
    ]
    assert not bad_toolkits


def test_ids_unique():
    counts = Counter(o.id for o in load_observances())
    assert [i for i, n in counts.items() if n > 1] == []


def test_names_unique_within_each_region():
    counts = Counter(
        (region, o.name.casefold()) for o in load_observances() for region in o.regions
    )
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_entry_was_verified():
    missing = [o.id for o in load_observances() if o.last_verified is None]
    assert not missing


def test_every_entry_has_an_occurrence_somewhere():
    """A rule that never fires (e.g. a 5th weekday in a month without one) is a typo."""
    silent = [
        o.id
        for o in load_observances()
        if not any(spans_in_year(o.rule, y) for y in range(2018, 2031) if o.holds_in(y))
    ]
    assert not silent
