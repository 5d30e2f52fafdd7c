"""Check-in codes that rotate: a new code every step, the previous one within a grace, older
ones refused as expired; the projector page follows the code. The clock is the test's."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from miti_training.attendance import check_in as self_check_in
from miti_training.errors import FieldError
from miti_training.extensions import limiter
from miti_training.models import Attendance, AttendanceStatus, RegistrationStatus, utcnow
from miti_training.web.manage import attendance as projector_view
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, field_errors, text_of

STEP = self_check_in.CODE_STEP
GRACE = self_check_in.CODE_GRACE


class Clock:
    """The time check-in and the projector page read; moved by the test."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def clock(monkeypatch):
    """30 seconds into the current step."""
    now = utcnow()
    step_start = self_check_in.next_code_at(now) - STEP
    clock = Clock(step_start + timedelta(seconds=30))
    monkeypatch.setattr(self_check_in, "utcnow", clock)
    monkeypatch.setattr(projector_view, "utcnow", clock)
    return clock


@pytest.fixture
def room(db, clock):
    """A session of the Seoul centre running now, a confirmed participant, its coordinator."""
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    programme = make_programme(centre, title="Peer Review Process", sessions=1)
    session = programme.sessions[0]
    session.starts_at = clock.now - timedelta(hours=1)
    session.ends_at = clock.now + timedelta(hours=3)
    registration = make_registration(programme, make_user(), status=RegistrationStatus.CONFIRMED)
    db.session.flush()
    return {
        "centre": centre,
        "programme": programme,
        "session": session,
        "registration": registration,
        "coordinator": make_staff(centre, "coordinator"),
    }


def _present(db, registration, session) -> bool:
    db.session.expire_all()
    row = db.session.scalar(
        select(Attendance).where(
            Attendance.registration_id == registration.id, Attendance.session_id == session.id
        )
    )
    return row is not None and row.status == AttendanceStatus.PRESENT


def _projector(room) -> str:
    return (
        f"/manage/seoul/programmes/{room['programme'].id}/sessions/{room['session'].id}"
        "/check-in-code"
    )


# The code ------------------------------------------------------------------------------------


def test_the_code_changes_with_the_step_and_differs_between_sessions(app, db, room, clock):
    session = room["session"]
    now = clock.now
    code = self_check_in.check_in_code(session, now)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", code)
    assert self_check_in.check_in_code(session, now + timedelta(seconds=200)) == code
    following = [self_check_in.check_in_code(session, now + STEP * n) for n in range(1, 13)]
    assert code not in following and len(set(following)) == 12
    other = make_programme(room["centre"], sessions=1).sessions[0]
    assert self_check_in.check_in_code(other, now) != code
    assert self_check_in.next_code_at(now) == now - timedelta(seconds=30) + STEP


def test_the_current_code_is_accepted(client, sign_in, db, room, clock):
    registration, session = room["registration"], room["session"]
    sign_in(registration.user)
    clock.advance(STEP - timedelta(seconds=31))  # the last second of the step
    response = client.post("/check-in", data={"code": self_check_in.check_in_code(session)})
    assert response.status_code == 302
    assert _present(db, registration, session)


def test_the_previous_code_is_accepted_within_the_grace(client, sign_in, db, room, clock):
    registration, session = room["registration"], room["session"]
    sign_in(registration.user)
    shown = self_check_in.check_in_code(session)
    clock.advance(STEP - timedelta(seconds=30) + GRACE - timedelta(seconds=1))
    assert self_check_in.check_in_code(session) != shown
    response = client.post("/check-in", data={"code": shown})
    assert response.status_code == 302
    assert _present(db, registration, session)


@pytest.mark.parametrize("steps_ago", [1, 2, 12])
def test_an_older_code_is_refused_as_expired(client, sign_in, db, room, clock, steps_ago):
    registration, session = room["registration"], room["session"]
    sign_in(registration.user)
    photographed = self_check_in.check_in_code(session)
    clock.advance(STEP * (steps_ago - 1) + STEP - timedelta(seconds=30) + GRACE)

    response = client.post("/check-in", data={"code": photographed})

    assert response.status_code == 422
    assert field_errors(response)["code"] == (
        "This check-in code has expired: the code changes every 5 minutes. "
        "Type the code shown in the room now."
    )
    assert not _present(db, registration, session)
    # The code shown now works.
    response = client.post("/check-in", data={"code": self_check_in.check_in_code(session)})
    assert response.status_code == 302
    assert _present(db, registration, session)


