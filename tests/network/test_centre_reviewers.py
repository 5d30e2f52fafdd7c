"""A centre's director names and removes its reviewers over real HTTP: by the address of a
confirmed account, only the reviewer role, only of their own centre, audited and told by email,
with a recent login and a CSRF token."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import EnrolmentPolicy, Membership, MembershipRole
from tests.support.audit import audit_entries
from tests.support.factories import (
    grant,
    make_admin,
    make_centre,
    make_programme,
    make_staff,
    make_user,
)
from tests.support.pages import field_errors, flashes, follow, main_of, text_of
from tests.support.testdata import hostile_strings

REVIEWER = MembershipRole.REVIEWER
LOGIN_PATH = "/account/login"


@pytest.fixture
def place(db):
    cairo = make_centre(slug="cairo", name="MITI Cairo")
    paris = make_centre(slug="paris", name="MITI Paris")
    return {
        "cairo": cairo,
        "paris": paris,
        "director": make_staff(cairo, "director", full_name="Nadia Director"),
        "official": make_user(full_name="Karim Official", email="karim@cairo.gov.eg"),
    }


def _memberships(user) -> list[Membership]:
    db.session.expire_all()
    return list(db.session.scalars(select(Membership).where(Membership.user_id == user.id)))


def _roles_of(user) -> set[tuple[int, MembershipRole]]:
    return {(m.centre_id, m.role) for m in _memberships(user)}


def _add(client, email: str, centre_slug: str = "cairo", **extra):
    return client.post(f"/manage/{centre_slug}/reviewers", data={"email": email, **extra})


# Naming a reviewer -------------------------------------------------------------------------


def test_the_director_makes_a_confirmed_account_reviewer(client, sign_in, place, outbox):
    sign_in(place["director"])
    official, cairo = place["official"], place["cairo"]

    # The address as typed, with spaces and capitals.
    response = _add(client, "  Karim@Cairo.GOV.eg ")

    assert response.status_code == 302
    assert response.location.endswith("/manage/cairo/reviewers")
    landing = follow(client, response)
    assert ("success", "Karim Official is now Reviewer of MITI Cairo.") in flashes(landing)
    assert "Karim Official" in main_of(landing)
    assert _roles_of(official) == {(cairo.id, REVIEWER)}
    [entry] = audit_entries("role.grant")
    assert (entry.actor_id, entry.subject_user_id, entry.centre_id, entry.to_state) == (
        place["director"].id,
        official.id,
        cairo.id,
        "reviewer",
    )
    # Told by email, with the way to the scoring pages.
    [message] = [m for m in outbox if m.to == official.email]
    assert "/manage/cairo/scoring" in message.body


def test_the_new_reviewer_can_score_and_nothing_else(app, client, sign_in, login, place):
    sign_in(place["director"])
    _add(client, place["official"].email)
    theirs = app.test_client()
    login(place["official"], target_client=theirs)
    assert theirs.get("/manage/cairo/scoring").status_code == 200
    assert theirs.get("/manage/cairo/").status_code == 403
    assert theirs.get("/manage/cairo/reviewers").status_code == 403
    assert theirs.get("/manage/paris/scoring").status_code == 403


@pytest.mark.parametrize(
    "email",
    ["nobody@cairo.gov.eg", "karim@cairo.gov.eg.evil.example", "KARIM@cairo.gov"],
)
def test_an_address_without_an_account_is_refused_beside_the_field(client, sign_in, place, email):
    sign_in(place["director"])
    response = _add(client, email)
    assert response.status_code == 422
    assert "No confirmed account uses this address" in field_errors(response)["email"]
    assert _roles_of(place["official"]) == set()
    assert audit_entries() == []


@pytest.mark.parametrize("email", ["", "   ", "not an address", "karim@", "@cairo.gov.eg"])
def test_a_malformed_address_is_refused_beside_the_field(client, sign_in, place, email):
    sign_in(place["director"])
    response = _add(client, email)
    assert response.status_code == 422
    assert field_errors(response)["email"]
    assert audit_entries() == []


def test_a_disabled_account_is_refused(client, sign_in, place):
    disabled = make_user(email="gone@cairo.gov.eg", is_enabled=False)
    sign_in(place["director"])
    response = _add(client, disabled.email)
    assert response.status_code == 422
    assert "disabled" in field_errors(response)["email"]
    assert _roles_of(disabled) == set()


def test_someone_already_reviewer_is_told_so_and_nothing_is_added(client, sign_in, place):
    grant(place["official"], place["cairo"], REVIEWER)
    sign_in(place["director"])
    landing = follow(client, _add(client, place["official"].email))
    assert ("info", "Karim Official is already Reviewer of MITI Cairo.") in flashes(landing)
    assert len(_memberships(place["official"])) == 1
    assert audit_entries() == []


def test_no_other_role_can_be_granted_from_the_page(client, sign_in, place):
    """The role is not a field: whatever else the post says, the grant is a reviewer's."""
    sign_in(place["director"])
    _add(
        client,
        place["official"].email,
        role="director",
        centre_id=str(place["paris"].id),
        is_admin="y",
    )
    assert _roles_of(place["official"]) == {(place["cairo"].id, REVIEWER)}
    assert not place["official"].is_admin


