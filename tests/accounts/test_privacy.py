"""Personal data: a participant downloads their own data and deletes their account."""

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

import config
from miti_training import audit
from miti_training.attendance.certificates import new_code
from miti_training.extensions import limiter
from miti_training.models import (
    Attendance,
    AuditEntry,
    Certificate,
    Membership,
    Programme,
    ProgrammeQuestion,
    ProgrammeStatus,
    QuestionKind,
    Registration,
    RegistrationStatus,
    User,
)
from tests.support.factories import (
    PASSWORD,
    grant,
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
    mark_present,
)
from tests.support.pages import (
    assert_accessible_page,
    field_errors,
    flashes,
    follow,
    is_logged_in,
    text_of,
)
from tests.support.sql import statements_for
from tests.support.testdata import hostile_strings

ALICE_NAME = "Alice Quellenberg-Ndiaye"
ALICE_EMAIL = "alice.quellenberg@seoul-city.example"
BOB_NAME = "Bartholomew Oyelaran"
BOB_EMAIL = "bartholomew.oyelaran@lagos.example"
STAFF_NAME = "Stella Staffordshire"
ALICE_CODE = "A1CE-2345-6789"
BOB_CODE = "B0BB-2345-6789"

DELETE = "/account/delete"
DATA = "/account/data.json"


@pytest.fixture
def world(db):
    """Alice: a seat in a full upcoming programme (Bob waits for it) and a past programme
    she attended, with an answer, attendance and a certificate."""
    centre = make_centre(name="Seoul Centre", timezone="Asia/Seoul")
    staff = make_staff(centre, "coordinator", full_name=STAFF_NAME)
    alice = make_user(full_name=ALICE_NAME, email=ALICE_EMAIL, job_title="Chief resilience officer")
    bob = make_user(full_name=BOB_NAME, email=BOB_EMAIL)

    upcoming = make_programme(centre, title="Flood resilience", capacity=1, sessions=2)
    question = ProgrammeQuestion(
        programme=upcoming, kind=QuestionKind.SHORT_TEXT, label="Which river floods your city?"
    )
    db.session.add(question)
    db.session.flush()
    seat = make_registration(
        upcoming,
        alice,
        motivation="Alice's private motivation",
        dietary_needs="Alice eats no peanuts",
        answers={f"q{question.id}": "The Han river, says Alice"},
    )
    waiting = make_registration(
        upcoming, bob, status=RegistrationStatus.WAITLISTED, waitlist_position=1
    )
    upcoming.seats_taken = 1

    started = date.today() - timedelta(days=20)
    past = make_programme(
        centre,
        title="Bus rapid transit",
        starts_on=started,
        sessions=2,
        status=ProgrammeStatus.COMPLETED,
    )
    attended = make_registration(past, alice)
    other_attended = make_registration(past, bob)
    for registration in (attended, other_attended):
        mark_present(registration, recorded_by_id=staff.id)
    certificate = Certificate(
        registration=attended, code=ALICE_CODE, full_name=ALICE_NAME, attendance_percent=100
    )
    bobs_certificate = Certificate(
        registration=other_attended, code=BOB_CODE, full_name=BOB_NAME, attendance_percent=100
    )
    db.session.add_all([certificate, bobs_certificate])
    audit.record(
        "registration.confirm",
        actor=staff,
        programme=past,
        registration=attended,
        subject_user=alice,
        from_state="applied",
        to_state="confirmed",
        reason=f"{STAFF_NAME} checked it",
    )
    audit.record("registration.confirm", actor=staff, programme=past, registration=other_attended)
    db.session.flush()
    return {
        "centre": centre,
        "staff": staff,
        "alice": alice,
        "bob": bob,
        "upcoming": upcoming,
        "past": past,
        "seat": seat,
        "waiting": waiting,
        "attended": attended,
        "certificate": certificate,
        "question": question,
    }


def _snapshot(db) -> tuple:
    """Every row deleting an account may touch, to prove a refused request changed nothing."""
    db.session.expire_all()
    tables = (
        User.__table__,
        Registration.__table__,
        Attendance.__table__,
        Certificate.__table__,
        Membership.__table__,
    )
    rows = tuple(sorted(map(repr, db.session.execute(select(table)).all())) for table in tables)
    seats = sorted(db.session.execute(select(Programme.id, Programme.seats_taken)).all())
    return (*rows, seats, db.session.scalar(select(func.count()).select_from(AuditEntry)))


def _delete(client, password=PASSWORD, understood=True, **extra):
    data = {"password": password, **extra}
    if understood:
        data["understood"] = "y"
    return client.post(DELETE, data=data)


