"""Previewing and sending a message to the participants of one programme, one email each.

Each recipient gets the version in their language, else the original, in that version's
language throughout: placeholders are filled in it ({programme}: the title in that language
when the programme has it; {dates} and {first_session} formatted for it, the session in the
recipient's time zone), and the fixed part of the email is in it too, so an English message
never arrives with Arabic dates inside. Replies go to the centre's contact address or to the
sender's own. The message is recorded, with its recipients, in the transaction that queues
its emails.
"""

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from miti_training import audit
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.formatting import date_range, moment_in_zone, zone_offset
from miti_training.mail import notify
from miti_training.models import (
    Programme,
    Registration,
    RegistrationStatus,
    SentMessage,
    SentMessageRecipient,
)
from miti_training.registrations.messages.drafts import (
    LINE_BREAK,
    Audience,
    Draft,
    ReplyTo,
    StalePreview,
    checked,
    digest,
    matches,
    personalise,
    unknown_placeholders,
)
from miti_training.registrations.notifications import (
    participant_links,
    recipient,
    recipient_language,
)

_NOBODY = {
    Audience.CONFIRMED: _l("No participant of this programme is confirmed; nothing was sent."),
    Audience.WAITLISTED: _l("Nobody is on the waiting list of this programme; nothing was sent."),
    Audience.APPLIED: _l("No application of this programme waits for review; nothing was sent."),
}
NO_CENTRE_ADDRESS = _l(
    "This centre has no contact address yet: choose your own address, or ask an administrator "
    "to add the centre's."
)


@dataclass(frozen=True)
class Personalised:
    """The message as one recipient receives it."""

    registration: Registration
    address: str
    #: The language of the version received (the email is written in it).
    language: str
    subject: str
    body: str


@dataclass(frozen=True)
class VersionPreview:
    """One language version: how many receive it and what the first of them reads."""

    language: str
    count: int
    first: Personalised | None


@dataclass(frozen=True)
class Preview:
    """What sending would do, and the signature the Send button carries."""

    count: int
    versions: tuple[VersionPreview, ...]
    #: Brace tokens that are not placeholders and are sent as written.
    unknown_placeholders: tuple[str, ...]
    reply_to: str
    digest: str

    @property
    def first(self) -> Personalised | None:
        return next((v.first for v in self.versions if v.first is not None), None)


def _reachable():
    """Registrations someone can still be written to (anonymised ones have no address)."""
    return or_(Registration.user_id.is_not(None), Registration.email != "")


def audience_counts(programme: Programme) -> dict[Audience, int]:
    """How many would receive a message, for each audience (one statement)."""
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(
            Registration.programme_id == programme.id,
            Registration.status.in_([a.status for a in Audience]),
            _reachable(),
        )
        .group_by(Registration.status)
    ).all()
    by_status = {RegistrationStatus(status): count for status, count in rows}
    return {audience: by_status.get(audience.status, 0) for audience in Audience}


def recipients(programme: Programme, audience: Audience) -> list[Registration]:
    """The registrations of programme in the audience's status, by name."""
    found = db.session.scalars(
        select(Registration)
        .where(
            Registration.programme_id == programme.id,
            Registration.status == audience.status,
            _reachable(),
        )
        .options(selectinload(Registration.user))
        .order_by(Registration.id)
    ).all()
    return sorted(found, key=lambda r: ((r.full_name or r.email).casefold(), r.id))


def reply_address(programme: Programme, choice: ReplyTo, sender) -> str:
    """The Reply-To of the message: the centre's contact address or the sender's."""
    if choice == ReplyTo.SENDER:
        return sender.email
    if not programme.centre.contact_email:
        raise FieldError(NO_CENTRE_ADDRESS, "reply_to")
    return programme.centre.contact_email


def values_for(registration: Registration, programme: Programme, language: str) -> dict:
    """The placeholders' values for one recipient, written for language."""
    user = registration.user
    address = user.email if user is not None else registration.email
    zone = (user.timezone if user is not None else "") or programme.centre.timezone
    first = programme.sessions[0] if programme.sessions else None
    with force_locale(language):
        dates = date_range(programme.starts_on, programme.ends_on)
        first_session = (
            f"{moment_in_zone(first.starts_at, zone)} ({zone_offset(first.starts_at, zone)})"
            if first is not None
            else dates
        )
    return {
        "name": (user.full_name if user is not None else "") or registration.full_name or address,
        "programme": programme.text_in(language).title,
        "dates": dates,
        "first_session": first_session,
    }


def personalised(registration: Registration, programme: Programme, draft: Draft) -> Personalised:
    user = registration.user
    version = draft.version_for(recipient_language(registration))
    values = values_for(registration, programme, version.language)
    return Personalised(
        registration=registration,
        address=user.email if user is not None else registration.email,
        language=version.language,
        # A name cannot break the subject onto a second header line.
        subject=LINE_BREAK.sub(" ", personalise(version.subject, **values)),
        body=personalise(version.body, **values),
    )


def preview(programme: Programme, draft: Draft, *, sender) -> Preview:
    """The message as the first recipient of each version reads it; nothing is sent.

    Raises FieldError for a draft that could not be sent (checked like send() does).
    """
    draft = checked(draft)
    address = reply_address(programme, draft.reply_to, sender)
    found = recipients(programme, draft.audience)
    by_language: dict[str, list[Registration]] = {code: [] for code in draft.languages}
    for registration in found:
        by_language[draft.version_for(recipient_language(registration)).language].append(
            registration
        )
    versions = tuple(
        VersionPreview(
            language=code,
            count=len(people),
            first=personalised(people[0], programme, draft) if people else None,
        )
        for code, people in by_language.items()
    )
    texts = [text for v in draft.versions for text in (v.subject, v.body)]
    return Preview(
        count=len(found),
        versions=versions,
        unknown_placeholders=unknown_placeholders(*texts),
        reply_to=address,
        digest=digest(draft, programme_id=programme.id, count=len(found)),
    )


def send(programme: Programme, draft: Draft, *, actor, signed: str | None) -> SentMessage:
    """Email every registration of the audience (after commit), record and audit it.

    signed is the digest of the preview the sender saw: StalePreview when the draft or the
    audience's size changed since. FieldError for a draft that cannot be sent, DomainError
    when the audience is empty (nothing is queued then).
    """
    draft = checked(draft)
    address = reply_address(programme, draft.reply_to, actor)
    found = recipients(programme, draft.audience)
    if not found:
        raise DomainError(_NOBODY[draft.audience])
    if not matches(signed, draft, programme_id=programme.id, count=len(found)):
        raise StalePreview()
    record = SentMessage(
        programme=programme,
        sender=actor,
        sender_name=actor.full_name or actor.email,
        audience=draft.audience.value,
        reply_to=address,
        languages=",".join(draft.languages),
        subject=draft.original.subject,
        recipient_count=len(found),
    )
    db.session.add(record)
    for registration in found:
        message = personalised(registration, programme, draft)
        notify(
            recipient(registration),
            "participant_message",
            message.subject,
            email=message.address,
            locale=message.language,
            reply_to=address,
            body=message.body,
            title=programme.text_in(message.language).title,
            programme=programme,
            centre=programme.centre,
            **participant_links(registration),
        )
        record.recipients.append(
            SentMessageRecipient(registration=registration, language=message.language)
        )
    audit.record(
        "programme.message",
        actor=actor,
        programme=programme,
        to_state=draft.audience.value,
        reason=f"{draft.audience.value}, {len(found)} recipients: {draft.original.subject}",
    )
    db.session.flush()
    return record
