"""The catalogue's filters, search, pagination and SQL statement count, over real HTTP."""

import html as html_lib
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from markupsafe import escape

from miti_training.models import (
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeStatus,
    ProgrammeTranslation,
    Theme,
    utcnow,
)
from tests.support.factories import make_centre, make_programme, make_user, today
from tests.support.pages import field_errors, text_of
from tests.support.sql import statements_for
from tests.support.testdata import hostile_strings


def slugs(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'class="card-title"><a href="/programmes/([^"]+)"', text_of(response))


def result_count(response) -> str:
    return re.search(r'<h2 id="results-heading">(.*?)</h2>', text_of(response)).group(1)


@pytest.fixture
def catalogue(db):
    """Programmes that differ in one attribute each; today's default filter hides the past."""
    seoul = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    cairo = make_centre(slug="cairo", name="MITI Regional Centre Cairo", timezone="Africa/Cairo")
    p = {}
    p["prp"] = make_programme(
        seoul,
        slug="prp",
        title="Peer Review Process workshop",
        kind=ProgrammeKind.WORKSHOP,
        theme=Theme.URBAN_GOVERNANCE,
        languages="en,ko",
        starts_on=today() + timedelta(days=10),
    )
    p["water"] = make_programme(
        cairo,
        slug="water",
        title="Integrated Urban Water Management",
        summary="Supply, wastewater reuse and losses.",
        kind=ProgrammeKind.COURSE,
        theme=Theme.WATER_MANAGEMENT,
        languages="ar,en",
        starts_on=today() + timedelta(days=40),
        sessions=5,
    )
    p["webinar"] = make_programme(
        seoul,
        slug="webinar",
        title="Smart City Governance",
        description="Three online sessions on data governance.",
        kind=ProgrammeKind.WEBINAR,
        theme=Theme.SMART_CITY,
        format=ProgrammeFormat.ONLINE,
        languages="fa,en",
        starts_on=today() + timedelta(days=20),
    )
    p["not_open"] = make_programme(
        cairo,
        slug="not-open",
        title="Upgrading Informal Areas",
        theme=Theme.URBAN_PLANNING,
        starts_on=today() + timedelta(days=90),
        registration_opens_at=utcnow() + timedelta(days=10),
    )
    p["past"] = make_programme(
        seoul,
        slug="past",
        title="Opening Forum",
        kind=ProgrammeKind.FORUM,
        status=ProgrammeStatus.COMPLETED,
        starts_on=today() - timedelta(days=60),
        sessions=2,
    )
    make_programme(seoul, slug="draft", title="Draft water plan", status=ProgrammeStatus.DRAFT)
    return p


def test_default_listing_is_upcoming_public_programmes_soonest_first(client, catalogue):
    response = client.get("/programmes")
    assert slugs(response) == ["prp", "webinar", "water", "not-open"]
    assert result_count(response) == "4 programmes"


def test_cards_show_centre_dates_seats_and_state(client, catalogue):
    html = text_of(client.get("/programmes"))
    card = next(a for a in html.split("<article")[1:] if 'href="/programmes/water"' in a)
    assert "MITI Regional Centre Cairo" in card
    start, end = today() + timedelta(days=40), today() + timedelta(days=44)
    assert str(start.day) in card and str(end.day) in card and str(end.year) in card
    assert "15 seats left" in card and "Open until" in card and "Course" in card


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"centre": "cairo"}, ["water", "not-open"]),
        ({"kind": "webinar"}, ["webinar"]),
        ({"theme": "water_management"}, ["water"]),
        ({"format": "online"}, ["webinar"]),
        ({"language": "ko"}, ["prp"]),
        ({"language": "ar"}, ["water"]),
        ({"open": "1"}, ["prp", "webinar", "water"]),
        ({"open": "0"}, ["prp", "webinar", "water", "not-open"]),
        ({"past": "1"}, ["past", "prp", "webinar", "water", "not-open"]),
        ({"q": "peer review"}, ["prp"]),
        ({"q": "WASTEWATER"}, ["water"]),
        ({"q": "data governance"}, ["webinar"]),
        ({"q": "forum"}, []),
        ({"q": "forum", "past": "1"}, ["past"]),
        ({"q": "100%"}, []),
        ({"q": "_"}, []),
    ],
)
def test_each_filter(client, catalogue, query, expected):
    assert slugs(client.get("/programmes", query_string=query)) == expected


