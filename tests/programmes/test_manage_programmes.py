"""Programme management over real HTTP: who may use every /manage route, the draft ->
published -> cancelled/completed life cycle, sessions in the centre's time across
daylight-saving changes, new editions, hostile input and CSRF."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from miti_training.extensions import db as _db
from miti_training.models import (
    AuditEntry,
    Programme,
    ProgrammeQuestion,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from tests import feature_routes
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, field_errors, flashes, follow
from tests.support.pages import endpoint_url as _url
from tests.support.pages import text_of as _html
from tests.support.sql import count_rows
from tests.support.testdata import hostile_strings

LOGIN_PATH = "/account/login"


def _in(days: int) -> date:
    return date.today() + timedelta(days=days)


def _programme_form(**overrides) -> dict:
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
        "starts_on": _in(40).isoformat(),
        "ends_on": _in(44).isoformat(),
        "capacity": "15",
        "registration_opens_at": f"{_in(1).isoformat()}T09:00",
        "registration_closes_at": f"{_in(30).isoformat()}T18:00",
        "enrolment_policy": "review",
        "is_waitlist_enabled": "y",
        "completion_threshold": "80",
    }
    data.update(overrides)
    return data


def _session_form(day: date, start: str = "09:00", end: str = "17:00", **overrides) -> dict:
    data = {
        "title": "Day 1: lectures",
        "starts_at": f"{day.isoformat()}T{start}",
        "ends_at": f"{day.isoformat()}T{end}",
        "location": "",
    }
    data.update(overrides)
    return data


# Every /manage route, every method, every role ---------------------------------------------

#: Routes coordinators of the centre may use (on drafts).
COORDINATOR_ROUTES = [
    ("GET", "manage.index"),
    ("GET", "manage.centre_overview"),
    ("GET", "manage.new_programme"),
    ("POST", "manage.new_programme"),
    ("GET", "manage.programme_detail"),
    ("GET", "manage.edit_programme"),
    ("POST", "manage.edit_programme"),
    ("GET", "manage.add_session"),
    ("POST", "manage.add_session"),
    ("GET", "manage.edit_session"),
    ("POST", "manage.edit_session"),
    ("POST", "manage.delete_session"),
    # Registrations (tests/test_manage_registrations.py tests them in depth).
    ("GET", "manage.programme_registrations"),
    ("POST", "manage.bulk_registrations"),
    ("GET", "manage.register_on_behalf"),
    ("POST", "manage.register_on_behalf"),
    ("GET", "manage.registration_detail"),
    ("POST", "manage.confirm_registration"),
    ("POST", "manage.waitlist_registration"),
    ("POST", "manage.decline_registration"),
    ("POST", "manage.move_registration"),
    ("POST", "manage.reinstate_registration"),
    # Exports, attendance, certificates, dashboards and messages (tests/routes_*.py).
    *feature_routes.COORDINATOR_ROUTES,
]
#: Routes that need the centre's director (or an admin).
DIRECTOR_ROUTES = [
    ("POST", "manage.publish_programme"),
    ("GET", "manage.cancel_programme"),
    ("POST", "manage.cancel_programme"),
    ("POST", "manage.complete_programme"),
    ("GET", "manage.duplicate_programme"),
    ("POST", "manage.duplicate_programme"),
    # The registration form builder (tests/test_questions.py tests it in depth).
    ("GET", "manage.programme_questions"),
    ("GET", "manage.add_question"),
    ("POST", "manage.add_question"),
    ("GET", "manage.edit_question"),
    ("POST", "manage.edit_question"),
    ("GET", "manage.delete_question"),
    ("POST", "manage.delete_question"),
    ("POST", "manage.move_question"),
    *feature_routes.DIRECTOR_ROUTES,
]
#: The calendar import is another part of the work; tested here only if it is there.
IMPORT_ROUTES = [
    ("GET", "manage.import_calendar"),
    ("POST", "manage.import_calendar"),
    ("GET", "manage.import_template"),
]

ROLES = [
    "anonymous",
    "participant",
    "other_coordinator",
    "other_director",
    "coordinator",
    "director",
    "admin",
]


def _manage_routes_in(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/manage"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                found.add((method, rule.endpoint))
    return found


def _all_routes(app) -> list[tuple[str, str]]:
    present = _manage_routes_in(app)
    return COORDINATOR_ROUTES + DIRECTOR_ROUTES + [r for r in IMPORT_ROUTES if r in present]


def test_route_table_covers_every_manage_route(app):
    in_app = _manage_routes_in(app)
    table = set(COORDINATOR_ROUTES + DIRECTOR_ROUTES + IMPORT_ROUTES)
    missing = in_app - table
    assert not missing, f"/manage routes without an access test: {sorted(missing)}"
    stale = set(COORDINATOR_ROUTES + DIRECTOR_ROUTES) - in_app
    assert not stale, f"routes in the table that the app does not have: {sorted(stale)}"


def _route_params():
    """Every route of the table; import routes are skipped at run time when absent."""
    return COORDINATOR_ROUTES + DIRECTOR_ROUTES + IMPORT_ROUTES


@pytest.fixture
def world(db):
    """A centre with a draft, a published and a finished programme; another centre too."""
    return make_world()


def make_world() -> dict:
    """A centre with a draft, a published and a finished programme; another centre too."""
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    other = make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")
    draft = make_programme(centre, status=ProgrammeStatus.DRAFT, sessions=2, title="Draft")
    published = make_programme(centre, sessions=2, title="Published")
    finished = make_programme(
        centre, sessions=2, title="Finished", starts_on=date.today() - timedelta(days=10)
    )
    foreign = make_programme(other, status=ProgrammeStatus.DRAFT, sessions=1, title="Foreign")
    make_registration(published, status=RegistrationStatus.CONFIRMED)
    published.seats_taken = 1
    return {
        "centre": centre,
        "other": other,
        "draft": draft,
        "published": published,
        "finished": finished,
        "foreign": foreign,
    }


def _registration_in(programme, status, **kw) -> Registration:
    return make_registration(programme, status=RegistrationStatus(status), **kw)


def _question_in(programme, label: str, position: int) -> ProgrammeQuestion:
    question = ProgrammeQuestion(
        programme=programme, position=position, kind=QuestionKind.SHORT_TEXT, label=label
    )
    _db.session.add(question)
    _db.session.flush()
    return question


def _registration_request(endpoint: str, w: dict) -> tuple[dict, dict] | None:
    """Requests of the registration pages and the form builder; rows made only when needed."""
    c, published = w["centre"].slug, w["published"]
    on_programme = {"centre_slug": c, "programme_id": published.id}

    def on(registration):
        return {"centre_slug": c, "registration_id": registration.id}

    builders = {
        "manage.programme_registrations": lambda: (on_programme, {}),
        "manage.bulk_registrations": lambda: (
            on_programme,
            {
                "action": "confirm",
                "registration_ids": [str(_registration_in(published, "applied").id)],
            },
        ),
        "manage.register_on_behalf": lambda: (on_programme, {"email": make_user().email}),
        "manage.registration_detail": lambda: (
            on(_registration_in(published, "applied", motivation="Bus rapid transit")),
            {},
        ),
        "manage.confirm_registration": lambda: (on(_registration_in(published, "applied")), {}),
        "manage.waitlist_registration": lambda: (on(_registration_in(published, "applied")), {}),
        "manage.decline_registration": lambda: (
            on(_registration_in(published, "applied")),
            {"reason": "The group is complete."},
        ),
        "manage.move_registration": lambda: (
            on(
                [_registration_in(published, "waitlisted", waitlist_position=n) for n in (1, 2)][-1]
            ),
            {"position": "1"},
        ),
        "manage.reinstate_registration": lambda: (on(_registration_in(published, "declined")), {}),
        "manage.programme_questions": lambda: (on_programme, {}),
        "manage.add_question": lambda: (
            on_programme,
            {"kind": "single_choice", "label": "Your role", "choices": "Planner\nEngineer"},
        ),
    }
    question_routes = {
        "manage.edit_question": {"kind": "short_text", "label": "Your city's policy, in brief"},
        "manage.delete_question": {},
        "manage.move_question": {"direction": "up"},
    }
    if endpoint in builders:
        return builders[endpoint]()
    if endpoint in question_routes:
        _question_in(published, "Your department", 1)
        question = _question_in(published, "Your city's policy", 2)
        return {**on_programme, "question_id": question.id}, question_routes[endpoint]
    return None


def _request_for(endpoint: str, w: dict) -> tuple[dict, dict]:
    """URL values and form data of a request that succeeds for the centre's director."""
    registration_request = _registration_request(endpoint, w)
    if registration_request is not None:
        return registration_request
    feature_request = feature_routes.manage_request(endpoint, w)
    if feature_request is not None:
        return feature_request
    c = w["centre"].slug
    draft, published = w["draft"], w["published"]
    session = draft.sessions[0]
    day = draft.starts_on
    return {
        "manage.index": ({}, {}),
        "manage.centre_overview": ({"centre_slug": c}, {}),
        "manage.new_programme": ({"centre_slug": c}, _programme_form()),
        "manage.programme_detail": ({"centre_slug": c, "programme_id": draft.id}, {}),
        "manage.edit_programme": (
            {"centre_slug": c, "programme_id": draft.id},
            _programme_form(
                title="Draft renamed",
                starts_on=draft.starts_on.isoformat(),
                ends_on=draft.ends_on.isoformat(),
            ),
        ),
        "manage.add_session": (
            {"centre_slug": c, "programme_id": draft.id},
            _session_form(day, "18:00", "19:30", title="Evening debate"),
        ),
        "manage.edit_session": (
            {"centre_slug": c, "programme_id": draft.id, "session_id": session.id},
            _session_form(day, "10:30", "17:00", title="Day 1 (later start)"),
        ),
        "manage.delete_session": (
            {"centre_slug": c, "programme_id": draft.id, "session_id": session.id},
            {},
        ),
        "manage.publish_programme": ({"centre_slug": c, "programme_id": draft.id}, {}),
        "manage.cancel_programme": (
            {"centre_slug": c, "programme_id": published.id},
            {"reason": "The venue is closed.", "confirm": "y"},
        ),
        "manage.complete_programme": (
            {"centre_slug": c, "programme_id": w["finished"].id},
            {},
        ),
        "manage.duplicate_programme": (
            {"centre_slug": c, "programme_id": published.id},
            {"title": "Published, next year", "shift_days": "364"},
        ),
        "manage.import_calendar": ({"centre_slug": c}, {}),
        "manage.import_template": ({"centre_slug": c, "fmt": "csv"}, {}),
    }[endpoint]


