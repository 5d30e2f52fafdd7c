"""One set of programme rules: the programme form, the services and the calendar import agree.

Each case goes through the three ways a programme is made, and each must give the same verdict:
"published" (saved, then published), "draft" (saved as a draft, publishing refused) or
"refused" (not even saved). The import only makes what can be published as it is, so a case
that is only a draft elsewhere is refused by the import.

Decisions these cases pin down: registration may close at the first session's start (not a
minute later), and publishing needs a venue unless the programme is online, while a draft may
be saved without one.
"""

import csv
import io
from datetime import date, datetime

import pytest
from sqlalchemy import select

from miti_training.errors import FieldError
from miti_training.extensions import db as _db
from miti_training.models import Programme, ProgrammeStatus
from miti_training.programmes import calendar_import, drafts, editing, lifecycle, rules, sessions
from miti_training.programmes.calendar_import.columns import PROGRAMME_COLUMNS
from miti_training.programmes.drafts import ProgrammeValues, TranslationValues
from tests.support.factories import make_centre, make_staff
from tests.support.pages import field_errors, flashes, follow

#: A one-day in-person workshop in Paris (times on the centre's wall clock): publishable.
BASE = {
    "title": "Peer Review Process workshop",
    "summary": "The Metropolis peer review method.",
    "description": "Day one: the method.\n\nDay two: the review.",
    "kind": "workshop",
    "theme": "urban_governance",
    "format": "in_person",
    "venue": "Maison de la Région, Paris",
    "languages": ("en", "fr"),
    "title_fr": "",
    "starts_on": date(2027, 11, 16),
    "ends_on": date(2027, 11, 16),
    "capacity": 15,
    "registration_opens_at": datetime(2027, 9, 1, 9, 0),
    "registration_closes_at": datetime(2027, 11, 1, 18, 0),
    "session_start": datetime(2027, 11, 16, 9, 0),
    "session_end": datetime(2027, 11, 16, 17, 0),
}

#: (case, changes to BASE, verdict, the field named when it is not "published").
CASES = [
    ("as it is", {}, "published", None),
    (
        "registration closes exactly when the first session starts",
        {"registration_closes_at": datetime(2027, 11, 16, 9, 0)},
        "published",
        None,
    ),
    (
        "registration closes a minute after the first session starts",
        {"registration_closes_at": datetime(2027, 11, 16, 9, 1)},
        "draft",
        "registration_closes_at",
    ),
    ("in person without a venue", {"venue": ""}, "draft", "venue"),
    ("hybrid without a venue", {"format": "hybrid", "venue": ""}, "draft", "venue"),
    ("online without a venue", {"format": "online", "venue": ""}, "published", None),
    ("title at the limit", {"title": "t" * rules.MAX_TITLE}, "published", None),
    ("title one over", {"title": "t" * (rules.MAX_TITLE + 1)}, "refused", "title"),
    ("summary at the limit", {"summary": "s" * rules.MAX_SUMMARY}, "published", None),
    ("summary one over", {"summary": "s" * (rules.MAX_SUMMARY + 1)}, "refused", "summary"),
    (
        "description at the limit",
        {"description": "d" * rules.MAX_DESCRIPTION},
        "published",
        None,
    ),
    (
        "description one over",
        {"description": "d" * (rules.MAX_DESCRIPTION + 1)},
        "refused",
        "description",
    ),
    ("venue at the limit", {"venue": "v" * rules.MAX_VENUE}, "published", None),
    ("venue one over", {"venue": "v" * (rules.MAX_VENUE + 1)}, "refused", "venue"),
    ("translated title at the limit", {"title_fr": "f" * rules.MAX_TITLE}, "published", None),
    (
        "translated title one over",
        {"title_fr": "f" * (rules.MAX_TITLE + 1)},
        "refused",
        "title_fr",
    ),
    ("no seats", {"capacity": 0}, "draft", "capacity"),
    ("more seats than the maximum", {"capacity": rules.MAX_CAPACITY + 1}, "refused", "capacity"),
    ("an unknown working language", {"languages": ("en", "xx")}, "refused", "languages"),
    (
        # The import reads the days from the sessions: its session ends the day before.
        "last day before the first day",
        {"ends_on": date(2027, 11, 15), "session_end": datetime(2027, 11, 15, 17, 0)},
        "refused",
        "ends_on",
    ),
]


