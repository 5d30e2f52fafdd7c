"""Centre and network dashboards over real HTTP: exact figures for a seeded scenario, the
year's boundaries, who may see what, the CSV exports (BOM, RFC 4180, formulas neutralised),
hostile query strings, and a constant number of SQL statements whatever the data size."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape

from miti_training import spreadsheets
from miti_training.extensions import db as _db
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    ProgrammeSession,
    ProgrammeStatus,
    RegistrationStatus,
    WorldRegion,
    utcnow,
)
from miti_training.network import centre_dashboard, network_dashboard
from tests.support.factories import (
    make_admin,
    make_centre,
    make_member_city,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page
from tests.support.pages import text_of as _html
from tests.support.sql import statements_for as _statements_for
from tests.support.testdata import hostile_strings

S = RegistrationStatus
A = AttendanceStatus
HOSTILE_CITY = '=HYPERLINK("x")'


# Reading pages ------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every table of a page as {caption: [[cell text, ...], ...]} (header row included)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption = None
        self._rows = None
        self._cell = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._caption, self._rows = "", []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self.tables[self._caption.strip()] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell.append(data)


def _tables(response) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(response.get_data(as_text=True))
    return parser.tables


def _table(response, caption_start: str) -> list[list[str]]:
    """The body rows (header row left out) of the table whose caption starts so."""
    found = [
        rows for caption, rows in _tables(response).items() if caption.startswith(caption_start)
    ]
    assert len(found) == 1, (caption_start, list(_tables(response)))
    return found[0][1:]


def _csv(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


# Seeding ----------------------------------------------------------------------------------


def _people(programme, status, city, n, **kw):
    return [
        make_registration(programme, make_user(member_city=city), status=status, **kw)
        for _ in range(n)
    ]


def _mark(registration, session, status):
    _db.session.add(Attendance(registration=registration, session=session, status=status))


def _certify(registration, *, revoked=False):
    _db.session.add(
        Certificate(
            registration=registration,
            code=f"CODE{registration.id:08d}",
            full_name=registration.full_name,
            attendance_percent=100,
            revoked_at=utcnow() if revoked else None,
        )
    )


def _seoul_today() -> date:
    return datetime.now(ZoneInfo("Asia/Seoul")).date()


@pytest.fixture
def cities(db):
    return {
        "seoul": make_member_city(
            name="서울", country="Republic of Korea", world_region=WorldRegion.ASIA_PACIFIC
        ),
        "cairo": make_member_city(
            name="القاهرة", country="Egypt", world_region=WorldRegion.MIDDLE_EAST
        ),
        "lyon": make_member_city(name="Lyon", country="France", world_region=WorldRegion.EUROPE),
        "quito": make_member_city(
            name="Quito", country="Ecuador", world_region=WorldRegion.LATIN_AMERICA
        ),
        "hostile": make_member_city(
            name=HOSTILE_CITY, country="-Testland", world_region=WorldRegion.AFRICA
        ),
    }


@pytest.fixture
def centre_world(db, cities):
    """Seoul's coming and past programmes, and a Paris centre whose data must not leak."""
    seoul = make_centre(slug="seoul", name="MITI Seoul", timezone="Asia/Seoul")
    paris = make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")
    today = _seoul_today()
    smart = make_programme(
        seoul, title="Smart city workshop", capacity=3, starts_on=today + timedelta(days=10)
    )
    _people(smart, S.CONFIRMED, cities["seoul"], 2)
    _people(smart, S.APPLIED, cities["cairo"], 3)
    for position in (1, 2):
        _people(smart, S.WAITLISTED, cities["lyon"], 1, waitlist_position=position)
    _people(smart, S.WITHDRAWN, cities["lyon"], 1)
    _people(smart, S.DECLINED, cities["lyon"], 1)
    smart.seats_taken = 2
    water = make_programme(
        seoul, title="Water forum", capacity=4, starts_on=today + timedelta(days=40)
    )
    _people(water, S.CONFIRMED, cities["quito"], 1)
    _people(water, S.APPLIED, cities["quito"], 1)
    water.seats_taken = 1
    # No session: one today could already be over, depending on the hour the test runs.
    webinar = make_programme(seoul, title="Open webinar", capacity=0, starts_on=today, sessions=0)
    # Not on the dashboard: a draft, a cancelled programme, and an ended one's applications.
    make_programme(seoul, title="Draft idea", status=ProgrammeStatus.DRAFT)
    cancelled = make_programme(seoul, title="Cancelled course", status=ProgrammeStatus.CANCELLED)
    _people(cancelled, S.APPLIED, cities["lyon"], 2)
    past = make_programme(
        seoul, title="Resilience course", sessions=3, starts_on=today - timedelta(days=6)
    )
    attendees = _people(past, S.CONFIRMED, cities["seoul"], 4)
    _people(past, S.APPLIED, cities["seoul"], 1)
    (withdrawn,) = _people(past, S.WITHDRAWN, cities["seoul"], 1)
    day1, day2, _day3 = past.sessions
    for registration, status in zip(
        attendees, (A.PRESENT, A.PRESENT, A.PRESENT, A.ABSENT), strict=True
    ):
        _mark(registration, day1, status)
    for registration, status in zip(attendees, (A.PRESENT, A.PRESENT, A.EXCUSED), strict=False):
        _mark(registration, day2, status)
    _mark(withdrawn, day1, A.PRESENT)  # no longer confirmed: not counted
    foreign = make_programme(
        paris, title="Paris secret", sessions=2, starts_on=today - timedelta(days=3)
    )
    foreign_soon = make_programme(paris, title="Paris soon", starts_on=today + timedelta(days=5))
    _people(foreign_soon, S.APPLIED, cities["lyon"], 4)
    (paris_person,) = _people(foreign, S.CONFIRMED, cities["lyon"], 1)
    _mark(paris_person, foreign.sessions[0], A.PRESENT)
    _db.session.flush()
    return {
        "seoul": seoul,
        "paris": paris,
        "smart": smart,
        "water": water,
        "webinar": webinar,
        "past": past,
        "today": today,
    }


