"""Valid form data for the /admin and /manage forms, as a browser would post it.

Each function gives a form that is accepted as it is; a test overrides the fields it is about.
"""

from datetime import date, timedelta

from tests.support.factories import today


def in_days(days: int) -> date:
    """The date days after the catalogue's today."""
    return today() + timedelta(days=days)


def centre_form(**overrides) -> dict:
    data = {
        "slug": "cairo",
        "name": "MITI Regional Centre Cairo",
        "city": "Cairo",
        "country": "Egypt",
        "timezone": "Africa/Cairo",
        "kind": "regional",
        "host_institution": "Cairo Governorate",
        "contact_email": "miti@cairo.example",
    }
    data.update(overrides)
    return data


def city_form(**overrides) -> dict:
    data = {
        "name": "Surabaya",
        "country": "Indonesia",
        "world_region": "asia_pacific",
        "is_city": "y",
    }
    data.update(overrides)
    return data


def programme_form(**overrides) -> dict:
    """A valid programme form, dates a few weeks ahead."""
    data = {
        "title": "Sustainable mobility study visit",
        "summary": "Bus rapid transit and cycling policy in Seoul.",
        "description": "Lectures in the morning.\n\nSite visits in the afternoon.",
        "original_language": "en",
        "kind": "study_visit",
        "theme": "sustainable_mobility",
        "format": "in_person",
        "venue": "Seoul Human Resources Development Centre",
        "languages": ["en", "ko"],
        "starts_on": in_days(40).isoformat(),
        "ends_on": in_days(44).isoformat(),
        "capacity": "15",
        "registration_opens_at": f"{in_days(1).isoformat()}T09:00",
        "registration_closes_at": f"{in_days(30).isoformat()}T18:00",
        "enrolment_policy": "review",
        "is_waitlist_enabled": "y",
        "completion_threshold": "80",
        "sends_reminder": "y",
        "reminder_days": "3",
        "offer_hours": "48",
    }
    data.update(overrides)
    return data


def session_form(day: date, start: str = "09:00", end: str = "17:00", **overrides) -> dict:
    data = {
        "title": "Day 1: lectures",
        "starts_at": f"{day.isoformat()}T{start}",
        "ends_at": f"{day.isoformat()}T{end}",
        "location": "",
    }
    data.update(overrides)
    return data
