"""Attendance over real HTTP: the roll call of a session, "mark all present", the check-in code
page with its QR code, and the participants' self check-in (window, code, rate limit)."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape
from sqlalchemy import func, select

import config
from miti_training.attendance import check_in as self_check_in
from miti_training.attendance import roll_call as service
from miti_training.errors import DomainError
from miti_training.extensions import limiter
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    AuditEntry,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from miti_training.web.manage import attendance as manage_attendance
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, field_errors, flashes, follow
from tests.support.pages import text_of as _html
from tests.support.sql import recorded_request
from tests.support.testdata import hostile_strings

S = RegistrationStatus
A = AttendanceStatus
LOGIN_PATH = "/account/login"
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture(autouse=True)
def fresh_limits():
    """Rate-limit counters of one test never leak into the next (user ids are reused)."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def seoul(db):
    """A published two-day programme of the Seoul centre, its first session running now."""
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    coordinator = make_staff(centre, "coordinator", full_name="Kim Min-ji")
    programme = make_programme(centre, title="Sustainable mobility study visit", sessions=2)
    now = utcnow().replace(microsecond=0)
    first, second = programme.sessions
    first.starts_at, first.ends_at = now - timedelta(hours=1), now + timedelta(hours=2)
    second.starts_at, second.ends_at = now + timedelta(days=1), now + timedelta(days=1, hours=7)
    db.session.flush()
    return {
        "centre": centre,
        "coordinator": coordinator,
        "programme": programme,
        "first": first,
        "second": second,
    }


def participant(programme, status=S.CONFIRMED, *, name=None, organisation="Seoul Metropolitan"):
    user = make_user(**({"full_name": name} if name else {}))
    return make_registration(programme, user, status=status, organisation=organisation)


def _base(seoul, session=None) -> str:
    session = session or seoul["first"]
    return f"/manage/seoul/programmes/{seoul['programme'].id}/sessions/{session.id}"


def _attendance(db, registration, session) -> Attendance | None:
    db.session.expire_all()
    return db.session.scalar(
        select(Attendance).where(
            Attendance.registration_id == registration.id, Attendance.session_id == session.id
        )
    )


def _audit(db, action=None) -> list[tuple[str, int | None, str, str, str]]:
    db.session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return [
        (e.action, e.registration_id, e.from_state, e.to_state, e.reason)
        for e in db.session.scalars(query)
    ]


def _audit_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


# The roll call -----------------------------------------------------------------------------


def test_roll_call_lists_confirmed_participants_only_with_counts_and_local_time(
    client, sign_in, db, seoul
):
    programme = seoul["programme"]
    amina = participant(programme, name="Amina Diallo", organisation="Ville de Dakar")
    participant(programme, name="Reza Karimi", organisation="Mashhad Municipality")
    for status in (S.WAITLISTED, S.WITHDRAWN, S.CANCELLED, S.APPLIED, S.DECLINED):
        participant(programme, status, name=f"Not listed {status.value}")
    service.record(seoul["first"], amina, A.EXCUSED, seoul["coordinator"])
    sign_in(seoul["coordinator"])

    response = client.get(f"{_base(seoul)}/attendance")

    assert response.status_code == 200
    html = _html(response)
    assert_accessible_page(html)
    assert "<bdi>Amina Diallo</bdi>" in html and "<bdi>Ville de Dakar</bdi>" in html
    assert "<bdi>Reza Karimi</bdi>" in html
    assert "Not listed" not in html
    # One radio group per participant, with an accessible name, the recorded status checked.
    assert html.count('<fieldset class="attendance-choice">') == 2
    assert "Attendance of <bdi>Amina Diallo</bdi>" in html
    assert re.search(rf'name="status-{amina.id}"[^>]*value="excused" checked', html)
    assert html.count("Save the roll call") == 1
    local_start = seoul["first"].starts_at.astimezone(SEOUL)
    assert f'datetime="{local_start.isoformat()}"' in html and "(Seoul)" in html
    counts = re.search(r'<dl class="details attendance-counts">(.*?)</dl>', html, re.S).group(1)
    numbers = re.findall(r"<dd>(\d+)", counts)
    assert numbers == ["2", "0", "0", "1", "1"]  # total, present, absent, excused, unmarked
    # Previous/next session links.
    assert f'href="{_base(seoul, seoul["second"])}/attendance" rel="next"' in html
    assert 'rel="prev"' not in html