# Centre dashboard -------------------------------------------------------------------------


def test_centre_dashboard_figures(client, login, centre_world):
    w = centre_world
    login(make_staff(w["seoul"], "coordinator"))
    response = client.get("/manage/seoul/dashboard")
    assert response.status_code == 200
    html = _html(response)
    assert_accessible_page(html)
    assert 'href="/static/css/dashboards.css"' in html

    upcoming = _table(response, "Published programmes that have not ended")
    assert [row[0] for row in upcoming] == ["Open webinar", "Smart city workshop", "Water forum"]
    webinar, smart, water = upcoming
    # Programme, dates (+ days to start), capacity, confirmed, fill rate, to review, waiting list.
    assert smart[1].endswith("Starts in 10 days")
    assert smart[2:] == ["3", "2", "67%", "3 — Smart city workshop", "2 — Smart city workshop"]
    assert water[1].endswith("Starts in 40 days")
    assert water[2:] == ["4", "1", "25%", "1 — Water forum", "0"]
    assert webinar[1].endswith("Starts today")
    assert webinar[2:] == ["0", "0", "No seats", "0", "0"]
    # An accessible bar: a meter hidden from screen readers, the percentage in text.
    assert '<meter min="0" max="3" value="2" aria-hidden="true"></meter>' in html
    smart_id, water_id = w["smart"].id, w["water"].id
    assert f'href="/manage/seoul/programmes/{smart_id}/registrations"' in html
    assert f'href="/manage/seoul/programmes/{smart_id}/registrations?status=applied"' in html
    assert f'href="/manage/seoul/programmes/{smart_id}/registrations?status=waitlisted"' in html
    assert f'href="/manage/seoul/programmes/{water_id}/registrations?status=applied"' in html

    # Totals over the coming programmes: 3 + 1 to review, 2 on the waiting list.
    totals = re.findall(r'<p class="dashboard-figure">(.*?)</p>', html)
    assert [re.sub(r"<[^>]+>", "", t) for t in totals] == ["4", "2"]
    assert '<a href="#upcoming-heading">4</a>' in html

    sessions = _table(response, "Sessions that have ended")
    # Session, programme, date, confirmed, present, absent, excused, not recorded, rate.
    assert [(row[0], row[1]) for row in sessions] == [
        ("Day 3", "Resilience course"),
        ("Day 2", "Resilience course"),
        ("Day 1", "Resilience course"),
    ]
    assert [row[3:] for row in sessions] == [
        ["4", "0", "0", "0", "4", "0%"],
        ["4", "2", "0", "1", "1", "50%"],
        ["4", "3", "1", "0", "0", "75%"],
    ]
    # Dates in the centre's zone: day 1 started at 01:00 UTC, 10:00 in Seoul.
    first_day = w["past"].sessions[0].starts_at.astimezone(ZoneInfo("Asia/Seoul"))
    assert f'datetime="{first_day.isoformat()}"' in html
    assert "10:00" in sessions[2][2]

    # Nothing of Paris, nothing of drafts or cancelled programmes.
    for text in ("Paris secret", "Paris soon", "Draft idea", "Cancelled course"):
        assert text not in html


