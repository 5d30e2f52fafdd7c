"""Every route of the app has an access rule that a test checks; a new route without one fails.

/admin and /manage routes have their own full role matrices (tests/test_admin.py,
tests/test_manage_programmes.py); this module holds the tables of every other route and
checks that the union of all tables is exactly the app's url_map.
"""

import pytest

from tests import feature_routes
from tests.network import test_admin
from tests.programmes import test_manage_programmes
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)

#: Anyone, logged in or not: (method, endpoint).
PUBLIC_ROUTES = [
    ("GET", "main.home"),
    ("POST", "main.set_language"),
    ("GET", "main.healthz"),
    ("GET", "main.readyz"),
    ("GET", "main.metrics"),  # a bearer token instead of a login (tests/test_observability.py)
    ("GET", "catalogue.list_programmes"),
    ("GET", "catalogue.programme_detail"),
    ("GET", "catalogue.programme_ics"),
    ("GET", "catalogue.centre_detail"),
    ("GET", "api.list_programmes"),
    ("GET", "api.programme_detail"),
    ("GET", "api.list_centres"),
    ("GET", "api.openapi"),
    ("GET", "auth.signup"),
    ("POST", "auth.signup"),
    ("GET", "auth.signup_done"),
    ("GET", "auth.login"),
    ("POST", "auth.login"),
    ("GET", "auth.forgot_password"),
    ("POST", "auth.forgot_password"),
    ("GET", "auth.confirm_email"),
    ("GET", "auth.reset_password"),
    ("POST", "auth.reset_password"),
    ("GET", "registrations.calendar_feed"),  # secret token in the URL instead of a login
    ("GET", "static"),
    *feature_routes.PUBLIC_ROUTES,
]

#: Any logged-in user, acting on their own account only.
ACCOUNT_ROUTES = [
    ("GET", "auth.profile"),
    ("POST", "auth.profile"),
    ("GET", "auth.change_password"),
    ("POST", "auth.change_password"),
    ("POST", "auth.resend_confirmation"),
    ("POST", "auth.logout"),
    ("GET", "registrations.mine"),
    ("POST", "registrations.calendar_token_create"),
    ("POST", "registrations.calendar_token_revoke"),
    ("GET", "registrations.register"),
    ("POST", "registrations.register"),
    *feature_routes.ACCOUNT_ROUTES,
]

#: A participant's own registration: others get 404, anonymous visitors are sent to log in.
OWN_REGISTRATION_ROUTES = [
    ("GET", "registrations.detail"),
    ("GET", "registrations.edit"),
    ("POST", "registrations.edit"),
    ("GET", "registrations.withdraw"),
    ("POST", "registrations.withdraw"),
    *feature_routes.OWN_REGISTRATION_ROUTES,
]


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
        | set(test_admin.ADMIN_ROUTES)
        | set(test_manage_programmes.COORDINATOR_ROUTES)
        | set(test_manage_programmes.DIRECTOR_ROUTES)
        | set(test_manage_programmes.IMPORT_ROUTES)
    )
    in_app = _routes_in(app)
    missing = in_app - tables
    assert not missing, f"routes without an access rule and test: {sorted(missing)}"
    stale = tables - in_app
    assert not stale, f"access rules for routes the app does not have: {sorted(stale)}"


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
        "code": "NOTAVALIDCODE",
        "filename": "css/app.css",
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