def test_roll_call_saves_every_row_and_audits_only_changes(client, sign_in, db, seoul):
    programme, first = seoul["programme"], seoul["first"]
    amina = participant(programme, name="Amina Diallo")
    reza = participant(programme, name="Reza Karimi")
    sofia = participant(programme, name="Sofía Hernández")
    sign_in(seoul["coordinator"])
    url = f"{_base(seoul)}/attendance"

    response = client.post(
        url,
        data={f"status-{amina.id}": "present", f"status-{reza.id}": "absent"},
    )

    assert response.status_code == 302 and response.location.endswith(url)
    assert flashes(follow(client, response)) == [
        (
            "success",
            "Attendance saved: 1 present, 1 absent, 0 excused. 1 participant is not recorded yet.",
        )
    ]
    assert _attendance(db, amina, first).status == A.PRESENT
    assert _attendance(db, amina, first).recorded_by_id == seoul["coordinator"].id
    assert not _attendance(db, amina, first).is_self_check_in
    assert _attendance(db, reza, first).status == A.ABSENT
    assert _attendance(db, sofia, first) is None
    assert _audit(db) == [
        ("attendance.record", amina.id, "", "present", first.title),
        ("attendance.record", reza.id, "", "absent", first.title),
    ]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.registration_id == amina.id))
    assert entry.programme_id == programme.id and entry.centre_id == seoul["centre"].id
    assert entry.actor_id == seoul["coordinator"].id

    # Saving the same roll call again changes nothing; one changed row is one entry.
    data = {
        f"status-{amina.id}": "present",
        f"status-{reza.id}": "excused",
        f"status-{sofia.id}": "present",
    }
    response = client.post(url, data=data)
    assert flashes(follow(client, response)) == [
        ("success", "Attendance saved: 2 present, 0 absent, 1 excused.")
    ]
    assert _audit(db)[2:] == [
        ("attendance.record", reza.id, "absent", "excused", first.title),
        ("attendance.record", sofia.id, "", "present", first.title),
    ]
    client.post(url, data=data)
    assert len(_audit(db)) == 4
    # The other session is untouched.
    assert _attendance(db, amina, seoul["second"]) is None


def test_roll_call_leaves_out_registrations_no_longer_confirmed(client, sign_in, db, seoul):
    programme = seoul["programme"]
    amina = participant(programme, name="Amina Diallo")
    gone = participant(programme, S.WITHDRAWN, name="Gone Away")
    foreign = participant(make_programme(seoul["centre"]), name="Other Programme")
    sign_in(seoul["coordinator"])
    response = client.post(
        f"{_base(seoul)}/attendance",
        data={
            f"status-{amina.id}": "present",
            f"status-{gone.id}": "present",
            f"status-{foreign.id}": "present",
        },
    )
    assert flashes(follow(client, response)) == [
        ("success", "Attendance saved: 1 present, 0 absent, 0 excused."),
        ("info", "2 participants are no longer confirmed and were left out."),
    ]
    assert _attendance(db, gone, seoul["first"]) is None
    assert _attendance(db, foreign, seoul["first"]) is None


@pytest.mark.parametrize(
    "data",
    [
        {"status-1": "here"},
        {"status-abc": "present"},
        {"status-99999999999999999999999": "present"},
        {"status-١": "present"},
    ],
)
def test_tampered_roll_call_is_a_400_and_changes_nothing(client, sign_in, db, seoul, data):
    participant(seoul["programme"])
    sign_in(seoul["coordinator"])
    before = _audit_count(db)
    assert client.post(f"{_base(seoul)}/attendance", data=data).status_code == 400
    assert _audit_count(db) == before


def test_empty_state_when_nobody_is_confirmed(client, sign_in, db, seoul):
    participant(seoul["programme"], S.WAITLISTED)
    sign_in(seoul["coordinator"])
    html = _html(client.get(f"{_base(seoul)}/attendance"))
    assert_accessible_page(html)
    assert "Nobody is confirmed for this programme yet" in html
    assert "Save the roll call" not in html and "Mark the" not in html


