"""The public JSON API: filters, paging, languages, times, errors, and its OpenAPI document.

Every response a test receives through `api.get` is validated against the schema the
OpenAPI document gives for that path and status.
"""

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from miti_training.formatting import LANGUAGES
from miti_training.models import (
    CentreKind,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
    Theme,
    utcnow,
)
from miti_training.registrations.window import RegistrationState
from miti_training.timezones import to_utc
from tests.support.factories import make_centre, make_programme, today
from tests.support.sql import statements_for
from tests.support.testdata import hostile_strings

API = "/api/v1"
BASE = "http://testserver.example"
LIST_PARAMETERS = (
    "centre",
    "kind",
    "theme",
    "format",
    "language",
    "date_from",
    "date_to",
    "open",
    "include_past",
    "q",
    "page",
    "per_page",
    "lang",
)


class Api:
    """Requests to the API whose answers are checked against the OpenAPI document."""

    def __init__(self, client):
        self.client = client
        response = client.get(f"{API}/openapi.json")
        assert response.status_code == 200
        self.document = response.get_json()
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource("urn:miti-openapi", resource)

    def component(self, name: str) -> Draft202012Validator:
        return self._validator({"$ref": f"urn:miti-openapi#/components/schemas/{name}"})

    def _validator(self, schema: dict) -> Draft202012Validator:
        return Draft202012Validator(
            schema, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    @staticmethod
    def template(path: str) -> str:
        rest = path.removeprefix(API)
        if rest.startswith("/programmes/"):
            return "/programmes/{slug}"
        return rest

    def get(self, url: str, status: int = 200, **kwargs):
        """GET url and check the response (see check); return its body."""
        return self.check(self.client.get(url, **kwargs), urlsplit(url).path, status)

    def check(self, response, path: str, status: int = 200):
        """Status, JSON, caching headers, and the body valid against the document."""
        assert response.status_code == status, response.get_data(as_text=True)[:500]
        assert response.mimetype == "application/json"
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert "Accept-Language" in response.headers.get("Vary", "")
        body = response.get_json()
        operation = self.document["paths"][self.template(path)]["get"]
        schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
        schema = {"$ref": "urn:miti-openapi" + schema["$ref"]} if "$ref" in schema else schema
        errors = [e.message for e in self._validator(schema).iter_errors(body)]
        assert not errors, errors
        return body

    def slugs(self, url: str, **kwargs) -> list[str]:
        return [item["slug"] for item in self.get(url, **kwargs)["items"]]


@pytest.fixture
def api(client):
    return Api(client)


def local(year, month, day, hour, minute, zone):
    return to_utc(datetime(year, month, day, hour, minute), zone)


def add_translation(programme, language, title, summary="", description=""):
    translation = ProgrammeTranslation(
        language=language, title=title, summary=summary, description=description
    )
    programme.translations.append(translation)
    return translation


# --- The document ---------------------------------------------------------------------------


def test_openapi_document_is_valid_and_generated_from_the_models(api):
    document = api.document
    validate_openapi(document)
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    for name in ("Programme", "ProgrammeDetail", "ProgrammePage", "Session", "Centre", "Error"):
        assert name in schemas
    assert schemas["ProgrammeKind"]["enum"] == [k.value for k in ProgrammeKind]
    assert schemas["Theme"]["enum"] == [t.value for t in Theme]
    assert schemas["ProgrammeFormat"]["enum"] == [f.value for f in ProgrammeFormat]
    assert schemas["RegistrationState"]["enum"] == [s.value for s in RegistrationState]
    assert schemas["Language"]["enum"] == list(LANGUAGES)

    operation = document["paths"]["/programmes"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(LIST_PARAMETERS) <= set(parameters)
    assert parameters["kind"]["schema"] == {"$ref": "#/components/schemas/ProgrammeKind"}
    assert parameters["per_page"]["schema"]["maximum"] == 100
    assert parameters["date_from"]["schema"]["format"] == "date"
    assert parameters["lang"]["schema"] == {"$ref": "#/components/schemas/Language"}
    assert set(operation["responses"]) == {"200", "400", "404", "405", "429", "503"}
    detail = document["paths"]["/programmes/{slug}"]["get"]
    assert {p["name"] for p in detail["parameters"]} == {"slug", "lang", "Accept-Language"}
    assert set(detail["responses"]) == {"200", "400", "404", "405", "429", "503"}
    for path, item in document["paths"].items():
        responses = item["get"]["responses"]
        for status, response in responses.items():
            if status != "200" or path != "/openapi.json":
                schema = response["content"]["application/json"]["schema"]
                expected = "Error" if status != "200" else schema["$ref"].rsplit("/", 1)[1]
                assert schema == {"$ref": f"#/components/schemas/{expected}"}, (path, status)
        assert responses["405"]["headers"]["Allow"]["required"] is True
        assert responses["429"]["headers"]["Retry-After"]["required"] is True


def test_the_schema_refuses_what_the_api_must_not_send(api):
    """The component schemas are strict enough for the response checks to mean something."""
    errors = list(api.component("Session").iter_errors({"id": 1, "title": "Day 1"}))
    assert errors
    page = {"items": [], "total": 0, "page": 1, "per_page": 20, "pages": 0}
    assert list(api.component("ProgrammePage").iter_errors(page))  # next/previous required
    page |= {"next": None, "previous": None}
    assert not list(api.component("ProgrammePage").iter_errors(page))
    assert list(api.component("ProgrammePage").iter_errors(page | {"secret": 1}))


# --- Programmes -----------------------------------------------------------------------------


def test_list_item_has_every_field(api, db):
    paris = make_centre(
        slug="paris",
        name="MITI Regional Centre Paris Île-de-France",
        city="Paris",
        country="France",
        timezone="Europe/Paris",
    )
    programme = make_programme(
        paris,
        slug="peer-review-process",
        title="Peer Review Process",
        summary="The PRP method of integrated urban governance.",
        kind=ProgrammeKind.WORKSHOP,
        theme=Theme.URBAN_GOVERNANCE,
        format=ProgrammeFormat.HYBRID,
        venue="Hôtel de Région",
        languages="fr,en",
        capacity=15,
        seats_taken=4,
        sessions=2,
    )
    [item] = api.get(f"{API}/programmes")["items"]
    assert item["slug"] == "peer-review-process"
    assert item["url"] == f"{BASE}/programmes/peer-review-process"
    assert item["api_url"] == f"{BASE}{API}/programmes/peer-review-process"
    assert item["title"] == "Peer Review Process"
    assert item["summary"] == "The PRP method of integrated urban governance."
    assert item["language"] == item["original_language"] == "en"
    assert item["centre"] == {
        "slug": "paris",
        "name": "MITI Regional Centre Paris Île-de-France",
        "city": "Paris",
        "country": "France",
        "timezone": "Europe/Paris",
    }
    assert (item["kind"], item["theme"], item["format"]) == (
        "workshop",
        "urban_governance",
        "hybrid",
    )
    assert item["venue"] == "Hôtel de Région"
    assert item["languages"] == ["fr", "en"]
    assert item["starts_on"] == programme.starts_on.isoformat()
    assert item["ends_on"] == (programme.starts_on + timedelta(days=1)).isoformat()
    assert (item["capacity"], item["seats_left"]) == (15, 11)
    assert item["registration"] == {
        "state": "open",
        "opens_at": programme.registration_opens_at.isoformat(),
        "closes_at": programme.registration_closes_at.isoformat(),
    }
    assert item["registration"]["closes_at"].endswith("+00:00")
    assert item["status"] == "published"
    assert item["cancellation_reason"] is None
    assert "description" not in item and "sessions" not in item


def test_detail_has_description_and_sessions(api, db):
    programme = make_programme(
        slug="sharing-cities", description="Day 1: MoU.\n\nDay 2: forum.", sessions=2
    )
    programme.sessions[0].location = "Seoul City Hall"
    body = api.get(f"{API}/programmes/sharing-cities")
    assert body["description"] == "Day 1: MoU.\n\nDay 2: forum."
    assert [s["title"] for s in body["sessions"]] == ["Day 1", "Day 2"]
    first = body["sessions"][0]
    assert first["id"] == programme.sessions[0].id
    assert first["location"] == "Seoul City Hall"
    assert first["starts_at"] == programme.sessions[0].starts_at.isoformat()
    # Factory sessions start at 01:00 UTC: 10:00 in Seoul, no daylight saving.
    assert first["starts_at_local"].endswith("T10:00:00+09:00")


def test_session_times_carry_the_offset_across_the_paris_dst_change(api, db):
    paris = make_centre(slug="paris", timezone="Europe/Paris")
    programme = make_programme(
        paris,
        slug="forum-2026",
        starts_on=date(2026, 3, 28),
        ends_on=date(2026, 3, 29),
        sessions=0,
        registration_opens_at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
        registration_closes_at=datetime(2026, 3, 20, 23, 0, tzinfo=UTC),
    )
    zone = "Europe/Paris"
    programme.sessions.extend(
        [
            ProgrammeSession(
                title="Before the change",
                starts_at=local(2026, 3, 28, 9, 0, zone),
                ends_at=local(2026, 3, 28, 17, 0, zone),
            ),
            ProgrammeSession(
                title="After the change",
                starts_at=local(2026, 3, 29, 9, 0, zone),
                ends_at=local(2026, 3, 29, 17, 0, zone),
            ),
        ]
    )
    body = api.get(f"{API}/programmes/forum-2026")
    before, after = body["sessions"]
    assert before["starts_at"] == "2026-03-28T08:00:00+00:00"
    assert before["starts_at_local"] == "2026-03-28T09:00:00+01:00"
    assert after["starts_at"] == "2026-03-29T07:00:00+00:00"
    assert after["starts_at_local"] == "2026-03-29T09:00:00+02:00"
    assert after["ends_at"] == "2026-03-29T15:00:00+00:00"
    assert body["registration"]["opens_at"] == "2026-01-05T08:00:00+00:00"
    for session in body["sessions"]:
        for key in ("starts_at", "ends_at", "starts_at_local", "ends_at_local"):
            assert datetime.fromisoformat(session[key]).utcoffset() is not None
    # The programme is over: listed only with include_past or a date range.
    assert "forum-2026" not in api.slugs(f"{API}/programmes")
    assert api.slugs(f"{API}/programmes?include_past=true") == ["forum-2026"]


def test_drafts_never_appear_not_even_by_slug(api, db):
    make_programme(slug="public-one")
    make_programme(slug="secret-draft", status=ProgrammeStatus.DRAFT)
    assert api.slugs(f"{API}/programmes?include_past=true") == ["public-one"]
    assert api.slugs(f"{API}/programmes?q=secret") == []
    body = api.get(f"{API}/programmes/secret-draft", status=404)
    assert body["message"] and body["error"]
    api.get(f"{API}/programmes/no-such-programme", status=404)


def test_cancelled_and_completed_programmes_are_public_and_say_so(api, db):
    make_programme(
        slug="cancelled-one",
        status=ProgrammeStatus.CANCELLED,
        cancellation_reason="The venue is closed for repairs.",
    )
    make_programme(
        slug="completed-one",
        status=ProgrammeStatus.COMPLETED,
        starts_on=today() - timedelta(days=20),
    )
    cancelled = api.get(f"{API}/programmes/cancelled-one")
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancellation_reason"] == "The venue is closed for repairs."
    assert cancelled["registration"]["state"] == "cancelled"
    completed = api.get(f"{API}/programmes/completed-one")
    assert completed["status"] == "completed"
    assert completed["registration"]["state"] == "completed"
    assert completed["cancellation_reason"] is None
    listed = api.slugs(f"{API}/programmes?include_past=true")
    assert set(listed) == {"cancelled-one", "completed-one"}


def test_registration_states(api, db):
    make_programme(slug="open", capacity=10, seats_taken=3)
    make_programme(slug="waitlist", capacity=2, seats_taken=2, is_waitlist_enabled=True)
    make_programme(slug="full", capacity=2, seats_taken=2, is_waitlist_enabled=False)
    make_programme(slug="soon", registration_opens_at=utcnow() + timedelta(days=3))
    make_programme(slug="closed", registration_closes_at=utcnow() - timedelta(hours=1))
    states = {
        item["slug"]: (item["registration"]["state"], item["seats_left"])
        for item in api.get(f"{API}/programmes")["items"]
    }
    assert states == {
        "open": ("open", 7),
        "waitlist": ("waitlist", 0),
        "full": ("full", 0),
        "soon": ("not_open_yet", 15),
        "closed": ("closed", 15),
    }


# --- Filters --------------------------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    """Five programmes that differ in one respect each, and a draft that matches everything."""
    paris = make_centre(slug="paris", timezone="Europe/Paris")
    cairo = make_centre(slug="cairo", timezone="Africa/Cairo")
    make_programme(
        paris,
        slug="water",
        title="Integrated urban water management",
        kind=ProgrammeKind.COURSE,
        theme=Theme.WATER_MANAGEMENT,
        format=ProgrammeFormat.ONLINE,
        languages="fr,en",
        starts_on=today() + timedelta(days=10),
    )
    climate = make_programme(
        cairo,
        slug="climate",
        title="Climate adaptation study visit",
        kind=ProgrammeKind.STUDY_VISIT,
        theme=Theme.CLIMATE_CHANGE,
        format=ProgrammeFormat.IN_PERSON,
        languages="ar,en",
        starts_on=today() + timedelta(days=40),
        sessions=3,
    )
    add_translation(climate, "ko", "기후 적응 연수", summary="지진 대비와 기후 적응")
    make_programme(
        paris,
        slug="past",
        title="Housing forum",
        kind=ProgrammeKind.FORUM,
        starts_on=today() - timedelta(days=30),
        status=ProgrammeStatus.COMPLETED,
    )
    make_programme(
        cairo,
        slug="closed",
        title="Informal areas workshop",
        description="Upgrading 100% of informal areas",
        starts_on=today() + timedelta(days=60),
        registration_closes_at=utcnow() - timedelta(days=1),
    )
    make_programme(
        paris,
        slug="webinar",
        title="Smart city webinars",
        kind=ProgrammeKind.WEBINAR,
        format=ProgrammeFormat.ONLINE,
        theme=Theme.SMART_CITY,
        languages="es,en",
        starts_on=today() + timedelta(days=5),
        sessions=2,
    )
    make_programme(
        paris,
        slug="draft",
        title="Integrated water draft",
        kind=ProgrammeKind.COURSE,
        theme=Theme.WATER_MANAGEMENT,
        format=ProgrammeFormat.ONLINE,
        languages="fr,en",
        starts_on=today() + timedelta(days=10),
        status=ProgrammeStatus.DRAFT,
    )


def _day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def _dated(query: str) -> str:
    """query with each {+N} or {-N} replaced by the date N days after the catalogue's today.

    Dates are filled in when the test runs: one computed at collection would be a day off from
    the catalogue's today in a run that crosses midnight.
    """
    return re.sub(r"\{([+-]\d+)\}", lambda match: _day(int(match.group(1))), query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["webinar", "water", "climate", "closed"]),
        ("include_past=true", ["past", "webinar", "water", "climate", "closed"]),
        ("include_past=false", ["webinar", "water", "climate", "closed"]),
        ("centre=paris", ["webinar", "water"]),
        ("centre=paris&include_past=true", ["past", "webinar", "water"]),
        ("centre=cairo", ["climate", "closed"]),
        ("kind=course", ["water"]),
        ("kind=study_visit", ["climate"]),
        ("theme=smart_city", ["webinar"]),
        ("format=online", ["webinar", "water"]),
        ("format=hybrid", []),
        ("language=fr", ["water"]),
        ("language=ar", ["climate"]),
        ("language=en", ["webinar", "water", "climate", "closed"]),
        ("language=ko", []),
        ("date_from={+20}", ["climate", "closed"]),
        ("date_to={+10}", ["webinar", "water"]),
        ("date_to={+10}&include_past=true", ["past", "webinar", "water"]),
        ("date_to={-1}", ["past"]),
        ("date_from={+0}&date_to={+10}", ["webinar", "water"]),
        ("date_from={-40}&date_to={-1}", ["past"]),
        ("open=true", ["webinar", "water", "climate"]),
        ("open=false", ["webinar", "water", "climate", "closed"]),
        ("q=water", ["water"]),
        ("q=WATER", ["water"]),
        # The theme is searched too (closed: urban governance), ranked below a title match.
        ("q=%20%20urban%20%20", ["water", "closed"]),
        (f"q={quote('지진')}", ["climate"]),
        ("q=100%25", ["closed"]),
        ("q=%25", []),  # punctuation alone is no word: nothing matches
        ("q=_", []),
        ("centre=paris&format=online&kind=webinar", ["webinar"]),
        ("q=", ["webinar", "water", "climate", "closed"]),
    ],
)
def test_filters(api, catalogue, query, expected):
    assert api.slugs(f"{API}/programmes?{_dated(query)}") == expected


