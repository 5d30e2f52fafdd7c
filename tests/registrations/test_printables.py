"""Sign-in sheets and name badges over real HTTP and a real database: who is listed and in
what order, names in many scripts, hostile text escaped, the print stylesheet, other centres'
staff refused, and a constant number of SQL statements however many participants there are.

Which role may use which route is tested for every route in test_authorization_matrix.py.
"""

import html as html_lib
import re
from datetime import UTC, datetime

import pytest
from markupsafe import escape

from miti_training.models import ProgrammeSession, RegistrationStatus
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
    register_official,
)
from tests.support.pages import assert_accessible_page
from tests.support.pages import text_of as _html
from tests.support.sql import statements_for as _statements_for
from tests.support.testdata import hostile_strings, officials

S = RegistrationStatus


@pytest.fixture
def seoul(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    programme = make_programme(
        centre,
        sessions=2,
        title="Sharing Cities: Peer Review Process",
        venue="Seoul Human Resources Development Centre",
    )
    # 01:00-08:00 UTC on the first day: 10:00-17:00 in Seoul.
    programme.sessions[0].location = "Room 301, Seocho-gu"
    return {
        "centre": centre,
        "programme": programme,
        "coordinator": make_staff(centre, "coordinator"),
    }


def _rows(html: str) -> list[str]:
    """The names of the sign-in sheet's rows, in order."""
    return [
        html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r'<th scope="row">(.*?)</th>', html, re.S)
    ]


def _badge_names(html: str) -> list[str]:
    return [
        html_lib.unescape(name)
        for name in re.findall(r'<p class="name-badge-name[^"]*"><bdi dir="auto">(.*?)</bdi>', html)
    ]


def _sheet_url(programme, session=None) -> str:
    session = session or programme.sessions[0]
    return f"/manage/seoul/programmes/{programme.id}/sessions/{session.id}/sign-in-sheet"


# The sign-in sheet ---------------------------------------------------------------------------


def test_sign_in_sheet_lists_the_confirmed_participants_by_name(client, login, db, seoul):
    programme = seoul["programme"]
    people = {row["full_name"]: row for row in officials()}
    for name in ("김지은", "Lucía Hernández Ortega", "منى السيد", "Chloé Lefèvre", "Reza Karimi"):
        register_official(people[name], programme)
    register_official(people["Karim Haddad"], programme, S.WAITLISTED, waitlist_position=1)
    register_official(people["زهرا احمدی"], programme, S.APPLIED)
    register_official(people["Park Min-jun"], programme, S.WITHDRAWN)
    register_official(people["王芳"], programme, S.DECLINED)
    other = make_programme(seoul["centre"], title="Another programme")
    register_official(people["Aminata Diallo"], other)
    login(seoul["coordinator"])

    response = client.get(_sheet_url(programme))

    assert response.status_code == 200
    html = _html(response)
    expected = sorted(
        ["김지은", "Lucía Hernández Ortega", "منى السيد", "Chloé Lefèvre", "Reza Karimi"],
        key=str.casefold,
    )
    assert _rows(html) == expected
    for absent in ("Karim Haddad", "زهرا احمدی", "Park Min-jun", "王芳", "Aminata Diallo"):
        assert absent not in html
    # Numbered rows, the member city and country, an empty signature cell per row.
    assert '<td class="col-number">5</td>' in html
    assert "<bdi>Mexico City</bdi>, <bdi>Mexico</bdi>" in html
    assert "<bdi>Seoul</bdi>, <bdi>Republic of Korea</bdi>" in html
    assert html.count('<td class="col-signature"></td>') == 5
    assert '<th scope="col" class="col-signature">Signature</th>' in html
    # The header: programme, session, time in the centre's zone, centre, location.
    assert "<h1><bdi>Sharing Cities: Peer Review Process</bdi></h1>" in html
    assert "<bdi>Day 1</bdi>" in html
    assert "10:00" in html and "5:00" in html and "(Seoul)" in html
    assert "MITI Headquarters Seoul" in html
    assert "Room 301, Seocho-gu" in html
    assert "Confirmed participants</dt>\n    <dd>5</dd>" in html
    # Print: the stylesheet, the print button (shown by a script file), no inline script.
    assert 'href="/static/css/print.css"' in html
    assert 'src="/static/js/print.js"' in html
    assert "data-print hidden" in html and "Print command" in html
    assert_accessible_page(html)