def _registrations_text(db) -> str:
    db.session.expire_all()
    return repr(db.session.execute(select(Registration.__table__)).all())


# Download --------------------------------------------------------------------------------


def test_download_holds_the_participants_data_and_nobody_elses(client, login, world):
    login(world["alice"])
    response = client.get(DATA)

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    body = text_of(response)
    data = json.loads(body)
    assert data["profile"]["full_name"] == ALICE_NAME
    assert data["profile"]["email"] == ALICE_EMAIL
    assert data["profile"]["job_title"] == "Chief resilience officer"
    assert data["profile"]["member_city"]["name"]
    assert data["profile"]["email_confirmed_at"]
    by_title = {r["programme"]["title"]: r for r in data["registrations"]}
    assert set(by_title) == {"Flood resilience", "Bus rapid transit"}

    upcoming = by_title["Flood resilience"]
    assert upcoming["status"] == "confirmed"
    assert upcoming["programme"]["centre"] == "Seoul Centre"
    assert upcoming["motivation"] == "Alice's private motivation"
    assert upcoming["dietary_needs"] == "Alice eats no peanuts"
    assert upcoming["answers"] == [
        {"question": "Which river floods your city?", "answer": "The Han river, says Alice"}
    ]
    assert upcoming["consent_data_at"]

    past = by_title["Bus rapid transit"]
    assert [row["status"] for row in past["attendance"]] == ["present", "present"]
    assert past["attendance"][0]["session"] == "Day 1"
    assert past["certificates"] == [
        {
            "code": ALICE_CODE,
            "printed_name": ALICE_NAME,
            "attendance_percent": 100,
            "issued_at": past["certificates"][0]["issued_at"],
            "revoked_at": None,
        }
    ]
    assert [(h["action"], h["by"], h["from_state"]) for h in data["history"]] == [
        ("registration.confirm", "staff", "applied")
    ]

    # Nothing about Bob, the staff member or anyone else; no secrets.
    for other in (BOB_NAME, BOB_EMAIL, STAFF_NAME, world["staff"].email, BOB_CODE):
        assert other not in body
    assert world["alice"].password_hash not in body
    assert world["alice"].session_token not in body


def test_waitlist_position_is_in_the_download(client, login, world):
    login(world["bob"])
    data = json.loads(text_of(client.get(DATA)))
    waiting = next(r for r in data["registrations"] if r["status"] == "waitlisted")
    assert waiting["waitlist_position"] == 1
    assert ALICE_NAME not in json.dumps(data, ensure_ascii=False)


def test_download_of_someone_without_registrations(client, login, db):
    login(make_user())
    data = json.loads(text_of(client.get(DATA)))
    assert data["registrations"] == []
    assert data["history"] == []


def _add_full_registrations(db, user, number: int) -> None:
    centre = make_centre()
    for _ in range(number):
        programme = make_programme(centre, sessions=2)
        question = ProgrammeQuestion(programme=programme, kind=QuestionKind.YES_NO, label="Q?")
        db.session.add(question)
        db.session.flush()
        registration = make_registration(programme, user, answers={f"q{question.id}": True})
        mark_present(registration)
        db.session.add(Certificate(registration=registration, code=new_code(), full_name="X"))
        audit.record("registration.confirm", registration=registration, subject_user=user)
    db.session.flush()


def test_download_statement_count_does_not_grow_with_registrations(app, client, login, db):
    few_user, many_user = make_user(), make_user()
    _add_full_registrations(db, few_user, 2)
    _add_full_registrations(db, many_user, 10)
    other = app.test_client()

    login(few_user)
    few = statements_for(app, client, DATA)
    login(many_user, target_client=other)
    many = statements_for(app, other, DATA)

    assert len(json.loads(text_of(other.get(DATA)))["registrations"]) == 10
    assert many == few


# Deleting: the page ----------------------------------------------------------------------


def test_profile_links_to_the_data_pages(client, login, world):
    login(world["alice"])
    page = text_of(client.get("/account/profile"))
    assert f'href="{DATA}"' in page
    assert f'href="{DELETE}"' in page


def test_delete_page_explains_and_lists_what_is_withdrawn(client, login, world):
    login(world["alice"])
    response = client.get(DELETE)
    assert response.status_code == 200
    page = text_of(response)
    assert_accessible_page(page)
    assert "Flood resilience" in page  # withdrawn
    assert "Bus rapid transit" not in page  # past: kept, anonymised
    assert 'name="password"' in page
    assert 'name="understood"' in page


