"""Administration pages over real HTTP: centres, member cities, users, roles, fresh-login and
CSRF requirements, hostile input.

Who may use which /admin route: tests/web/test_authorization_matrix.py.
"""

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from miti_training import bidi
from miti_training.models import (
    AuditEntry,
    Centre,
    CentreKind,
    MemberCity,
    Membership,
    MembershipRole,
    WorldRegion,
)
from tests.support.factories import (
    grant,
    make_admin,
    make_centre,
    make_member_city,
    make_staff,
    make_user,
)
from tests.support.forms import centre_form, city_form
from tests.support.pages import text_of as _html
from tests.support.routes import admin_snapshot
from tests.support.sql import count_rows, statements_for
from tests.support.testdata import hostile_strings

LOGIN_PATH = "/account/login"


def test_unknown_ids_are_404(app, client, login, db):
    login(make_admin())
    assert client.get("/admin/centres/999999/edit").status_code == 404
    assert client.get("/admin/member-cities/999999/edit").status_code == 404
    assert client.get("/admin/users/999999").status_code == 404
    assert client.post("/admin/users/999999/disable").status_code == 404


def test_admin_link_in_navigation_only_for_admins(client, login, db):
    login(make_user())
    assert "/admin/" not in _html(client.get("/"))
    client.post("/account/logout")
    login(make_admin())
    assert 'href="/admin/"' in _html(client.get("/"))


# Overview ----------------------------------------------------------------------------


def test_index_shows_counts_and_links(client, login, db):
    centre = make_centre()
    make_centre()
    make_staff(centre, "coordinator")
    make_staff(centre, "director")
    login(make_admin())
    response = client.get("/admin/")
    html = _html(response)
    assert response.status_code == 200
    assert "<h1>Administration</h1>" in html
    assert "2 centres" in html
    assert "2 people hold a centre role" in html
    assert "1 administrator" in html
    # 3 users' member cities (one each) count too.
    assert "3 member cities and organisations" in html
    assert "3 accounts" in html
    for path in ("/admin/centres", "/admin/member-cities", "/admin/users"):
        assert f'href="{path}"' in html


# Centres -----------------------------------------------------------------------------


def test_create_centre(client, login, db):
    admin = make_admin()
    login(admin)
    form = client.get("/admin/centres/new")
    assert form.status_code == 200
    assert '<option value="Africa/Cairo">' in _html(form)

    response = client.post("/admin/centres/new", data=centre_form())

    assert response.status_code == 302
    assert response.location == "/admin/centres"
    centre = db.session.scalar(select(Centre).filter_by(slug="cairo"))
    assert centre.name == "MITI Regional Centre Cairo"
    assert centre.timezone == "Africa/Cairo"
    assert centre.kind == CentreKind.REGIONAL
    assert centre.host_institution == "Cairo Governorate"
    assert centre.contact_email == "miti@cairo.example"
    entry = db.session.scalar(select(AuditEntry).filter_by(action="centre.create"))
    assert entry.actor_id == admin.id and entry.centre_id == centre.id

    listing = _html(client.get("/admin/centres"))
    assert "MITI Regional Centre Cairo" in listing
    assert "The centre “MITI Regional Centre Cairo” has been created." in listing
    assert "Regional centre" in listing  # the kind's label, not "regional"


def test_edit_centre(client, login, db):
    centre = make_centre(slug="mexico", name="Old name", timezone="UTC")
    login(make_admin())
    page = _html(client.get(f"/admin/centres/{centre.id}/edit"))
    assert 'value="Old name"' in page
    assert 'value="mexico"' in page

    response = client.post(
        f"/admin/centres/{centre.id}/edit",
        data=centre_form(
            slug="mexico-city",
            name="MITI Regional Centre Mexico City",
            city="Mexico City",
            country="Mexico",
            timezone="America/Mexico_City",
            kind="regional",
        ),
    )

    assert response.status_code == 302
    db.session.refresh(centre)
    assert centre.slug == "mexico-city"
    assert centre.name == "MITI Regional Centre Mexico City"
    assert centre.timezone == "America/Mexico_City"