def test_mark_all_present_keeps_excused_and_absent(client, sign_in, db, seoul):
    programme, first = seoul["programme"], seoul["first"]
    excused = participant(programme, name="Excused Early")
    absent = participant(programme, name="Absent On Purpose")
    unmarked = [participant(programme, name=f"Arrived {n}") for n in range(2)]
    waitlisted = participant(programme, S.WAITLISTED)
    service.record(first, excused, A.EXCUSED, seoul["coordinator"])
    service.record(first, absent, A.ABSENT, seoul["coordinator"])
    sign_in(seoul["coordinator"])
    before = len(_audit(db))

    response = client.post(f"{_base(seoul)}/attendance/all-present")

    assert flashes(follow(client, response)) == [
        (
            "success",
            "2 participants marked present; those already recorded kept their status.",
        )
    ]
    assert _attendance(db, excused, first).status == A.EXCUSED
    assert _attendance(db, absent, first).status == A.ABSENT
    assert all(_attendance(db, r, first).status == A.PRESENT for r in unmarked)
    assert _attendance(db, waitlisted, first) is None
    assert sorted(e[1] for e in _audit(db)[before:]) == sorted(r.id for r in unmarked)

    response = client.post(f"{_base(seoul)}/attendance/all-present")
    assert flashes(follow(client, response)) == [
        ("info", "Everybody already has a status; nothing was changed.")
    ]
    assert len(_audit(db)) == before + 2


@pytest.mark.parametrize("status", [ProgrammeStatus.DRAFT, ProgrammeStatus.CANCELLED])
def test_no_attendance_on_drafts_and_cancelled_programmes(client, sign_in, db, seoul, status):
    programme = seoul["programme"]
    registration = participant(programme)
    programme.status = status
    sign_in(seoul["coordinator"])
    base = _base(seoul)
    for method, suffix, data in (
        ("GET", "/attendance", None),
        ("POST", "/attendance", {f"status-{registration.id}": "present"}),
        ("POST", "/attendance/all-present", None),
        ("GET", "/check-in-code", None),
    ):
        response = client.open(base + suffix, method=method, data=data)
        assert response.status_code == 302, (method, suffix)
        assert response.location.endswith(f"/manage/seoul/programmes/{programme.id}")
        [(category, message)] = flashes(follow(client, response))
        assert category == "error"
        assert ("draft" if status == ProgrammeStatus.DRAFT else "cancelled") in message
    assert _attendance(db, registration, seoul["first"]) is None
    assert _audit(db) == []


def test_completed_programmes_can_still_be_corrected(client, sign_in, db, seoul):
    registration = participant(seoul["programme"])
    seoul["programme"].status = ProgrammeStatus.COMPLETED
    sign_in(seoul["coordinator"])
    response = client.post(
        f"{_base(seoul)}/attendance", data={f"status-{registration.id}": "excused"}
    )
    assert flashes(follow(client, response))[0][0] == "success"
    assert _attendance(db, registration, seoul["first"]).status == A.EXCUSED


# Who may --------------------------------------------------------------------------------------

ROUTES = [("GET", "/attendance"), ("POST", "/attendance"), ("POST", "/attendance/all-present")]
ROUTES.append(("GET", "/check-in-code"))


def test_staff_of_another_centre_participants_and_anonymous_are_refused(client, sign_in, db, seoul):
    registration = participant(seoul["programme"])
    paris = make_centre(slug="paris", timezone="Europe/Paris")
    data = {f"status-{registration.id}": "present"}
    for method, suffix in ROUTES:
        response = client.open(_base(seoul) + suffix, method=method, data=data)
        assert response.status_code == 302 and response.location.startswith(LOGIN_PATH)
    for user in (
        make_staff(paris, "director"),
        make_staff(paris, "coordinator"),
        make_user(),
        registration.user,
    ):
        sign_in(user)
        for method, suffix in ROUTES:
            response = client.open(_base(seoul) + suffix, method=method, data=data)
            assert response.status_code == 403, (user, method, suffix)
        client.post("/account/logout")
    assert _attendance(db, registration, seoul["first"]) is None
    assert _audit(db) == []