# Deleting: what happens ------------------------------------------------------------------


def test_deleting_frees_the_seat_promotes_and_anonymises(client, login, db, outbox, world):
    attendance_before = db.session.scalar(select(func.count()).select_from(Attendance))
    counts_before = sorted(
        db.session.execute(
            select(Registration.programme_id, Registration.status, func.count()).group_by(
                Registration.programme_id, Registration.status
            )
        ).all()
    )
    alice_id, code = world["alice"].id, world["certificate"].code
    login(world["alice"])

    response = _delete(client)

    assert response.status_code == 302
    assert response.location == "/"
    assert flashes(follow(client, response))[-1] == ("success", "Your account has been deleted.")
    db.session.expire_all()

    # The seat went to Bob, who was told.
    upcoming = db.session.get(Programme, world["upcoming"].id)
    assert db.session.get(Registration, world["seat"].id).status == RegistrationStatus.WITHDRAWN
    assert db.session.get(Registration, world["waiting"].id).status == RegistrationStatus.CONFIRMED
    assert upcoming.seats_taken == 1
    assert any(m.to == BOB_EMAIL and "A place is yours" in m.subject for m in outbox)
    # Alice gets enrolment's own withdrawal email (one per withdrawn registration), nothing else.
    to_alice = [m for m in outbox if m.to == ALICE_EMAIL]
    assert [m.subject for m in to_alice] == ["Your registration is withdrawn: Flood resilience"]

    # Registrations kept, anonymised; attendance kept; statistics unchanged but the withdrawal.
    assert db.session.get(User, alice_id) is None
    text = _registrations_text(db)
    for trace in (ALICE_NAME, ALICE_EMAIL, "Alice", "peanuts", "Chief resilience"):
        assert trace not in text
    attended = db.session.get(Registration, world["attended"].id)
    assert attended.user_id is None
    assert attended.status == RegistrationStatus.CONFIRMED
    assert attended.country == "Testland"
    assert attended.member_city_id is not None
    assert attended.answers == {}
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == attendance_before
    counts_after = sorted(
        db.session.execute(
            select(Registration.programme_id, Registration.status, func.count()).group_by(
                Registration.programme_id, Registration.status
            )
        ).all()
    )
    expected = {(p, s): n for p, s, n in counts_before}
    # Alice out and Bob in: one confirmed still, the waiting list empty, one withdrawn.
    expected[(upcoming.id, RegistrationStatus.WAITLISTED)] -= 1
    expected[(upcoming.id, RegistrationStatus.WITHDRAWN)] = 1
    assert {(p, s): n for p, s, n in counts_after} == {k: v for k, v in expected.items() if v}
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 4

    # The certificate is revoked and no longer names her, here or on the public page.
    certificate = db.session.scalar(select(Certificate).filter_by(code=code))
    assert certificate.is_revoked
    assert certificate.revocation_reason == "account deleted"
    assert certificate.full_name == ""
    public = client.get(f"/certificates/{code}")
    assert public.status_code == 200
    assert ALICE_NAME not in text_of(public)
    assert "revoked" in text_of(public)
    # Bob's certificate is untouched.
    assert not db.session.scalar(select(Certificate).filter_by(code=BOB_CODE)).is_revoked

    # One audit entry for the deletion, nothing personal in the audit trail.
    deletion = db.session.scalars(select(AuditEntry).filter_by(action="account.delete")).one()
    assert deletion.actor_id is None and deletion.subject_user_id is None
    audit_text = repr(db.session.execute(select(AuditEntry.__table__)).all())
    assert ALICE_NAME not in audit_text and ALICE_EMAIL not in audit_text
    assert not db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.subject_user_id == alice_id)
    )
    assert not is_logged_in(client)


def test_old_session_and_remember_me_cookies_no_longer_work(app, client, login, world):
    alice = world["alice"]
    login(alice, remember=True)
    old_session = client.get_cookie("session").value
    other_device = app.test_client()
    login(alice, remember=True, target_client=other_device)
    remembered = other_device.get_cookie("remember_token").value

    assert _delete(client).status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", old_session)
    assert not is_logged_in(replay)
    assert not is_logged_in(other_device)
    restored = app.test_client()
    restored.set_cookie("remember_token", remembered)
    assert not is_logged_in(restored)
    assert client.get("/account/profile").status_code == 302


def test_a_coordinator_can_delete_and_loses_the_role(client, login, db, world):
    staff_id = world["staff"].id
    login(world["staff"])
    assert _delete(client).status_code == 302
    assert db.session.get(User, staff_id) is None
    assert not db.session.scalars(select(Membership).filter_by(user_id=staff_id)).all()
    # The attendance the coordinator recorded stays, without them.
    recorded = db.session.scalars(select(Attendance)).all()
    assert recorded and all(row.recorded_by_id is None for row in recorded)


