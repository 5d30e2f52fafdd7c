"""Registering holds the programme's row lock only for its UPDATE, the INSERTs and the COMMIT;
the emails are rendered before it, one per registration with the outcome it got; the
waiting-list counter follows every change of the list; the lock's hold time is measured.

Through the Flask test client on the test database (SQLite, or PostgreSQL with
MITI_TEST_BACKEND=postgresql)."""

import re

import pytest
from flask import template_rendered
from sqlalchemy import event, func, select
from sqlalchemy.orm.attributes import set_committed_value

from miti_training.extensions import db as _db
from miti_training.formatting import native_digits
from miti_training.models import (
    EnrolmentPolicy,
    OutboxMessage,
    Programme,
    Registration,
    RegistrationStatus,
)
from miti_training.programmes import lifecycle
from miti_training.registrations import decisions, enrolment, locking, notifications
from tests.support.factories import make_centre, make_programme, make_staff, make_user

S = RegistrationStatus
FORM = {"submitted": "1", "consent_data": "y", "motivation": "Peer learning."}


@pytest.fixture
def seoul(db):
    return make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")


def _post(client, login, programme, user):
    login(user)
    return client.post(f"/programmes/{programme.slug}/register", data=FORM)


def _recorded(app):
    """Statements, COMMITs and templates rendered, in order, while the block runs."""
    events: list[str] = []
    engine = _db.engine

    def statement(_conn, _cursor, sql, *_args):
        events.append(" ".join(sql.split()))

    def commit(_conn):
        events.append("COMMIT")

    def rendered(_app, template, **_extra):
        events.append(f"render {template.name}")

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    template_rendered.connect(rendered, app)

    def stop():
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)
        template_rendered.disconnect(rendered, app)

    return events, stop


def _inside_the_lock(events: list[str]) -> list[str]:
    """What ran from the statement that placed the registration to the COMMIT after it."""
    placed = max(i for i, e in enumerate(events) if "UPDATE programmes" in e)
    commit = events.index("COMMIT", placed)
    return events[placed:commit]


def _written(statements: list[str]) -> list[str]:
    """The tables written, in order: one WITH statement on PostgreSQL, else one each."""
    return re.findall(r"(?:UPDATE|INSERT INTO) (\w+)", " ".join(statements))


@pytest.mark.parametrize("seats_left", [1, 0], ids=["confirmed", "waitlisted"])
def test_only_the_update_the_inserts_and_the_commit_hold_the_lock(
    app, client, login, db, seoul, seats_left
):
    programme = make_programme(seoul, capacity=1, seats_taken=1 - seats_left)
    user = make_user()
    db.session.commit()
    login(user)
    client.get(f"/programmes/{programme.slug}/register")
    events, stop = _recorded(app)
    try:
        response = client.post(f"/programmes/{programme.slug}/register", data=FORM)
    finally:
        stop()
    assert response.status_code == 302 and "/my/registrations/" in response.location
    # No lock of its own before: on PostgreSQL it is taken inside the placing statement.
    assert not [e for e in events if "FOR UPDATE" in e and "UPDATE programmes SET" not in e]
    locked = _inside_the_lock(events)
    written = _written(locked)
    # (On PostgreSQL the INSERT of mail of the outcome foreseen: a free seat or the list.)
    assert written[0] == "programmes" and set(written[1:]) == {
        "audit_entries",
        "mail_outbox",
        "registrations",
    }, locked
    assert _db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    assert "RETURNING" in locked[0]
    if _db.engine.dialect.name == "postgresql":
        assert len(locked) == 1  # one round trip, then the COMMIT
        assert sum("UPDATE programmes" in e for e in events) == 1  # seat or list: one statement
    else:
        assert len(locked) == 4
        # The seat's UPDATE (no match: full) before the waiting list's.
        assert sum("UPDATE programmes" in e for e in events) == 1 + (seats_left == 0)


def test_the_lock_hold_time_is_recorded_once_per_registration(
    app, client, login, db, seoul, tmp_path, monkeypatch
):
    programme = make_programme(seoul, capacity=1, is_waitlist_enabled=True)
    users = [make_user(), make_user()]
    db.session.commit()
    monkeypatch.setattr(locking, "_HOLD_LOG", str(tmp_path / "hold"))
    monkeypatch.setattr(locking, "_hold_file", None)
    before = locking.LOCK_HELD._sum.get(), _observations()
    for user in users:
        assert _post(client, login, programme, user).status_code == 302
    locking._hold_file.close()
    (written,) = tmp_path.glob("hold.*")
    values = [float(v) for v in written.read_text().split()]
    assert len(values) == 2 and all(0 < v < 10_000 for v in values)
    assert _observations() == before[1] + 2
    assert locking.LOCK_HELD._sum.get() > before[0]


def _observations() -> float:
    return sum(
        sample.value
        for metric in locking.LOCK_HELD.collect()
        for sample in metric.samples
        if sample.name.endswith("_count")
    )