@pytest.mark.parametrize("role", ["coordinator", "director", "admin"])
def test_foreign_ids_under_your_own_centre_are_404(client, sign_in, db, seoul, role):
    paris = make_centre(slug="paris", timezone="Europe/Paris")
    foreign = make_programme(paris, sessions=1)
    registration = participant(foreign)
    other = make_programme(seoul["centre"], sessions=1)
    sign_in(make_admin() if role == "admin" else make_staff(seoul["centre"], role))
    own, session = seoul["programme"], seoul["first"]
    addresses = [
        # Another centre's programme and session under this centre's address.
        f"/manage/seoul/programmes/{foreign.id}/sessions/{foreign.sessions[0].id}",
        # This centre's programme with another centre's session.
        f"/manage/seoul/programmes/{own.id}/sessions/{foreign.sessions[0].id}",
        # A session of another programme of the same centre.
        f"/manage/seoul/programmes/{own.id}/sessions/{other.sessions[0].id}",
        f"/manage/seoul/programmes/{other.id}/sessions/{session.id}",
        f"/manage/seoul/programmes/{own.id}/sessions/999999",
    ]
    for base in addresses:
        for method, suffix in ROUTES:
            response = client.open(
                base + suffix, method=method, data={f"status-{registration.id}": "present"}
            )
            assert response.status_code == 404, (base, method, suffix)
    if role != "admin":
        response = client.get(
            f"/manage/paris/programmes/{foreign.id}/sessions/{foreign.sessions[0].id}/attendance"
        )
        assert response.status_code == 403
    assert _audit(db) == []


