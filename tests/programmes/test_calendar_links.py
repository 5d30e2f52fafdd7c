"""Links that add a programme to Google Calendar or Outlook: built in one place from the
programme's sessions and dates, every value encoded, shown beside the .ics download on the
programme page and on My registrations, with a Copy button for the personal feed."""

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

from miti_training.models import ProgrammeStatus, RegistrationStatus
from miti_training.programmes.calendar_links import calendar_links
from tests.support.factories import make_centre, make_programme, make_registration, make_user
from tests.support.pages import text_of


def _query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    return {key: values[0] for key, values in parse_qs(parts.query, strict_parsing=True).items()}


def test_one_session_gives_its_times_in_utc(db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    programme = make_programme(
        centre, title="Peer Review & Learning #2 — 서울", sessions=1, venue="City Hall"
    )
    session = programme.sessions[0]
    session.starts_at = datetime(2027, 3, 2, 0, 30, tzinfo=UTC)
    session.ends_at = datetime(2027, 3, 2, 8, 0, tzinfo=UTC)
    session.location = "Room 5 / 2F"
    links = calendar_links(
        programme, text=programme.text_in("en"), url="https://miti.example/programmes/x"
    )

    assert links.google.startswith("https://calendar.google.com/calendar/render?")
    google = _query(links.google)
    assert google["action"] == "TEMPLATE"
    assert google["text"] == "Peer Review & Learning #2 — 서울"  # "&" and "#" encoded, not cut
    assert google["dates"] == "20270302T003000Z/20270302T080000Z"
    assert google["location"] == "Room 5 / 2F"
    assert google["details"].endswith("https://miti.example/programmes/x")
    assert "+" not in links.google and " " not in links.google

    assert links.outlook.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    outlook = _query(links.outlook)
    assert outlook["subject"] == "Peer Review & Learning #2 — 서울"
    assert (outlook["startdt"], outlook["enddt"]) == (
        "2027-03-02T00:30:00Z",
        "2027-03-02T08:00:00Z",
    )
    assert outlook["rru"] == "addevent" and "allday" not in outlook


def test_several_sessions_give_all_day_dates_ending_the_day_after(db):
    programme = make_programme(starts_on=date(2027, 5, 10), sessions=3)
    links = calendar_links(programme, text=programme.text_in("en"), url="https://m.example/p")
    assert _query(links.google)["dates"] == "20270510/20270513"
    outlook = _query(links.outlook)
    assert (outlook["allday"], outlook["startdt"], outlook["enddt"]) == (
        "true",
        "2027-05-10",
        "2027-05-13",
    )


def test_no_sessions_no_links(db):
    programme = make_programme(sessions=0, status=ProgrammeStatus.DRAFT)
    assert calendar_links(programme, text=programme.text_in("en"), url="https://m.example") is None


def test_the_programme_page_links_both_beside_the_ics(client, db):
    programme = make_programme(title="Open Data Forum", slug="open-data")
    html = text_of(client.get("/programmes/open-data"))
    assert 'href="/programmes/open-data.ics"' in html
    assert 'href="https://calendar.google.com/calendar/render?action=TEMPLATE' in html
    assert 'href="https://outlook.live.com/calendar/0/deeplink/compose?' in html
    assert "Add to Google Calendar" in html and "Add to Outlook" in html
    assert programme.title in html


def test_my_registrations_link_active_ones_and_offer_a_copy_button(client, sign_in, db):
    user = make_user()
    going = make_programme(title="Open Data Forum", slug="open-data")
    left = make_programme(title="Smart Streets", slug="smart-streets")
    make_registration(going, user, status=RegistrationStatus.CONFIRMED)
    make_registration(left, user, status=RegistrationStatus.WITHDRAWN)
    sign_in(user)
    client.post("/my/calendar-link")  # a personal feed link
    html = text_of(client.get("/my/registrations"))
    assert html.count("https://calendar.google.com/calendar/render?") == 1
    assert html.count("https://outlook.live.com/calendar/0/deeplink/compose?") == 1
    assert 'href="/programmes/open-data.ics"' in html
    assert 'href="/programmes/smart-streets.ics"' not in html
    # The Copy button is hidden until the script can copy (progressive enhancement).
    assert 'data-copy="calendar-feed-url"' in html and " hidden>" in html
    assert "/static/js/copy.js" in html