# --- Pagination -----------------------------------------------------------------------------


def test_pagination_keeps_the_filters_in_next_and_previous(api, db):
    centre = make_centre(slug="seoul")
    for n in range(25):
        make_programme(
            centre,
            slug=f"course-{n:02d}",
            kind=ProgrammeKind.COURSE,
            starts_on=today() + timedelta(days=n),
        )
    for n in range(3):
        make_programme(centre, slug=f"webinar-{n}", kind=ProgrammeKind.WEBINAR)

    first = api.get(f"{API}/programmes?kind=course&per_page=10&lang=fr")
    assert (first["total"], first["pages"], first["page"], first["per_page"]) == (25, 3, 1, 10)
    assert first["previous"] is None
    assert first["next"].startswith(f"{BASE}{API}/programmes?")
    assert parse_qs(urlsplit(first["next"]).query) == {
        "kind": ["course"],
        "per_page": ["10"],
        "lang": ["fr"],
        "page": ["2"],
    }
    seen = [item["slug"] for item in first["items"]]
    page = first
    while page["next"]:
        page = api.get(page["next"].removeprefix(BASE))
        seen += [item["slug"] for item in page["items"]]
    assert seen == [f"course-{n:02d}" for n in range(25)]
    assert page["page"] == 3 and len(page["items"]) == 5
    previous = parse_qs(urlsplit(page["previous"]).query)
    assert previous["page"] == ["2"] and previous["kind"] == ["course"]

    beyond = api.get(f"{API}/programmes?kind=course&per_page=10&page=7")
    assert beyond["items"] == [] and beyond["total"] == 25 and beyond["next"] is None
    assert parse_qs(urlsplit(beyond["previous"]).query)["page"] == ["3"]

    everything = api.get(f"{API}/programmes")
    assert (everything["total"], len(everything["items"]), everything["per_page"]) == (28, 20, 20)
    assert parse_qs(urlsplit(everything["next"]).query) == {"page": ["2"]}