def _snapshot(db) -> tuple:
    """Everything a /manage route may change, to prove a refused request changed nothing."""
    db.session.expire_all()
    return (
        sorted(
            db.session.execute(
                select(
                    Programme.id,
                    Programme.status,
                    Programme.title,
                    Programme.capacity,
                    Programme.seats_taken,
                )
            ).all()
        ),
        sorted(
            db.session.execute(
                select(
                    ProgrammeSession.id,
                    ProgrammeSession.title,
                    ProgrammeSession.starts_at,
                    ProgrammeSession.ends_at,
                )
            ).all()
        ),
        sorted(db.session.execute(select(Registration.id, Registration.status)).all()),
        count_rows(ProgrammeTranslation),
        count_rows(AuditEntry),
    )


def _log_in_as(role: str, w: dict, login) -> None:
    if role == "participant":
        login(make_user())
    elif role in ("other_coordinator", "other_director"):
        login(make_staff(w["other"], role.removeprefix("other_")))
    elif role in ("coordinator", "director"):
        login(make_staff(w["centre"], role))
    elif role == "admin":
        login(make_admin())


def _expected(role: str, method: str, endpoint: str) -> str:
    """'login', 'forbidden' or 'allowed'."""
    if role == "anonymous":
        return "login"
    if endpoint == "manage.index":
        return "forbidden" if role == "participant" else "allowed"
    if role in ("participant", "other_coordinator", "other_director"):
        return "forbidden"
    if role == "coordinator" and (method, endpoint) not in COORDINATOR_ROUTES:
        return "forbidden"
    return "allowed"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "endpoint"), _route_params())