def test_the_roll_call_needs_a_csrf_token(app, client, sign_in, db, seoul, monkeypatch):
    registration = participant(seoul["programme"])
    sign_in(seoul["coordinator"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"{_base(seoul)}/attendance"
    data = {f"status-{registration.id}": "present"}
    assert client.post(url, data=data).status_code == 400
    assert client.post(f"{url}/all-present").status_code == 400
    assert _attendance(db, registration, seoul["first"]) is None
    token = re.search(r'name="csrf_token" value="([^"]+)"', _html(client.get(url))).group(1)
    assert client.post(url, data={**data, "csrf_token": token}).status_code == 302
    assert _attendance(db, registration, seoul["first"]).status == A.PRESENT


# Statements ------------------------------------------------------------------------------------


def _statements_for(app, client, method, url, data=None) -> list[str]:
    """The verbs of the SQL statements one request issues (an executemany counts once)."""
    response, statements = recorded_request(app, client, url, method=method, data=data)
    assert response.status_code in (200, 302)
    return [statement.lstrip().split(None, 1)[0].upper() for statement in statements]


def test_roll_call_page_and_save_issue_a_constant_number_of_statements(
    app, client, sign_in, db, seoul
):
    centre = seoul["centre"]
    few, many = make_programme(centre, sessions=2), make_programme(centre, sessions=2)
    rows = {few: [participant(few) for _ in range(3)], many: [participant(many) for _ in range(30)]}
    for programme, registrations in rows.items():
        for registration in registrations[:2]:
            service.record(programme.sessions[0], registration, A.ABSENT, None)
            registration.user.full_name += " (checked)"
    sign_in(seoul["coordinator"])
    db.session.commit()

    def url(programme) -> str:
        session = programme.sessions[0]
        return f"/manage/seoul/programmes/{programme.id}/sessions/{session.id}/attendance"

    pages = [len(_statements_for(app, client, "GET", url(p))) for p in (few, many)]
    assert pages[0] == pages[1], pages
    assert pages[1] <= 12
    # Saving reads in a constant number of SELECTs; it writes at most a row and its audit
    # entry per change (PostgreSQL batches those inserts; SQLite sends them one by one).
    saves = [
        _statements_for(app, client, "POST", url(p), {f"status-{r.id}": "present" for r in rows[p]})
        for p in (few, many)
    ]
    selects = [statements.count("SELECT") for statements in saves]
    assert selects[0] == selects[1], selects
    writes = [
        [s for s in statements if s in ("INSERT", "UPDATE", "DELETE")] for statements in saves
    ]
    for statements, n in zip(writes, (3, 30), strict=True):
        assert len(statements) <= 2 * n, statements
    if db.engine.dialect.name == "postgresql":
        assert writes[0] == writes[1] and len(writes[1]) <= 3, writes
    codes = [
        len(_statements_for(app, client, "GET", url(p).replace("/attendance", "/check-in-code")))
        for p in (few, many)
    ]
    assert codes[0] == codes[1], codes


# The check-in code page ----------------------------------------------------------------------


def test_code_is_unambiguous_and_differs_between_sessions_and_keys(app, db, seoul):
    """Rotation over time: tests/attendance/test_check_in_codes.py."""
    first, second = seoul["first"], seoul["second"]
    now = utcnow()
    code = self_check_in.check_in_code(first, now)
    assert code == self_check_in.check_in_code(first, now)
    assert code != self_check_in.check_in_code(second, now)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", code)
    codes = {self_check_in.check_in_code(s, now) for s in make_programme(sessions=20).sessions}
    assert len(codes) == 20
    # Another secret key gives other codes.
    key = app.config["SECRET_KEY"]
    try:
        app.config["SECRET_KEY"] = "another-secret"
        assert self_check_in.check_in_code(first, now) != code
    finally:
        app.config["SECRET_KEY"] = key


def test_code_page_shows_the_code_window_count_and_a_local_qr_code(
    client, sign_in, db, seoul, monkeypatch
):
    programme, first = seoul["programme"], seoul["first"]
    amina = participant(programme)
    participant(programme)
    service.record(first, amina, A.PRESENT, None)
    sign_in(seoul["coordinator"])
    now = utcnow()  # one moment for the page and the test: the code changes every few minutes
    monkeypatch.setattr(manage_attendance, "utcnow", lambda: now)

    response = client.get(f"{_base(seoul)}/check-in-code")

    assert response.status_code == 200
    html = _html(response)
    assert_accessible_page(html)
    code = self_check_in.check_in_code(first, now)
    assert f"<code>{code[:4]}-{code[4:]}</code>" in html
    assert 'src="data:image/svg+xml' in html or "<svg" in html
    # The QR code encodes the absolute address of the participant's page, with the code.
    assert f"http://testserver.example/check-in?code={code}" in html
    assert "1 of 2 confirmed participants present so far." in html
    opens = (first.starts_at - timedelta(minutes=30)).astimezone(SEOUL)
    assert "Check-in opens at" in html and "Open now" in html
    assert f"{opens.hour % 12 or 12}:{opens.minute:02d}" in html


# Self check-in -------------------------------------------------------------------------------


def test_check_in_inside_the_window_works_once(client, sign_in, db, seoul, outbox):
    programme, first = seoul["programme"], seoul["first"]
    registration = participant(programme, name="Amina Diallo")
    sign_in(registration.user)
    code = self_check_in.check_in_code(first)

    # The QR code's address only shows the form, filled in.
    page = client.get(f"/check-in?code={code}")
    assert page.status_code == 200
    assert_accessible_page(_html(page))
    assert f'value="{code}"' in _html(page)
    assert _attendance(db, registration, first) is None

    typed = f" {code[:4].lower()} - {code[4:].lower()} "
    response = client.post("/check-in", data={"code": typed})

    assert response.status_code == 302
    assert response.location.endswith(f"/my/registrations/{registration.id}")
    assert flashes(follow(client, response)) == [
        ("success", f"You are checked in to “{first.title}”. Welcome!")
    ]
    row = _attendance(db, registration, first)
    assert row.status == A.PRESENT and row.is_self_check_in
    assert row.recorded_by_id == registration.user_id
    assert _audit(db) == [("attendance.check_in", registration.id, "", "present", first.title)]

    response = client.post("/check-in", data={"code": code})
    assert flashes(follow(client, response)) == [
        ("info", f"You are already checked in to “{first.title}”.")
    ]
    assert len(_audit(db)) == 1


def test_check_in_turns_an_earlier_absent_into_present(client, sign_in, db, seoul):
    registration = participant(seoul["programme"])
    service.record(seoul["first"], registration, A.ABSENT, seoul["coordinator"])
    sign_in(registration.user)
    client.post("/check-in", data={"code": self_check_in.check_in_code(seoul["first"])})
    row = _attendance(db, registration, seoul["first"])
    assert row.status == A.PRESENT and row.is_self_check_in
    assert _audit(db)[-1] == (
        "attendance.check_in",
        registration.id,
        "absent",
        "present",
        seoul["first"].title,
    )


def test_check_in_outside_the_window_is_refused_with_the_times(client, sign_in, db, seoul):
    programme, first, second = seoul["programme"], seoul["first"], seoul["second"]
    registration = participant(programme)
    sign_in(registration.user)

    response = client.post("/check-in", data={"code": self_check_in.check_in_code(second)})
    assert response.status_code == 422
    message = field_errors(response)["code"]
    assert message.startswith(f"Check-in for “{second.title}” opens at ")
    assert "(Seoul)" in message

    now = utcnow()
    first.starts_at, first.ends_at = now - timedelta(hours=5), now - timedelta(minutes=31)
    response = client.post("/check-in", data={"code": self_check_in.check_in_code(first)})
    assert response.status_code == 422
    assert field_errors(response)["code"].startswith(f"Check-in for “{first.title}” has closed")
    assert _attendance(db, registration, first) is None
    assert _attendance(db, registration, second) is None
    assert _audit(db) == []


def test_check_in_window_edges(db, seoul):
    """30 minutes before the start to 30 minutes after the end, both included."""
    registration = participant(seoul["programme"])
    first = seoul["first"]

    def code_at(moment):
        return self_check_in.check_in_code(first, moment)

    early = first.starts_at - timedelta(minutes=30, seconds=1)
    with pytest.raises(self_check_in.CheckInClosed):
        self_check_in.check_in(registration.user, code_at(early), now=early)
    late = first.ends_at + timedelta(minutes=30, seconds=1)
    with pytest.raises(self_check_in.CheckInClosed):
        self_check_in.check_in(registration.user, code_at(late), now=late)
    last = first.ends_at + timedelta(minutes=30)
    result = self_check_in.check_in(registration.user, code_at(last), now=last)
    assert not result.already_present
    other = participant(seoul["programme"])
    opening = first.starts_at - timedelta(minutes=30)
    result = self_check_in.check_in(other.user, code_at(opening), now=opening)
    assert result.attendance.status == A.PRESENT and result.registration == other


@pytest.mark.parametrize("typed", ["", "0000-0000", "ABCD", "ABCDEFGHJK", "UUUUUUUU"])
def test_wrong_codes_are_refused(client, sign_in, db, seoul, typed):
    registration = participant(seoul["programme"])
    sign_in(registration.user)
    response = client.post("/check-in", data={"code": typed})
    assert response.status_code == 422
    assert "code" in field_errors(response)
    assert _attendance(db, registration, seoul["first"]) is None


def test_lookalike_letters_are_read_as_digits(db, seoul):
    registration = participant(seoul["programme"])
    code = self_check_in.check_in_code(seoul["first"])
    typed = code.replace("0", "O").replace("1", "l").lower()
    assert self_check_in.normalise_code(typed) == code
    assert self_check_in.check_in(registration.user, typed).attendance.is_self_check_in


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, "You are not registered for “Sustainable mobility study visit”"),
        (S.WAITLISTED, "You are on the waiting list for “Sustainable mobility study visit”"),
        (S.APPLIED, "Your registration for “Sustainable mobility study visit” is not confirmed"),
        (S.WITHDRAWN, "Your registration for “Sustainable mobility study visit” is not confirmed"),
    ],
)
def test_only_confirmed_participants_check_in(client, sign_in, db, seoul, status, expected):
    user = make_user() if status is None else participant(seoul["programme"], status).user
    sign_in(user)
    response = client.post("/check-in", data={"code": self_check_in.check_in_code(seoul["first"])})
    assert response.status_code == 422
    assert field_errors(response)["code"].startswith(expected)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    assert _audit(db) == []