def test_centre_dashboard_service_counts_directly(db, centre_world):
    w = centre_world
    by_title = {p.title: p for p in centre_dashboard.upcoming_programmes(w["seoul"])}
    smart = by_title["Smart city workshop"]
    assert (smart.capacity, smart.confirmed, smart.applied, smart.waitlisted) == (3, 2, 3, 2)
    assert smart.fill_rate == pytest.approx(2 / 3)
    assert smart.days_to_start == 10
    assert by_title["Open webinar"].fill_rate is None
    assert centre_dashboard.centre_totals(w["seoul"]) == centre_dashboard.CentreTotals(
        applied=4, waitlisted=2
    )
    paris = centre_dashboard.centre_totals(w["paris"])
    assert paris == centre_dashboard.CentreTotals(applied=4, waitlisted=0)
    page = centre_dashboard.past_session_attendance(w["paris"])
    assert page.total == 2
    assert [(s.title, s.confirmed, s.present, s.not_recorded) for s in page.items] == [
        ("Day 2", 1, 0, 1),
        ("Day 1", 1, 1, 0),
    ]


def test_past_sessions_are_paginated(client, login, db):
    centre = make_centre(slug="busan", timezone="Asia/Seoul")
    make_programme(
        centre, title="Long course", sessions=25, starts_on=date.today() - timedelta(days=30)
    )
    login(make_staff(centre, "director"))
    first = client.get("/manage/busan/dashboard")
    rows = _table(first, "Sessions that have ended")
    assert [r[0] for r in rows] == [f"Day {n}" for n in range(25, 5, -1)]
    assert "Page 1 of 2" in _html(first)
    second = client.get("/manage/busan/dashboard?page=2")
    assert [r[0] for r in _table(second, "Sessions that have ended")] == [
        f"Day {n}" for n in range(5, 0, -1)
    ]
    beyond = client.get("/manage/busan/dashboard?page=7")
    assert beyond.status_code == 200
    assert "This page is empty." in _html(beyond)


def test_centre_dashboard_empty_states(client, login, db):
    centre = make_centre(slug="empty-centre")
    login(make_staff(centre, "coordinator"))
    response = client.get("/manage/empty-centre/dashboard")
    assert response.status_code == 200
    html = _html(response)
    assert_accessible_page(html)
    assert "No published programme of this centre is coming up." in html
    assert "No session of this centre has ended yet." in html
    assert "<table" not in html