def test_duplicate_slug_on_create_is_a_field_error(client, login, db):
    make_centre(slug="cairo", name="Existing Cairo")
    login(make_admin())

    response = client.post("/admin/centres/new", data=centre_form(name="Second Cairo"))

    html = _html(response)
    assert response.status_code == 200
    assert "Another centre already uses the short name “cairo”." in html
    assert 'id="slug-error"' in html
    assert 'value="Second Cairo"' in html  # what was typed is kept
    assert count_rows(Centre) == 1
    assert db.session.scalar(select(Centre.name)) == "Existing Cairo"
    assert count_rows(AuditEntry) == 0


def test_duplicate_slug_on_edit_changes_nothing(client, login, db):
    make_centre(slug="cairo", name="Cairo")
    paris = make_centre(slug="paris", name="Paris")
    login(make_admin())

    response = client.post(
        f"/admin/centres/{paris.id}/edit", data=centre_form(slug="cairo", name="Paris renamed")
    )

    assert response.status_code == 200
    assert "Another centre already uses the short name “cairo”." in _html(response)
    db.session.refresh(paris)
    assert (paris.slug, paris.name) == ("paris", "Paris")


def test_keeping_own_slug_on_edit_is_fine(client, login, db):
    centre = make_centre(slug="cairo", name="Cairo")
    login(make_admin())
    response = client.post(
        f"/admin/centres/{centre.id}/edit", data=centre_form(slug="cairo", name="Cairo centre")
    )
    assert response.status_code == 302
    db.session.refresh(centre)
    assert centre.name == "Cairo centre"


@pytest.mark.parametrize(
    "slug",
    ["Cairo", "cairo centre", "-cairo", "cairo-", "cairo--hq", "caïro", "cairo_hq", "x" * 61],
)
def test_slug_format_is_checked(client, login, db, slug):
    login(make_admin())
    response = client.post("/admin/centres/new", data=centre_form(slug=slug))
    html = _html(response)
    assert response.status_code == 200
    assert 'id="slug-error"' in html
    assert count_rows(Centre) == 0


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "asia/seoul", "Europe/Paris\n"])
def test_invalid_timezone_is_refused(client, login, db, zone):
    login(make_admin())
    response = client.post("/admin/centres/new", data=centre_form(timezone=zone))
    assert response.status_code == 200
    assert "Choose a time zone from the list." in _html(response)
    assert count_rows(Centre) == 0


def test_missing_fields_and_bad_email_are_explained(client, login, db):
    login(make_admin())
    response = client.post(
        "/admin/centres/new",
        data=centre_form(name="", city="  ", contact_email="not an address", kind="galactic"),
    )
    html = _html(response)
    assert response.status_code == 200
    assert "Please correct the highlighted fields." in html
    assert "Enter the centre&#39;s name." in html
    assert "Enter the city." in html
    assert "Enter a valid email address" in html
    assert 'id="kind-error"' in html
    assert count_rows(Centre) == 0


# Member cities -----------------------------------------------------------------------


def test_create_member_city(client, login, db):
    login(make_admin())
    response = client.post("/admin/member-cities/new", data=city_form())
    assert response.status_code == 302
    city = db.session.scalar(select(MemberCity).filter_by(name="Surabaya"))
    assert (city.country, city.world_region, city.is_city) == (
        "Indonesia",
        WorldRegion.ASIA_PACIFIC,
        True,
    )
    listing = _html(client.get("/admin/member-cities"))
    assert "Surabaya" in listing
    assert "Asia-Pacific" in listing


def test_create_partner_organisation(client, login, db):
    login(make_admin())
    data = city_form(name="UCLG", country="Spain", world_region="europe")
    del data["is_city"]
    assert client.post("/admin/member-cities/new", data=data).status_code == 302
    assert db.session.scalar(select(MemberCity.is_city).filter_by(name="UCLG")) is False


@pytest.mark.parametrize("name", ["Surabaya", "surabaya", "  SURABAYA "])
def test_duplicate_member_city_is_a_clear_error(client, login, db, name):
    make_member_city(name="Surabaya", country="Indonesia")
    login(make_admin())

    response = client.post("/admin/member-cities/new", data=city_form(name=name))

    html = _html(response)
    assert response.status_code == 200
    assert "is already in the list of member cities." in html
    assert 'id="name-error"' in html
    assert db.session.scalars(select(MemberCity.name).filter_by(country="Indonesia")).all() == [
        "Surabaya"
    ]


