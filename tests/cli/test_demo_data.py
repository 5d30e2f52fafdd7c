"""The demo data: content, idempotence, invariants, the CLI command and the login accounts."""

import inspect
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from miti_training.accounts.passwords import password_problem
from miti_training.cli import demo_data
from miti_training.cli.demo import load_demo_data
from miti_training.cli.demo_data import DEMO_ACCOUNTS, OFFICIALS
from miti_training.models import (
    Attendance,
    Centre,
    CentreKind,
    EnrolmentPolicy,
    MemberCity,
    Membership,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    User,
)
from tests.support.sql import count_rows

CENTRE_ZONES = {
    "seoul": "Asia/Seoul",
    "cairo": "Africa/Cairo",
    "mashhad": "Asia/Tehran",
    "mexico-city": "America/Mexico_City",
    "paris-ile-de-france": "Europe/Paris",
}


@pytest.fixture
def demo(db):
    """Load the demo data and commit, as `flask demo-data` does; return the summary."""
    summary = load_demo_data()
    db.session.commit()
    return summary


def _programmes(db) -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.id)))


def _registrations(db, programme: Programme, status=None) -> list[Registration]:
    query = select(Registration).where(Registration.programme_id == programme.id)
    if status is not None:
        query = query.where(Registration.status == status)
    return list(db.session.scalars(query.order_by(Registration.id)))


def _local_today(programme: Programme):
    return datetime.now(ZoneInfo(programme.centre.timezone)).date()


def _is_open_now(programme: Programme) -> bool:
    now = datetime.now(UTC)
    return (
        programme.status == ProgrammeStatus.PUBLISHED
        and programme.registration_opens_at <= now < programme.registration_closes_at
    )


def test_summary_is_one_line(demo):
    assert re.fullmatch(
        r"Demo data: 5 centres, \d+ member cities, \d+ users, \d+ programmes \(.+\)\.", demo
    )


def test_centres_with_their_time_zones(db, demo):
    centres = {c.slug: c for c in db.session.scalars(select(Centre))}
    assert {slug: c.timezone for slug, c in centres.items()} == CENTRE_ZONES
    assert centres["seoul"].kind == CentreKind.HEADQUARTERS
    assert centres["seoul"].name == "MITI Headquarters Seoul"
    assert centres["seoul"].host_institution == "Seoul Human Resources Development Centre (SHRDC)"
    assert all(c.kind == CentreKind.REGIONAL for slug, c in centres.items() if slug != "seoul")
    assert all(c.contact_email.endswith(".example") for c in centres.values())
    assert all(c.host_institution for c in centres.values())


def test_member_cities_span_the_world(db, demo):
    cities = list(db.session.scalars(select(MemberCity)))
    assert len(cities) >= 20
    assert len({city.world_region for city in cities}) >= 5
    assert any(not city.is_city for city in cities), "a partner organisation is listed"
    names = {city.name for city in cities}
    assert {official[2] for official in OFFICIALS} <= names


def test_every_user_is_confirmed_and_belongs_to_a_member_city(db, demo):
    users = list(db.session.scalars(select(User)))
    assert len(users) == len(DEMO_ACCOUNTS) + len(OFFICIALS)
    for user in users:
        assert user.is_confirmed and user.is_enabled
        assert user.member_city is not None
        ZoneInfo(user.timezone)  # a real IANA zone
    by_email = {user.email: user for user in users}
    assert by_email["jieun.kim@seoul.example"].preferred_language == "ko"
    assert by_email["z.ahmadi@mashhad.example"].preferred_language == "fa"
    assert by_email["ja.munoz@bogota.example"].member_city.name == "Bogotá"


def test_the_demo_data_is_plain_data_without_database_code():
    source = inspect.getsource(demo_data)
    assert "sqlalchemy" not in source and "db.session" not in source
    assert "miti_training.extensions" not in source
    functions = [
        name
        for name, value in vars(demo_data).items()
        if inspect.isfunction(value) and value.__module__ == demo_data.__name__
    ]
    assert functions == []


def test_the_demo_specifications_refer_to_each_other_consistently():
    centres = {spec["slug"] for spec in demo_data.CENTRES}
    cities = {name for name, *_rest in demo_data.MEMBER_CITIES}
    accounts = {account["email"] for account in DEMO_ACCOUNTS}
    officials = {email for _name, email, *_rest in OFFICIALS}
    assert len(accounts | officials) == len(DEMO_ACCOUNTS) + len(OFFICIALS)
    assert {account["member_city"] for account in DEMO_ACCOUNTS} <= cities
    assert {city for _name, _email, city, *_rest in OFFICIALS} <= cities
    assert {slug for a in DEMO_ACCOUNTS for slug, _role in a["memberships"]} <= centres
    assert set(demo_data.CENTRE_STAFF) <= centres
    assert {email for staff in demo_data.CENTRE_STAFF.values() for email in staff} <= accounts
    slugs = [spec.slug for spec in demo_data.PROGRAMMES]
    assert len(set(slugs)) == len(slugs)
    for spec in demo_data.PROGRAMMES:
        assert spec.centre in centres
        assert {email for email, *_rest in spec.registrations} <= accounts | officials
        assert spec.sessions


