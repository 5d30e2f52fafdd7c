"""Automatic reminders before the first session and follow-ups after the programme, sent by
`flask send-reminders`: when they are due and when not, once per person however often the
command runs, in the participant's language and time zone with the programme's calendar
attached and replies going to the centre; the setting on the programme form.

Two runs at the same time: test_reminders_concurrency.py.
"""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from miti_training.attendance import certificates
from miti_training.cli.reminders import send_due_reminders
from miti_training.formatting import session_time
from miti_training.models import (
    ProgrammeStatus,
    ProgrammeTranslation,
    RegistrationStatus,
    ReminderKind,
    ReminderSent,
)
from miti_training.reminders import due
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
    mark_present,
    register_official,
    today,
)
from tests.support.forms import programme_form
from tests.support.pages import field_errors
from tests.support.testdata import officials

S = RegistrationStatus
PEOPLE = {row["full_name"]: row for row in officials()}
BEFORE, AFTER = ReminderKind.BEFORE_START, ReminderKind.FOLLOW_UP


@pytest.fixture
def cairo(db):
    return make_centre(
        slug="cairo", name="MITI Cairo", timezone="Africa/Cairo", contact_email="cairo@miti.example"
    )


@pytest.fixture
def soon(db, cairo):
    """A published programme whose first session is two days away."""
    programme = make_programme(
        cairo, sessions=2, starts_on=today() + timedelta(days=2), title="Water management course"
    )
    db.session.add(
        ProgrammeTranslation(programme=programme, language="ar", title="دورة إدارة المياه")
    )
    db.session.flush()
    return programme


def _first_start(programme):
    return programme.sessions[0].starts_at


# Before the first session --------------------------------------------------------------------


def test_a_reminder_is_due_from_n_days_before_the_first_session_until_it_starts(db, soon):
    registration = make_registration(soon)
    first = _first_start(soon)
    assert due(first - timedelta(days=3, minutes=1)) == []
    assert due(first - timedelta(days=3) + timedelta(minutes=1)) == [(registration.id, BEFORE)]
    assert due(first - timedelta(minutes=1)) == [(registration.id, BEFORE)]
    assert due(first + timedelta(minutes=1)) == []
    soon.reminder_days = 1
    assert due(first - timedelta(days=2)) == []
    assert due(first - timedelta(hours=23)) == [(registration.id, BEFORE)]


@pytest.mark.parametrize(
    "change",
    [
        "reminder_off",
        "waitlisted",
        "applied",
        "withdrawn",
        "draft",
        "cancelled",
        "no_sessions",
        "anonymised",
    ],
)
def test_no_reminder_when_not_due(db, soon, outbox, change):
    registration = make_registration(soon)
    if change == "reminder_off":
        soon.sends_reminder = False
    elif change in ("waitlisted", "applied", "withdrawn"):
        registration.status = RegistrationStatus(change)
    elif change in ("draft", "cancelled"):
        soon.status = ProgrammeStatus(change)
    elif change == "no_sessions":
        soon.sessions.clear()
    else:
        registration.user, registration.email, registration.full_name = None, "", ""
    db.session.commit()
    assert due(_first_start(soon) - timedelta(days=1) if soon.sessions else None) == []
    assert send_due_reminders() == (0, 0)
    assert outbox == []


def test_each_person_gets_the_reminder_once_however_often_it_runs(db, soon, outbox):
    first, second = make_registration(soon), make_registration(soon)
    make_registration(make_programme(soon.centre, starts_on=today() + timedelta(days=20)))
    db.session.commit()
    assert send_due_reminders() == (2, 0)
    assert send_due_reminders() == (0, 0)
    assert sorted(m.to for m in outbox) == sorted([first.email, second.email])
    records = db.session.scalars(select(ReminderSent)).all()
    assert {(r.registration_id, r.kind) for r in records} == {
        (first.id, BEFORE),
        (second.id, BEFORE),
    }
    assert {r.message_id for r in records} == {m.id for m in outbox}


def test_a_reminder_that_another_run_sent_is_skipped(db, soon, outbox):
    registration = make_registration(soon)
    db.session.commit()
    listed = due()
    db.session.add(ReminderSent(registration_id=registration.id, kind=BEFORE))
    db.session.commit()
    from miti_training import reminders

    assert reminders.send_reminder(*listed[0]) is False
    assert outbox == []


def test_the_reminder_is_in_the_participants_language_and_time_zone_with_the_calendar(
    db, soon, outbox
):
    registration = register_official(PEOPLE["منى السيد"], soon)
    registration.user.timezone = "Asia/Dubai"
    db.session.commit()
    assert send_due_reminders() == (1, 0)
    [message] = outbox
    assert message.to == PEOPLE["منى السيد"]["email"]
    assert message.locale == "ar"
    assert 'dir="rtl"' in message.html
    assert "دورة إدارة المياه" in message.subject
    assert message.reply_to == "cairo@miti.example"
    for session in soon.sessions:
        with force_locale("ar"):
            when = session_time(session, "Asia/Dubai")
        assert f"{when.full} ({when.offset})" in message.body
    assert "Asia/Dubai" in message.body
    [calendar] = message.attachments
    assert calendar.filename == f"{soon.slug}.ics"
    assert calendar.content_type == "text/calendar"
    text = calendar.data.decode()
    assert text.startswith("BEGIN:VCALENDAR") and text.count("BEGIN:VEVENT") == 2
    assert "دورة إدارة المياه" in text