def test_pagination_links_carry_every_filter(api, db):
    centre = make_centre(slug="cairo")
    for n in range(3):
        make_programme(
            centre,
            title=f"Water course {n}",
            kind=ProgrammeKind.COURSE,
            theme=Theme.WATER_MANAGEMENT,
            format=ProgrammeFormat.ONLINE,
            languages="ar,en",
        )
    query = (
        f"centre=cairo&kind=course&theme=water_management&format=online&language=ar"
        f"&date_from={_day(1)}&date_to={_day(90)}&open=true&include_past=true&q=water&per_page=1"
    )
    body = api.get(f"{API}/programmes?{query}")
    assert body["total"] == 3
    carried = parse_qs(urlsplit(body["next"]).query)
    expected = parse_qs(query) | {"page": ["2"]}
    assert carried == expected
    assert api.get(body["next"].removeprefix(BASE))["page"] == 2


def test_empty_catalogue(api, db):
    body = api.get(f"{API}/programmes")
    assert body == {
        "items": [],
        "total": 0,
        "page": 1,
        "per_page": 20,
        "pages": 0,
        "next": None,
        "previous": None,
    }


# --- Languages ------------------------------------------------------------------------------


@pytest.fixture
def french_programme(db):
    programme = make_programme(
        slug="gouvernance",
        title="Gouvernance urbaine intégrée",
        summary="La méthode PRP.",
        description="Texte original.",
        original_language="fr",
    )
    add_translation(
        programme,
        "en",
        "Integrated urban governance",
        summary="The PRP method.",
        description="English text.",
    )
    add_translation(programme, "ko", "통합 도시 거버넌스")  # title only
    add_translation(programme, "es", "")  # started, not written: not available
    return programme