def test_each_registration_gets_one_email_with_its_outcome_its_link_and_position(
    app, client, login, db, seoul, outbox
):
    programme = make_programme(seoul, capacity=1, title="Peer Review Process")
    people = [make_user(preferred_language=lang) for lang in ("en", "fa", "ko", "en")]
    db.session.commit()
    for person in people:
        assert _post(client, login, programme, person).status_code == 302
    registrations = {
        r.user_id: r
        for r in db.session.scalars(select(Registration).filter_by(programme_id=programme.id))
    }
    assert len(outbox) == len(people)
    for person in people:
        registration = registrations[person.id]
        (mail,) = [m for m in outbox if m.to == person.email]
        link = f"/my/registrations/{registration.id}"
        assert link in mail.body and link in mail.html
        assert not re.search(r"8675309142857001|4096731", mail.body + mail.html)
        if registration.status == S.WAITLISTED:
            written = native_digits(str(registration.waitlist_position), person.preferred_language)
            assert re.search(rf"\D{written}\D", mail.body) and mail.subject != "s"
    assert [registrations[p.id].status for p in people] == [S.CONFIRMED] + [S.WAITLISTED] * 3
    english = next(m for m in outbox if m.to == people[3].email)
    assert "on the waiting list, in position 3." in english.body
    persian = next(m for m in outbox if m.to == people[1].email)
    assert "جایگاه ۱ " in persian.body


def test_no_email_is_rendered_while_the_lock_is_held(app, client, login, db, seoul):
    programme = make_programme(seoul, capacity=0, is_waitlist_enabled=True)
    user = make_user()
    db.session.commit()
    login(user)
    events, stop = _recorded(app)
    try:
        client.post(f"/programmes/{programme.slug}/register", data=FORM)
    finally:
        stop()
    assert not [e for e in _inside_the_lock(events) if e.startswith("render")]
    assert [e for e in events if e.startswith("render emails/")]  # rendered before


def test_a_waiting_list_opened_meanwhile_gives_the_waitlisted_email_once(db, seoul, outbox):
    """The programme as read says seats are free and there is no waiting list; by the time
    of the UPDATE staff opened a waiting list and the last seat went: waitlisted, told so."""
    programme = make_programme(seoul, capacity=1, is_waitlist_enabled=True)
    enrolment.register(programme, make_user(), answers={}, consent_data=True, consent_listing=False)
    _db.session.commit()
    programme = _db.session.get(Programme, programme.id)
    set_committed_value(programme, "seats_taken", 0)
    set_committed_value(programme, "is_waitlist_enabled", False)
    late = make_user()
    registration = enrolment.register(
        programme, late, answers={}, consent_data=True, consent_listing=False
    )
    _db.session.commit()
    assert registration.status == S.WAITLISTED and registration.waitlist_position == 1
    (mail,) = [m for m in outbox if m.to == late.email]
    assert "in position 1." in mail.body and f"/my/registrations/{registration.id}" in mail.body


def _assert_counter(programme_id: int) -> None:
    _db.session.expire_all()
    programme = _db.session.get(Programme, programme_id)
    positions = sorted(
        _db.session.scalars(
            select(Registration.waitlist_position).where(
                Registration.programme_id == programme_id, Registration.status == S.WAITLISTED
            )
        )
    )
    assert positions == list(range(1, len(positions) + 1))
    assert programme.waitlist_length == len(positions)
    confirmed = _db.session.scalar(
        select(func.count()).where(
            Registration.programme_id == programme_id, Registration.status == S.CONFIRMED
        )
    )
    assert programme.seats_taken == confirmed


def test_the_waiting_list_counter_follows_every_change(db, seoul):
    director = make_staff(seoul, "director")
    pid = make_programme(seoul, capacity=2, is_waitlist_enabled=True).id
    _db.session.commit()

    def then(change, *args, **kw):
        result = change(*args, **kw)
        _db.session.commit()
        _assert_counter(pid)
        return result

    def register(user=None):
        return then(
            enrolment.register,
            _db.session.get(Programme, pid),
            user or make_user(),
            answers={},
            consent_data=True,
            consent_listing=False,
        )

    a, _b = register(), register()  # the two seats
    _c, d, e, f = register(), register(), register(), register()  # waitlisted 1..4
    then(decisions.move_on_waitlist, f, 1, actor=director)
    then(decisions.withdraw, d, actor=d.user)  # leaves the waiting list
    then(decisions.decline, e, actor=director)
    then(decisions.withdraw, a, actor=a.user)  # a seat frees: the first in line is promoted
    then(decisions.reinstate, d, actor=director)  # back, at the end of the list
    register(a.user)  # registers again after withdrawing: the end of the list
    register()
    programme = _db.session.get(Programme, pid)
    programme.capacity = 4
    _db.session.commit()
    then(decisions.promote_waitlisted, programme, actor=director)  # two more seats
    assert _db.session.get(Programme, pid).waitlist_length == 2
    then(
        lifecycle.cancel_programme, _db.session.get(Programme, pid), "Venue closed.", actor=director
    )
    assert _db.session.get(Programme, pid).waitlist_length == 0