def test_the_calendar_and_reply_to_survive_the_outbox_and_the_eml_file(
    app, db, soon, tmp_path, monkeypatch
):
    import email
    from email import policy

    monkeypatch.setitem(app.config, "MAIL_BACKEND", "outbox")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))
    make_registration(soon, make_user(email="amal@cairo.example"))
    db.session.commit()
    assert send_due_reminders() == (1, 0)
    [path] = tmp_path.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "amal@cairo.example"
    assert message["Reply-To"] == "cairo@miti.example"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == f"{soon.slug}.ics"
    assert b"BEGIN:VEVENT" in attachment.get_payload(decode=True)


def test_the_command_says_what_it_did(app, db, soon, outbox):
    make_registration(soon)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 reminder(s)" in result.output
    assert "Sent 0 reminder(s)" in runner.invoke(args=["send-reminders"]).output
    assert len(outbox) == 1


# After the programme ---------------------------------------------------------------------------


@pytest.fixture
def finished(db, cairo):
    programme = make_programme(cairo, sessions=2, starts_on=today() - timedelta(days=5))
    programme.status = ProgrammeStatus.COMPLETED
    db.session.flush()
    return programme


def test_a_follow_up_goes_to_those_who_completed_with_their_certificate(
    db, cairo, finished, outbox
):
    with_certificate = make_registration(finished, make_user(email="kept@cairo.example"))
    without_certificate = make_registration(finished, make_user(email="soon@cairo.example"))
    absent = make_registration(finished, make_user(email="absent@cairo.example"))
    for registration in (with_certificate, without_certificate):
        mark_present(registration)
    certificate = certificates.issue(with_certificate, make_staff(cairo, "coordinator"))
    db.session.commit()
    outbox.clear()  # the certificate's own notice

    assert send_due_reminders() == (2, 0)
    assert send_due_reminders() == (0, 0)
    by_address = {m.to: m for m in outbox}
    assert set(by_address) == {"kept@cairo.example", "soon@cairo.example"}
    kept = by_address["kept@cairo.example"]
    assert f"/my/registrations/{with_certificate.id}/certificate.pdf" in kept.body
    assert f"/certificates/{certificate.code}" in kept.body
    assert (
        f'href="http://testserver.example/my/registrations/{with_certificate.id}/certificate.pdf"'
        in kept.html
    )
    waiting = by_address["soon@cairo.example"]
    assert "certificate.pdf" not in waiting.body
    assert "as soon as the centre issues it" in waiting.body
    assert f"/my/registrations/{without_certificate.id}" in waiting.body
    assert absent.id not in {r.registration_id for r in db.session.scalars(select(ReminderSent))}


def test_no_follow_up_before_the_end_nor_long_after_it(db, cairo, outbox):
    running = make_programme(cairo, sessions=3, starts_on=today() - timedelta(days=1))
    old = make_programme(cairo, sessions=1, starts_on=today() - timedelta(days=40))
    for programme in (running, old):
        registration = make_registration(programme)
        mark_present(registration)
    db.session.commit()
    assert [kind for _id, kind in due()] == []
    end = max(s.ends_at for s in running.sessions)
    assert [kind for _id, kind in due(end + timedelta(minutes=1))] == [AFTER]


# The setting on the programme form ------------------------------------------------------------


def test_the_programme_form_sets_the_reminder(client, login, db, cairo):
    programme = make_programme(cairo, status=ProgrammeStatus.DRAFT)
    login(make_staff(cairo, "director"))
    url = f"/manage/cairo/programmes/{programme.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'name="sends_reminder" type="checkbox" value="y"' in page and "checked" in page
    assert 'name="reminder_days"' in page and 'value="3"' in page

    data = programme_form(
        starts_on=programme.starts_on.isoformat(), ends_on=programme.ends_on.isoformat()
    )
    data.pop("sends_reminder")
    data["reminder_days"] = "7"
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(programme)
    assert programme.sends_reminder is False and programme.reminder_days == 7

    for wrong in ("0", "31", "three"):
        response = client.post(url, data={**data, "reminder_days": wrong})
        assert response.status_code != 302
        errors = field_errors(response)
        assert set(errors) == {"reminder_days"}
        if wrong != "three":
            assert errors["reminder_days"] == "Enter a number of days from 1 to 30."
    db.session.refresh(programme)
    assert programme.reminder_days == 7


def test_a_new_programme_sends_a_reminder_three_days_before(db, cairo):
    programme = make_programme(cairo)
    assert programme.sends_reminder is True and programme.reminder_days == 3