def test_manage_route_access(app, db, client, login, world, role, method, endpoint):
    if (method, endpoint) not in _all_routes(app):
        pytest.skip(f"{endpoint} is not part of the app (yet)")
    _log_in_as(role, world, login)
    values, data = _request_for(endpoint, world)
    url = _url(app, endpoint, **values)
    before = _snapshot(db)

    response = client.open(url, method=method, data=data if method == "POST" else None)

    expected = _expected(role, method, endpoint)
    if expected == "login":
        assert response.status_code == 302
        assert response.location.startswith(LOGIN_PATH)
        assert _snapshot(db) == before
    elif expected == "forbidden":
        assert response.status_code == 403, _html(response)[:1000]
        assert _snapshot(db) == before
    elif (method, endpoint) in IMPORT_ROUTES:
        # Reached the import page (an empty upload is refused there with a message).
        assert response.status_code == 200, _html(response)[:2000]
    elif method == "GET" and endpoint in feature_routes.DOWNLOADS:
        assert response.status_code == 200, _html(response)[:2000]
        assert not response.mimetype.startswith("text/html")
    elif method == "GET":
        assert response.status_code == 200, _html(response)[:2000]
        assert_accessible_page(_html(response))
    else:
        assert response.status_code == 302, _html(response)[:3000]
        assert not response.location.startswith(LOGIN_PATH)
        assert _snapshot(db) != before, "a successful POST should change something"
        landing = follow(client, response)
        assert landing.status_code == 200
        # The login's welcome may still be waiting to be shown: every message is a success.
        assert {c for c, _ in flashes(landing)} == {"success"}, flashes(landing)


