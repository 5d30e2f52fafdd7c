"""The API honours its OpenAPI document: schemathesis generates requests from
/api/v1/openapi.json, valid and invalid ones, sends them to the app in-process and runs every
check it has (status codes, bodies, headers, content types, valid input accepted, invalid input
refused, 405 with Allow for the methods the document does not list).

The catalogue is seeded, so lists and programme pages answer with real content; the document's
parameter examples name the seeded centre and programme. Generation is derandomized and bounded,
so the run is the same every time and stays short.
"""

import contextvars
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from miti_training.models import ProgrammeFormat, ProgrammeKind, ProgrammeStatus, Theme
from miti_training.web.api.openapi import openapi_document
from tests.support.factories import make_centre, make_programme, today

#: Examples per operation and generation mode; the coverage phase adds its own cases (every
#: enum value, boundaries, each parameter empty, repeated or of the wrong type, other methods).
MAX_EXAMPLES = 60

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20260330,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        "checks": {"enabled": True},
    }
)


def seed_catalogue() -> None:
    """Centres and programmes of every status the API shows (and a draft it must not)."""
    seoul = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    paris = make_centre(slug="paris", city="Paris", country="France", timezone="Europe/Paris")
    make_programme(seoul, slug="peer-review-process-workshop", sessions=2, languages="ko,en")
    make_programme(
        paris,
        slug="water-course",
        kind=ProgrammeKind.COURSE,
        theme=Theme.WATER_MANAGEMENT,
        format=ProgrammeFormat.ONLINE,
        original_language="fr",
        languages="fr,en",
    )
    make_programme(
        paris,
        slug="housing-forum",
        starts_on=today() - timedelta(days=40),
        status=ProgrammeStatus.COMPLETED,
    )
    make_programme(
        seoul,
        slug="cancelled-visit",
        status=ProgrammeStatus.CANCELLED,
        cancellation_reason="The venue is closed.",
    )
    make_programme(paris, slug="draft-webinar", status=ProgrammeStatus.DRAFT)


#: The query string of the request the app last received, as it arrived.
RECEIVED = {"query": ""}


def isolated(app):
    """The app as a WSGI callable whose requests each run in a context of their own, as
    IsolatedClient's do: the test's app context and database session stay apart."""

    def wsgi(environ, start_response):
        RECEIVED["query"] = environ.get("QUERY_STRING", "")
        return contextvars.Context().run(app, environ, start_response)

    return wsgi


schema = schemathesis.openapi.from_dict(openapi_document(), config=CONFIG)


@pytest.fixture
def catalogue(db):
    seed_catalogue()
    db.session.commit()


def test_the_document_tested_is_the_one_served(client):
    assert client.get("/api/v1/openapi.json").get_json() == openapi_document()


def test_every_query_parameter_has_a_valid_value_to_repeat():
    for path in openapi_document()["paths"].values():
        for parameter in path["get"].get("parameters", []):
            if parameter["in"] == "query":
                assert parameter["name"] in VALID_VALUES


@schema.parametrize()
@settings(
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_document_says(case, app, catalogue):
    repeat_valid_values(case)
    checks = {"additional_checks": [repeated_parameters_are_refused]}
    if not reversed_date_range(case):
        case.call_and_validate(app=isolated(app), **checks)
        return
    # The one rule a JSON Schema cannot state, given in date_to's description and the 400's:
    # a range that ends before it starts is refused, though each date alone is valid.
    response = case.call_and_validate(
        app=isolated(app), excluded_checks=[positive_data_acceptance], **checks
    )
    assert response.status_code == 400
    assert response.json()["field"] == "date_to"


#: A valid value of each query parameter, for repeat_valid_values.
VALID_VALUES = {
    "lang": "fr",
    "centre": "seoul",
    "kind": "course",
    "theme": "water_management",
    "format": "online",
    "language": "en",
    "date_from": "2026-03-30",
    "date_to": "2026-04-30",
    "open": "true",
    "include_past": "false",
    "q": "water",
    "page": "1",
    "per_page": "10",
}


def repeat_valid_values(case) -> None:
    """A parameter sent several times (generated as a list) repeats a valid value.

    Schemathesis repeats invalid values ("null"), which any reading refuses; a valid value
    sent twice is what a lenient reading (the first or last value wins) lets through.
    """
    for name, value in (case.query or {}).items():
        if isinstance(value, list) and len(value) > 1 and name in VALID_VALUES:
            case.query[name] = [VALID_VALUES[name]] * len(value)


def repeated_parameters_are_refused(ctx, response, case) -> None:
    """A documented parameter sent twice is a 400 naming it.

    Schemathesis's own negative_data_rejection lets a repeated parameter pass when one of its
    values is valid, since many servers read one of them; this API refuses the ambiguity.
    """
    documented = {p.name for p in case.operation.query}
    # What arrived, not response.request.url: schemathesis writes an object-valued parameter
    # there as one parameter per key, though it sends the object as a single value.
    sent = parse_qs(RECEIVED["query"], keep_blank_values=True)
    repeated = sorted(name for name, values in sent.items() if len(values) > 1)
    repeated = [name for name in repeated if name in documented]
    if not repeated:
        return
    assert response.status_code == 400, f"{repeated} sent twice, answered {response.status_code}"
    assert response.json()["field"] in repeated


def reversed_date_range(case) -> bool:
    """A valid request but for the order of its dates (YYYY-MM-DD compares as text)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return False
    query = case.query or {}
    first, last = query.get("date_from"), query.get("date_to")
    return isinstance(first, str) and isinstance(last, str) and first > last
