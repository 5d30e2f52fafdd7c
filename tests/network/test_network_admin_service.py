"""Network administration rules, tested without HTTP."""

import pytest
from sqlalchemy import select

from miti_training.db_setup import MAX_PAGE, clamp_page
from miti_training.errors import DomainError, FieldError
from miti_training.models import AuditEntry, Centre, MemberCity, Membership, User
from miti_training.network import centre_dashboard, centres, member_cities, network_dashboard, users
from tests.support.factories import grant, make_admin, make_centre, make_member_city, make_user
from tests.support.sql import count_rows


def _centre_values(**overrides) -> dict:
    values = {
        "slug": "paris-idf",
        "name": "MITI Regional Centre Paris Île-de-France",
        "city": "Paris",
        "country": "France",
        "timezone": "Europe/Paris",
        "kind": "regional",
        "host_institution": "",
        "contact_email": "MITI@Paris.example",
    }
    values.update(overrides)
    return values


def test_create_centre_flushes_and_audits_without_committing(db):
    admin = make_admin()
    centre = centres.create_centre(actor=admin, **_centre_values())
    assert centre.id is not None
    assert centre.contact_email == "miti@paris.example"
    assert db.session.scalar(select(AuditEntry.action)) == "centre.create"
    db.session.rollback()  # nothing was committed by the service
    assert count_rows(Centre) == 0


def test_duplicate_slug_is_a_field_error(db):
    admin = make_admin()
    make_centre(slug="paris-idf")
    with pytest.raises(FieldError) as caught:
        centres.create_centre(actor=admin, **_centre_values())
    assert caught.value.field == "slug"
    assert "paris-idf" in str(caught.value.message)


def test_integrity_error_is_translated_and_session_stays_usable(db, monkeypatch):
    """The database constraint is the last line: a race past the check still gives a DomainError."""
    admin = make_admin()
    make_centre(slug="paris-idf", name="First")
    monkeypatch.setattr(centres, "_check_centre_values", lambda *args: None)

    with pytest.raises(FieldError) as caught:
        centres.create_centre(actor=admin, **_centre_values(name="Second"))

    assert caught.value.field == "slug"
    # The savepoint was rolled back; the outer transaction still works.
    assert db.session.scalars(select(Centre.name)).all() == ["First"]
    assert count_rows(AuditEntry) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"timezone": "Mars/Base"}, "timezone"), ({"kind": "secret"}, "kind")],
)
def test_centre_values_checked_in_service_too(db, overrides, field):
    with pytest.raises(FieldError) as caught:
        centres.create_centre(actor=make_admin(), **_centre_values(**overrides))
    assert caught.value.field == field


def test_member_city_duplicate_is_case_insensitive(db):
    make_member_city(name="Warsaw", country="Poland")
    with pytest.raises(FieldError):
        member_cities.create_member_city(
            name="WARSAW", country="poland", world_region="europe", is_city=True
        )
    other = member_cities.create_member_city(
        name="Warsaw", country="Indiana", world_region="north_america", is_city=True
    )
    # Editing an entry without changing its name is not a clash with itself.
    member_cities.update_member_city(
        other, name="Warsaw", country="Indiana", world_region="north_america", is_city=False
    )
    assert other.is_city is False


def test_member_city_search_pages(db):
    for n in range(7):
        make_member_city(name=f"Town {n}")
    page = member_cities.search_member_cities("town", page=2, per_page=5)
    assert (page.total, page.pages, [c.name for c in page.items]) == (7, 2, ["Town 5", "Town 6"])
    assert member_cities.search_member_cities("", page=10**30, per_page=5).items == []


def test_lists_and_the_centre_dashboard_share_one_page_limit(db):
    assert [clamp_page(p) for p in (None, 0, -3, 1, 7, 10**30)] == [1, 1, 1, 1, 7, MAX_PAGE]
    centre = make_centre()
    make_user()
    huge = 10**30
    assert member_cities.search_member_cities("", page=huge).page == MAX_PAGE
    assert users.search_users("", page=huge).page == MAX_PAGE
    assert centre_dashboard.past_session_attendance(centre, huge).page == MAX_PAGE