#: Routes that name a programme; with another centre's programme id they are 404.
PROGRAMME_ROUTES = [
    (method, endpoint)
    for method, endpoint in COORDINATOR_ROUTES + DIRECTOR_ROUTES
    if endpoint
    not in (
        "manage.index",
        "manage.centre_overview",
        "manage.new_programme",
        "manage.centre_dashboard",
    )
    # Registration pages name a registration, not a programme: test_manage_registrations.py.
    and not endpoint.endswith(("registration_detail", "_registration"))
]


@pytest.mark.parametrize(
    ("role", "method", "endpoint"),
    [
        (role, method, endpoint)
        for role in ("coordinator", "director", "admin")
        for method, endpoint in PROGRAMME_ROUTES
        # A coordinator is refused the director's routes (403) before any lookup.
        if not (role == "coordinator" and (method, endpoint) in DIRECTOR_ROUTES)
    ],
)
def test_programme_of_another_centre_is_404_under_your_own_centre(
    app, db, client, login, world, role, method, endpoint
):
    _log_in_as(role, world, login)
    values, data = _request_for(endpoint, world)
    values["programme_id"] = world["foreign"].id
    if "session_id" in values:
        values["session_id"] = world["foreign"].sessions[0].id
    before = _snapshot(db)
    response = client.open(_url(app, endpoint, **values), method=method, data=data or None)
    assert response.status_code == 404
    assert _snapshot(db) == before


@pytest.mark.parametrize(
    ("method", "endpoint"),
    [r for r in COORDINATOR_ROUTES if r[1] in ("manage.edit_session", "manage.delete_session")],
)
def test_session_of_another_programme_is_404(app, db, client, login, world, method, endpoint):
    _log_in_as("director", world, login)
    values, data = _request_for(endpoint, world)
    values["session_id"] = world["published"].sessions[0].id  # same centre, other programme
    before = _snapshot(db)
    response = client.open(_url(app, endpoint, **values), method=method, data=data or None)
    assert response.status_code == 404
    assert _snapshot(db) == before


@pytest.mark.parametrize(
    ("method", "endpoint"),
    [
        r
        for r in COORDINATOR_ROUTES
        if r[1] in ("manage.edit_programme", "manage.add_session", "manage.edit_session")
        or r[1] == "manage.delete_session"
    ],
)
def test_coordinators_cannot_change_a_published_programme(
    app, db, client, login, world, method, endpoint
):
    _log_in_as("coordinator", world, login)
    published = world["published"]
    values, data = _request_for(endpoint, world)
    values["programme_id"] = published.id
    if "session_id" in values:
        values["session_id"] = published.sessions[0].id
    before = _snapshot(db)
    response = client.open(_url(app, endpoint, **values), method=method, data=data or None)
    assert response.status_code == 403
    assert _snapshot(db) == before
    # ...but they see it, without the buttons that would change it.
    detail = client.get(f"/manage/seoul/programmes/{published.id}")
    assert detail.status_code == 200
    html = _html(detail)
    assert "Edit the details" not in html and "Add a session" not in html
    assert "Cancel the programme" not in html and "Duplicate" not in html


def test_unknown_centre_and_ids_are_404(client, login, world):
    login(make_admin())
    assert client.get("/manage/nowhere/programmes/new").status_code == 404
    assert client.get("/manage/seoul/programmes/999999").status_code == 404
    assert client.post("/manage/seoul/programmes/999999/publish").status_code == 404
    draft = world["draft"]
    assert (
        client.get(f"/manage/seoul/programmes/{draft.id}/sessions/999999/edit").status_code == 404
    )


