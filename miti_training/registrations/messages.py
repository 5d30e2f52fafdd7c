"""Messages from a centre to the participants of one programme, one email per recipient.

The coordinator's subject and body are sent as written, with three placeholders replaced per
recipient: {name}, {programme} (the title in the recipient's language) and {dates} (the
programme's dates in the recipient's locale). The replacement is one pass of a plain
substitution of those three tokens, never str.format or a template engine on user text:
anything else between braces ({nmae}, {0.__class__}, {{ 7*7 }}) is sent literally, and the
preview lists such tokens so a typo is noticed before sending.
"""

import enum
import re
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from miti_training import audit
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.formatting import date_range
from miti_training.mail import notify
from miti_training.models import Programme, Registration, RegistrationStatus
from miti_training.registrations.answers import normalise_newlines
from miti_training.registrations.notifications import (
    participant_links,
    recipient,
    recipient_language,
)

MAX_SUBJECT = 200
MAX_BODY = 10_000
#: The tokens replaced per recipient, in the order the help text lists them.
PLACEHOLDERS = ("{name}", "{programme}", "{dates}")

_PLACEHOLDER = re.compile(r"\{(name|programme|dates)\}")
#: What looks like a placeholder to a person: a word (or dotted path) between braces.
_BRACED = re.compile(r"\{[\w.\[\]]{1,60}\}")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85]")


class Audience(enum.StrEnum):
    """Who a message goes to: the registrations of one status."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    APPLIED = "applied"

    @property
    def status(self) -> RegistrationStatus:
        return RegistrationStatus(self.value)


_NOBODY = {
    Audience.CONFIRMED: _l("No participant of this programme is confirmed; nothing was sent."),
    Audience.WAITLISTED: _l("Nobody is on the waiting list of this programme; nothing was sent."),
    Audience.APPLIED: _l("No application of this programme waits for review; nothing was sent."),
}


@dataclass(frozen=True)
class Personalised:
    """The message as one recipient receives it."""

    registration: Registration
    address: str
    language: str
    subject: str
    body: str


@dataclass(frozen=True)
class Preview:
    """What sending would do: how many receive it and what the first of them reads."""

    count: int
    first: Personalised | None
    #: Brace tokens that are not placeholders and are sent as written.
    unknown_placeholders: tuple[str, ...]


def check_subject(subject: str) -> None:
    """A subject is one non-empty line (a line break would let text into the mail headers)."""
    if _LINE_BREAK.search(subject or ""):
        raise FieldError(_l("Write the subject on one line."), "subject")
    if not (subject or "").strip():
        raise FieldError(_l("Write a subject."), "subject")
    if len(subject) > MAX_SUBJECT:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_SUBJECT), "subject")


def personalise(text: str, *, name: str, programme: str, dates: str) -> str:
    """text with the three placeholders replaced, in one pass (replaced values are not rescanned)."""
    values = {"name": name, "programme": programme, "dates": dates}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def unknown_placeholders(*texts: str) -> tuple[str, ...]:
    """Brace tokens in texts that are not placeholders, each once, in order of appearance."""
    found = [token for text in texts for token in _BRACED.findall(text or "")]
    return tuple(dict.fromkeys(token for token in found if token not in PLACEHOLDERS))


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


def _personalised(
    registration: Registration, programme: Programme, subject: str, body: str
) -> Personalised:
    user = registration.user
    address = user.email if user is not None else registration.email
    language = recipient_language(registration)
    name = (user.full_name if user is not None else "") or registration.full_name or address
    with force_locale(language):
        dates = date_range(programme.starts_on, programme.ends_on)
    values = {"name": name, "programme": programme.text_in(language).title, "dates": dates}
    return Personalised(
        registration=registration,
        address=address,
        language=language,
        # A name cannot break the subject onto a second header line.
        subject=_LINE_BREAK.sub(" ", personalise(subject, **values)),
        body=personalise(normalise_newlines(body), **values),
    )


def preview(programme: Programme, audience: Audience, subject: str, body: str) -> Preview:
    """The message as the first recipient would read it; nothing is sent or recorded."""
    found = recipients(programme, audience)
    first = _personalised(found[0], programme, subject, body) if found else None
    return Preview(
        count=len(found),
        first=first,
        unknown_placeholders=unknown_placeholders(subject, body),
    )


def send(programme: Programme, audience: Audience, subject: str, body: str, *, actor) -> int:
    """Email every registration of the audience (after commit) and audit it; the count sent.

    Raises FieldError for a subject or body that cannot be sent and DomainError when the
    audience is empty (nothing is queued then).
    """
    check_subject(subject)
    body = normalise_newlines(body)
    if not body.strip():
        raise FieldError(_l("Write the message."), "body")
    if len(body) > MAX_BODY:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_BODY), "body")
    found = recipients(programme, audience)
    if not found:
        raise DomainError(_NOBODY[audience])
    for registration in found:
        message = _personalised(registration, programme, subject, body)
        notify(
            recipient(registration),
            "participant_message",
            message.subject,
            email=message.address,
            body=message.body,
            title=programme.text_in(message.language).title,
            programme=programme,
            centre=programme.centre,
            **participant_links(registration),
        )
    audit.record(
        "programme.message",
        actor=actor,
        programme=programme,
        to_state=audience.value,
        reason=f"{audience.value}, {len(found)} recipients: {subject}",
    )
    db.session.flush()
    return len(found)