def test_centre_overview_links_to_the_dashboard(client, login, centre_world):
    login(make_staff(centre_world["seoul"], "coordinator"))
    assert 'href="/manage/seoul/dashboard"' in _html(client.get("/manage/seoul/"))


@pytest.mark.parametrize("role", ["coordinator", "director"])
def test_other_centres_staff_are_refused(client, login, centre_world, role):
    login(make_staff(centre_world["paris"], role))
    assert client.get("/manage/seoul/dashboard").status_code == 403
    own = client.get("/manage/paris/dashboard")
    assert own.status_code == 200
    assert "Smart city workshop" not in _html(own)
    assert "Resilience course" not in _html(own)
    assert "Paris soon" in _html(own)


def test_participants_and_strangers_are_refused_the_centre_dashboard(client, login, centre_world):
    assert client.get("/manage/seoul/dashboard").status_code == 302
    login(make_user())
    assert client.get("/manage/seoul/dashboard").status_code == 403
    assert client.get("/manage/nowhere/dashboard").status_code in (403, 404)


def test_admins_see_any_centre_dashboard(client, login, centre_world):
    login(make_admin())
    assert "Smart city workshop" in _html(client.get("/manage/seoul/dashboard"))


def test_hostile_page_numbers_and_titles(client, login, db):
    centre = make_centre(slug="hostile-centre")
    strings = hostile_strings()
    for n, text in enumerate(strings[:12]):
        programme = make_programme(
            centre,
            title=text[:200] or "x",
            sessions=1,
            starts_on=date.today() - timedelta(days=n + 2),
        )
        programme.sessions[0].title = text[:200] or "x"
        make_programme(
            centre, title=text[:200] or "x", starts_on=date.today() + timedelta(days=n + 2)
        )
    login(make_staff(centre, "coordinator"))
    response = client.get("/manage/hostile-centre/dashboard")
    assert response.status_code == 200
    html = _html(response)
    assert "<script>alert(1)</script>" not in html
    assert str(escape("<script>alert(1)</script>")) in html
    for value in strings:
        response = client.get("/manage/hostile-centre/dashboard", query_string={"page": value})
        assert response.status_code == 200, value


def test_centre_dashboard_issues_a_constant_number_of_statements(app, client, login, db, cities):
    today = _seoul_today()
    small = make_centre(slug="small", timezone="Asia/Seoul")
    large = make_centre(slug="large", timezone="Asia/Seoul")
    coming = make_programme(small, starts_on=today + timedelta(days=3))
    _people(coming, S.APPLIED, cities["lyon"], 1)
    make_programme(small, sessions=1, starts_on=today - timedelta(days=4))
    for n in range(6):
        programme = make_programme(large, capacity=20, starts_on=today + timedelta(days=n + 1))
        _people(programme, S.CONFIRMED, cities["seoul"], 3)
        _people(programme, S.APPLIED, cities["cairo"], 2)
        _people(programme, S.WAITLISTED, cities["quito"], 1, waitlist_position=1)
        past = make_programme(large, sessions=4, starts_on=today - timedelta(days=20 + 5 * n))
        for registration in _people(past, S.CONFIRMED, cities["lyon"], 3):
            for session in past.sessions:
                _mark(registration, session, A.PRESENT)
    login(make_admin())
    _db.session.commit()  # the rows are written before counting, not by the request
    few = _statements_for(app, client, "/manage/small/dashboard")
    many = _statements_for(app, client, "/manage/large/dashboard")
    second_page = _statements_for(app, client, "/manage/large/dashboard?page=2")
    assert few == many == second_page, (few, many, second_page)
    # The figures, the pages of programmes and sessions, and one statement for the albums.
    assert many <= 9


# Network dashboard ------------------------------------------------------------------------