# The director's journey --------------------------------------------------------------------


def test_director_creates_schedules_and_publishes_a_programme(client, sign_in, db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    director = make_staff(centre, "director")
    sign_in(director)

    response = client.post("/manage/seoul/programmes/new", data=_programme_form())
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme))
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.slug == "sustainable-mobility-study-visit"
    assert programme.languages == "en,ko" and programme.enrolment_policy == "review"
    # Registration opens at 09:00 in Seoul (UTC+9): 00:00 UTC.
    assert programme.registration_opens_at == datetime.combine(_in(1), datetime.min.time(), UTC)
    detail = follow(client, response)
    assert flashes(detail) == [
        (
            "success",
            "The draft “Sustainable mobility study visit” has been created. Add its sessions next.",
        )
    ]
    assert "Add at least one session to the timetable." in _html(detail)
    assert "Publish the programme" not in _html(detail)

    base = f"/manage/seoul/programmes/{programme.id}"
    for n, day in enumerate((_in(40), _in(41)), start=1):
        response = client.post(f"{base}/sessions/new", data=_session_form(day, title=f"Day {n}"))
        assert response.status_code == 302, _html(response)
    page = client.get(base)
    html = _html(page)
    assert "Everything a participant needs is in place." in html
    assert "Starts (Asia/Seoul)" in html
    db.session.refresh(programme)
    assert programme.sessions[0].starts_at == datetime.combine(
        _in(40), datetime.min.time(), UTC
    )  # 09:00 in Seoul

    response = client.post(f"{base}/publish")
    assert response.status_code == 302
    assert flashes(follow(client, response))[0][0] == "success"
    db.session.refresh(programme)
    assert programme.status == ProgrammeStatus.PUBLISHED
    public = client.get(f"/programmes/{programme.slug}")
    assert public.status_code == 200
    assert "Sustainable mobility study visit" in _html(public)
    overview = _html(client.get("/manage/seoul/"))
    assert f'href="{base}"' in overview and "Published" in overview