def test_date_range_keeps_programmes_that_overlap_it(client, catalogue):
    def between(start, end):
        query = {}
        if start is not None:
            query["date_from"] = (today() + timedelta(days=start)).isoformat()
        if end is not None:
            query["date_to"] = (today() + timedelta(days=end)).isoformat()
        return slugs(client.get("/programmes", query_string=query))

    assert between(15, 42) == ["webinar", "water"]
    # Water runs from day 40 to day 44: a range starting on day 43 still meets it.
    assert between(43, None) == ["water", "not-open"]
    assert between(None, 15) == ["prp"]
    # A range in the past shows past programmes without ticking the box.
    assert between(-70, -50) == ["past"]
    assert between(None, -50) == ["past"]


def test_combined_filters(client, catalogue):
    query = {"centre": "seoul", "kind": "workshop", "q": "peer", "open": "1", "language": "en"}
    assert slugs(client.get("/programmes", query_string=query)) == ["prp"]
    query["centre"] = "cairo"
    response = client.get("/programmes", query_string=query)
    assert slugs(response) == []
    html = text_of(response)
    assert "No programmes match these filters." in html
    assert '<a href="/programmes">Clear all filters</a>' in html


def test_search_finds_translations(client, catalogue):
    catalogue["water"].translations.append(
        ProgrammeTranslation(
            language="fr",
            title="Gestion intégrée de l’eau urbaine",
            summary="Approvisionnement et réutilisation des eaux usées.",
        )
    )
    catalogue["prp"].translations.append(
        ProgrammeTranslation(
            language="ko", title="동료 검토 프로세스 워크숍", description="서울 사례"
        )
    )
    assert slugs(client.get("/programmes?q=réutilisation")) == ["water"]
    assert slugs(client.get("/programmes?q=서울 사례")) == ["prp"]
    # The card shows the title in the viewer's language when there is one.
    french = text_of(client.get("/programmes?q=eau", headers={"Accept-Language": "fr"}))
    assert '<bdi lang="fr">Gestion intégrée de l’eau urbaine</bdi>' in french


def test_selected_filters_are_shown_back_in_the_form(client, catalogue):
    html = text_of(
        client.get(
            "/programmes",
            query_string={"centre": "cairo", "kind": "course", "q": "water", "open": "1"},
        )
    )
    assert '<option selected value="cairo">' in html
    assert '<option selected value="course">' in html
    assert 'name="q" type="search" value="water"' in html
    assert re.search(r'<input checked id="open" name="open" type="checkbox" value="1">', html)