def test_same_name_in_another_country_is_allowed(client, login, db):
    make_member_city(name="Córdoba", country="Argentina")
    login(make_admin())
    response = client.post(
        "/admin/member-cities/new",
        data=city_form(name="Córdoba", country="Spain", world_region="europe"),
    )
    assert response.status_code == 302
    assert sorted(db.session.scalars(select(MemberCity.country).filter_by(name="Córdoba"))) == [
        "Argentina",
        "Spain",
    ]


def test_edit_member_city_and_duplicate_on_edit(client, login, db):
    make_member_city(name="Shiraz", country="Iran")
    city = make_member_city(name="Shirazz", country="Iran")
    login(make_admin())

    clash = client.post(
        f"/admin/member-cities/{city.id}/edit",
        data=city_form(name="Shiraz", country="Iran", world_region="middle_east"),
    )
    assert clash.status_code == 200
    assert "is already in the list of member cities." in _html(clash)
    db.session.refresh(city)
    assert city.name == "Shirazz"

    fixed = client.post(
        f"/admin/member-cities/{city.id}/edit",
        data=city_form(name="Mashhad", country="Iran", world_region="middle_east"),
    )
    assert fixed.status_code == 302
    db.session.refresh(city)
    assert (city.name, city.world_region) == ("Mashhad", WorldRegion.MIDDLE_EAST)


def test_member_city_search(client, login, db):
    for name in ("Seoul", "Busan", "Seongnam", "100% City", "Under_score"):
        make_member_city(name=name)
    login(make_admin())

    def names(query: str) -> set[str]:
        html = _html(client.get("/admin/member-cities", query_string={"q": query}))
        return set(re.findall(r"<tr>\s*<td><bdi>([^<]*)</bdi>", html))

    assert names("SEOUL") == {"Seoul"}
    assert names("seo") == {"Seoul", "Seongnam"}
    assert 'value="SEOUL"' in _html(client.get("/admin/member-cities?q=SEOUL"))
    # LIKE wildcards are searched literally.
    assert names("%") == {"100% City"}
    assert names("_") == {"Under_score"}

    none = client.get("/admin/member-cities", query_string={"q": "Atlantis"})
    assert none.status_code == 200
    assert "No member cities match your search." in _html(none)


def test_member_city_pagination(client, login, db):
    for n in range(55):
        make_member_city(name=f"City {n:03d}")
    admin = make_admin()  # its own member city makes 56
    login(admin)

    first = _html(client.get("/admin/member-cities"))
    assert first.count('/edit">Edit') == 50
    assert "Page 1 of 2" in first
    assert 'rel="next"' in first
    assert "City 000" in first and "City 049" in first and "City 054" not in first

    second = _html(client.get("/admin/member-cities", query_string={"page": "2"}))
    assert second.count('/edit">Edit') == 6
    assert "City 054" in second and "City 000" not in second
    assert 'rel="prev"' in second

    # Pages keep the search.
    searched = _html(client.get("/admin/member-cities", query_string={"q": "City 0"}))
    assert "page=2" in searched and "q=City" in searched


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9999999999999999999999999", "1e309", "3"])
def test_odd_page_numbers_never_fail(client, login, db, page):
    make_member_city(name="Bangkok")
    login(make_admin())
    for path in ("/admin/member-cities", "/admin/users"):
        assert client.get(path, query_string={"page": page}).status_code == 200


# Users -------------------------------------------------------------------------------


@pytest.fixture
def people(db):
    seoul = make_centre(name="MITI Headquarters Seoul")
    return {
        "centre": seoul,
        "kim": make_user(full_name="Kim Min-jun", email="minjun.kim@seoul.example"),
        "nour": make_user(full_name="Nour El-Sayed", email="nour@cairo.example"),
        "coordinator": make_staff(seoul, "coordinator", full_name="Lee Coordinator"),
        "disabled": make_user(full_name="Gone Official", is_enabled=False),
    }