def test_publishing_an_incomplete_draft_flashes_every_problem(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    draft = make_programme(
        centre,
        status=ProgrammeStatus.DRAFT,
        sessions=0,
        capacity=0,
        registration_opens_at=None,
        registration_closes_at=None,
    )
    response = client.post(f"/manage/seoul/programmes/{draft.id}/publish")
    assert response.status_code == 302
    assert flashes(follow(client, response)) == [
        ("error", "The programme cannot be published yet:"),
        ("error", "Set the capacity to at least one seat."),
        ("error", "Add at least one session to the timetable."),
        ("error", "Set when registration opens."),
        ("error", "Set when registration closes."),
    ]
    db.session.refresh(draft)
    assert draft.status == ProgrammeStatus.DRAFT


def test_form_errors_are_shown_beside_their_fields(client, sign_in, db):
    centre = make_centre(slug="paris", timezone="Europe/Paris")
    sign_in(make_staff(centre, "coordinator"))
    response = client.post(
        "/manage/paris/programmes/new",
        data=_programme_form(
            title="",
            languages=[],
            kind="party",
            capacity="many",
            starts_on="2026-02-30",
            ends_on="2026-03-31",
            registration_opens_at="2026-03-29T02:30",
            registration_closes_at="2026-13-01T25:61",
            completion_threshold="101",
        ),
    )
    assert response.status_code == 200
    errors = field_errors(response)
    assert errors == {
        "title": "Enter the programme's title.",
        "kind": "Choose a kind of programme from the list.",
        "languages": "Choose at least one working language from the list.",
        "starts_on": "Enter a date like 2026-05-12.",
        "capacity": "Enter a whole number, like 15.",
        "registration_closes_at": "Enter a date and time like 2026-05-12 09:30.",
        "completion_threshold": "Enter a percentage from 0 to 100.",
    }
    assert "Please correct the highlighted fields." in _html(response)
    assert_accessible_page(_html(response))
    assert count_rows(Programme) == 0

    # A time skipped by the spring change is refused once the rest is right.
    response = client.post(
        "/manage/paris/programmes/new",
        data=_programme_form(
            starts_on="2026-04-13",
            ends_on="2026-04-14",
            registration_opens_at="2026-03-29T02:30",
            registration_closes_at="2026-04-01T18:00",
        ),
    )
    assert response.status_code == 200
    assert "does not exist in Europe/Paris" in field_errors(response)["registration_opens_at"]
    assert count_rows(Programme) == 0


@pytest.mark.parametrize(
    ("zone", "local", "expected_utc"),
    [
        ("Europe/Paris", "2026-10-25T02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("America/Mexico_City", "2026-07-01T09:00", datetime(2026, 7, 1, 15, 0, tzinfo=UTC)),
        ("Asia/Tehran", "2026-06-01T09:00", datetime(2026, 6, 1, 5, 30, tzinfo=UTC)),
    ],
)
def test_session_times_are_entered_in_the_centre_zone(
    client, sign_in, db, zone, local, expected_utc
):
    centre = make_centre(slug="here", timezone=zone)
    sign_in(make_staff(centre, "coordinator"))
    day = date.fromisoformat(local[:10])
    draft = make_programme(centre, status=ProgrammeStatus.DRAFT, sessions=0, starts_on=day)
    response = client.post(
        f"/manage/here/programmes/{draft.id}/sessions/new",
        data={"title": "Opening", "starts_at": local, "ends_at": f"{local[:10]}T11:45"},
    )
    assert response.status_code == 302, field_errors(response)
    session = db.session.scalar(select(ProgrammeSession))
    assert session.starts_at == expected_utc
    # Shown back as the wall-clock time typed, with the zone's name.
    html = _html(client.get(f"/manage/here/programmes/{draft.id}"))
    assert zone in html
    hour = int(local[11:13])
    assert f"{hour % 12 or 12}:{local[14:16]}" in html
    edit = _html(client.get(f"/manage/here/programmes/{draft.id}/sessions/{session.id}/edit"))
    assert f'value="{local}"' in edit


def test_session_in_the_paris_spring_gap_is_refused(client, sign_in, db):
    centre = make_centre(slug="paris", timezone="Europe/Paris")
    sign_in(make_staff(centre, "director"))
    draft = make_programme(
        centre, status=ProgrammeStatus.DRAFT, sessions=0, starts_on=date(2026, 3, 29)
    )
    response = client.post(
        f"/manage/paris/programmes/{draft.id}/sessions/new",
        data={"title": "Night", "starts_at": "2026-03-29T02:30", "ends_at": "2026-03-29T04:00"},
    )
    assert response.status_code == 200
    assert field_errors(response)["starts_at"].startswith(
        "This time does not exist in Europe/Paris: the clocks go forward then."
    )
    response = client.post(
        f"/manage/paris/programmes/{draft.id}/sessions/new",
        data={"title": "Night", "starts_at": "2026-03-29T05:00", "ends_at": "2026-03-29T04:00"},
    )
    assert field_errors(response) == {"ends_at": "The session must end after it starts."}
    assert count_rows(ProgrammeSession) == 0


def test_translations_are_saved_and_removed_through_the_form(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "coordinator"))
    draft = make_programme(
        centre, status=ProgrammeStatus.DRAFT, starts_on=_in(40), title="Smart city course"
    )
    url = f"/manage/seoul/programmes/{draft.id}/edit"
    page = _html(client.get(url))
    assert 'id="title_ko"' in page and 'id="title_en"' not in page  # English is the original
    assert 'lang="ko"' in page

    form = _programme_form(
        title="Smart city course",
        starts_on=draft.starts_on.isoformat(),
        ends_on=draft.ends_on.isoformat(),
        title_ko="스마트시티 과정",
        summary_ko="서울의 스마트시티 정책",
        title_fr="",
        summary_fr="Résumé sans titre",
    )
    response = client.post(url, data=form)
    assert response.status_code == 200
    assert field_errors(response) == {
        "title_fr": "Enter the title in French too, or empty all the fields of this translation to remove it."
    }
    form["summary_fr"] = ""
    response = client.post(url, data=form)
    assert response.status_code == 302
    db.session.refresh(draft)
    assert [(t.language, t.title) for t in draft.translations] == [("ko", "스마트시티 과정")]
    assert draft.text_in("ko").summary == "서울의 스마트시티 정책"
    assert 'value="스마트시티 과정"' in _html(client.get(url))

    form.update(title_ko="", summary_ko="")
    assert client.post(url, data=form).status_code == 302
    db.session.refresh(draft)
    assert draft.translations == []


def test_capacity_of_a_published_programme_cannot_drop_below_seats_taken(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    programme = make_programme(centre, capacity=15, starts_on=_in(40), sessions=2)
    for _ in range(3):
        make_registration(programme)
    programme.seats_taken = 3
    form = _programme_form(
        title=programme.title,
        starts_on=programme.starts_on.isoformat(),
        ends_on=programme.ends_on.isoformat(),
        registration_opens_at="",
        registration_closes_at=f"{_in(35).isoformat()}T18:00",
        capacity="2",
    )
    url = f"/manage/seoul/programmes/{programme.id}/edit"
    response = client.post(url, data=form)
    assert response.status_code == 200
    assert field_errors(response) == {
        "capacity": "3 seats are already taken, so the capacity cannot be lower than 3."
    }
    # Leaving the published programme incomplete is refused as a whole.
    form.update(capacity="3", registration_closes_at="")
    response = client.post(url, data=form)
    assert response.status_code == 200
    assert (
        "error",
        "The programme is published, so it must stay complete. Nothing was saved:",
    ) in flashes(response)
    assert ("error", "Set when registration closes.") in flashes(response)
    db.session.refresh(programme)
    assert programme.capacity == 15 and programme.registration_closes_at is not None


def test_cancelling_asks_for_a_reason_and_confirmation_then_notifies(client, sign_in, db, outbox):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    programme = make_programme(centre, title="Water management course", sessions=2)
    participants = [make_user(), make_user()]
    for user in participants:
        make_registration(programme, user, status=RegistrationStatus.CONFIRMED)
    make_registration(programme, status=RegistrationStatus.WITHDRAWN)
    programme.seats_taken = 2
    url = f"/manage/seoul/programmes/{programme.id}/cancel"

    page = client.get(url)
    assert page.status_code == 200
    assert "2 participants are registered" in _html(page)
    assert_accessible_page(_html(page))

    response = client.post(url, data={"reason": "Typhoon warning"})
    assert response.status_code == 200
    assert field_errors(response) == {"confirm": "Tick the box to confirm the cancellation."}
    response = client.post(url, data={"reason": "  ", "confirm": "y"})
    assert field_errors(response) == {
        "reason": "Give the reason for the cancellation: participants will read it."
    }
    db.session.refresh(programme)
    assert programme.status == ProgrammeStatus.PUBLISHED and outbox == []

    response = client.post(url, data={"reason": "Typhoon warning", "confirm": "y"})
    assert response.status_code == 302
    detail = follow(client, response)
    assert flashes(detail) == [
        (
            "success",
            "“Water management course” has been cancelled. 2 participants have been emailed.",
        )
    ]
    assert "Typhoon warning" in _html(detail)
    db.session.refresh(programme)
    assert programme.status == ProgrammeStatus.CANCELLED and programme.seats_taken == 0
    assert sorted(m.to for m in outbox) == sorted(u.email for u in participants)
    assert all("Typhoon warning" in m.body for m in outbox)
    # Cancelled programmes cannot be cancelled again or edited.
    again = client.get(url)
    assert flashes(follow(client, again)) == [
        ("info", "Only a published programme can be cancelled.")
    ]
    edit = client.get(f"/manage/seoul/programmes/{programme.id}/edit")
    assert edit.status_code == 302
    assert flashes(follow(client, edit)) == [
        ("info", "This programme is cancelled; it can no longer be changed.")
    ]


def test_completing_before_the_end_is_refused(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    programme = make_programme(centre, starts_on=_in(10))
    response = client.post(f"/manage/seoul/programmes/{programme.id}/complete")
    assert response.status_code == 302
    [(category, message)] = flashes(follow(client, response))
    assert category == "error"
    assert message.startswith(
        "The programme can be marked completed once its last session has ended"
    )
    db.session.refresh(programme)
    assert programme.status == ProgrammeStatus.PUBLISHED


def test_duplicating_makes_a_draft_with_moved_sessions(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    programme = make_programme(centre, title="Climate forum", starts_on=_in(20), sessions=2)
    url = f"/manage/seoul/programmes/{programme.id}/duplicate"
    assert 'value="Climate forum"' in _html(client.get(url))

    response = client.post(url, data={"title": "Climate forum"})
    assert field_errors(response) == {
        "new_starts_on": "Give the new first day, or the number of days to move everything by."
    }
    response = client.post(
        url,
        data={"title": "Climate forum", "new_starts_on": _in(90).isoformat(), "shift_days": "3"},
    )
    assert field_errors(response) == {
        "new_starts_on": "Give either the new first day or a number of days, not both."
    }
    response = client.post(
        url, data={"title": "Climate forum 2", "new_starts_on": _in(90).isoformat()}
    )
    assert response.status_code == 302
    edition = db.session.scalar(select(Programme).where(Programme.edition_of_id == programme.id))
    assert response.location.endswith(f"/manage/seoul/programmes/{edition.id}")
    assert edition.status == ProgrammeStatus.DRAFT and edition.title == "Climate forum 2"
    assert edition.starts_on == _in(90)
    assert [
        s.starts_at - o.starts_at for s, o in zip(edition.sessions, programme.sessions, strict=True)
    ] == [
        timedelta(days=70),
        timedelta(days=70),
    ]
    page = _html(follow(client, response))
    assert "New edition of" in page and "Climate forum" in page


def test_removing_a_session(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "coordinator"))
    draft = make_programme(centre, status=ProgrammeStatus.DRAFT, sessions=2)
    first = draft.sessions[0]
    response = client.post(f"/manage/seoul/programmes/{draft.id}/sessions/{first.id}/delete")
    assert response.status_code == 302
    assert flashes(follow(client, response)) == [
        ("success", "The session “Day 1” has been removed.")
    ]
    assert count_rows(ProgrammeSession) == 1
    assert db.session.scalar(select(AuditEntry.action)) == "session.remove"


# Hostile input and CSRF --------------------------------------------------------------------


def test_hostile_titles_venues_and_descriptions(client, sign_in, db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    stored = []
    for value in hostile_strings():
        before = count_rows(Programme)
        response = client.post(
            "/manage/seoul/programmes/new",
            data=_programme_form(title=value, venue=value, description=value),
        )
        assert response.status_code in (200, 302), value
        if response.status_code == 200:
            errors = field_errors(response)
            assert errors and set(errors) <= {"title", "venue", "description"}, (value, errors)
            assert count_rows(Programme) == before
            continue
        programme = db.session.scalar(select(Programme).order_by(Programme.id.desc()))
        assert programme.title == value.strip(), value
        assert programme.venue == value.strip(), value
        assert programme.description == value.strip(), value
        stored.append(programme)
        detail = client.get(response.location)
        assert detail.status_code == 200, value
        html = _html(detail)
        assert str(escape(value.strip())) in html, value
        edit = client.get(f"/manage/seoul/programmes/{programme.id}/edit")
        assert edit.status_code == 200, value
        assert "<script>alert(1)" not in _html(edit) and "<img src=x" not in _html(edit)
        assert "<script>alert(1)" not in html and "<img src=x" not in html
    titles = {p.title for p in stored}
    assert {"<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}"} <= titles
    overview = _html(client.get("/manage/seoul/"))
    for programme in stored:
        assert str(escape(programme.title)) in overview
    assert "<script>alert(1)" not in overview and "<img src=x" not in overview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overview
    assert "{{ 7*7 }}" in overview and ">49<" not in overview


def test_control_characters_and_overlong_values_are_refused(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    response = client.post(
        "/manage/seoul/programmes/new",
        data=_programme_form(title="Bad\x1b[31m title", venue="v" * 301),
    )
    assert field_errors(response) == {
        "title": "Remove the control characters from this field.",
        "venue": "Use at most 300 characters.",
    }
    assert count_rows(Programme) == 0


def test_manage_posts_need_a_csrf_token(app, client, sign_in, db, monkeypatch):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    draft = make_programme(centre, status=ProgrammeStatus.DRAFT, sessions=2)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = _snapshot(db)
    base = f"/manage/seoul/programmes/{draft.id}"
    for url, data in (
        (f"{base}/publish", {}),
        ("/manage/seoul/programmes/new", _programme_form()),
        (f"{base}/sessions/{draft.sessions[0].id}/delete", {}),
        (f"{base}/duplicate", {"title": "Copy", "shift_days": "7"}),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
    assert _snapshot(db) == before

    page = _html(client.get(base))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"{base}/publish", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.status == ProgrammeStatus.PUBLISHED