def _spec(changes: dict) -> dict:
    return {**BASE, **changes}


def _moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def paris(db):
    return make_centre(slug="paris", name="MITI Paris Île-de-France", timezone="Europe/Paris")


@pytest.fixture
def director(paris):
    return make_staff(paris, "director")


# The three ways -----------------------------------------------------------------------------


def _through_the_form(client, spec: dict, field: str | None) -> str:
    data = {
        **{name: spec[name] for name in ("title", "summary", "description", "kind", "theme")},
        "format": spec["format"],
        "venue": spec["venue"],
        "original_language": "en",
        "languages": list(spec["languages"]),
        "title_fr": spec["title_fr"],
        "starts_on": spec["starts_on"].isoformat(),
        "ends_on": spec["ends_on"].isoformat(),
        "capacity": str(spec["capacity"]),
        "registration_opens_at": spec["registration_opens_at"].strftime("%Y-%m-%dT%H:%M"),
        "registration_closes_at": spec["registration_closes_at"].strftime("%Y-%m-%dT%H:%M"),
        "enrolment_policy": "review",
        "is_waitlist_enabled": "y",
        "completion_threshold": "80",
    }
    response = client.post("/manage/paris/programmes/new", data=data)
    if response.status_code == 200:
        assert field in field_errors(response), field_errors(response)
        return "refused"
    assert response.status_code == 302
    programme = _newest_programme()
    base = f"/manage/paris/programmes/{programme.id}"
    session = {
        "title": "Day 1",
        "starts_at": spec["session_start"].strftime("%Y-%m-%dT%H:%M"),
        "ends_at": spec["session_end"].strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(f"{base}/sessions/new", data=session).status_code == 302
    shown = flashes(follow(client, client.post(f"{base}/publish")))
    _db.session.refresh(programme)
    if programme.status == ProgrammeStatus.PUBLISHED:
        return "published"
    assert ("error", "The programme cannot be published yet:") in shown
    assert field in [p.field for p in rules.publish_problems(programme)]
    return "draft"


def _through_the_services(centre, director, spec: dict, field: str | None) -> str:
    names = ("title", "summary", "description", "kind", "theme", "format", "venue", "languages")
    names += ("starts_on", "ends_on", "capacity", "registration_opens_at")
    values = ProgrammeValues(
        **{name: spec[name] for name in names},
        registration_closes_at=spec["registration_closes_at"],
        enrolment_policy="review",
    )
    try:
        programme = drafts.create_draft(
            centre,
            values,
            actor=director,
            translations={"fr": TranslationValues(title=spec["title_fr"])},
        )
    except FieldError as error:
        assert error.field == field
        return "refused"
    sessions.add_session(
        programme,
        title="Day 1",
        starts_at=spec["session_start"],
        ends_at=spec["session_end"],
        actor=director,
    )
    try:
        lifecycle.publish(programme, actor=director)
    except editing.PublishRefused as refused:
        assert field in [p.field for p in refused.problems]
        return "draft"
    return "published"


def _through_the_import(centre, spec: dict, field: str | None) -> str:
    row = {
        "programme title": spec["title"],
        "kind": spec["kind"],
        "theme": spec["theme"],
        "format": spec["format"],
        "language": " ".join(spec["languages"]),
        "venue": spec["venue"],
        "capacity": str(spec["capacity"]),
        "enrolment policy": "review",
        "waiting list": "yes",
        "registration opens": _moment(spec["registration_opens_at"]),
        "registration closes": _moment(spec["registration_closes_at"]),
        "session title": "Day 1",
        "session start": _moment(spec["session_start"]),
        "session end": _moment(spec["session_end"]),
        "summary": spec["summary"],
        "description": spec["description"],
        "title_fr": spec["title_fr"],
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    try:
        result = calendar_import.import_calendar(out.getvalue().encode(), "c.csv", centre=centre)
    except calendar_import.CalendarImportError as error:
        column = "session end" if field == "ends_on" else PROGRAMME_COLUMNS[field]
        assert column in [p.column for p in error.problems], error.problems
        return "refused"
    [programme] = result.programmes
    lifecycle.publish(programme, actor=None)  # as it was imported
    return "published"


def _newest_programme() -> Programme:
    return _db.session.scalar(select(Programme).order_by(Programme.id.desc()))


# The same verdict everywhere ----------------------------------------------------------------

IDS = [case for case, *_ in CASES]


@pytest.mark.parametrize(("case", "changes", "verdict", "field"), CASES, ids=IDS)
def test_the_programme_form_gives_the_verdict(
    client, sign_in, paris, director, case, changes, verdict, field
):
    sign_in(director)
    assert _through_the_form(client, _spec(changes), field) == verdict


@pytest.mark.parametrize(("case", "changes", "verdict", "field"), CASES, ids=IDS)
def test_the_services_give_the_verdict(paris, director, case, changes, verdict, field):
    assert _through_the_services(paris, director, _spec(changes), field) == verdict


@pytest.mark.parametrize(("case", "changes", "verdict", "field"), CASES, ids=IDS)
def test_the_import_gives_the_verdict(paris, case, changes, verdict, field):
    expected = "published" if verdict == "published" else "refused"
    assert _through_the_import(paris, _spec(changes), field) == expected


# A published programme stays publishable ----------------------------------------------------


def _published(centre, director, **changes) -> Programme:
    spec = _spec(changes)
    assert _through_the_services(centre, director, spec, None) == "published"
    return _newest_programme()


def _values_of(programme: Programme, **changes) -> ProgrammeValues:
    data = {
        "title": programme.title,
        "summary": programme.summary,
        "description": programme.description,
        "kind": programme.kind,
        "theme": programme.theme,
        "format": programme.format,
        "venue": programme.venue,
        "languages": tuple(programme.language_codes),
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "capacity": programme.capacity,
        "registration_opens_at": BASE["registration_opens_at"],
        "registration_closes_at": BASE["registration_closes_at"],
        "enrolment_policy": programme.enrolment_policy,
    }
    return ProgrammeValues(**{**data, **changes})


def test_removing_the_venue_of_a_published_programme_is_refused_unless_online(paris, director):
    programme = _published(paris, director)
    with pytest.raises(editing.PublishRefused) as caught:
        drafts.update_programme(programme, _values_of(programme, venue=""), actor=director)
    assert [str(p) for p in caught.value.problems] == [
        "Enter the venue: only online programmes may leave it empty."
    ]

    online = _published(paris, director, title="Smart city webinar", format="online")
    assert drafts.update_programme(online, _values_of(online, venue=""), actor=director) == [
        "venue"
    ]


def test_the_form_refuses_to_leave_a_published_programme_without_a_venue(
    client, sign_in, paris, director
):
    programme = _published(paris, director)
    sign_in(director)
    url = f"/manage/paris/programmes/{programme.id}/edit"
    response = client.post(
        url,
        data={
            **{name: BASE[name] for name in ("title", "summary", "description", "kind", "theme")},
            "format": "in_person",
            "venue": "",
            "original_language": "en",
            "languages": ["en", "fr"],
            "starts_on": BASE["starts_on"].isoformat(),
            "ends_on": BASE["ends_on"].isoformat(),
            "capacity": "15",
            "registration_opens_at": "2027-09-01T09:00",
            "registration_closes_at": "2027-11-01T18:00",
            "enrolment_policy": "review",
            "is_waitlist_enabled": "y",
            "completion_threshold": "80",
        },
    )
    assert response.status_code == 200
    errors = [message for category, message in flashes(response) if category == "error"]
    assert errors == [
        "The programme is published, so it must stay complete. Nothing was saved:",
        "Enter the venue: only online programmes may leave it empty.",
    ]
    _db.session.refresh(programme)
    assert programme.venue == BASE["venue"]