def test_demo_passwords_follow_the_password_policy():
    for account in DEMO_ACCOUNTS:
        assert len(account["password"]) >= 12
        assert password_problem(account["password"], user_values=(account["email"],)) is None


def test_every_demo_account_can_log_in(app, demo):
    for account in DEMO_ACCOUNTS:
        client = app.test_client()
        response = client.post(
            "/account/login", data={"email": account["email"], "password": account["password"]}
        )
        assert response.status_code == 302, account["email"]
        assert client.get("/account/profile").status_code == 200, account["email"]


def test_an_official_can_log_in_with_the_participant_password(app, demo):
    participant_password = next(
        a["password"] for a in DEMO_ACCOUNTS if a["email"] == "participant@miti.example"
    )
    client = app.test_client()
    response = client.post(
        "/account/login",
        data={"email": "mona.elsayed@cairo.example", "password": participant_password},
    )
    assert response.status_code == 302


def test_roles_are_as_documented(db, demo):
    for account in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == account["email"]))
        assert user.is_admin == account["is_admin"], account["email"]
        memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
        actual = {(m.centre.slug, str(m.role)) for m in memberships}
        assert actual == {(slug, str(role)) for slug, role in account["memberships"]}
    emails = {a["email"] for a in DEMO_ACCOUNTS}
    assert {
        "admin@miti.example",
        "director.seoul@miti.example",
        "coordinator.seoul@miti.example",
        "director.paris@miti.example",
        "coordinator.cairo@miti.example",
        "participant@miti.example",
    } <= emails


def _snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    snapshot = {}
    for table in db.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        snapshot[table.name] = [tuple(row) for row in db.session.execute(query)]
    return snapshot


def test_loading_twice_creates_and_changes_nothing(db, demo):
    before = _snapshot(db)
    assert sum(len(rows) for rows in before.values()) > 100
    summary = load_demo_data()
    db.session.commit()
    assert _snapshot(db) == before
    assert "already loaded" in summary


def test_loading_again_keeps_edits_and_restores_missing_rows(db, demo):
    programme = db.session.scalar(
        select(Programme).where(Programme.slug == "climate-adaptation-study-visit")
    )
    programme.title = "Renamed by the director"
    db.session.delete(db.session.scalar(select(MemberCity).where(MemberCity.name == "Warsaw")))
    db.session.commit()

    summary = load_demo_data()
    db.session.commit()

    assert "(1 record added)" in summary
    assert db.session.scalar(select(MemberCity).where(MemberCity.name == "Warsaw"))
    db.session.refresh(programme)
    assert programme.title == "Renamed by the director"


def test_seat_counters_match_confirmed_registrations(db, demo):
    for programme in _programmes(db):
        confirmed = len(_registrations(db, programme, RegistrationStatus.CONFIRMED))
        assert programme.seats_taken == confirmed, programme.slug
        assert programme.seats_taken <= programme.capacity, programme.slug


def test_published_programmes_are_well_formed(db, demo):
    for programme in _programmes(db):
        if programme.status == ProgrammeStatus.DRAFT:
            continue
        assert programme.capacity > 0, programme.slug
        assert programme.sessions, programme.slug
        first = min(s.starts_at for s in programme.sessions)
        assert programme.registration_opens_at < programme.registration_closes_at < first
        zone = ZoneInfo(programme.centre.timezone)
        for session in programme.sessions:
            assert session.ends_at > session.starts_at
            local_start = session.starts_at.astimezone(zone)
            assert session.starts_at.tzinfo is not None
            assert programme.starts_on <= local_start.date() <= programme.ends_on, programme.slug
        assert programme.starts_on == min(
            s.starts_at.astimezone(zone).date() for s in programme.sessions
        )
        assert programme.ends_on == max(
            s.ends_at.astimezone(zone).date() for s in programme.sessions
        )
        assert programme.published_at is not None
        assert programme.languages and "en" in programme.language_codes


def test_registrations_carry_a_profile_snapshot(db, demo):
    registrations = list(db.session.scalars(select(Registration)))
    assert registrations
    for registration in registrations:
        user = registration.user
        assert registration.full_name == user.full_name
        assert registration.email == user.email
        assert registration.organisation == user.member_city.name
        assert registration.country == user.member_city.country
        assert registration.job_title == user.job_title
        assert registration.consent_data_at is not None
        if registration.status == RegistrationStatus.WAITLISTED:
            assert registration.waitlist_position is not None
        else:
            assert registration.waitlist_position is None


