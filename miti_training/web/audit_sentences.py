"""The audit trail in words: one sentence per entry, in the viewer's language, with links to
the people and programmes it names ("Mona Elsayed registered for Peer Review Process.").

SENTENCES is the one mapping from an audit action to its sentence; an action recorded with a
particular starting state may have a sentence of its own ("registration.decline:confirmed" is
a cancellation). An action without a sentence is still shown, in plain words.
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from miti_training.formatting import label
from miti_training.models import AuditEntry

SENTENCES = {
    # Registrations
    "registration.register": _l("%(actor)s registered for %(programme)s."),
    "registration.invite": _l("%(actor)s registered %(person)s for %(programme)s by invitation."),
    "registration.attach": _l("%(person)s took up the invitation to %(programme)s."),
    "registration.invitation_merged": _l(
        "The invitation of %(person)s to %(programme)s was merged into their registration."
    ),
    "registration.update": _l("%(actor)s changed the answers of %(person)s for %(programme)s."),
    "registration.confirm": _l("%(actor)s confirmed %(person)s for %(programme)s."),
    "registration.waitlist": _l("%(actor)s put %(person)s on the waiting list of %(programme)s."),
    "registration.decline": _l(
        "%(actor)s declined the application of %(person)s for %(programme)s."
    ),
    "registration.decline:confirmed": _l(
        "%(actor)s cancelled the registration of %(person)s for %(programme)s."
    ),
    "registration.withdraw": _l("%(person)s withdrew from %(programme)s."),
    "registration.reinstate": _l("%(actor)s reinstated %(person)s for %(programme)s."),
    "registration.move": _l("%(actor)s moved %(person)s on the waiting list of %(programme)s."),
    "registration.promote": _l(
        "%(person)s moved from the waiting list to confirmed for %(programme)s."
    ),
    "registration.offer": _l(
        "A seat of %(programme)s was offered to %(person)s, first on the waiting list."
    ),
    "registration.accept_offer": _l("%(person)s accepted the seat offered for %(programme)s."),
    "registration.decline_offer": _l("%(person)s declined the seat offered for %(programme)s."),
    "registration.offer_expire": _l(
        "The seat offered to %(person)s for %(programme)s expired and passed on."
    ),
    "registration.decline:offered": _l(
        "%(actor)s withdrew the seat offered to %(person)s for %(programme)s."
    ),
    "registration.cancel": _l(
        "The registration of %(person)s for %(programme)s was cancelled with the programme."
    ),
    "registration.photo_consent_given": _l(
        "%(person)s agreed to the publication of photos of them for %(programme)s."
    ),
    "registration.photo_consent_withdrawn": _l(
        "%(person)s withdrew their consent to photos of them for %(programme)s."
    ),
    # Attendance and certificates
    "attendance.record": _l("%(actor)s recorded the attendance of %(person)s at %(programme)s."),
    "attendance.check_in": _l("%(person)s checked in at %(programme)s with the code."),
    "certificate.issue": _l("%(actor)s issued a certificate to %(person)s for %(programme)s."),
    "certificate.revoke": _l("%(actor)s revoked the certificate of %(person)s for %(programme)s."),
    # Programmes
    "programme.create": _l("%(actor)s created the draft %(programme)s."),
    "programme.update": _l("%(actor)s changed the details of %(programme)s."),
    "programme.publish": _l("%(actor)s published %(programme)s."),
    "programme.unpublish": _l("%(actor)s unpublished %(programme)s."),
    "programme.cancel": _l("%(actor)s cancelled %(programme)s."),
    "programme.complete": _l("%(actor)s marked %(programme)s completed."),
    "programme.duplicate": _l("%(actor)s created %(programme)s as a new edition."),
    "programme.import": _l("%(actor)s imported %(programme)s from a calendar file."),
    "programme.message": _l("%(actor)s sent a message to the participants of %(programme)s."),
    "programme.export": _l("%(actor)s downloaded the attendee list of %(programme)s."),
    "session.add": _l("%(actor)s added a session to %(programme)s."),
    "session.update": _l("%(actor)s changed a session of %(programme)s."),
    "session.remove": _l("%(actor)s removed a session from %(programme)s."),
    "question.add": _l("%(actor)s changed the registration form of %(programme)s."),
    "question.update": _l("%(actor)s changed the registration form of %(programme)s."),
    "question.delete": _l("%(actor)s changed the registration form of %(programme)s."),
    "question.move": _l("%(actor)s changed the registration form of %(programme)s."),
    "rubric.add": _l("%(actor)s changed the rubric of %(programme)s."),
    "rubric.update": _l("%(actor)s changed the rubric of %(programme)s."),
    "rubric.delete": _l("%(actor)s changed the rubric of %(programme)s."),
    "rubric.move": _l("%(actor)s changed the rubric of %(programme)s."),
    "news.create": _l("%(actor)s wrote a news post about %(programme)s."),
    "news.update": _l("%(actor)s changed a news post about %(programme)s."),
    "news.publish": _l("%(actor)s published a news post about %(programme)s."),
    "news.unpublish": _l("%(actor)s unpublished a news post about %(programme)s."),
    # The network and accounts
    "centre.create": _l("%(actor)s added the centre %(centre)s."),
    "centre.update": _l("%(actor)s changed the details of %(centre)s."),
    "role.grant": _l("%(actor)s made %(person)s %(role)s of %(centre)s."),
    "role.revoke": _l("%(actor)s removed %(person)s as %(role)s of %(centre)s."),
    "admin.grant": _l("%(actor)s made %(person)s an administrator."),
    "focal_point.grant": _l("%(actor)s made %(person)s focal point of %(city)s."),
    "focal_point.revoke": _l("%(actor)s removed %(person)s as focal point of %(city)s."),
    "nomination.nominate": _l("%(actor)s nominated %(person)s for %(programme)s."),
    "nomination.invite": _l(
        "%(actor)s nominated an official of %(city)s for %(programme)s by invitation."
    ),
    "nomination.resend_invitation": _l(
        "%(actor)s sent the invitation of an official of %(city)s for %(programme)s again."
    ),
    "nomination.withdraw": _l("%(actor)s withdrew the nomination of %(person)s for %(programme)s."),
    "programme.nomination_settings": _l(
        "%(actor)s changed the nomination settings of %(programme)s."
    ),
    "programme.city_allocation": _l("%(actor)s changed the places of a city for %(programme)s."),
    "programme.region_cap": _l("%(actor)s changed a region's cap for %(programme)s."),
    "admin.revoke": _l("%(actor)s removed the administration rights of %(person)s."),
    "account.enable": _l("%(actor)s enabled the account of %(person)s."),
    "account.disable": _l("%(actor)s disabled the account of %(person)s."),
    "account.sign_up": _l("%(person)s created an account."),
    "account.confirm": _l("The address of %(person)s was marked confirmed."),
    "account.password_change": _l("%(person)s changed their password."),
    "account.password_reset": _l("%(person)s reset their password."),
    "account.email_change": _l("%(person)s changed their email address."),
    "account.delete": _l("%(person)s deleted their account."),
}


def _person_link(user) -> Markup:
    return Markup('<a href="{}"><bdi>{}</bdi></a>').format(
        url_for("admin.user_detail", user_id=user.id), user.full_name or user.email
    )


def _actor(entry: AuditEntry) -> Markup:
    if entry.actor is None:
        return escape(_("The system"))
    return _person_link(entry.actor)


def _person(entry: AuditEntry) -> Markup:
    """Whom the entry is about: the user named, else the registration's participant."""
    if entry.subject_user is not None:
        return _person_link(entry.subject_user)
    registration = entry.registration
    if registration is not None:
        if registration.user is not None:
            return _person_link(registration.user)
        name = registration.full_name or registration.email
        if name:
            return Markup("<bdi>{}</bdi>").format(name)
        return escape(_("Anonymised participant"))
    if entry.actor is not None:
        return _person_link(entry.actor)
    return escape(_("someone"))


