"""Every route of the app has an access rule that a test checks; a new route without one fails.

The tables are tests/support/routes.py; their union must be exactly the app's url_map. Every
/manage and /admin route is tried with every role, other centres' staff included; the routes of
participants with anonymous visitors, strangers and staff.
"""

import pytest

from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, endpoint_url, flashes, follow, text_of
from tests.support.routes import (
    ACCOUNT_ROUTES,
    ADMIN_ROUTES,
    COORDINATOR_ROUTES,
    DIRECTOR_ROUTES,
    DOWNLOADS,
    FOCAL_POINT_ROUTES,
    IMPORT_ROUTES,
    OWN_REGISTRATION_ROUTES,
    PUBLIC_ROUTES,
    admin_request,
    admin_snapshot,
    make_admin_world,
    make_manage_world,
    manage_answer,
    manage_request,
    manage_snapshot,
)
from tests.support.selection_routes import CENTRE_ROUTES, REVIEWER_ROUTES

LOGIN_PATH = "/account/login"


def _routes_in(app) -> set[tuple[str, str]]:
    return {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_of_the_app_has_an_access_rule(app):
    tables = (
        set(PUBLIC_ROUTES)
        | set(ACCOUNT_ROUTES)
        | set(OWN_REGISTRATION_ROUTES)
        | set(ADMIN_ROUTES)
        | set(COORDINATOR_ROUTES)
        | set(DIRECTOR_ROUTES)
        | set(IMPORT_ROUTES)
        | set(REVIEWER_ROUTES)
        | set(FOCAL_POINT_ROUTES)
    )
    in_app = _routes_in(app)
    missing = in_app - tables
    assert not missing, f"routes without an access rule and test: {sorted(missing)}"
    stale = tables - in_app
    assert not stale, f"access rules for routes the app does not have: {sorted(stale)}"


# Participants' routes: public, own account, own registrations -------------------------------


@pytest.fixture
def world(db):
    centre = make_centre(slug="seoul")
    programme = make_programme(centre, slug="peer-review")
    owner = make_user()
    registration = make_registration(programme, owner)
    return {
        "centre": centre,
        "programme": programme,
        "owner": owner,
        "registration": registration,
        "stranger": make_user(),
        "coordinator": make_staff(centre, "coordinator"),
        "admin": make_admin(),
    }


def _url(app, endpoint, w):
    from flask import url_for

    values = {
        "slug": w["programme"].slug,
        "registration_id": w["registration"].id,
        "token": "not-a-valid-token",
        "transcript_id": 1,
        "code": "NOTAVALIDCODE",
        "filename": "css/app.css",
        "post_id": 1,
        "photo_id": 1,
        "size": "web",
    }
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        return url_for(endpoint, **{k: v for k, v in values.items() if k in rule.arguments})


@pytest.mark.parametrize(("method", "endpoint"), ACCOUNT_ROUTES + OWN_REGISTRATION_ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(app, client, world, method, endpoint):
    response = client.open(_url(app, endpoint, world), method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize(("method", "endpoint"), OWN_REGISTRATION_ROUTES)
@pytest.mark.parametrize("who", ["stranger", "coordinator", "admin"])
def test_someone_elses_registration_is_not_found(app, client, login, world, method, endpoint, who):
    """Staff manage registrations on /manage; the participant pages are the owner's alone."""
    login(world[who])
    assert client.open(_url(app, endpoint, world), method=method).status_code == 404


@pytest.mark.parametrize(("method", "endpoint"), PUBLIC_ROUTES)
def test_public_routes_answer_anonymous_visitors_without_an_error(
    app, client, world, method, endpoint
):
    response = client.open(_url(app, endpoint, world), method=method)
    assert response.status_code < 500
    assert response.status_code not in (401, 403)


# /admin: administrators only ----------------------------------------------------------------

ADMIN_ROLES = ["anonymous", "participant", "coordinator", "director", "admin"]


def test_route_table_covers_every_admin_route(app):
    in_app = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                in_app.add((method, rule.endpoint))
    missing = in_app - set(ADMIN_ROUTES)
    assert not missing, f"admin routes without an access test: {sorted(missing)}"
    stale = set(ADMIN_ROUTES) - in_app
    assert not stale, f"routes in the table that the app does not have: {sorted(stale)}"


@pytest.fixture
def admin_world(db):
    return make_admin_world()


@pytest.mark.parametrize("role", ADMIN_ROLES)
@pytest.mark.parametrize(("method", "endpoint"), ADMIN_ROUTES)
def test_admin_route_access(app, db, client, login, admin_world, role, method, endpoint):
    if role == "participant":
        login(make_user())
    elif role in ("coordinator", "director"):
        login(make_staff(admin_world["centre"], role))
    elif role == "admin":
        login(make_admin())
    values, data = admin_request(endpoint, admin_world)
    url = endpoint_url(app, endpoint, **values)
    before = admin_snapshot()

    response = client.open(url, method=method, data=data if method == "POST" else None)

    if role == "anonymous":
        assert response.status_code == 302
        assert response.location.startswith(LOGIN_PATH)
        assert admin_snapshot() == before
    elif role != "admin":
        assert response.status_code == 403
        assert admin_snapshot() == before
    elif method == "GET" and endpoint in DOWNLOADS:
        assert response.status_code == 200
        assert not response.mimetype.startswith("text/html")
    elif method == "GET":
        assert response.status_code == 200, text_of(response)[:2000]
        assert_accessible_page(text_of(response))
    else:
        assert response.status_code == 302, text_of(response)[:2000]
        assert not response.location.startswith(LOGIN_PATH)
        assert admin_snapshot() != before, "a successful admin POST should change something"


# /manage: staff of the centre, the director's routes, other centres' staff -------------------

MANAGE_ROLES = [
    "anonymous",
    "participant",
    "other_reviewer",
    "reviewer",
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
    return (
        COORDINATOR_ROUTES
        + DIRECTOR_ROUTES
        + REVIEWER_ROUTES
        + [r for r in IMPORT_ROUTES if r in present]
    )


def test_route_table_covers_every_manage_route(app):
    in_app = _manage_routes_in(app)
    table = set(COORDINATOR_ROUTES + DIRECTOR_ROUTES + REVIEWER_ROUTES + IMPORT_ROUTES)
    missing = in_app - table
    assert not missing, f"/manage routes without an access test: {sorted(missing)}"
    stale = set(COORDINATOR_ROUTES + DIRECTOR_ROUTES + REVIEWER_ROUTES) - in_app
    assert not stale, f"routes in the table that the app does not have: {sorted(stale)}"


def _route_params():
    """Every route of the table; import routes are skipped at run time when absent."""
    return COORDINATOR_ROUTES + DIRECTOR_ROUTES + REVIEWER_ROUTES + IMPORT_ROUTES


@pytest.fixture
def manage_world(db):
    return make_manage_world()


def _log_in_as(role: str, w: dict, login) -> None:
    if role == "participant":
        login(make_user())
    elif role in ("other_coordinator", "other_director", "other_reviewer"):
        login(make_staff(w["other"], role.removeprefix("other_")))
    elif role in ("coordinator", "director", "reviewer"):
        login(make_staff(w["centre"], role))
    elif role == "admin":
        login(make_admin())


@pytest.mark.parametrize("role", MANAGE_ROLES)
@pytest.mark.parametrize(("method", "endpoint"), _route_params())
def test_manage_route_access(app, db, client, login, manage_world, role, method, endpoint):
    if (method, endpoint) not in _all_routes(app):
        pytest.skip(f"{endpoint} is not part of the app (yet)")
    _log_in_as(role, manage_world, login)
    values, data = manage_request(endpoint, manage_world)
    url = endpoint_url(app, endpoint, **values)
    before = manage_snapshot()

    response = client.open(url, method=method, data=data if method == "POST" else None)

    expected = manage_answer(role, method, endpoint)
    if expected == "login":
        assert response.status_code == 302
        assert response.location.startswith(LOGIN_PATH)
        assert manage_snapshot() == before
    elif expected == "forbidden":
        assert response.status_code == 403, text_of(response)[:1000]
        assert manage_snapshot() == before
    elif (method, endpoint) in IMPORT_ROUTES:
        # Reached the import page (an empty upload is refused there with a message, 422).
        wanted = 422 if method == "POST" else 200
        assert response.status_code == wanted, text_of(response)[:2000]
    elif endpoint in DOWNLOADS:
        assert response.status_code == 200, text_of(response)[:2000]
        assert not response.mimetype.startswith("text/html")
    elif endpoint == "manage.index" and role in ("reviewer", "other_reviewer"):
        # A reviewer manages nothing: the index leads to the scoring pages.
        assert response.status_code == 302
        assert response.location.endswith("/manage/scoring")
    elif endpoint in ("manage.index", "manage.scoring_home") and role != "admin":
        # Staff of one centre land on its page (its scoring page).
        centre = manage_world["other" if role.startswith("other_") else "centre"]
        page = "scoring" if endpoint == "manage.scoring_home" else ""
        assert response.status_code == 302
        assert response.location.endswith(f"/manage/{centre.slug}/{page}")
    elif method == "GET":
        assert response.status_code == 200, text_of(response)[:2000]
        assert_accessible_page(text_of(response))
    else:
        assert response.status_code == 302, text_of(response)[:3000]
        assert not response.location.startswith(LOGIN_PATH)
        assert manage_snapshot() != before, "a successful POST should change something"
        landing = follow(client, response)
        assert landing.status_code == 200
        # The login's welcome may still be waiting to be shown: every message is a success,
        # or a note of what comes next (the next application to review).
        categories = {c for c, _ in flashes(landing)}
        assert "success" in categories and categories <= {"success", "info"}, flashes(landing)


#: Routes that name a programme; with another centre's programme id they are 404.
PROGRAMME_ROUTES = [
    (method, endpoint)
    for method, endpoint in COORDINATOR_ROUTES + DIRECTOR_ROUTES + REVIEWER_ROUTES
    if endpoint not in CENTRE_ROUTES
    and endpoint
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
    app, db, client, login, manage_world, role, method, endpoint
):
    _log_in_as(role, manage_world, login)
    values, data = manage_request(endpoint, manage_world)
    values["programme_id"] = manage_world["foreign"].id
    if "session_id" in values:
        values["session_id"] = manage_world["foreign"].sessions[0].id
    before = manage_snapshot()
    response = client.open(endpoint_url(app, endpoint, **values), method=method, data=data or None)
    assert response.status_code == 404
    assert manage_snapshot() == before