def test_an_ended_but_still_published_programme_keeps_the_confirmed_status(client, login, db):
    user = make_user()
    ended = make_programme(starts_on=date.today() - timedelta(days=5))
    registration = make_registration(ended, user)
    ended.seats_taken = 1
    login(user)
    assert _delete(client).status_code == 302
    db.session.expire_all()
    kept = db.session.get(Registration, registration.id)
    assert kept.status == RegistrationStatus.CONFIRMED
    assert kept.user_id is None and kept.full_name == "" and kept.email == ""
    assert db.session.get(Programme, ended.id).seats_taken == 1


# Deleting: refusals ----------------------------------------------------------------------


def test_wrong_password_changes_nothing(client, login, db, outbox, world):
    login(world["alice"])
    before = _snapshot(db)

    response = _delete(client, password="not the right password at all")

    assert response.status_code == 200
    assert field_errors(response) == {"password": "Your current password is not correct."}
    assert _snapshot(db) == before
    assert outbox == []
    assert is_logged_in(client)


def test_missing_confirmation_changes_nothing(client, login, db, world):
    login(world["alice"])
    before = _snapshot(db)

    response = _delete(client, understood=False)

    assert response.status_code == 200
    assert "understood" in field_errors(response)
    assert _snapshot(db) == before


def test_an_administrator_is_refused(client, login, db):
    admin = make_admin()
    login(admin)
    page = text_of(client.get(DELETE))
    assert "Ask another administrator to remove your administrator rights first" in page
    assert 'name="password"' not in page
    before = _snapshot(db)

    response = _delete(client)

    assert response.status_code == 200
    assert "Ask another administrator" in text_of(response)
    assert _snapshot(db) == before


def test_the_only_director_of_a_centre_is_refused_until_there_is_another(client, login, db):
    centre = make_centre(name="Lagos Centre")
    director = make_staff(centre, "director")
    login(director)
    page = text_of(client.get(DELETE))
    assert "You are the only director of Lagos Centre" in page
    before = _snapshot(db)
    assert _delete(client).status_code == 200
    assert _snapshot(db) == before

    director_id = director.id
    grant(make_user(), centre, "director")
    assert _delete(client).status_code == 302
    assert db.session.get(User, director_id) is None


def test_a_remembered_session_must_log_in_again(client, login, db, world):
    alice_id = world["alice"].id
    login(world["alice"], remember=True)
    client.delete_cookie("session")  # a new browser session, restored from remember-me
    assert is_logged_in(client)
    before = _snapshot(db)

    for response in (client.get(DELETE), _delete(client)):
        assert response.status_code == 302
        assert response.location.startswith("/account/login")
    assert _snapshot(db) == before

    login(world["alice"])
    assert client.get(DELETE).status_code == 200
    assert _delete(client).status_code == 302
    assert db.session.get(User, alice_id) is None


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for response in (client.get(DATA), client.get(DELETE), _delete(client)):
        assert response.status_code == 302
        assert response.location.startswith("/account/login")


def test_deleting_needs_a_csrf_token(app, client, login, db, monkeypatch, world):
    alice_id = world["alice"].id
    login(world["alice"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = _snapshot(db)

    assert _delete(client).status_code == 400
    assert _delete(client, csrf_token="forged").status_code == 400
    assert _snapshot(db) == before

    page = text_of(client.get(DELETE))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert _delete(client, csrf_token=token).status_code == 302
    assert db.session.get(User, alice_id) is None


def test_hostile_passwords_never_fail_the_page(client, login, db, world):
    login(world["alice"])
    before = _snapshot(db)
    for value in hostile_strings():
        response = _delete(client, password=value)
        assert response.status_code == 200, value
        page = text_of(response)
        assert "password" in field_errors(response), value
        if "<" in value:
            assert value not in page
    assert _snapshot(db) == before


def test_repeated_wrong_passwords_lock_the_form_like_failed_logins(
    app, client, login, db, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_FAILURE_LIMIT", config.Config.LOGIN_FAILURE_LIMIT)
    limiter.reset()
    user = make_user()
    user_id = user.id
    login(user)
    try:
        for _ in range(5):
            assert _delete(client, password="wrong password guess").status_code == 200
        assert _delete(client).status_code == 429
        assert db.session.get(User, user_id) is not None
    finally:
        limiter.reset()