@pytest.fixture
def network(db, cities):
    """Programmes starting in 2030, 2031 and 2032 across three centres."""
    seoul = make_centre(slug="seoul", name="MITI Seoul")
    paris = make_centre(slug="paris", name="MITI Paris")
    make_centre(slug="quito", name="MITI Quito")
    c = cities
    first = make_programme(seoul, title="First of 2031", starts_on=date(2031, 1, 1), capacity=30)
    _people(first, S.CONFIRMED, c["seoul"], 2)
    _people(first, S.CONFIRMED, c["cairo"], 1)
    _people(first, S.CONFIRMED, c["hostile"], 1)
    _people(first, S.WITHDRAWN, c["seoul"], 1)
    _people(first, S.CANCELLED, c["cairo"], 1)
    _people(first, S.APPLIED, c["lyon"], 1)
    _people(first, S.WAITLISTED, c["lyon"], 1, waitlist_position=1)
    _people(first, S.DECLINED, c["quito"], 1)
    completed = make_programme(
        seoul,
        title="Completed 2031",
        starts_on=date(2031, 12, 31),
        status=ProgrammeStatus.COMPLETED,
    )
    lyon_a, lyon_b = _people(completed, S.CONFIRMED, c["lyon"], 2)
    (quito,) = _people(completed, S.CONFIRMED, c["quito"], 1)
    _certify(lyon_a)
    _certify(lyon_b)
    _certify(quito, revoked=True)
    make_programme(
        seoul, title="Draft 2031", starts_on=date(2031, 5, 1), status=ProgrammeStatus.DRAFT
    )
    cancelled = make_programme(
        seoul, title="Cancelled 2031", starts_on=date(2031, 5, 1), status=ProgrammeStatus.CANCELLED
    )
    _people(cancelled, S.CONFIRMED, c["quito"], 2)  # counts nowhere: the programme is cancelled
    before = make_programme(seoul, title="Last of 2030", starts_on=date(2030, 12, 31))
    for registration in _people(before, S.CONFIRMED, c["seoul"], 3):
        _certify(registration)
    after = make_programme(seoul, title="First of 2032", starts_on=date(2032, 1, 1))
    _people(after, S.CONFIRMED, c["seoul"], 1)
    paris_2031 = make_programme(paris, title="Paris 2031", starts_on=date(2031, 6, 15))
    (paris_lyon,) = _people(paris_2031, S.CONFIRMED, c["lyon"], 1)
    _people(paris_2031, S.CONFIRMED, c["cairo"], 1)
    nobody = make_registration(paris_2031, make_user(), status=S.CONFIRMED, member_city_id=None)
    _certify(paris_lyon)
    _db.session.flush()
    return {"seoul": seoul, "paris": paris, "nobody": nobody}


CITIES_2031 = {
    ("Lyon", "France", "Europe"): 3,
    ("서울", "Republic of Korea", "Asia-Pacific"): 2,
    ("القاهرة", "Egypt", "Middle East and West Asia"): 2,
    (HOSTILE_CITY, "-Testland", "Africa"): 1,
    ("Quito", "Ecuador", "Latin America and the Caribbean"): 1,
    ("Member city not recorded", "Country not recorded", "World region not recorded"): 1,
}
COUNTRIES_2031 = {
    "France": 3,
    "Republic of Korea": 2,
    "Egypt": 2,
    "-Testland": 1,
    "Ecuador": 1,
    "Country not recorded": 1,
}
REGIONS_2031 = {
    "Europe": 3,
    "Asia-Pacific": 2,
    "Middle East and West Asia": 2,
    "Africa": 1,
    "Latin America and the Caribbean": 1,
    "World region not recorded": 1,
}


def _assert_most_first(counts: list[int]) -> None:
    assert counts == sorted(counts, reverse=True)