# Removing a reviewer -----------------------------------------------------------------------


def test_the_director_removes_a_reviewer_who_loses_access_at_once(
    app, client, sign_in, login, place
):
    official = place["official"]
    membership_id = grant(official, place["cairo"], REVIEWER).id
    theirs = app.test_client()
    sign_in(place["director"])
    login(official, target_client=theirs)
    assert theirs.get("/manage/cairo/scoring").status_code == 200

    response = client.post(f"/manage/cairo/reviewers/{membership_id}/revoke")

    landing = follow(client, response)
    assert ("success", "Karim Official is no longer Reviewer of MITI Cairo.") in flashes(landing)
    assert _roles_of(official) == set()
    [entry] = audit_entries("role.revoke")
    assert (entry.actor_id, entry.subject_user_id, entry.from_state) == (
        place["director"].id,
        official.id,
        "reviewer",
    )
    assert theirs.get("/manage/cairo/scoring").status_code == 403
    # Twice (a second tab): already done, nothing else happens.
    again = follow(client, client.post(f"/manage/cairo/reviewers/{membership_id}/revoke"))
    assert [c for c, _ in flashes(again)] == ["info"]
    assert len(audit_entries()) == 1


@pytest.mark.parametrize("whose", ["own_director", "coordinator", "other_centre_reviewer"])
def test_only_reviewer_roles_of_the_centre_can_be_removed(client, sign_in, place, whose):
    director, paris = place["director"], place["paris"]
    target = {
        "own_director": lambda: _memberships(director)[0],
        "coordinator": lambda: grant(make_user(), place["cairo"], "coordinator"),
        "other_centre_reviewer": lambda: grant(make_user(), paris, REVIEWER),
    }[whose]()
    sign_in(director)

    response = client.post(f"/manage/cairo/reviewers/{target.id}/revoke")

    assert response.status_code == 302
    assert [c for c, _ in flashes(follow(client, response))] == ["info"]
    db.session.expire_all()
    assert db.session.get(Membership, target.id) is not None
    assert audit_entries() == []


# Who may use the page ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "reviewer"])
def test_coordinators_and_reviewers_of_the_centre_get_403(client, sign_in, place, role):
    reviewer = grant(make_user(), place["cairo"], REVIEWER)
    sign_in(make_staff(place["cairo"], role))
    assert client.get("/manage/cairo/reviewers").status_code == 403
    assert _add(client, place["official"].email).status_code == 403
    assert client.post(f"/manage/cairo/reviewers/{reviewer.id}/revoke").status_code == 403
    assert _roles_of(place["official"]) == set()
    assert audit_entries() == []


def test_another_centres_director_gets_403_and_cannot_reach_through_their_own(
    client, sign_in, place
):
    reviewer = grant(make_user(), place["cairo"], REVIEWER)
    sign_in(make_staff(place["paris"], "director"))
    assert client.get("/manage/cairo/reviewers").status_code == 403
    assert _add(client, place["official"].email).status_code == 403
    assert client.post(f"/manage/cairo/reviewers/{reviewer.id}/revoke").status_code == 403
    # Cairo's reviewer named through Paris's own page is not Paris's to remove.
    response = client.post(f"/manage/paris/reviewers/{reviewer.id}/revoke")
    assert [c for c, _ in flashes(follow(client, response))] == ["info"]
    assert audit_entries() == []


