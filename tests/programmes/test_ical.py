"""Calendar files (.ics): parsed back with icalendar, across a daylight-saving change."""

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from miti_training.models import ProgrammeSession, ProgrammeStatus, ProgrammeTranslation
from miti_training.programmes import ical
from tests.support.factories import make_centre, make_programme

PARIS_DST_START = date(2026, 3, 29)


@pytest.fixture
def paris_workshop(db):
    """A Paris programme with a session before and one after the clocks go forward."""
    paris = make_centre(slug="paris", name="MITI Paris Île-de-France", timezone="Europe/Paris")
    programme = make_programme(
        paris,
        slug="climate-adaptation",
        title="Climate Adaptation",
        summary="Two days on heat and floods.",
        venue="Institut Paris Région, Saint-Denis",
        starts_on=date(2026, 3, 27),
        ends_on=date(2026, 3, 30),
        sessions=0,
    )
    programme.sessions.extend(
        [
            ProgrammeSession(
                title="Day 1: Heat waves",
                # 09:30-17:00 in Paris, still UTC+1.
                starts_at=datetime(2026, 3, 27, 8, 30, tzinfo=UTC),
                ends_at=datetime(2026, 3, 27, 16, 0, tzinfo=UTC),
            ),
            ProgrammeSession(
                title="Day 2: Site visit",
                # 09:30-17:00 in Paris, now UTC+2.
                starts_at=datetime(2026, 3, 30, 7, 30, tzinfo=UTC),
                ends_at=datetime(2026, 3, 30, 15, 0, tzinfo=UTC),
                location="Parc de la Courneuve",
            ),
        ]
    )
    db.session.flush()
    return programme


def _calendar(response) -> Calendar:
    assert response.status_code == 200
    return Calendar.from_ical(response.data)


def test_ics_response_headers(client, paris_workshop):
    response = client.get("/programmes/climate-adaptation.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response.headers["Content-Disposition"] == 'attachment; filename="climate-adaptation.ics"'
    )


def test_one_event_per_session_in_the_centre_zone_across_dst(client, paris_workshop):
    calendar = _calendar(client.get("/programmes/climate-adaptation.ics"))
    assert str(calendar["VERSION"]) == "2.0"
    assert "MITI" in str(calendar["PRODID"])
    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Paris"]
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    for event in events:
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert event["DTEND"].params["TZID"] == "Europe/Paris"
        start = event.decoded("DTSTART")
        # Same wall-clock time on both sides of the change...
        assert (start.hour, start.minute) == (9, 30)
        assert event.decoded("DTEND").hour == 17
    before, after = (e.decoded("DTSTART").astimezone(UTC) for e in events)
    # ...and the right instants: UTC+1 before 29 March, UTC+2 after.
    assert before == datetime(2026, 3, 27, 8, 30, tzinfo=UTC)
    assert after == datetime(2026, 3, 30, 7, 30, tzinfo=UTC)
    assert before.date() < PARIS_DST_START < after.date()


def test_vtimezone_describes_the_daylight_saving_change(client, paris_workshop):
    calendar = _calendar(client.get("/programmes/climate-adaptation.ics"))
    (timezone,) = calendar.walk("VTIMEZONE")
    offsets = {(str(sub["TZNAME"]), sub["TZOFFSETTO"].td) for sub in timezone.subcomponents}
    assert ("CET", timedelta(hours=1)) in offsets
    assert ("CEST", timedelta(hours=2)) in offsets
    # The VTIMEZONE's own rules turn the local times into the right instants too.
    body = client.get("/programmes/climate-adaptation.ics").get_data(as_text=True)
    assert "DTSTART;TZID=Europe/Paris:20260327T093000" in body
    assert "DTSTART;TZID=Europe/Paris:20260330T093000" in body


def test_event_fields(client, paris_workshop):
    calendar = _calendar(client.get("/programmes/climate-adaptation.ics"))
    first, second = calendar.walk("VEVENT")
    sessions = paris_workshop.sessions
    assert str(first["UID"]) == f"session-{sessions[0].id}@miti-training"
    assert str(second["UID"]) == f"session-{sessions[1].id}@miti-training"
    assert str(first["SUMMARY"]) == "Climate Adaptation — Day 1: Heat waves"
    assert str(first["LOCATION"]) == "Institut Paris Région, Saint-Denis"
    assert str(second["LOCATION"]) == "Parc de la Courneuve"
    # Built from SERVER_BASE_URL, never from the request's Host header.
    assert str(first["URL"]) == "http://testserver.example/programmes/climate-adaptation"
    assert "Two days on heat and floods." in str(first["DESCRIPTION"])
    assert str(first["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in first


def test_url_ignores_the_host_header(client, paris_workshop):
    response = client.get(
        "/programmes/climate-adaptation.ics", headers={"Host": "attacker.example"}
    )
    assert b"attacker.example" not in response.data


def test_uids_and_content_are_stable_across_downloads(client, paris_workshop):
    first = client.get("/programmes/climate-adaptation.ics").data
    second = client.get("/programmes/climate-adaptation.ics").data
    assert first == second


def test_cancelled_programme_events_are_cancelled(client, paris_workshop):
    paris_workshop.status = ProgrammeStatus.CANCELLED
    paris_workshop.cancellation_reason = "Venue closed."
    calendar = _calendar(client.get("/programmes/climate-adaptation.ics"))
    assert [str(e["STATUS"]) for e in calendar.walk("VEVENT")] == ["CANCELLED", "CANCELLED"]


def test_calendar_text_in_the_viewer_language(client, paris_workshop):
    paris_workshop.translations.append(
        ProgrammeTranslation(language="fr", title="Adaptation au climat")
    )
    calendar = _calendar(
        client.get("/programmes/climate-adaptation.ics", headers={"Accept-Language": "fr"})
    )
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Adaptation au climat — Day 1: Heat waves"


def test_drafts_have_no_calendar(client, db):
    draft = make_programme(status=ProgrammeStatus.DRAFT)
    assert client.get(f"/programmes/{draft.slug}.ics").status_code == 404


def test_hostile_text_is_escaped_by_the_format(app, db):
    programme = make_programme(title="Line\r\nBEGIN:VEVENT\r\nSUMMARY:Injected", venue="A; B, C\\D")
    with app.test_request_context("/"):
        body = ical.programme_calendar(programme)
    calendar = Calendar.from_ical(body)
    assert len(calendar.walk("VEVENT")) == 1
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]).startswith("Line\nBEGIN:VEVENT\nSUMMARY:Injected")
    assert str(event["LOCATION"]) == "A; B, C\\D"


def test_service_builds_a_calendar_without_a_request(app, paris_workshop):
    with app.app_context():
        body = ical.programme_calendar(paris_workshop, url="https://example.org/p")
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["URL"]) == "https://example.org/p"


def test_programme_without_sessions_gives_an_empty_calendar(app, db):
    programme = make_programme(sessions=0)
    with app.app_context():
        calendar = Calendar.from_ical(ical.programme_calendar(programme))
    assert calendar.walk("VEVENT") == [] and calendar.walk("VTIMEZONE") == []