def test_sign_in_sheet_shows_the_venue_when_the_session_has_no_location(client, login, seoul):
    programme = seoul["programme"]
    login(seoul["coordinator"])
    html = _html(client.get(_sheet_url(programme, programme.sessions[1])))
    assert "<bdi>Day 2</bdi>" in html
    assert "<bdi>Seoul Human Resources Development Centre</bdi>" in html
    assert "Room 301" not in html


def test_sign_in_sheet_of_a_session_in_another_zone(client, login, db):
    centre = make_centre(slug="seoul", name="MITI Paris", timezone="Europe/Paris")
    programme = make_programme(centre, sessions=0)
    programme.sessions.append(
        ProgrammeSession(
            title="Opening forum",
            starts_at=datetime(2026, 7, 1, 7, 30, tzinfo=UTC),
            ends_at=datetime(2026, 7, 1, 15, 0, tzinfo=UTC),
        )
    )
    db.session.flush()
    login(make_staff(centre, "director"))
    html = _html(client.get(_sheet_url(programme)))
    # Summer time in Paris: UTC+2.
    assert "9:30" in html and "5:00" in html and "(Paris)" in html
    assert "2026" in html


def test_empty_sign_in_sheet_says_nobody_is_confirmed(client, login, seoul):
    programme = seoul["programme"]
    make_registration(programme, status=S.APPLIED)
    login(seoul["coordinator"])
    response = client.get(_sheet_url(programme))
    assert response.status_code == 200
    html = _html(response)
    assert "<table" not in html
    assert "Nobody is confirmed for this programme yet" in html
    assert_accessible_page(html)


def test_hostile_names_are_escaped_on_both_pages(client, login, db, seoul):
    programme = seoul["programme"]
    programme.title = "<script>alert('title')</script>"
    programme.sessions[0].title = '"><img src=x onerror=alert(1)>'
    hostile = [s for s in hostile_strings() if len(s) <= 200]
    for n, text in enumerate(hostile):
        user = make_user(full_name=text, email=f"hostile{n}@city.example")
        make_registration(programme, user, organisation=text, country=text)
    login(seoul["coordinator"])

    for url in (_sheet_url(programme), f"/manage/seoul/programmes/{programme.id}/badges"):
        response = client.get(url)
        assert response.status_code == 200
        html = _html(response)
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert str(escape("<script>alert(1)</script>")) in html
        assert str(escape("<script>alert('title')</script>")) in html
        assert "{{ 7*7 }}" in html and ">49<" not in html
        assert_accessible_page(html)


@pytest.mark.parametrize("page", ["sheet", "badges"])
def test_the_pages_issue_a_constant_number_of_statements(app, client, login, db, seoul, page):
    few = seoul["programme"]
    many = make_programme(seoul["centre"], sessions=2, capacity=40)
    for _ in range(3):
        make_registration(few, status=S.CONFIRMED)
    for _ in range(30):
        make_registration(many, status=S.CONFIRMED)
        make_registration(many, status=S.APPLIED)
    login(seoul["coordinator"])

    def url(programme):
        if page == "sheet":
            return _sheet_url(programme)
        return f"/manage/seoul/programmes/{programme.id}/badges"

    counts = [_statements_for(app, client, url(p)) for p in (few, many)]
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10


# Name badges -------------------------------------------------------------------------------