def test_network_dashboard_figures_for_a_year(client, login, network):
    login(make_admin())
    response = client.get("/admin/dashboard?year=2031")
    assert response.status_code == 200
    html = _html(response)
    assert_accessible_page(html)
    assert '<option value="2031" selected>2031</option>' in html
    for year in (2030, 2031, 2032, date.today().year):
        assert f'<option value="{year}"' in html

    centres = _table(response, "Programmes, confirmed participants and certified completions")
    assert centres == [
        ["MITI Seoul", "2", "7", "2"],
        ["MITI Paris", "1", "3", "1"],
        ["MITI Quito", "0", "0", "0"],
        ["Total", "3", "10", "3"],
    ]
    assert 'href="/manage/seoul/dashboard"' in html

    cities = _table(response, "Confirmed participants per member city")
    assert {(r[0], r[1], r[2]): int(r[3]) for r in cities} == CITIES_2031
    _assert_most_first([int(r[3]) for r in cities])
    assert cities[0][0] == "Lyon"

    countries = _table(response, "Confirmed participants per country")
    assert {r[0]: int(r[1]) for r in countries} == COUNTRIES_2031
    _assert_most_first([int(r[1]) for r in countries])

    regions = _table(response, "Confirmed participants per world region")
    assert {r[0]: int(r[1]) for r in regions} == REGIONS_2031
    _assert_most_first([int(r[1]) for r in regions])

    for table in ("cities", "countries", "regions", "centres"):
        assert f'href="/admin/dashboard.csv?year=2031&amp;table={table}"' in html


def test_other_years_have_their_own_figures(client, login, network):
    login(make_admin())
    response = client.get("/admin/dashboard?year=2030")
    assert _table(response, "Programmes, confirmed participants")[0] == [
        "MITI Seoul",
        "1",
        "3",
        "3",
    ]
    assert _table(response, "Confirmed participants per member city") == [
        ["서울", "Republic of Korea", "Asia-Pacific", "3"]
    ]
    response = client.get("/admin/dashboard?year=2032")
    assert _table(response, "Confirmed participants per world region") == [["Asia-Pacific", "1"]]


def test_default_year_is_the_current_one_with_empty_states(client, login, network):
    login(make_admin())
    response = client.get("/admin/dashboard")
    assert response.status_code == 200
    html = _html(response)
    year = date.today().year
    assert f'<option value="{year}" selected>{year}</option>' in html
    assert html.count(f"No confirmed participants in programmes starting in {year}.") == 3
    assert _table(response, "Programmes, confirmed participants")[-1] == ["Total", "0", "0", "0"]


def test_region_labels_are_translated(client, login, network):
    login(make_admin(preferred_language="fr"))
    html = _html(client.get("/admin/dashboard?year=2031"))
    assert "Asie-Pacifique" in html
    assert "Asia-Pacific" not in html


def test_network_dashboard_is_linked_from_the_admin_navigation(client, login, db):
    login(make_admin())
    assert 'href="/admin/dashboard"' in _html(client.get("/admin/"))


@pytest.mark.parametrize("role", ["participant", "coordinator", "director"])
def test_network_dashboard_is_for_admins_only(client, login, network, role):
    if role == "participant":
        login(make_user())
    else:
        login(make_staff(network["seoul"], role))
    assert client.get("/admin/dashboard?year=2031").status_code == 403
    for table in ("cities", "countries", "regions", "centres"):
        assert client.get(f"/admin/dashboard.csv?year=2031&table={table}").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, network):
    for url in ("/admin/dashboard", "/admin/dashboard.csv?table=cities"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.location.startswith("/account/login")


# CSV exports ------------------------------------------------------------------------------


def test_csv_of_the_cities(client, login, network):
    login(make_admin())
    response = client.get("/admin/dashboard.csv?year=2031&table=cities")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == spreadsheets.CSV_MEDIA_TYPE
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="miti-participants-by-member-city-2031.csv"'
    )
    rows = _csv(response)
    assert rows[0] == ["Member city", "Country", "World region", "Participants"]
    assert {tuple(r[:3]): int(r[3]) for r in rows[1:]} == {
        tuple(spreadsheets.cell_value(cell) for cell in key): n for key, n in CITIES_2031.items()
    }
    # The formula is neutralised; Arabic and Korean names are intact.
    assert ["'" + HOSTILE_CITY, "'-Testland", "Africa", "1"] in rows
    assert ["القاهرة", "Egypt", "Middle East and West Asia", "2"] in rows
    assert ["서울", "Republic of Korea", "Asia-Pacific", "2"] in rows
    assert "القاهرة".encode() in response.get_data()


