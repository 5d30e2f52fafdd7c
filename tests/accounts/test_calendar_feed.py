"""The personal calendar feed: a secret URL per participant, revocable, confirmed programmes only."""

import re
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from miti_training.extensions import db as _db
from miti_training.models import ProgrammeStatus, RegistrationStatus, User
from miti_training.programmes.ical import session_uid
from tests.support.factories import make_centre, make_programme, make_registration, make_user
from tests.support.pages import flashes, follow, text_of

FEED_LINK = re.compile(r'id="calendar-feed-url" value="([^"]+)"')


@pytest.fixture
def participant(login, client):
    user = make_user(timezone="Europe/Paris", full_name="Amina Diallo")
    login(user)
    client.get("/")  # read the welcome message
    return user


def feed_url_on_page(client) -> str | None:
    match = FEED_LINK.search(text_of(client.get("/my/registrations")))
    return match.group(1) if match else None


def path_of(url: str) -> str:
    assert url.startswith("http://testserver.example/calendar/"), url
    return url.removeprefix("http://testserver.example")


def create_link(client) -> str:
    response = client.post("/my/calendar-link")
    assert response.status_code == 302
    assert response.headers["Location"] == "/my/registrations#calendar-feed"
    return feed_url_on_page(client)


def events_of(response) -> list:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.data)
    return [c for c in calendar.walk("VEVENT")]


def test_no_link_until_asked_for(client, db, participant):
    html = text_of(client.get("/my/registrations"))
    assert ">Create my calendar link</button>" in html
    assert feed_url_on_page(client) is None
    _db.session.expire_all()
    assert participant.calendar_token is None


def test_create_fetch_and_parse(client, db, participant):
    centre = make_centre(timezone="Asia/Seoul", name="MITI Headquarters Seoul")
    confirmed = make_programme(centre, sessions=2, title="Smart City", venue="SHRDC, Seoul")
    make_registration(confirmed, participant)

    response = client.post("/my/calendar-link")
    page = follow(client, response)
    assert (
        "success",
        "Your calendar link is ready. Add it to your calendar app as a subscription.",
    ) in flashes(page)
    url = feed_url_on_page(client)
    assert url is not None and ">Revoke this link</button>" in text_of(page)
    _db.session.expire_all()
    token = participant.calendar_token
    assert url == f"http://testserver.example/calendar/{token}.ics"
    assert len(token) >= 43  # secrets.token_urlsafe(32)

    client.post("/account/logout")
    response = client.get(path_of(url))  # calendar apps have no session
    events = events_of(response)
    assert [str(e["UID"]) for e in events] == [session_uid(s.id) for s in confirmed.sessions]
    assert str(events[0]["SUMMARY"]) == "Smart City — Day 1"
    assert str(events[0]["LOCATION"]) == "SHRDC, Seoul"
    start = events[0].decoded("DTSTART")
    assert start.tzinfo is not None and start.tzinfo.key == "Asia/Seoul"
    assert start == confirmed.sessions[0].starts_at.astimezone(ZoneInfo("Asia/Seoul"))
    calendar = Calendar.from_ical(response.data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Seoul"]
    assert "Amina Diallo" in str(calendar["X-WR-CALNAME"])
    assert response.headers["Cache-Control"] == "private, no-store"


def test_only_confirmed_registrations_are_in_the_feed(client, db, participant):
    in_feed = make_programme(title="Confirmed one")
    make_registration(in_feed, participant)
    other_zone = make_programme(
        make_centre(timezone="America/Mexico_City"), title="Confirmed two", sessions=3
    )
    make_registration(other_zone, participant)
    for status, title in [
        (RegistrationStatus.APPLIED, "Applied"),
        (RegistrationStatus.WAITLISTED, "Waitlisted"),
        (RegistrationStatus.WITHDRAWN, "Withdrawn"),
        (RegistrationStatus.DECLINED, "Declined"),
    ]:
        make_registration(
            make_programme(title=title),
            participant,
            status=status,
            waitlist_position=1 if status == RegistrationStatus.WAITLISTED else None,
        )
    cancelled = make_programme(title="Cancelled", status=ProgrammeStatus.CANCELLED)
    make_registration(cancelled, participant, status=RegistrationStatus.CANCELLED)
    someone_else = make_programme(title="Someone else's")
    make_registration(someone_else)

    url = create_link(client)
    events = events_of(client.get(path_of(url)))
    titles = sorted({str(e["SUMMARY"]).split(" — ")[0] for e in events})
    assert titles == ["Confirmed one", "Confirmed two"]
    assert len(events) == 4
    calendar = Calendar.from_ical(client.get(path_of(url)).data)
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {
        "Asia/Seoul",
        "America/Mexico_City",
    }


def test_an_empty_feed_is_still_a_calendar(client, db, participant):
    url = create_link(client)
    assert events_of(client.get(path_of(url))) == []


def test_creating_twice_keeps_the_link(client, db, participant):
    first = create_link(client)
    response = client.post("/my/calendar-link")
    assert ("info", "You already have a calendar link: it is shown below.") in flashes(
        follow(client, response)
    )
    assert feed_url_on_page(client) == first


def test_revoke_gives_a_new_link_and_the_old_one_stops_working(client, db, participant):
    make_registration(make_programme(), participant)
    old = create_link(client)
    assert client.get(path_of(old)).status_code == 200

    response = client.post("/my/calendar-link/revoke")
    assert response.status_code == 302
    messages = flashes(follow(client, response))
    assert (
        messages[0][0] == "success" and "The old calendar link no longer works." in messages[0][1]
    )
    new = feed_url_on_page(client)
    assert new and new != old
    assert client.get(path_of(old)).status_code == 404
    assert len(events_of(client.get(path_of(new)))) == 1


@pytest.mark.parametrize(
    "token",
    ["nothing-like-it", "", "a" * 43, "a" * 500, "%00", "..%2f..%2fetc"],
    ids=["unknown", "empty", "same-length", "long", "nul", "traversal"],
)
def test_unknown_tokens_are_404(client, db, token):
    make_user(calendar_token="b" * 43)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_token_must_match_exactly(client, db):
    user = make_user(calendar_token="Abc" + "x" * 40)
    make_registration(make_programme(), user)
    assert client.get(f"/calendar/{user.calendar_token}.ics").status_code == 200
    assert client.get(f"/calendar/{user.calendar_token.lower()}.ics").status_code == 404
    assert client.get(f"/calendar/{user.calendar_token[:-1]}.ics").status_code == 404


def test_a_deactivated_account_has_no_feed(client, db):
    user = make_user(calendar_token="c" * 43, is_enabled=False)
    make_registration(make_programme(), user)
    assert client.get(f"/calendar/{user.calendar_token}.ics").status_code == 404


def test_token_changes_need_a_csrf_token(client, app, db, participant, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/my/calendar-link").status_code == 400
    _db.session.expire_all()
    assert _db.session.get(User, participant.id).calendar_token is None
    html = text_of(client.get("/my/registrations"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert client.post("/my/calendar-link", data={"csrf_token": token}).status_code == 302
    _db.session.expire_all()
    assert _db.session.get(User, participant.id).calendar_token is not None