def test_user_search_by_name_and_email(client, login, db, people):
    login(make_admin(full_name="Admin Person"))

    by_name = _html(client.get("/admin/users", query_string={"q": "min-JUN"}))
    assert "Kim Min-jun" in by_name and "Nour El-Sayed" not in by_name

    by_email = _html(client.get("/admin/users", query_string={"q": "cairo.example"}))
    assert "Nour El-Sayed" in by_email and "Kim Min-jun" not in by_email

    nothing = client.get("/admin/users", query_string={"q": "nobody-here"})
    assert nothing.status_code == 200
    assert "No users match your search." in _html(nothing)


@pytest.mark.parametrize(
    ("show", "expected", "absent"),
    [
        ("admins", {"Admin Person"}, {"Kim Min-jun", "Lee Coordinator"}),
        ("staff", {"Lee Coordinator"}, {"Kim Min-jun", "Admin Person"}),
        ("participants", {"Kim Min-jun", "Gone Official"}, {"Lee Coordinator", "Admin Person"}),
        ("disabled", {"Gone Official"}, {"Kim Min-jun"}),
        ("", {"Kim Min-jun", "Lee Coordinator", "Admin Person"}, set()),
    ],
)
def test_user_filters(client, login, db, people, show, expected, absent):
    login(make_admin(full_name="Admin Person"))
    html = _html(client.get("/admin/users", query_string={"show": show}))
    for name in expected:
        assert name in html
    for name in absent:
        assert f">{name}</bdi>" not in html


def test_user_list_refuses_unknown_filter_gracefully(client, login, db, people):
    login(make_admin())
    response = client.get("/admin/users", query_string={"show": "root", "q": "x\x00y"})
    assert response.status_code == 200
    assert "Kim Min-jun" in _html(response)  # falls back to every user


def test_user_list_query_count_does_not_grow_with_users(app, client, login, db):
    centre = make_centre()
    login(make_admin())

    make_staff(centre, "director")
    few = statements_for(app, client, "/admin/users")
    for _ in range(10):
        make_staff(centre, "coordinator")
    assert statements_for(app, client, "/admin/users") == few


def test_user_detail_shows_profile_and_memberships(client, login, db, people):
    login(make_admin())
    response = client.get(f"/admin/users/{people['coordinator'].id}")
    html = _html(response)
    assert response.status_code == 200
    assert "<h1><bdi>Lee Coordinator</bdi></h1>" in html
    assert people["coordinator"].email in html
    assert "MITI Headquarters Seoul" in html
    assert "Coordinator" in html
    assert "Grant the role" in html


def _grant(client, user, centre, role="coordinator"):
    return client.post(
        f"/admin/users/{user.id}/roles", data={"centre_id": str(centre.id), "role": role}
    )


def test_grant_then_revoke_role(client, login, db):
    admin = make_admin()
    user = make_user(full_name="Amina Official")
    centre = make_centre(name="MITI Regional Centre Cairo")
    login(admin)

    response = _grant(client, user, centre, "director")

    assert response.status_code == 302
    assert response.location == f"/admin/users/{user.id}"
    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id))
    assert (membership.centre_id, membership.role) == (centre.id, MembershipRole.DIRECTOR)
    assert membership.granted_by_id == admin.id
    entry = db.session.scalar(select(AuditEntry).filter_by(action="role.grant"))
    assert (entry.actor_id, entry.centre_id, entry.subject_user_id) == (
        admin.id,
        centre.id,
        user.id,
    )
    assert (entry.from_state, entry.to_state) == ("", "director")
    page = _html(client.get(response.location))
    assert "Amina Official is now Director of MITI Regional Centre Cairo." in page
    assert f"/roles/{membership.id}/revoke" in page

    response = client.post(f"/admin/users/{user.id}/roles/{membership.id}/revoke")

    assert response.status_code == 302
    assert count_rows(Membership) == 0
    entry = db.session.scalar(select(AuditEntry).filter_by(action="role.revoke"))
    assert (entry.actor_id, entry.centre_id, entry.subject_user_id) == (
        admin.id,
        centre.id,
        user.id,
    )
    assert (entry.from_state, entry.to_state) == ("director", "")
    page = _html(client.get(response.location))
    assert "Amina Official is no longer Director of MITI Regional Centre Cairo." in page
    assert "This person holds no role in any centre." in page