def test_staff_waitlisting_an_application_takes_the_end_of_the_list(db, seoul):
    director = make_staff(seoul, "director")
    programme = make_programme(seoul, capacity=1, enrolment_policy=EnrolmentPolicy.REVIEW)
    applications = [
        enrolment.register(
            programme,
            make_user(),
            answers={},
            motivation="Peer learning.",
            consent_data=True,
            consent_listing=False,
        )
        for _ in range(3)
    ]
    _db.session.commit()
    for application in applications:
        decisions.waitlist(application, actor=director)
        _db.session.commit()
        _assert_counter(programme.id)
    decisions.confirm(applications[1], actor=director)
    _db.session.commit()
    _assert_counter(programme.id)
    assert [_db.session.get(Registration, a.id).waitlist_position for a in applications] == [
        1,
        None,
        2,
    ]


def test_an_email_without_its_marks_is_rendered_again_with_the_registration(db, seoul, outbox):
    """A translation that dropped the position's placeholder: the prepared text cannot be
    filled in, so the email is rendered from the registration instead (still once)."""
    programme = make_programme(seoul, capacity=0, is_waitlist_enabled=True)
    user = make_user()
    registration = enrolment.register(
        programme, user, answers={}, consent_data=True, consent_listing=False
    )
    _db.session.commit()
    outbox.clear()
    unmarked = notifications.OutgoingEmail(to=user.email, subject="s", body="no marks", locale="en")
    prepared = notifications.PreparedEmails({S.WAITLISTED: [unmarked]})
    assert not prepared.fillable()
    prepared.queue(registration)
    _db.session.commit()
    (mail,) = outbox
    assert "in position 1." in mail.body and f"/my/registrations/{registration.id}" in mail.body


@pytest.mark.parametrize(
    ("seats_taken", "foreseen"),
    [
        (0, {"registration_confirmed"}),
        (40, {"registration_waitlisted"}),
        # Few seats left: others registering at the same moment may take them first.
        (40 - enrolment.UNCERTAIN_SEATS, {"registration_confirmed", "registration_waitlisted"}),
    ],
    ids=["seats", "full", "last-seats"],
)
def test_only_the_emails_of_the_outcomes_foreseen_are_rendered_beforehand(
    app, client, login, db, seoul, outbox, seats_taken, foreseen
):
    programme = make_programme(
        seoul, capacity=40, seats_taken=seats_taken, is_waitlist_enabled=True
    )
    user = make_user()
    db.session.commit()
    login(user)
    events, stop = _recorded(app)
    try:
        response = client.post(f"/programmes/{programme.slug}/register", data=FORM)
    finally:
        stop()
    assert response.status_code == 302 and "/my/registrations/" in response.location
    rendered = {
        e.removeprefix("render emails/").removesuffix(".txt")
        for e in events
        if e.startswith("render emails/registration_")
    }
    assert rendered == foreseen
    (mail,) = outbox
    assert mail.to == user.email


def test_a_seat_freed_meanwhile_gives_the_confirmed_email_once(db, seoul, outbox):
    """The programme as read says it is full; by the time of the UPDATE a seat was freed:
    confirmed, and told so once, though the waiting list's email was the one foreseen."""
    programme = make_programme(seoul, capacity=1, is_waitlist_enabled=True)
    _db.session.commit()
    set_committed_value(programme, "seats_taken", 1)
    user = make_user()
    registration = enrolment.register(
        programme, user, answers={}, consent_data=True, consent_listing=False
    )
    _db.session.commit()
    assert registration.status == S.CONFIRMED and registration.waitlist_position is None
    (mail,) = outbox
    assert mail.to == user.email and "waiting list" not in mail.subject
    assert f"/my/registrations/{registration.id}" in mail.body
    stored = _db.session.scalars(select(OutboxMessage)).all()
    assert len(stored) == 1 and stored[0].subject == mail.subject


@pytest.mark.parametrize("seats_left", [1, 0], ids=["confirmed", "waitlisted"])
def test_nothing_is_read_again_after_the_commit(app, client, login, db, seoul, seats_left):
    programme = make_programme(seoul, capacity=1, seats_taken=1 - seats_left)
    user = make_user()
    db.session.commit()
    login(user)
    events, stop = _recorded(app)
    try:
        response = client.post(f"/programmes/{programme.slug}/register", data=FORM)
    finally:
        stop()
    registration = _db.session.scalars(select(Registration)).one()
    assert response.location.endswith(f"/my/registrations/{registration.id}")
    placed = max(i for i, e in enumerate(events) if "UPDATE programmes" in e)
    after = events[events.index("COMMIT", placed) + 1 :]
    # Only the mail sent after the commit (claimed and marked in the outbox) may follow.
    assert not [e for e in after if e.startswith("SELECT")], after
    with client.session_transaction() as session:
        flashed = session["_flashes"][-1]
    position = "position 1" if not seats_left else "seat is confirmed"
    assert position in flashed[1]
