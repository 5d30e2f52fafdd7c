"""One automatic email to one registration, in the participant's language and time zone, with
the programme's calendar attached and replies going to the centre."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from miti_training.attendance.certificates import valid_certificate
from miti_training.attendance.completion import completion_of
from miti_training.extensions import db
from miti_training.formatting import session_time
from miti_training.mail import Attachment, notify
from miti_training.models import Registration, RegistrationStatus, ReminderKind, ReminderSent
from miti_training.programmes.ical import programme_calendar
from miti_training.registrations.notifications import (
    participant_links,
    recipient,
    recipient_language,
)
from miti_training.urls import external_url

_SUBJECTS = {
    ReminderKind.BEFORE_START: lambda title: _l("Coming soon: %(title)s", title=title),
    ReminderKind.FOLLOW_UP: lambda title: _l("Thank you for taking part in %(title)s", title=title),
}
_TEMPLATES = {
    ReminderKind.BEFORE_START: "reminder_before_start",
    ReminderKind.FOLLOW_UP: "reminder_follow_up",
}


def _still_due(registration: Registration | None, kind: ReminderKind) -> bool:
    """What may have changed since the list of due emails was made."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return False
    if kind == ReminderKind.FOLLOW_UP:
        return registration.user is not None and completion_of(registration).completed
    return recipient(registration) is not None


def send_reminder(registration_id: int, kind: ReminderKind) -> bool:
    """Record and queue one automatic email (the caller commits); False when no longer due.

    The record is flushed first: when another run sent it meanwhile, the unique key raises
    IntegrityError here, before anything is queued.
    """
    registration = db.session.get(Registration, registration_id)
    if not _still_due(registration, kind):
        return False
    if db.session.scalar(
        select(ReminderSent.id).where(
            ReminderSent.registration_id == registration_id, ReminderSent.kind == kind
        )
    ):
        return False
    record = ReminderSent(registration_id=registration_id, kind=kind)
    db.session.add(record)
    db.session.flush()

    programme = registration.programme
    person = recipient(registration)
    language = recipient_language(registration)
    zone = getattr(person, "timezone", "") or programme.centre.timezone
    title = programme.text_in(language).title
    context = {}
    if kind == ReminderKind.FOLLOW_UP:
        certificate = valid_certificate(registration)
        context["download_link"] = (
            external_url("registrations.certificate_pdf", registration_id=registration.id)
            if certificate is not None
            else ""
        )
        context["verify_link"] = (
            external_url("certificates.verify", code=certificate.code) if certificate else ""
        )
    message = notify(
        person,
        _TEMPLATES[kind],
        _SUBJECTS[kind](title),
        email=person.email,
        reply_to=programme.centre.contact_email,
        attachments=(
            Attachment(
                f"{programme.slug}.ics",
                "text/calendar",
                programme_calendar(programme, language=language),
            ),
        ),
        name=person.full_name or person.email,
        title=title,
        programme=programme,
        centre=programme.centre,
        zone=zone,
        sessions=programme.sessions,
        session_time=session_time,
        **participant_links(registration),
        **context,
    )
    record.message_id = message.id
    return True