def test_granting_twice_is_a_friendly_message(client, login, db):
    user = make_user(full_name="Twice Granted")
    centre = make_centre(name="MITI Mashhad")
    login(make_admin())

    assert _grant(client, user, centre).status_code == 302
    response = _grant(client, user, centre)

    assert response.status_code == 302
    assert count_rows(Membership) == 1
    assert count_rows(AuditEntry) == 1
    page = _html(client.get(response.location))
    assert "Twice Granted is already Coordinator of MITI Mashhad." in page
    assert "flash-info" in page


def test_both_roles_in_one_centre_and_roles_in_two_centres(client, login, db):
    user = make_user()
    first, second = make_centre(), make_centre()
    login(make_admin())
    _grant(client, user, first, "coordinator")
    _grant(client, user, first, "director")
    _grant(client, user, second, "coordinator")
    assert count_rows(Membership) == 3


def test_grant_with_bad_input_changes_nothing(client, login, db):
    user = make_user()
    centre = make_centre()
    login(make_admin())
    for data in (
        {"centre_id": "999999", "role": "coordinator"},
        {"centre_id": "abc", "role": "coordinator"},
        {"centre_id": str(centre.id), "role": "admin"},
        {"centre_id": str(centre.id)},
        {},
    ):
        response = client.post(f"/admin/users/{user.id}/roles", data=data)
        assert response.status_code == 302
    assert count_rows(Membership) == 0
    assert count_rows(AuditEntry) == 0


def test_revoking_a_role_of_another_user_is_refused(client, login, db):
    centre = make_centre()
    owner = make_staff(centre, "director")
    other = make_user()
    membership_id = owner.memberships[0].id
    login(make_admin())

    response = client.post(f"/admin/users/{other.id}/roles/{membership_id}/revoke")

    assert response.status_code == 302
    assert count_rows(Membership) == 1
    assert count_rows(AuditEntry) == 0


def test_disabling_a_user_ends_their_sessions(app, client, login, db):
    admin = make_admin()
    user = make_user(full_name="Soon Disabled")
    their_client = app.test_client()
    login(user, target_client=their_client, remember=True)
    assert their_client.get("/account/profile").status_code == 200
    login(admin)

    response = client.post(f"/admin/users/{user.id}/disable")

    assert response.status_code == 302
    db.session.refresh(user)
    assert user.is_enabled is False
    entry = db.session.scalar(select(AuditEntry).filter_by(action="account.disable"))
    assert (entry.actor_id, entry.subject_user_id) == (admin.id, user.id)
    assert (entry.from_state, entry.to_state) == ("enabled", "disabled")
    after = their_client.get("/account/profile")
    assert after.status_code == 302
    assert after.location.startswith(LOGIN_PATH)
    # The remember-me cookie does not bring them back either.
    their_client.delete_cookie("session")
    assert their_client.get("/account/profile").status_code == 302
    page = _html(client.get(response.location))
    assert "has been disabled and logged out everywhere" in page
    assert "Enable the account" in page


def test_enabling_a_user_again(client, login, db):
    admin = make_admin()
    user = make_user(is_enabled=False)
    login(admin)
    assert client.post(f"/admin/users/{user.id}/enable").status_code == 302
    db.session.refresh(user)
    assert user.is_enabled is True
    entry = db.session.scalar(select(AuditEntry).filter_by(action="account.enable"))
    assert (entry.from_state, entry.to_state) == ("disabled", "enabled")
    # Enabling an enabled account is harmless and not audited twice.
    client.post(f"/admin/users/{user.id}/enable")
    assert count_rows(AuditEntry) == 1


def test_admin_cannot_disable_self(client, login, db):
    admin = make_admin()
    login(admin)

    response = client.post(f"/admin/users/{admin.id}/disable")

    assert response.status_code == 302
    db.session.refresh(admin)
    assert admin.is_enabled is True
    assert count_rows(AuditEntry) == 0
    page = client.get(response.location)
    assert page.status_code == 200  # still logged in
    assert "You cannot disable your own account." in _html(page)