def test_badges_eight_to_a_page_with_name_organisation_country(client, login, db, seoul):
    programme = seoul["programme"]
    rows = list(officials())[:11]
    for row in rows:
        register_official(row, programme)
    make_registration(programme, make_user(full_name="Waiting Person"), status=S.WAITLISTED)
    login(seoul["coordinator"])

    response = client.get(f"/manage/seoul/programmes/{programme.id}/badges")

    assert response.status_code == 200
    html = _html(response)
    assert _badge_names(html) == sorted((r["full_name"] for r in rows), key=str.casefold)
    assert "Waiting Person" not in html
    sheets = re.findall(r'<section class="badge-sheet"[^>]*>(.*?)</section>', html, re.S)
    assert [sheet.count('<article class="name-badge">') for sheet in sheets] == [8, 3]
    assert '<bdi dir="auto">김지은</bdi>' in html
    assert '<bdi dir="auto">منى السيد</bdi>' in html
    assert '<p class="name-badge-country"><bdi dir="auto">Egypt</bdi></p>' in html
    assert html.count("<bdi>MITI Headquarters Seoul</bdi>") >= 11
    assert html.count("<bdi>Sharing Cities: Peer Review Process</bdi>") >= 11
    assert '<h1 class="screen-only">' in html
    assert 'href="/static/css/print.css"' in html
    assert_accessible_page(html)


def test_no_badges_without_confirmed_participants(client, login, seoul):
    login(seoul["coordinator"])
    response = client.get(f"/manage/seoul/programmes/{seoul['programme'].id}/badges")
    assert response.status_code == 200
    html = _html(response)
    assert "name-badge" not in html.replace("name-badge-", "")
    assert "no badges to print" in html
    assert_accessible_page(html)


# The print stylesheet ------------------------------------------------------------------------


def test_print_stylesheet_is_served_with_the_page_rules(client):
    response = client.get("/static/css/print.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert re.search(r"@page\s*\{[^}]*size:\s*A4;[^}]*margin:", css)
    assert "thead { display: table-header-group; }" in css
    assert css.count("break-inside: avoid") >= 2
    assert "break-after: page" in css
    assert "@media print" in css
    # Logical properties only: the pages are printed right-to-left too.
    assert not re.search(r"(margin|padding|border)-(left|right)|text-align:\s*(left|right)", css)
    script = client.get("/static/js/print.js")
    assert script.status_code == 200
    assert "window.print()" in script.get_data(as_text=True)


# Who may print ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["sheet", "badges"])
@pytest.mark.parametrize("role", ["participant", "other_coordinator", "other_director"])
def test_others_are_refused(client, login, db, seoul, role, page):
    programme = seoul["programme"]
    register_official(officials()[0], programme)
    other = make_centre(slug="paris", timezone="Europe/Paris")
    if role == "participant":
        login(make_user())
    else:
        login(make_staff(other, role.removeprefix("other_")))
    url = (
        _sheet_url(programme)
        if page == "sheet"
        else f"/manage/seoul/programmes/{programme.id}/badges"
    )
    response = client.get(url)
    assert response.status_code == 403
    assert "Mona El-Sayed" not in _html(response)


def test_ids_of_other_centres_and_programmes_are_404(client, login, db, seoul):
    programme = seoul["programme"]
    other = make_centre(slug="paris", timezone="Europe/Paris")
    foreign = make_programme(other, sessions=1)
    register_official(officials()[0], foreign)
    second = make_programme(seoul["centre"], sessions=1)
    login(make_staff(seoul["centre"], "director"))
    # Another centre's programme under one's own centre.
    assert client.get(_sheet_url(foreign)).status_code == 404
    assert client.get(f"/manage/seoul/programmes/{foreign.id}/badges").status_code == 404
    # A session of another programme of the same centre.
    url = f"/manage/seoul/programmes/{programme.id}/sessions/{second.sessions[0].id}/sign-in-sheet"
    assert client.get(url).status_code == 404
    unknown = f"/manage/seoul/programmes/{programme.id}/sessions/999999/sign-in-sheet"
    assert client.get(unknown).status_code == 404
    # The other centre's own address, for a coordinator of Seoul.
    response = client.get(f"/manage/paris/programmes/{foreign.id}/badges")
    assert response.status_code == 403