@pytest.mark.parametrize(
    ("query", "headers", "language", "title", "summary"),
    [
        ("", {}, "en", "Integrated urban governance", "The PRP method."),
        ("?lang=fr", {}, "fr", "Gouvernance urbaine intégrée", "La méthode PRP."),
        ("?lang=ko", {}, "ko", "통합 도시 거버넌스", "La méthode PRP."),
        ("?lang=fr", {"Accept-Language": "en"}, "fr", "Gouvernance urbaine intégrée", None),
        ("", {"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}, "ko", "통합 도시 거버넌스", None),
        ("", {"Accept-Language": "de,en;q=0.8"}, "en", "Integrated urban governance", None),
        ("?lang=es", {"Accept-Language": "en"}, "fr", "Gouvernance urbaine intégrée", None),
        ("?lang=ar", {}, "fr", "Gouvernance urbaine intégrée", None),
        ("", {"Accept-Language": "zh-CN"}, "en", "Integrated urban governance", None),
    ],
)
def test_language_choice_and_fallback(
    api, french_programme, query, headers, language, title, summary
):
    [item] = api.get(f"{API}/programmes{query}", headers=headers)["items"]
    detail = api.get(f"{API}/programmes/gouvernance{query}", headers=headers)
    for body in (item, detail):
        assert body["language"] == language
        assert body["title"] == title
        assert body["original_language"] == "fr"
        if summary is not None:
            assert body["summary"] == summary
    expected_description = "English text." if language == "en" else "Texte original."
    assert detail["description"] == expected_description


def test_translations_expose_every_available_text(api, french_programme):
    body = api.get(f"{API}/programmes/gouvernance?lang=ko")
    assert body["translations"] == {
        "en": {
            "title": "Integrated urban governance",
            "summary": "The PRP method.",
            "description": "English text.",
        },
        "fr": {
            "title": "Gouvernance urbaine intégrée",
            "summary": "La méthode PRP.",
            "description": "Texte original.",
        },
        "ko": {"title": "통합 도시 거버넌스", "summary": "", "description": ""},
    }
    [item] = api.get(f"{API}/programmes")["items"]
    assert item["translations"] == body["translations"]


# --- Centres --------------------------------------------------------------------------------


def test_centres(api, db):
    make_centre(slug="cairo", name="MITI Regional Centre Cairo", timezone="Africa/Cairo")
    make_centre(
        slug="seoul",
        name="MITI Headquarters Seoul",
        kind=CentreKind.HEADQUARTERS,
        host_institution="Seoul Human Resources Development Centre",
        contact_email="miti@seoul.example",
    )
    items = api.get(f"{API}/centres")["items"]
    assert [c["slug"] for c in items] == ["seoul", "cairo"]
    assert items[0] == {
        "slug": "seoul",
        "name": "MITI Headquarters Seoul",
        "city": "Seoul",
        "country": "Republic of Korea",
        "timezone": "Asia/Seoul",
        "kind": "headquarters",
        "host_institution": "Seoul Human Resources Development Centre",
        "contact_email": "miti@seoul.example",
        "url": f"{BASE}/centres/seoul",
    }


# --- Errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=two", "page"),
        ("page=1.5", "page"),
        ("page=9999999999999999999999999", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("kind=seminar", "kind"),
        ("theme=Water", "theme"),
        ("format=offline", "format"),
        ("language=de", "language"),
        ("date_from=2026-02-30", "date_from"),
        ("date_from=30/03/2026", "date_from"),
        ("date_to=20260330", "date_to"),
        ("date_to=2026-W13-1", "date_to"),
        ("date_from=2026-05-01&date_to=2026-04-01", "date_to"),
        ("open=maybe", "open"),
        ("include_past=2", "include_past"),
        ("centre=Paris%20Centre", "centre"),
        ("q=" + "x" * 201, "q"),
        ("q=%00null%00", "q"),
        ("q=tab%09tab", "q"),
        ("lang=de", "lang"),
        ("lang=EN", "lang"),
        ("page=%2B1", "page"),
        ("page=%201", "page"),
        ("page=1_0", "page"),
        ("page=%D9%A1", "page"),
        ("open=True", "open"),
        ("open=1", "open"),
        ("include_past=yes", "include_past"),
    ],
)
def test_invalid_parameters_are_400_naming_the_parameter(api, db, query, field):
    make_centre(slug="paris")
    body = api.get(f"{API}/programmes?{query}", status=400)
    assert body["field"] == field
    assert body["error"] == "Bad request"
    assert field in body["message"] or "date" in body["message"]
    assert len(body["message"]) > 20


#: A valid value of each parameter of the list.
VALID_VALUES = {
    "centre": "paris",
    "kind": "course",
    "theme": "smart_city",
    "format": "online",
    "language": "fr",
    "date_from": "2026-03-30",
    "date_to": "2026-04-30",
    "open": "true",
    "include_past": "true",
    "q": "water",
    "page": "1",
    "per_page": "10",
    "lang": "fr",
}


@pytest.mark.parametrize("parameter", [p for p in LIST_PARAMETERS if p != "q"])
def test_an_empty_parameter_is_400_not_absent(api, db, parameter):
    """Only q may be empty (the empty search); elsewhere an empty value is not a choice."""
    make_centre(slug="paris")
    body = api.get(f"{API}/programmes?{parameter}=", status=400)
    assert body["field"] == parameter


@pytest.mark.parametrize("parameter", LIST_PARAMETERS)
def test_a_repeated_parameter_is_400_even_with_valid_values(api, db, parameter):
    make_centre(slug="paris")
    value = VALID_VALUES[parameter]
    assert api.get(f"{API}/programmes?{parameter}={value}")["items"] == []
    body = api.get(f"{API}/programmes?{parameter}={value}&{parameter}={value}", status=400)
    assert body["field"] == parameter
    assert parameter in body["message"]


def test_every_parameter_has_a_valid_value_in_these_tests(api):
    parameters = api.document["paths"]["/programmes"]["get"]["parameters"]
    assert {p["name"] for p in parameters if p["in"] == "query"} == set(VALID_VALUES)


def test_an_unknown_centre_is_404_naming_the_parameter(api, db):
    make_centre(slug="paris")
    body = api.get(f"{API}/programmes?centre=atlantis", status=404)
    assert body["field"] == "centre"
    assert "/api/v1/centres" in body["message"]
    french = api.get(f"{API}/programmes?centre=atlantis&lang=fr", status=404)
    assert french["message"] != body["message"]


@pytest.mark.parametrize("query", ["lang=xx", "lang=", "lang=fr&lang=fr", "lang=fr&lang=ko"])
def test_the_programme_page_refuses_a_lang_it_cannot_honour(api, french_programme, query):
    body = api.get(f"{API}/programmes/gouvernance?{query}", status=400)
    assert body["field"] == "lang"
    # The message follows Accept-Language when lang cannot be read.
    spanish = api.get(
        f"{API}/programmes/gouvernance?{query}", status=400, headers={"Accept-Language": "es"}
    )
    assert spanish["field"] == "lang"
    api.get(f"{API}/programmes?{query}", status=400)


def test_parameters_the_document_does_not_list_are_ignored(api, db):
    make_programme(slug="one")
    assert api.slugs(f"{API}/programmes?utm_source=x&utm_source=y&sort=") == ["one"]
    assert api.get(f"{API}/programmes/one?fields=title")["slug"] == "one"


@pytest.mark.parametrize("parameter", LIST_PARAMETERS)
def test_hostile_values_of_each_parameter_are_never_a_server_error(api, db, parameter):
    make_programme(title="Sharing Cities")
    for value in hostile_strings():
        response = api.client.get(f"{API}/programmes", query_string={parameter: value})
        # 404 only for a well-formed slug that names no centre.
        allowed = (200, 400, 404) if parameter == "centre" else (200, 400)
        assert response.status_code in allowed, (parameter, value, response.status_code)
        api.check(response, f"{API}/programmes", response.status_code)


def test_hostile_slugs_are_404_json(api, db):
    make_programme(slug="sharing-cities")
    for value in hostile_strings():
        response = api.client.get(f"{API}/programmes/{quote(value, safe='')}")
        assert response.status_code == 404, value
        assert response.mimetype == "application/json"
        body = response.get_json()
        assert list(api.component("Error").iter_errors(body)) == []
    api.get(f"{API}/programmes/%00sharing-cities", status=404)


def test_unknown_routes_and_methods_answer_json(api, client, db):
    response = client.get(f"{API}/registrations")
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert not list(api.component("Error").iter_errors(response.get_json()))
    response = client.post(f"{API}/programmes", data={"title": "x"})
    assert response.status_code == 405 and response.mimetype == "application/json"
    assert not list(api.component("Error").iter_errors(response.get_json()))
    response = client.delete(f"{API}/centres")
    assert response.status_code == 405


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
@pytest.mark.parametrize(
    "path", ["/programmes", "/programmes/sharing-cities", "/centres", "/openapi.json"]
)
def test_405_says_which_methods_the_address_accepts(api, client, db, method, path):
    make_programme(slug="sharing-cities")
    response = client.open(f"{API}{path}", method=method)
    assert response.status_code == 405
    assert sorted(response.headers["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS"]
    assert response.mimetype == "application/json"
    assert not list(api.component("Error").iter_errors(response.get_json()))
    assert "public" not in response.headers.get("Cache-Control", "")


# --- SQL statements -------------------------------------------------------------------------


def count_statements(client, db, url: str) -> int:
    """SQL statements the request for url issues (the test's rows committed first)."""
    db.session.commit()
    return statements_for(None, client, url)


@pytest.mark.parametrize("query", ["", "?centre=paris&q=course&lang=ko"])
def test_list_statement_count_does_not_grow_with_the_programmes(client, db, query):
    paris = make_centre(slug="paris", timezone="Europe/Paris")
    centres = [paris, make_centre(), make_centre()]

    def add(count: int) -> None:
        for n in range(count):
            programme = make_programme(paris, title=f"Course {n}", sessions=3)
            add_translation(programme, "ko", f"과정 {n}", summary="요약")
            add_translation(programme, "fr", f"Cours {n}")
        for centre in centres[1:]:  # programmes of other centres too, for the unfiltered list
            make_programme(centre, title="Course elsewhere", sessions=1)

    add(5)
    few = count_statements(client, db, f"{API}/programmes{query}")
    add(15)
    many = count_statements(client, db, f"{API}/programmes{query}")
    assert client.get(f"{API}/programmes{query}").get_json()["total"] >= 20
    assert few == many
    assert many <= 8, many


def test_detail_statement_count_does_not_grow_with_sessions(client, db):
    short = make_programme(slug="short", sessions=1)
    long = make_programme(slug="long", sessions=10)
    for programme in (short, long):
        add_translation(programme, "ar", "برنامج")
    assert count_statements(client, db, f"{API}/programmes/short") == count_statements(
        client, db, f"{API}/programmes/long"
    )