def test_make_and_remove_admin(client, login, db):
    admin = make_admin()
    user = make_user(full_name="Future Admin")
    login(admin)

    assert client.post(f"/admin/users/{user.id}/admin/grant").status_code == 302
    db.session.refresh(user)
    assert user.is_admin is True
    assert "Future Admin is now an administrator." in _html(client.get(f"/admin/users/{user.id}"))

    assert client.post(f"/admin/users/{user.id}/admin/revoke").status_code == 302
    db.session.refresh(user)
    assert user.is_admin is False
    actions = db.session.execute(
        select(AuditEntry.action, AuditEntry.from_state, AuditEntry.to_state).order_by(
            AuditEntry.id
        )
    ).all()
    assert actions == [("admin.grant", "", "admin"), ("admin.revoke", "admin", "")]


def test_admin_cannot_remove_own_admin_rights(client, login, db):
    admin = make_admin()
    login(admin)
    response = client.post(f"/admin/users/{admin.id}/admin/revoke")
    assert response.status_code == 302
    db.session.refresh(admin)
    assert admin.is_admin is True
    assert count_rows(AuditEntry) == 0
    assert "You cannot remove your own administration rights." in _html(
        client.get(response.location)
    )


def test_removed_admin_loses_access_at_once(app, client, login, db):
    admin = make_admin()
    other = make_admin()
    their_client = app.test_client()
    login(other, target_client=their_client)
    assert their_client.get("/admin/").status_code == 200
    login(admin)
    client.post(f"/admin/users/{other.id}/admin/revoke")
    assert their_client.get("/admin/").status_code == 403


# Fresh login and CSRF ----------------------------------------------------------------


@pytest.mark.parametrize("action", ["grant_role", "revoke_role", "grant_admin", "revoke_admin"])
def test_role_and_admin_changes_need_a_fresh_login(app, client, login, db, action):
    admin = make_admin()
    other_admin = make_admin()
    centre = make_centre()
    user = make_user()
    membership = grant(user, centre, "coordinator")
    login(admin, remember=True)
    assert client.get_cookie("remember_token") is not None
    client.delete_cookie("session")  # a new browser session, restored from remember-me

    page = client.get(f"/admin/users/{user.id}")
    assert page.status_code == 200  # still logged in...
    assert "Log in again" in _html(page)  # ...but not freshly
    before = admin_snapshot()
    url, data = {
        "grant_role": (
            f"/admin/users/{user.id}/roles",
            {"centre_id": centre.id, "role": "director"},
        ),
        "revoke_role": (f"/admin/users/{user.id}/roles/{membership.id}/revoke", {}),
        "grant_admin": (f"/admin/users/{user.id}/admin/grant", {}),
        "revoke_admin": (f"/admin/users/{other_admin.id}/admin/revoke", {}),
    }[action]

    response = client.post(url, data=data)

    assert response.status_code == 302
    assert response.location.startswith(LOGIN_PATH)
    assert admin_snapshot() == before

    # Logging in again makes the same request work.
    login(admin)
    assert client.post(url, data=data).status_code == 302
    assert admin_snapshot() != before


def test_disabling_does_not_need_a_fresh_login_but_is_audited(client, login, db):
    admin = make_admin()
    user = make_user()
    login(admin, remember=True)
    client.delete_cookie("session")
    response = client.post(f"/admin/users/{user.id}/disable")
    assert response.status_code == 302
    assert not response.location.startswith(LOGIN_PATH)
    db.session.refresh(user)
    assert user.is_enabled is False