def test_an_admin_may_name_reviewers_of_any_centre(client, sign_in, place):
    sign_in(make_admin())
    assert client.get("/manage/paris/reviewers").status_code == 200
    _add(client, place["official"].email, centre_slug="paris")
    assert _roles_of(place["official"]) == {(place["paris"].id, REVIEWER)}


def test_an_unknown_centre_is_404(client, sign_in, place):
    sign_in(place["director"])
    assert client.get("/manage/atlantis/reviewers").status_code == 404
    assert _add(client, place["official"].email, centre_slug="atlantis").status_code == 404


# Fresh login, CSRF, hostile names ---------------------------------------------------------


@pytest.mark.parametrize("action", ["add", "revoke"])
def test_changes_need_a_fresh_login(client, login, place, action):
    reviewer = grant(make_user(), place["cairo"], REVIEWER)
    login(place["director"], remember=True)
    client.delete_cookie("session")  # a new browser session, restored from remember-me
    page = client.get("/manage/cairo/reviewers")
    assert page.status_code == 200
    assert "Log in again" in text_of(page)
    assert "Make reviewer" not in text_of(page)
    url, data = {
        "add": ("/manage/cairo/reviewers", {"email": place["official"].email}),
        "revoke": (f"/manage/cairo/reviewers/{reviewer.id}/revoke", {}),
    }[action]

    response = client.post(url, data=data)

    assert response.status_code == 302
    assert response.location.startswith(LOGIN_PATH)
    assert _roles_of(place["official"]) == set()
    assert len(_memberships(reviewer.user)) == 1
    assert audit_entries() == []


def test_changes_need_the_csrf_token(app, client, sign_in, place, monkeypatch):
    reviewer = grant(make_user(), place["cairo"], REVIEWER)
    sign_in(place["director"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    revoke = f"/manage/cairo/reviewers/{reviewer.id}/revoke"

    assert client.post(revoke).status_code == 400
    assert _add(client, place["official"].email).status_code == 400
    assert audit_entries() == []

    page = text_of(client.get("/manage/cairo/reviewers"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(revoke, data={"csrf_token": token}).status_code == 302
    assert _add(client, place["official"].email, csrf_token=token).status_code == 302
    assert [e.action for e in audit_entries()] == ["role.revoke", "role.grant"]


def test_hostile_names_stay_text_on_the_page(client, sign_in, place):
    names = [s for s in hostile_strings() if "<" in s][:5] or ["<script>alert(1)</script>"]
    for name in names:
        grant(make_user(full_name=name[:200]), place["cairo"], REVIEWER)
    sign_in(place["director"])
    page = client.get("/manage/cairo/reviewers")
    assert page.status_code == 200
    html = text_of(page)
    for name in names:
        assert name[:200] not in html
        assert str(escape(name[:200])) in html


@pytest.mark.parametrize("value", hostile_strings()[:12])
def test_hostile_addresses_are_refused_in_words(client, sign_in, place, value):
    sign_in(place["director"])
    response = _add(client, value)
    assert response.status_code in (302, 422)
    assert response.status_code == 422 or audit_entries()
    if "<" in value and len(value) > 3:
        assert value not in text_of(response)


# The ways to the page ----------------------------------------------------------------------


def test_the_centre_page_links_the_director_to_the_reviewers(client, sign_in, place):
    sign_in(place["director"])
    assert "/manage/cairo/reviewers" in text_of(client.get("/manage/cairo/"))


def test_the_centre_page_shows_coordinators_no_such_link(client, sign_in, place):
    sign_in(make_staff(place["cairo"], "coordinator"))
    assert "/manage/cairo/reviewers" not in text_of(client.get("/manage/cairo/"))


@pytest.mark.parametrize("role", ["director", "coordinator"])
def test_the_selection_page_says_when_the_centre_has_no_reviewers(client, sign_in, place, role):
    programme = make_programme(place["cairo"], enrolment_policy=EnrolmentPolicy.REVIEW)
    user = place["director"] if role == "director" else make_staff(place["cairo"], role)
    sign_in(user)
    url = f"/manage/cairo/programmes/{programme.id}/selection"
    page = text_of(client.get(url))
    assert "This centre has no reviewers yet" in page
    assert ("/manage/cairo/reviewers" in page) == (role == "director")
    grant(place["official"], place["cairo"], REVIEWER)
    assert "This centre has no reviewers yet" not in text_of(client.get(url))