def _programme(entry: AuditEntry) -> Markup:
    programme = entry.programme
    if programme is None:
        return escape(_("a programme since deleted"))
    return Markup('<a href="{}"><bdi>{}</bdi></a>').format(
        url_for(
            "manage.programme_detail",
            centre_slug=programme.centre.slug,
            programme_id=programme.id,
        ),
        programme.title,
    )


def _centre(entry: AuditEntry) -> Markup:
    centre = entry.centre
    if centre is None:
        return Markup("—")
    return Markup('<a href="{}"><bdi>{}</bdi></a>').format(
        url_for("manage.centre_overview", centre_slug=centre.slug), centre.name
    )


def sentence(entry: AuditEntry) -> Markup:
    """The entry as a sentence in the current language; names are escaped and linked."""
    template = SENTENCES.get(f"{entry.action}:{entry.from_state}") or SENTENCES.get(entry.action)
    parts = {
        "actor": _actor(entry),
        "person": _person(entry),
        "programme": _programme(entry),
        "centre": _centre(entry),
        "role": escape(label(entry.to_state or entry.from_state).lower()),
        # Focal-point entries keep the city's name in their state.
        "city": Markup("<bdi>{}</bdi>").format(entry.to_state or entry.from_state),
    }
    if template is None:
        # A new kind of entry: who, then the action in plain words ("session.update" -> "session
        # update").
        words = entry.action.replace(".", " ").replace("_", " ")
        return escape(_("%(actor)s: %(action)s")) % {"actor": parts["actor"], "action": words}
    # The translated text is escaped first, then the names (already markup) go in.
    return escape(str(template)) % parts