def test_admin_posts_need_a_csrf_token(app, client, login, db, monkeypatch):
    admin = make_admin()
    user = make_user()
    centre = make_centre()
    login(admin)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = admin_snapshot()

    for url, data in (
        (f"/admin/users/{user.id}/disable", {}),
        (f"/admin/users/{user.id}/roles", {"centre_id": centre.id, "role": "director"}),
        (f"/admin/users/{user.id}/admin/grant", {}),
        ("/admin/centres/new", centre_form()),
        ("/admin/member-cities/new", city_form()),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
    assert admin_snapshot() == before

    page = _html(client.get(f"/admin/users/{user.id}"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"/admin/users/{user.id}/disable", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.is_enabled is False


# Hostile input -----------------------------------------------------------------------


def _hostile_strings() -> list[str]:
    return list(hostile_strings())


def _assert_shown_escaped(html: str, value: str) -> None:
    assert str(escape(value)) in html
    if "<" in value:
        assert value not in html


def test_hostile_centre_names(client, login, db):
    login(make_admin())
    stored = []
    for n, value in enumerate(_hostile_strings()):
        response = client.post(
            "/admin/centres/new", data=centre_form(slug=f"hostile-{n}", name=value)
        )
        assert response.status_code in (200, 302), value
        if response.status_code == 200:
            assert 'id="name-error"' in _html(response), value
            assert db.session.scalar(select(Centre).filter_by(slug=f"hostile-{n}")) is None
        else:
            centre = db.session.scalar(select(Centre).filter_by(slug=f"hostile-{n}"))
            assert centre.name == bidi.strip_controls(value).strip(), value
            stored.append(centre.name)
    assert "<script>alert(1)</script>" in stored
    listing = _html(client.get("/admin/centres"))
    for name in stored:
        _assert_shown_escaped(listing, name)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert "<script>alert(1)" not in listing
    assert "<img src=x" not in listing
    assert "{{ 7*7 }}" in listing  # template syntax in data is shown as text, not evaluated
    script_centre = db.session.scalar(select(Centre).filter_by(name="<script>alert(1)</script>"))
    edit_page = _html(client.get(f"/admin/centres/{script_centre.id}/edit"))
    assert "<script>alert(1)" not in edit_page
    assert "Edit the centre &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in edit_page


def test_hostile_user_names_are_escaped(client, login, db):
    centre = make_centre(name='"><img src=x onerror=alert(1)>')
    user = make_staff(centre, "director", full_name="<script>alert(1)</script>")
    login(make_admin())
    for url in ("/admin/users", f"/admin/users/{user.id}"):
        html = _html(client.get(url))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html


def test_hostile_member_city_names_and_searches(client, login, db):
    login(make_admin())
    stored = []
    for value in _hostile_strings():
        response = client.post("/admin/member-cities/new", data=city_form(name=value))
        assert response.status_code in (200, 302), value
        if response.status_code == 200:
            assert 'id="name-error"' in _html(response), value
        else:
            stored.append(bidi.strip_controls(value).strip())
        search = client.get("/admin/member-cities", query_string={"q": value})
        assert search.status_code == 200, value
        users = client.get("/admin/users", query_string={"q": value, "show": value})
        assert users.status_code == 200, value
    assert set(db.session.scalars(select(MemberCity.name))) >= set(stored)
    assert "<script>alert(1)</script>" in stored
    listing = _html(client.get("/admin/member-cities"))
    for name in stored:
        _assert_shown_escaped(listing, name)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert "<img src=x" not in listing
    # The duplicate message quotes the name, escaped too.
    again = client.post(
        "/admin/member-cities/new", data=city_form(name="<script>alert(1)</script>")
    )
    assert again.status_code == 200
    assert "“&lt;script&gt;alert(1)&lt;/script&gt;” in Indonesia is already" in _html(again)
    assert "<script>alert(1)" not in _html(again)
    # A stored hostile name is found by searching for it, and shown escaped.
    found = _html(client.get("/admin/member-cities", query_string={"q": '"><img src=x'}))
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in found


def test_control_characters_and_overlong_values_are_refused(client, login, db):
    login(make_admin())
    response = client.post("/admin/member-cities/new", data=city_form(name="Bad\x1b[31m city"))
    assert response.status_code == 200
    assert "Remove the control characters from this field." in _html(response)
    response = client.post("/admin/member-cities/new", data=city_form(name="x" * 201))
    assert response.status_code == 200
    assert "Use at most 200 characters." in _html(response)
    response = client.post("/admin/centres/new", data=centre_form(city="y" * 121))
    assert "Use at most 120 characters." in _html(response)
    assert count_rows(MemberCity) == 1  # the admin's own
    assert count_rows(Centre) == 0