def test_set_enabled_rules(db):
    admin = make_admin()
    user = make_user()
    token = user.session_token
    with pytest.raises(DomainError):
        users.set_enabled(admin, False, actor=admin)
    assert users.set_enabled(user, False, actor=admin) is True
    assert user.session_token != token
    assert users.set_enabled(user, False, actor=admin) is False
    assert count_rows(AuditEntry) == 1


def test_set_admin_rules(db):
    admin = make_admin()
    user = make_user()
    with pytest.raises(DomainError):
        users.set_admin(admin, False, actor=admin)
    assert users.set_admin(user, True, actor=admin) is True
    assert users.set_admin(user, True, actor=admin) is False
    assert [e.action for e in db.session.scalars(select(AuditEntry))] == ["admin.grant"]


def test_grant_role_twice_and_unknown_values(db):
    admin = make_admin()
    user = make_user()
    centre = make_centre()
    membership, created = users.grant_role(user, centre.id, "director", actor=admin)
    assert created is True and membership.granted_by_id == admin.id
    again, created = users.grant_role(user, centre.id, "director", actor=admin)
    assert (again.id, created) == (membership.id, False)
    with pytest.raises(DomainError):
        users.grant_role(user, 999999, "director", actor=admin)
    with pytest.raises(DomainError):
        users.grant_role(user, centre.id, "admin", actor=admin)
    assert count_rows(Membership) == 1
    assert count_rows(AuditEntry) == 1


def test_revoke_role_only_for_its_owner(db):
    admin = make_admin()
    centre = make_centre()
    owner, stranger = make_user(), make_user()
    membership = grant(owner, centre, "coordinator")
    with pytest.raises(DomainError):
        users.revoke_role(stranger, membership.id, actor=admin)
    users.revoke_role(owner, membership.id, actor=admin)
    assert count_rows(Membership) == 0
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.centre_id, entry.from_state) == (
        "role.revoke",
        centre.id,
        "coordinator",
    )


def test_user_search_filters(db):
    centre = make_centre()
    admin = make_admin(full_name="Ada Admin")
    staff = make_user(full_name="Sam Staff")
    grant(staff, centre, "coordinator")
    plain = make_user(full_name="Pat Participant", is_enabled=False)

    def names(**kw) -> set[str]:
        return {u.full_name for u in users.search_users(**kw).items}

    assert names(user_filter="admins") == {admin.full_name}
    assert names(user_filter="staff") == {staff.full_name}
    assert names(user_filter="participants") == {plain.full_name}
    assert names(user_filter="disabled") == {plain.full_name}
    assert names(query="sam") == {staff.full_name}
    assert count_rows(User) == 3
    assert network_dashboard.network_counts() == {
        "centres": 1,
        "member_cities": 3,
        "users": 3,
        "staff": 1,
        "admins": 1,
    }
    assert count_rows(MemberCity) == 3


def test_grant_role_race_with_the_unique_constraint(db, monkeypatch):
    """Granted by someone else between the check and the insert: same answer as granting twice."""
    admin = make_admin()
    user = make_user()
    centre = make_centre()
    first, _ = users.grant_role(user, centre.id, "coordinator", actor=admin)
    real_find = users._find_membership
    calls = []

    def find_misses_once(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_find(*args)

    monkeypatch.setattr(users, "_find_membership", find_misses_once)
    again, created = users.grant_role(user, centre.id, "coordinator", actor=admin)

    assert (again.id, created) == (first.id, False)
    assert count_rows(Membership) == 1
    assert count_rows(AuditEntry) == 1
    assert user.memberships == [first]  # the refused row did not linger in the collection