def test_a_code_of_a_closed_session_of_someone_elses_programme_is_just_wrong(
    client, sign_in, db, seoul
):
    """Outside its window, a code says nothing to people who are not in the programme."""
    sign_in(make_user())
    response = client.post("/check-in", data={"code": self_check_in.check_in_code(seoul["second"])})
    assert field_errors(response)["code"].startswith("This check-in code is not valid.")


def test_check_in_on_a_draft_or_cancelled_programme_is_refused(client, sign_in, db, seoul):
    registration = participant(seoul["programme"])
    seoul["programme"].status = ProgrammeStatus.CANCELLED
    sign_in(registration.user)
    response = client.post("/check-in", data={"code": self_check_in.check_in_code(seoul["first"])})
    assert field_errors(response)["code"].startswith("This check-in code is not valid.")
    assert _attendance(db, registration, seoul["first"]) is None


def test_anonymous_visitors_are_sent_to_log_in_with_next(client, db, seoul):
    code = self_check_in.check_in_code(seoul["first"])
    response = client.get(f"/check-in?code={code}")
    assert response.status_code == 302
    assert response.location.startswith(LOGIN_PATH)
    assert "next=" in response.location and code in response.location
    response = client.post("/check-in", data={"code": code})
    assert response.status_code == 302 and response.location.startswith(LOGIN_PATH)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_hostile_codes_never_fail_and_are_escaped(app, client, sign_in, db, seoul, monkeypatch):
    monkeypatch.setitem(app.config, "CHECK_IN_RATE_LIMIT", "10000 per minute")
    registration = participant(seoul["programme"])
    sign_in(registration.user)
    for value in hostile_strings():
        for response in (
            client.get("/check-in", query_string={"code": value}),
            client.post("/check-in", data={"code": value}),
        ):
            assert response.status_code in (200, 422), value
            html = _html(response)
            assert "<script>alert(1)" not in html and "<img src=x" not in html, value
    html = _html(client.get("/check-in", query_string={"code": '"><img src=x>'}))
    assert f'value="{escape(chr(34) + "><img src=x>")}"' in html
    assert _attendance(db, registration, seoul["first"]) is None


