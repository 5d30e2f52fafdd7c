"""The emails of registration changes: to the participant (or the address staff invited) in their
language, and to the centre's coordinators and directors for a new application.

Everything goes through mail.notify (or mail.queue), so nothing leaves before the
transaction commits.

A participant's new registration learns its id and waiting-list position only inside the
programme's lock. Its emails are rendered before, for the outcome it most likely gets, with
marks standing for the id and position (prepare_new); inside the lock they are filled in, a
string replacement, and queued (PreparedEmails.queue), or, for an outcome not foreseen,
rendered then: one message per registration, committed with it.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from miti_training.extensions import db
from miti_training.formatting import LANGUAGES, date_range, interface_language, native_digits
from miti_training.mail import OutgoingEmail, queue_rendered, render_email
from miti_training.models import (
    Membership,
    MembershipRole,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    User,
)
from miti_training.urls import external_url

S = RegistrationStatus


def participant_links(registration: Registration) -> dict:
    """The two links of an email to a participant.

    registrations_link: the registration's page, or the list of one's registrations when the
    registration has no account yet (an invitation); programme_link: the programme's public
    page, empty for a draft, which has none.
    """
    programme = registration.programme
    return {
        "registrations_link": (
            external_url("registrations.detail", registration_id=registration.id)
            if registration.user_id is not None
            else external_url("registrations.mine")
        ),
        "programme_link": (
            external_url("catalogue.programme_detail", slug=programme.slug)
            if programme.status != ProgrammeStatus.DRAFT
            else ""
        ),
    }


def recipient_language(registration: Registration) -> str:
    """The language to write to a participant in.

    Their account's; for an address without an account, the programme's first working
    language (one they read); English when the interface does not have it.
    """
    if registration.user is not None:
        return interface_language(registration.user.preferred_language)
    codes = [c for c in registration.programme.language_codes if c in LANGUAGES]
    return codes[0] if codes else "en"


def recipient(registration: Registration):
    """Whom to write to about a registration: its user, else a stand-in for the invited
    address with the language to use; None when it was anonymised (nobody left to tell)."""
    if registration.user is not None:
        return registration.user
    if not registration.email:
        return None
    return SimpleNamespace(
        preferred_language=recipient_language(registration),
        full_name=registration.full_name,
        email=registration.email,
    )


def programme_email(
    person, programme: Programme, template: str, subject, *, language: str, **context
) -> OutgoingEmail:
    """An email about programme to person (an account, or a stand-in for an address) with what
    the templates of such emails use: the title in language, the centre, the first session.

    subject is a function of that title.
    """
    title = programme.text_in(language).title
    return render_email(
        person,
        template,
        subject(title),
        email=person.email,
        name=person.full_name or person.email,
        title=title,
        programme=programme,
        centre=programme.centre,
        first_session=programme.sessions[0] if programme.sessions else None,
        date_range=date_range,
        **context,
    )


def participant_email(
    registration: Registration, template: str, subject, **context
) -> OutgoingEmail | None:
    """The email to the participant (or the invited address) in their language; None when
    the registration was anonymised (nobody left to tell).

    subject is a function of the programme's title in the recipient's language.
    """
    person = recipient(registration)
    if person is None or not person.email:
        return None
    return programme_email(
        person,
        registration.programme,
        template,
        subject,
        language=recipient_language(registration),
        registration=registration,
        **participant_links(registration),
        **context,
    )


def notify_participant(registration: Registration, template: str, subject, **context) -> None:
    """Email the participant (or the invited address) in their language, after commit."""
    message = participant_email(registration, template, subject, **context)
    if message is not None:
        queue_rendered(message)


_OUTCOME = {
    S.CONFIRMED: (
        "registration_confirmed",
        lambda title: _l("Your place is confirmed: %(title)s", title=title),
    ),
    S.WAITLISTED: (
        "registration_waitlisted",
        lambda title: _l("You are on the waiting list: %(title)s", title=title),
    ),
    S.APPLIED: (
        "registration_applied",
        lambda title: _l("Application received: %(title)s", title=title),
    ),
}


def _outcome_email(registration: Registration, **context) -> OutgoingEmail | None:
    template, subject = _OUTCOME[registration.status]
    context.setdefault("reason", "")
    context.setdefault("by_staff", False)
    context.setdefault("reinstated", False)
    return participant_email(registration, template, subject, **context)


def notify_outcome(registration: Registration, **context) -> None:
    """Tell the participant where their registration now stands: confirmed, waitlisted, applied."""
    message = _outcome_email(registration, **context)
    if message is not None:
        queue_rendered(message)


def notify_promoted(registration: Registration) -> None:
    notify_participant(
        registration,
        "registration_promoted",
        lambda title: _l("A place is yours: %(title)s", title=title),
    )


def notify_declined(registration: Registration, *, reason: str, was_confirmed: bool) -> None:
    """An application declined, or (was_confirmed) a confirmed registration cancelled by staff."""
    if was_confirmed:

        def subject(title):
            return _l("Your registration was cancelled: %(title)s", title=title)

    else:

        def subject(title):
            return _l("Your registration was declined: %(title)s", title=title)

    notify_participant(
        registration,
        "registration_declined",
        subject,
        reason=reason,
        was_confirmed=was_confirmed,
    )


def notify_withdrawn(registration: Registration, *, by_staff: bool) -> None:
    notify_participant(
        registration,
        "registration_withdrawn",
        lambda title: _l("Your registration is withdrawn: %(title)s", title=title),
        by_staff=by_staff,
    )


def notify_cancelled(registration: Registration, reason: str) -> None:
    notify_participant(
        registration,
        "programme_cancelled",
        lambda title: _l("Cancelled: %(title)s", title=title),
        reason=reason,
    )


def notify_invitation(registration: Registration) -> None:
    notify_participant(
        registration,
        "registration_invitation",
        lambda title: _l(
            "You are registered for %(title)s: create your MITI Training account", title=title
        ),
        signup_link=external_url("auth.signup"),
    )


def staff_to_tell(programme: Programme) -> list[User]:
    """The enabled coordinators and directors of programme's centre: whom the app tells when
    something needs the staff's action."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.centre_id == programme.centre_id,
                Membership.role.in_([MembershipRole.COORDINATOR, MembershipRole.DIRECTOR]),
                User.is_enabled.is_(True),
            )
            .distinct()
            .order_by(User.id)
        )
    )