def test_csv_of_countries_regions_and_centres(client, login, network):
    login(make_admin())
    countries = _csv(client.get("/admin/dashboard.csv?year=2031&table=countries"))
    assert countries[0] == ["Country", "Participants"]
    assert {r[0]: int(r[1]) for r in countries[1:]} == {
        ("'" + k if k.startswith("-") else k): v for k, v in COUNTRIES_2031.items()
    }
    regions = _csv(client.get("/admin/dashboard.csv?year=2031&table=regions"))
    assert regions[0] == ["World region", "Participants"]
    assert {r[0]: int(r[1]) for r in regions[1:]} == REGIONS_2031
    centres = _csv(client.get("/admin/dashboard.csv?year=2031&table=centres"))
    assert centres == [
        ["Centre", "Programmes", "Confirmed participants", "Completions"],
        ["MITI Seoul", "2", "7", "2"],
        ["MITI Paris", "1", "3", "1"],
        ["MITI Quito", "0", "0", "0"],
        ["Total", "3", "10", "3"],
    ]
    previous = _csv(client.get("/admin/dashboard.csv?year=2030&table=centres"))
    assert previous[1] == ["MITI Seoul", "1", "3", "3"]


def test_every_hostile_city_name_is_neutralised_or_kept_verbatim(client, login, db):
    centre = make_centre(slug="lagos", name="MITI Lagos")
    programme = make_programme(centre, starts_on=date(2031, 3, 1), capacity=100)
    names = sorted({s[:200] for s in hostile_strings() if s.strip()})
    for n, name in enumerate(names):
        city = make_member_city(name=name, country=f"Country {n}")
        _people(programme, S.CONFIRMED, city, 1)
    login(make_admin())
    rows = _csv(client.get("/admin/dashboard.csv?year=2031&table=cities"))
    shown = {r[0] for r in rows[1:]}
    for name in names:
        # Control characters a spreadsheet cannot hold are dropped, as in every export.
        kept = "".join(c for c in name if c in "\t\r\n" or not ("\0" <= c < " "))
        if kept.startswith(("=", "+", "-", "@", "\t", "\r", "\0")):
            assert "'" + kept in shown, name
        else:
            assert kept in shown, name
    for cell in shown:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\0")), cell
    html = _html(client.get("/admin/dashboard?year=2031"))
    assert "<script>alert(1)</script>" not in html
    assert str(escape("<script>alert(1)</script>")) in html