def test_check_in_attempts_are_rate_limited_per_account(
    app, client, sign_in, db, seoul, monkeypatch
):
    monkeypatch.setitem(app.config, "CHECK_IN_RATE_LIMIT", config.Config.CHECK_IN_RATE_LIMIT)
    registration = participant(seoul["programme"])
    sign_in(registration.user)
    for _ in range(10):
        assert client.post("/check-in", data={"code": "WRONG-CODE"}).status_code == 422
    response = client.post("/check-in", data={"code": self_check_in.check_in_code(seoul["first"])})
    assert response.status_code == 429
    assert _attendance(db, registration, seoul["first"]) is None
    # Reading the form is not limited, and another account has its own budget.
    assert client.get("/check-in").status_code == 200
    client.post("/account/logout")
    other = participant(seoul["programme"])
    sign_in(other.user)
    response = client.post("/check-in", data={"code": self_check_in.check_in_code(seoul["first"])})
    assert response.status_code == 302


def test_the_limit_follows_the_setting(app, client, sign_in, db, seoul, monkeypatch):
    monkeypatch.setitem(app.config, "CHECK_IN_RATE_LIMIT", "2 per minute")
    sign_in(participant(seoul["programme"]).user)
    statuses = [client.post("/check-in", data={"code": "x"}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


# The service without HTTP -----------------------------------------------------------------------


def test_record_refuses_unconfirmed_and_foreign_registrations(db, seoul):
    first = seoul["first"]
    with pytest.raises(service.NotConfirmed):
        service.record(first, participant(seoul["programme"], S.WAITLISTED), A.PRESENT, None)
    with pytest.raises(DomainError):
        service.record(first, participant(make_programme(seoul["centre"])), A.PRESENT, None)
    with pytest.raises(DomainError):
        service.record(first, participant(seoul["programme"]), "here", None)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    assert _audit(db) == []


def test_record_audits_changes_only_and_summary_counts_in_sql(db, seoul):
    programme, first = seoul["programme"], seoul["first"]
    people = [participant(programme) for _ in range(5)]
    withdrawn = participant(programme)
    service.record(first, withdrawn, A.PRESENT, None)
    withdrawn.status = S.WITHDRAWN  # recorded earlier, no longer counted
    service.record(first, people[0], A.PRESENT, None)
    service.record(first, people[0], A.PRESENT, None)
    service.record(first, people[1], "absent", None)
    service.record(first, people[2], A.EXCUSED, None)
    self_check_in.check_in(people[3].user, self_check_in.check_in_code(first))
    assert len(_audit(db)) == 5
    assert service.summary(first) == service.Summary(
        present=2, absent=1, excused=1, unmarked=1, self_checked_in=1
    )
    assert service.summary(first).total == 5
    assert service.summary(seoul["second"]) == service.Summary(unmarked=5)


def test_normalise_code():
    assert self_check_in.normalise_code(" 7k3m–qx9p ") == "7K3MQX9P"
    assert self_check_in.normalise_code("7K3M QX9P") == "7K3MQX9P"
    for bad in (None, "", "7K3MQX9", "7K3MQX9PP", "7K3MQX9Ü", "ＡＢＣＤＥＦＧＨ", "-" * 100):
        assert self_check_in.normalise_code(bad) is None


def test_check_in_rejects_a_time_outside_every_window(db, seoul):
    registration = participant(seoul["programme"])
    far = datetime(2001, 1, 1, tzinfo=UTC)
    with pytest.raises(self_check_in.CheckInClosed):
        self_check_in.check_in(
            registration.user, self_check_in.check_in_code(seoul["first"], far), now=far
        )
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