def test_filter_form_is_labelled_and_grouped(client, catalogue):
    html = text_of(client.get("/programmes"))
    main = html[html.index("<main") :]
    assert main.count("<h1") == 1
    assert '<form method="get" action="/programmes"' in main and "<fieldset>" in main
    assert "<legend>Find a programme</legend>" in main
    for name in ("q", "centre", "kind", "theme", "format", "language", "date_from", "date_to"):
        assert f'<label for="{name}">' in main and f'id="{name}"' in main
    for name in ("open", "past"):
        assert f'<label for="{name}">' in main
    assert "csrf_token" not in main[: main.index("</form>")]
    assert "style=" not in main and "<script" not in main


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"kind": "spaceship"}, "kind", "Choose a kind from the list"),
        ({"centre": "atlantis"}, "centre", "Choose a centre from the list"),
        ({"theme": "x"}, "theme", "Choose a theme from the list"),
        ({"format": "x"}, "format", "Choose a format from the list"),
        ({"language": "xx"}, "language", "Choose a language from the list"),
        ({"date_from": "2026-02-30"}, "date_from", "Enter a date like 2026-05-12"),
        ({"date_to": "tomorrow"}, "date_to", "Enter a date like 2026-05-12"),
        ({"q": "x" * 201}, "q", "Use at most 200 characters"),
        ({"q": "water\x1b[31m"}, "q", "Remove the control characters"),
        ({"q": "water\x00"}, "q", "Remove the control characters"),
    ],
)
def test_invalid_values_get_a_message_and_are_ignored(client, catalogue, query, field, message):
    response = client.get("/programmes", query_string={**query, "theme": query.get("theme", "")})
    assert response.status_code == 200
    errors = field_errors(response)
    assert message in errors[field]
    assert "ignored" in errors[field]
    assert slugs(response) == ["prp", "webinar", "water", "not-open"]


def test_an_invalid_filter_does_not_drop_the_valid_ones(client, catalogue):
    response = client.get("/programmes?kind=spaceship&centre=cairo")
    assert slugs(response) == ["water", "not-open"]
    assert "kind" in field_errors(response)


def test_end_before_start_is_ignored_with_a_message(client, catalogue):
    start = (today() + timedelta(days=30)).isoformat()
    end = (today() + timedelta(days=5)).isoformat()
    response = client.get(f"/programmes?date_from={start}&date_to={end}")
    assert "before the start date" in field_errors(response)["date_to"]
    assert slugs(response) == ["water", "not-open"]


PARAMETERS = (
    "q",
    "centre",
    "kind",
    "theme",
    "format",
    "language",
    "date_from",
    "date_to",
    "open",
    "past",
    "page",
)


@pytest.mark.parametrize("parameter", PARAMETERS)
def test_hostile_values_never_break_or_inject(client, catalogue, parameter):
    for value in hostile_strings():
        response = client.get("/programmes", query_string={parameter: value})
        assert response.status_code == 200, (parameter, value)
        html = text_of(response)
        assert "<script>alert(1)" not in html, (parameter, value)
        assert "<img src=x" not in html, (parameter, value)
        assert "49" not in re.findall(r'value="([^"]*)"', html), (parameter, value)
        if parameter == "q" and value.strip() and len(value) <= 200 and value.isprintable():
            # Reflected into the search box, escaped.
            assert f'value="{escape(value.strip())}"' in html, value


def test_hostile_values_in_every_parameter_at_once(client, catalogue):
    for value in hostile_strings():
        response = client.get("/programmes", query_string=dict.fromkeys(PARAMETERS, value))
        assert response.status_code == 200, value


@pytest.mark.parametrize("value", hostile_strings())
def test_hostile_slugs_are_404(client, catalogue, value):
    for url in (f"/programmes/{value}", f"/programmes/{value}.ics", f"/centres/{value}"):
        response = client.get(url.replace("?", "%3F").replace("#", "%23"))
        assert response.status_code in (404, 308), (url, response.status_code)


# Pagination ---------------------------------------------------------------------------------


def _many(count: int, **kw) -> None:
    centre = make_centre()
    for n in range(count):
        make_programme(centre, starts_on=today() + timedelta(days=n + 1), **kw)


def test_programme_list_paginates_and_keeps_working_on_later_pages(client, db):
    _many(25)
    first = client.get("/programmes")
    assert len(slugs(first)) == 20
    assert result_count(first) == "25 programmes"
    html = text_of(first)
    assert 'rel="next"' in html and "page=2" in html
    second = client.get("/programmes?page=2")
    assert len(slugs(second)) == 5
    assert 'rel="prev"' in text_of(second)
    assert set(slugs(first)).isdisjoint(slugs(second))