def test_downloads_are_rate_limited_per_account(app, client, login, network, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_RATE_LIMIT", "3 per minute")
    login(make_admin())
    url = "/admin/dashboard.csv?year=2031&table=regions"
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get("/admin/dashboard?year=2031").status_code == 200


def test_neutralise_cells():
    assert spreadsheets.cell_value("=1+1") == "'=1+1"
    assert spreadsheets.cell_value("\t=1") == "'\t=1"
    assert spreadsheets.cell_value("\r=1") == "'\r=1"
    assert spreadsheets.cell_value("\0x") == "x"  # NUL cannot be in a spreadsheet cell
    assert spreadsheets.cell_value("@\0x") == "'@x"
    assert spreadsheets.cell_value("Lyon") == "Lyon"
    assert spreadsheets.cell_value(-3) == -3
    assert spreadsheets.cell_value(None) == ""


@pytest.mark.parametrize("table", ["", "users", "CITIES", "cities ", "../etc", "centres\x00"])
def test_unknown_table_is_404(client, login, network, table):
    login(make_admin())
    response = client.get("/admin/dashboard.csv", query_string={"year": "2031", "table": table})
    assert response.status_code == 404


def test_hostile_years_and_tables_never_fail(app, client, login, network, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_RATE_LIMIT", "10000 per minute")
    login(make_admin())
    this_year = date.today().year
    extra = [
        "٢٠٣١",
        "２０３１",
        "2031abc",
        "20310",
        " 2031",
        "0",
        "-2031",
        "1e3",
        "99999999999999999",
    ]
    for value in (*hostile_strings(), *extra):
        page = client.get("/admin/dashboard", query_string={"year": value})
        assert page.status_code == 200, value
        assert f'<option value="{this_year}" selected>' in _html(page), value
        assert "<script>alert(1)</script>" not in _html(page)
        download = client.get(
            "/admin/dashboard.csv", query_string={"year": value, "table": "centres"}
        )
        assert download.status_code == 200, value
        assert download.headers["Content-Disposition"].endswith(f'-{this_year}.csv"')
        assert client.get(
            "/admin/dashboard.csv", query_string={"year": "2031", "table": value}
        ).status_code in (400, 404), value


def test_network_dashboard_issues_a_constant_number_of_statements(app, client, login, db, cities):
    one = make_centre(slug="one")
    _people(make_programme(one, starts_on=date(2031, 4, 1)), S.CONFIRMED, cities["lyon"], 1)
    login(make_admin())
    _db.session.commit()
    few = _statements_for(app, client, "/admin/dashboard?year=2031")
    centres = [make_centre() for _ in range(5)]
    more_cities = [make_member_city(name=f"City {n}", country=f"Country {n}") for n in range(8)]
    for n, centre in enumerate(centres):
        for month in (2, 7):
            programme = make_programme(centre, starts_on=date(2031, month, n + 1), capacity=40)
            for city in more_cities[n : n + 4]:
                for registration in _people(programme, S.CONFIRMED, city, 2):
                    _certify(registration)
    _db.session.commit()  # the rows are written before counting, not by the request
    many = _statements_for(app, client, "/admin/dashboard?year=2031")
    assert few == many, (few, many)
    assert many <= 11  # two more: nominations and selection per world region and member city
    csv_few = _statements_for(app, client, "/admin/dashboard.csv?year=2031&table=cities")
    csv_centres = _statements_for(app, client, "/admin/dashboard.csv?year=2031&table=centres")
    assert csv_few == csv_centres <= 6


def test_session_dates_count_in_utc_with_the_centres_zone_shown(client, login, db):
    """A session that has just ended counts; one still going on does not."""
    centre = make_centre(slug="lima", timezone="America/Lima")
    programme = make_programme(centre, sessions=0, starts_on=date.today())
    now = utcnow()
    for title, start, end in (
        ("Morning", now - timedelta(hours=3), now - timedelta(minutes=1)),
        ("Afternoon", now - timedelta(minutes=30), now + timedelta(hours=2)),
    ):
        _db.session.add(
            ProgrammeSession(programme=programme, title=title, starts_at=start, ends_at=end)
        )
    login(make_staff(centre, "coordinator"))
    response = client.get("/manage/lima/dashboard")
    rows = _table(response, "Sessions that have ended")
    assert [r[0] for r in rows] == ["Morning"]
    start = (now - timedelta(hours=3)).astimezone(ZoneInfo("America/Lima"))
    assert f'datetime="{start.isoformat()}"' in _html(response)


def test_year_helpers():
    assert network_dashboard.chosen_year("2031", [2031, 2030], 2026) == 2031
    assert network_dashboard.chosen_year("2029", [2031, 2030], 2026) == 2026
    assert network_dashboard.chosen_year("٢٠٣١", [2031], 2026) == 2026
    assert network_dashboard.chosen_year(None, [2031], 2026) == 2026
