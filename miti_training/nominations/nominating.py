"""A focal point nominates an official of their city: an account by its address, or an
address without one, which gets an invitation whose link makes the account.

The place comes out of the city's allocation (allocations.take_place) in the same
transaction as the nomination's row; a refusal rolls both back. A withdrawn address's row is
reused. The email goes after the commit, in the official's language.
"""

import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from miti_training import audit
from miti_training.errors import FieldError, PermissionDenied
from miti_training.extensions import db
from miti_training.formatting import LANGUAGES, list_of, programme_text, status_words
from miti_training.models import (
    FocalPoint,
    Nomination,
    NominationStatus,
    Programme,
    Registration,
    RegistrationStatus,
    User,
    normalise_email,
    utcnow,
)
from miti_training.nominations import allocations, notifications, window
from miti_training.nominations.focal_points import focal_point_of
from miti_training.registrations.invitations import is_valid_address
from miti_training.registrations.nominated import ACTIVE_NOMINATION
from miti_training.registrations.prerequisites import missing_prerequisites

MAX_NAME = 200


def require_focal_point(actor) -> FocalPoint:
    """The actor's focal-point role, or PermissionDenied."""
    focal_point = focal_point_of(actor)
    if focal_point is None:
        raise PermissionDenied(_l("Only a focal point of a member city can nominate officials."))
    return focal_point


def token_hash(token: str) -> str:
    """What is stored of an invitation link's secret."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Nominated:
    nomination: Nomination
    #: The address had no account: an invitation went to it.
    invited: bool


def nominate(
    programme: Programme, email: str, *, actor, full_name: str = "", language: str = "en"
) -> Nominated:
    """actor (a focal point) puts forward the official at email for programme.

    Refused: outside the nomination window; an account of another city or a deactivated one;
    an address already nominated or registered; an official who has not completed the
    programmes it requires (an address without an account has completed none); the city's
    allocation used up."""
    focal_point = require_focal_point(actor)
    email = normalise_email(email or "")
    if not is_valid_address(email):
        raise FieldError(_l("Enter a valid email address."), field="email")
    full_name = (full_name or "").strip()
    if len(full_name) > MAX_NAME:
        raise FieldError(
            _l("Keep the name under %(max)d characters.", max=MAX_NAME), field="full_name"
        )
    if language not in LANGUAGES:
        raise FieldError(_l("Choose a language from the list."), field="language")
    window.check_open(programme)
    city_id = focal_point.member_city_id
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        _check_account(programme, user, city_id, email)
    elif not full_name:
        raise FieldError(
            _l("Give the official's name: the address has no account yet."), field="full_name"
        )
    _check_prerequisites(programme, user)
    existing = db.session.scalar(
        select(Nomination).where(Nomination.programme_id == programme.id, Nomination.email == email)
    )
    if existing is not None and existing.status in ACTIVE_NOMINATION:
        raise FieldError(
            _l("%(email)s has already been nominated for this programme.", email=email),
            field="email",
        )
    allocations.take_place(programme, city_id)
    token = None if user is not None else secrets.token_urlsafe(32)
    nomination = existing or Nomination(programme_id=programme.id, email=email)
    nomination.member_city_id = city_id
    nomination.user_id = user.id if user is not None else None
    nomination.full_name = user.full_name if user is not None else full_name
    nomination.language = language
    nomination.status = NominationStatus.NOMINATED
    nomination.token_hash = token_hash(token) if token else None
    nomination.invitation_sent_at = utcnow() if token else None
    nomination.registration_id = None
    nomination.nominated_by_id = actor.id
    nomination.created_at = utcnow()
    nomination.withdrawn_at = None
    nomination.withdrawn_by_id = None
    try:
        with db.session.begin_nested():
            db.session.add(nomination)
            db.session.flush()
    except IntegrityError:
        # Another focal point nominated the same address at the same moment.
        raise FieldError(
            _l("%(email)s has already been nominated for this programme.", email=email),
            field="email",
        ) from None
    audit.record(
        "nomination.nominate" if user is not None else "nomination.invite",
        actor=actor,
        programme=programme,
        subject_user=user,
        to_state=focal_point.member_city.name,
    )
    notifications.notify_nominated(nomination, token=token)
    return Nominated(nomination, invited=user is None)


def _check_prerequisites(programme: Programme, user: User | None) -> None:
    """The official must already have completed what programme requires: nominating them
    would only lead to an application the register page refuses."""
    missing = missing_prerequisites(programme, user)
    if missing:
        raise FieldError(
            _l(
                "This official has not completed %(programmes)s, which this programme requires: a valid certificate of attendance is needed.",
                programmes=list_of(programme_text(p).title for p in missing),
            ),
            field="email",
        )


def _check_account(programme: Programme, user: User, city_id: int, email: str) -> None:
    if user.member_city_id != city_id:
        raise FieldError(
            _l(
                "%(email)s is not an official of your city: you can nominate only your own city's officials.",
                email=email,
            ),
            field="email",
        )
    if not user.is_enabled:
        raise FieldError(_l("This account is deactivated; it cannot be nominated."), field="email")
    registration = db.session.scalar(
        select(Registration).where(
            Registration.programme_id == programme.id,
            Registration.user_id == user.id,
            Registration.status != RegistrationStatus.WITHDRAWN,
        )
    )
    if registration is not None:
        raise FieldError(
            _l(
                "%(email)s already has a registration for this programme (%(status)s).",
                email=email,
                status=status_words(registration.status),
            ),
            field="email",
        )


def nomination_by_token(token: str) -> Nomination | None:
    """The still active nomination an invitation link names, expired or not (invitations
    decides); None for anything else."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return db.session.scalar(
        select(Nomination).where(
            Nomination.token_hash == token_hash(token),
            Nomination.status.in_(ACTIVE_NOMINATION),
        )
    )


def check_can_nominate(programme: Programme, actor) -> FocalPoint:
    """The focal point, if actor may nominate for programme now; else the refusal."""
    focal_point = require_focal_point(actor)
    window.check_open(programme)
    return focal_point


def refuse_unless_city(nomination: Nomination, focal_point: FocalPoint) -> None:
    if nomination.member_city_id != focal_point.member_city_id:
        raise PermissionDenied()