def test_pagination_links_keep_the_filters(client, db):
    _many(23, theme=Theme.WATER_MANAGEMENT, languages="en,fr")
    _many(3, theme=Theme.HOUSING)
    first = client.get("/programmes?theme=water_management&language=fr&q=Programme")
    assert result_count(first) == "23 programmes"
    link = html_lib.unescape(re.search(r'<a href="([^"]+)" rel="next"', text_of(first)).group(1))
    assert parse_qs(urlsplit(link).query) == {
        "theme": ["water_management"],
        "language": ["fr"],
        "q": ["Programme"],
        "page": ["2"],
    }
    second = client.get(link)
    assert len(slugs(second)) == 3
    back = html_lib.unescape(re.search(r'<a href="([^"]+)" rel="prev"', text_of(second)).group(1))
    assert parse_qs(urlsplit(back).query)["theme"] == ["water_management"]


@pytest.mark.parametrize("page", ["999", "abc", "-3", "0", "1e3", "99999999999999999999999"])
def test_out_of_range_and_bad_page_numbers_are_not_errors(client, db, page):
    _many(25)
    response = client.get(f"/programmes?page={page}")
    assert response.status_code == 200
    expected = 5 if page == "999" else 20  # past the end: the last page
    assert len(slugs(response)) == expected


# Statement counts ---------------------------------------------------------------------------


def _statements(client, db, url: str) -> int:
    db.session.commit()  # the test's rows, so the count holds only the request's statements
    return statements_for(None, client, url)


def _varied(count: int) -> None:
    """Programmes across centres, with sessions and translations: every relation in use."""
    centres = [make_centre(timezone=tz) for tz in ("Asia/Seoul", "Europe/Paris", "Asia/Tehran")]
    for n in range(count):
        programme = make_programme(
            centres[n % 3],
            theme=Theme.WATER_MANAGEMENT,
            starts_on=today() + timedelta(days=n + 5),
            sessions=1 + n % 3,
        )
        programme.translations.append(
            ProgrammeTranslation(language="fr", title=f"Programme {n} en français")
        )


@pytest.mark.parametrize(
    "url", ["/programmes", "/programmes?theme=water_management&q=programme&open=1"]
)
def test_catalogue_statement_count_does_not_grow_with_the_programmes(client, db, url):
    _varied(5)
    few = _statements(client, db, url)
    _varied(15)
    assert _statements(client, db, url) == few  # rendered anew: the programmes changed
    assert len(slugs(client.get(url))) == 20
    assert few <= 9  # with the validators' query of an anonymous page (web/http_cache.py)


def test_statement_count_is_the_same_for_logged_in_users(client, db, login):
    login(make_user(preferred_language="fr"))
    _varied(5)
    few = _statements(client, db, "/programmes")
    _varied(15)
    assert _statements(client, db, "/programmes") == few


def test_home_and_centre_pages_statement_counts_do_not_grow(client, db):
    centre = make_centre(slug="paris", timezone="Europe/Paris")
    for n in range(2):
        make_programme(centre, starts_on=today() + timedelta(days=n + 1))
        make_programme(centre, starts_on=today() - timedelta(days=n + 30))
    few = {url: _statements(client, db, url) for url in ("/", "/centres/paris")}
    for n in range(10):
        make_programme(centre, starts_on=today() + timedelta(days=n + 10), sessions=2)
        make_programme(centre, starts_on=today() - timedelta(days=n + 60))
    for url, count in few.items():
        assert _statements(client, db, url) == count, url


def test_programme_page_statement_count_does_not_grow_with_sessions(client, db):
    few = make_programme(sessions=1)
    many = make_programme(sessions=12)
    for programme in (few, many):
        for language in ("fr", "ko", "ar"):
            programme.translations.append(ProgrammeTranslation(language=language, title="T"))
    assert _statements(client, db, f"/programmes/{few.slug}") == _statements(
        client, db, f"/programmes/{many.slug}"
    )