def staff_emails(
    programme: Programme, template: str, subject: Callable[[str], object], **context
) -> list[OutgoingEmail]:
    """emails/<template>.txt for each of staff_to_tell(programme), in the member's language,
    given the programme and its title in that language (subject(title) gives the subject)."""
    messages = []
    for member in staff_to_tell(programme):
        title = programme.text_in(interface_language(member.preferred_language)).title
        messages.append(
            render_email(
                member,
                template,
                subject(title),
                name=member.full_name,
                title=title,
                programme=programme,
                **context,
            )
        )
    return messages


def _staff_emails(registration: Registration) -> list[OutgoingEmail]:
    programme = registration.programme
    centre = programme.centre
    link = external_url(
        "manage.registration_detail", centre_slug=centre.slug, registration_id=registration.id
    )
    return staff_emails(
        programme,
        "new_application",
        lambda title: _l("New application: %(title)s", title=title),
        centre=centre,
        registration=registration,
        link=link,
    )


def notify_staff_of_application(registration: Registration) -> None:
    """Tell the centre's enabled coordinators and directors that an application waits."""
    for message in _staff_emails(registration):
        queue_rendered(message)


def registration_emails(registration: Registration) -> list[OutgoingEmail]:
    """The emails a participant's new registration sends: where it stands, and for an
    application the centre's staff."""
    messages = [_outcome_email(registration)]
    if registration.status == S.APPLIED:
        messages += _staff_emails(registration)
    return [message for message in messages if message is not None]


# Rendered before the lock ----------------------------------------------------------------

#: Stand-ins for the id and position, chosen so that no other text of an email holds them.
ID_MARK = 8675309142857001
POSITION_MARK = 4096731


class _Unplaced:
    """A registration being made, as the templates read it: marks for its id and position."""

    def __init__(self, registration: Registration, status: RegistrationStatus, values: dict):
        self._registration = registration
        self.__dict__.update(values)
        self.status = status
        self.id = ID_MARK
        self.waitlist_position = POSITION_MARK if status == S.WAITLISTED else None
        self.user_id = registration.user.id if registration.user is not None else None

    def __getattr__(self, name):
        return getattr(self._registration, name)


_DIGITS = "0123456789"


def position_marks(locale: str) -> list[tuple[str, str]]:
    """(the position's mark as a message in locale writes it, the digits it writes 0-9 with):
    Latin digits, and the locale's own (Persian, Arabic) when it has them."""
    forms = {(str(POSITION_MARK), _DIGITS)}
    forms.add((native_digits(str(POSITION_MARK), locale), native_digits(_DIGITS, locale)))
    return sorted(forms)


def _marked(message: OutgoingEmail, status: RegistrationStatus) -> bool:
    """message holds the id's mark, and the position's if status has a position."""
    return str(ID_MARK) in message.body and (
        status != S.WAITLISTED
        or any(mark in message.body for mark, _ in position_marks(message.locale))
    )


def _filled(message: OutgoingEmail, registration: Registration) -> OutgoingEmail | None:
    """message with the registration's id and position for the marks; None if one is missing."""
    if not _marked(message, registration.status):
        return None
    marks = {str(ID_MARK): str(registration.id)}
    if registration.waitlist_position is not None:
        position = str(registration.waitlist_position)
        for mark, digits in position_marks(message.locale):
            marks[mark] = position.translate(str.maketrans(_DIGITS, digits))
    body, html = message.body, message.html
    for mark, value in marks.items():
        body, html = body.replace(mark, value), html.replace(mark, value)
    return replace(message, body=body, html=html)


@dataclass(frozen=True)
class PreparedEmails:
    """The emails of a new registration for each status it may get, rendered beforehand."""

    by_status: dict[RegistrationStatus, list[OutgoingEmail]]
    #: Renders them now: for an outcome not foreseen, or a translation without a mark.
    render: Callable[[Registration], list[OutgoingEmail]] = registration_emails

    def fillable(self) -> bool:
        """Every email holds the marks its outcome fills in (a translation might not)."""
        return all(
            _marked(message, status)
            for status, messages in self.by_status.items()
            for message in messages
        )

    def queue(self, registration: Registration) -> None:
        """Queue the emails of the status registration got (it has its id and position)."""
        filled = [_filled(m, registration) for m in self.by_status.get(registration.status, ())]
        if registration.status not in self.by_status or None in filled:
            filled = self.render(registration)
        for message in filled:
            queue_rendered(message)


def prepare_new(
    registration: Registration, statuses: tuple[RegistrationStatus, ...], values: dict
) -> PreparedEmails:
    """Render the emails of registration (values: what it will hold) for each status."""
    return PreparedEmails(
        {
            status: registration_emails(_Unplaced(registration, status, values))
            for status in statuses
        }
    )