def test_a_code_from_before_the_session_window_is_just_wrong(db, room, clock):
    """Only codes of the session's own check-in window count as expired ones."""
    registration, session = room["registration"], room["session"]
    old = self_check_in.check_in_code(session, session.starts_at - timedelta(hours=2))
    with pytest.raises(FieldError, match="not valid"):
        self_check_in.check_in(registration.user, old, now=clock.now)


def test_an_expired_code_after_check_in_closed_says_it_closed(db, room, clock):
    registration, session = room["registration"], room["session"]
    code = self_check_in.check_in_code(session, clock.now)
    later = session.ends_at + self_check_in.CHECK_IN_CLOSES_AFTER + timedelta(hours=1)
    with pytest.raises(self_check_in.CheckInClosed, match="has closed"):
        self_check_in.check_in(registration.user, code, now=later)


def test_the_code_of_another_session_is_refused(client, sign_in, db, room, clock):
    registration, session = room["registration"], room["session"]
    # Another centre's session, running at the same time: its code is not this one's.
    elsewhere = make_programme(make_centre(slug="cairo"), title="Bus rapid transit", sessions=1)
    other = elsewhere.sessions[0]
    other.starts_at, other.ends_at = session.starts_at, session.ends_at
    # The participant's own programme's next session: its code opens it, not today's.
    tomorrow = make_programme(room["centre"], title="Next day", sessions=1).sessions[0]
    make_registration(tomorrow.programme, registration.user, status=RegistrationStatus.CONFIRMED)
    sign_in(registration.user)

    response = client.post("/check-in", data={"code": self_check_in.check_in_code(other)})
    assert response.status_code == 422
    assert field_errors(response)["code"].startswith("You are not registered for “Bus rapid")

    response = client.post("/check-in", data={"code": self_check_in.check_in_code(tomorrow)})
    assert response.status_code == 422
    assert field_errors(response)["code"].startswith("Check-in for “Day 1” opens at ")

    assert not _present(db, registration, session)
    assert not _present(db, registration, other)


def test_expired_codes_count_against_the_rate_limit(
    app, client, sign_in, db, room, clock, monkeypatch
):
    monkeypatch.setitem(app.config, "CHECK_IN_RATE_LIMIT", "3 per minute")
    sign_in(room["registration"].user)
    photographed = self_check_in.check_in_code(room["session"])
    clock.advance(STEP * 3)
    statuses = [client.post("/check-in", data={"code": photographed}).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]


# The projector page --------------------------------------------------------------------------


def test_the_projector_page_shows_the_new_code_after_the_step(client, sign_in, db, room, clock):
    session = room["session"]
    sign_in(room["coordinator"])

    first = text_of(client.get(_projector(room)))
    assert_accessible_page(first)
    code = self_check_in.check_in_code(session)
    assert f"<code>{code[:4]}-{code[4:]}</code>" in first
    assert f"http://testserver.example/check-in?code={code}" in first
    # 4 minutes 30 seconds left: the page reloads a second after the code changes.
    assert '<meta http-equiv="refresh" content="271">' in first
    assert "A new code appears in 5 minutes." in first

    clock.advance(STEP)
    second = text_of(client.get(_projector(room)))
    new = self_check_in.check_in_code(session)
    assert new != code
    assert f"<code>{new[:4]}-{new[4:]}</code>" in second
    assert f"check-in?code={new}" in second  # the QR code and its text follow the code
    assert code not in second

    clock.advance(STEP - timedelta(seconds=30) - timedelta(seconds=50))
    third = text_of(client.get(_projector(room)))
    assert '<meta http-equiv="refresh" content="51">' in third
    assert "A new code appears in 1 minute." in third


def test_the_projector_page_refresh_can_be_turned_off(client, sign_in, db, room, clock):
    sign_in(room["coordinator"])
    page = text_of(client.get(_projector(room)))
    assert "Stop refreshing" in page and f'href="{_projector(room)}?refresh=off"' in page

    page = text_of(client.get(_projector(room) + "?refresh=off"))
    assert 'http-equiv="refresh"' not in page
    assert "Refresh automatically" in page
    assert "A new code appears in 5 minutes." in page


def test_the_projector_page_stops_refreshing_once_check_in_has_closed(
    client, sign_in, db, room, clock
):
    sign_in(room["coordinator"])
    session = room["session"]
    clock.now = session.ends_at + self_check_in.CHECK_IN_CLOSES_AFTER + timedelta(seconds=1)
    page = text_of(client.get(_projector(room)))
    assert 'http-equiv="refresh"' not in page
    assert "A new code appears" not in page
    assert "Closed now" in page