def test_the_demo_covers_every_situation(db, demo):
    programmes = _programmes(db)
    open_with_seats = [p for p in programmes if _is_open_now(p) and p.seats_left > 0]
    assert open_with_seats

    full = [p for p in programmes if _is_open_now(p) and p.seats_left == 0]
    assert full
    for programme in full:
        assert programme.is_waitlist_enabled
        waitlisted = _registrations(db, programme, RegistrationStatus.WAITLISTED)
        positions = sorted(r.waitlist_position for r in waitlisted)
        assert positions == list(range(1, len(waitlisted) + 1))
        assert len(positions) >= 2

    review = [
        p for p in programmes if _is_open_now(p) and p.enrolment_policy == EnrolmentPolicy.REVIEW
    ]
    assert review
    assert _registrations(db, review[0], RegistrationStatus.APPLIED)

    past = [p for p in programmes if p.status == ProgrammeStatus.COMPLETED]
    assert len({p.centre.slug for p in past}) >= 2, "past programmes at HQ and a regional centre"
    for programme in past:
        assert programme.ends_on < _local_today(programme)
        assert max(s.ends_at for s in programme.sessions) < datetime.now(UTC)
        assert _registrations(db, programme, RegistrationStatus.CONFIRMED)
    assert count_rows(Attendance) > 0

    assert any(p.status == ProgrammeStatus.DRAFT for p in programmes)
    assert {p.format for p in programmes} >= {"in_person", "online", "hybrid"}


def test_opening_forum_comes_from_the_news_item(db, demo):
    forum = db.session.scalar(
        select(Programme).where(Programme.title == "MITI Opening Forum: Sharing Cities")
    )
    assert forum.centre.slug == "seoul"
    assert forum.status == ProgrammeStatus.COMPLETED
    assert [s.title.split(":")[0] for s in forum.sessions] == ["Day 1", "Day 2"]
    assert "\n\n" in forum.description
    assert "Peer Review Process" in forum.description


def test_cli_loads_the_demo_data(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Demo data: 5 centres")
    assert count_rows(Centre) == 5
    again = runner.invoke(args=["demo-data"])
    assert again.exit_code == 0, again.output
    assert "already loaded" in again.output
    assert count_rows(Centre) == 5


def test_cli_refuses_in_production(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "development only" in result.output
    assert count_rows(Centre) == 0
    assert count_rows(User) == 0


def test_home_page_shows_the_five_centres(client, demo):
    html = client.get("/").get_data(as_text=True)
    for name in (
        "MITI Headquarters Seoul",
        "MITI Regional Centre Cairo",
        "MITI Regional Centre Mashhad",
        "MITI Regional Centre Mexico City",
        "MITI Regional Centre Paris Île-de-France",
    ):
        assert name in html


def test_every_registration_records_the_officials_member_city(db, demo):
    registrations = list(db.session.scalars(select(Registration)))
    assert registrations
    lacking = [r.email for r in registrations if r.member_city_id is None]
    assert lacking == []
    for registration in registrations:
        assert registration.member_city_id == registration.user.member_city_id


def test_the_network_dashboard_has_nothing_not_recorded(client, login, db, demo):
    admin = db.session.scalar(select(User).where(User.email == "admin@miti.example"))
    login(admin, password=demo_data.DEMO_ADMIN_PASSWORD)
    years = {programme.starts_on.year for programme in _programmes(db)}
    for year in sorted(years):
        response = client.get(f"/admin/dashboard?year={year}")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "not recorded" not in page, year
    pages = [client.get(f"/admin/dashboard?year={year}").get_data(as_text=True) for year in years]
    assert any("Mashhad" in page and "Bogotá" in page for page in pages)


def test_some_registrations_carry_needs_and_motivations(db, demo):
    from miti_training.registrations.needs import needs_summary

    registrations = list(db.session.scalars(select(Registration)))
    assert sum(1 for r in registrations if r.dietary_needs) >= 5
    assert sum(1 for r in registrations if r.accessibility_needs) >= 2
    first_come = [
        r for r in registrations if r.programme.enrolment_policy != EnrolmentPolicy.REVIEW
    ]
    assert any(r.motivation for r in first_come)
    water = db.session.scalar(
        select(Programme).where(Programme.slug == "integrated-urban-water-management")
    )
    summary = needs_summary(water)
    # Three spellings of "halal" among its confirmed participants are counted together.
    assert [(need.label, need.participants) for need in summary.dietary] == [
        ("halal", 3),
        ("Vegetarian", 1),
    ]
    assert summary.accessibility_participants == 1


def test_the_opening_forum_has_day_1_and_day_2_albums(client, db, demo):
    from miti_training.models import Album, Photo, PhotoTranslation

    forum = db.session.scalar(
        select(Programme).where(Programme.slug == "miti-opening-forum-sharing-cities")
    )
    albums = db.session.scalars(select(Album).order_by(Album.session_id)).all()
    assert [a.session_id for a in albums] == [s.id for s in forum.sessions]
    for album in albums:
        assert len(album.photos) == 3
        assert all(p.caption for p in album.photos)
        assert sum(p.is_cover for p in album.photos) == 1
    korean = db.session.scalars(
        select(PhotoTranslation).where(PhotoTranslation.language == "ko")
    ).all()
    assert len(korean) == 6
    html = client.get(f"/programmes/{forum.slug}").get_data(as_text=True)
    photo = db.session.scalar(select(Photo).order_by(Photo.id))
    assert f"/photos/{photo.id}/thumb.jpg" in html
    assert client.get(f"/photos/{photo.id}/web.jpg").status_code == 200
