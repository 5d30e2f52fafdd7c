"""The emails of registration changes: to the participant (or the address staff invited) in their
language, and to the centre's coordinators and directors for a new application.

Everything goes through mail.notify, so nothing leaves before the transaction commits.
"""

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from miti_training.extensions import db
from miti_training.formatting import LANGUAGES, date_range
from miti_training.mail import notify
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


def _user_language(user: User) -> str:
    language = getattr(user, "preferred_language", None)
    return language if language in LANGUAGES else "en"


def recipient_language(registration: Registration) -> str:
    """The language to write to a participant in.

    Their account's; for an address without an account, the programme's first working
    language (one they read); English when the interface does not have it.
    """
    if registration.user is not None:
        return _user_language(registration.user)
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


def notify_participant(registration: Registration, template: str, subject, **context) -> None:
    """Email the participant (or the invited address) in their language, after commit.

    subject is a function of the programme's title in the recipient's language.
    """
    person = recipient(registration)
    if person is None or not person.email:
        return  # anonymised: nobody left to tell
    programme = registration.programme
    title = programme.text_in(recipient_language(registration)).title
    notify(
        person,
        template,
        subject(title),
        email=person.email,
        name=person.full_name or person.email,
        title=title,
        programme=programme,
        centre=programme.centre,
        registration=registration,
        first_session=programme.sessions[0] if programme.sessions else None,
        date_range=date_range,
        **participant_links(registration),
        **context,
    )


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


def notify_outcome(registration: Registration, **context) -> None:
    """Tell the participant where their registration now stands: confirmed, waitlisted, applied."""
    template, subject = _OUTCOME[registration.status]
    context.setdefault("reason", "")
    context.setdefault("by_staff", False)
    context.setdefault("reinstated", False)
    notify_participant(registration, template, subject, **context)


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


def _staff_to_tell(programme: Programme) -> list[User]:
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


def notify_staff_of_application(registration: Registration) -> None:
    """Tell the centre's enabled coordinators and directors that an application waits."""
    programme = registration.programme
    centre = programme.centre
    link = external_url(
        "manage.registration_detail", centre_slug=centre.slug, registration_id=registration.id
    )
    for member in _staff_to_tell(programme):
        title = programme.text_in(_user_language(member)).title
        notify(
            member,
            "new_application",
            _l("New application: %(title)s", title=title),
            name=member.full_name,
            title=title,
            programme=programme,
            centre=centre,
            registration=registration,
            link=link,
        )
