"""Recording attendance for a session more than a day away asks for a confirmation first, on
a page of its own that works without JavaScript and keeps what was chosen."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from miti_training.models import Attendance, AttendanceStatus, RegistrationStatus, utcnow
from tests.support.factories import make_centre, make_programme, make_registration, make_staff
from tests.support.pages import assert_accessible_page, flashes, follow, text_of


@pytest.fixture
def later(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    programme = make_programme(centre, title="Peer Review Process", sessions=1)
    session = programme.sessions[0]
    session.starts_at = utcnow() + timedelta(days=3)
    session.ends_at = session.starts_at + timedelta(hours=6)
    registration = make_registration(programme, status=RegistrationStatus.CONFIRMED)
    programme.seats_taken = 1
    db.session.flush()
    base = f"/manage/seoul/programmes/{programme.id}/sessions/{session.id}/attendance"
    return {
        "coordinator": make_staff(centre, "coordinator"),
        "registration": registration,
        "base": base,
    }


def _recorded(db) -> list[AttendanceStatus]:
    db.session.expire_all()
    return list(db.session.scalars(select(Attendance.status)))


def test_the_roll_call_of_a_later_session_asks_then_records(client, sign_in, db, later):
    sign_in(later["coordinator"])
    field = f"status-{later['registration'].id}"
    ask = client.post(later["base"], data={field: "present"})
    assert ask.status_code == 200
    html = text_of(ask)
    assert "Record attendance before the session?" in html
    assert f'<input type="hidden" name="{field}" value="present">' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert_accessible_page(html)
    assert _recorded(db) == []  # nothing yet

    done = client.post(later["base"], data={field: "present", "confirmed": "yes"})
    assert done.status_code == 302
    assert flashes(follow(client, done))[0][0] == "success"
    assert _recorded(db) == [AttendanceStatus.PRESENT]


def test_marking_everyone_present_early_asks_too(client, sign_in, db, later):
    sign_in(later["coordinator"])
    url = f"{later['base']}/all-present"
    ask = client.post(url)
    assert ask.status_code == 200 and "Yes, record the attendance now" in text_of(ask)
    assert _recorded(db) == []
    assert client.post(url, data={"confirmed": "yes"}).status_code == 302
    assert _recorded(db) == [AttendanceStatus.PRESENT]
