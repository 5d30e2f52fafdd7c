"""A centre's reviewers as its director keeps them: the list, naming an account by its address,
and taking the role back. Only the reviewer role of that one centre changes here; the grant and
the revocation themselves (audit entry, the new reviewer's email) are users.grant_role and
users.revoke_role."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from miti_training.errors import DomainError, FieldError, PermissionDenied
from miti_training.extensions import db
from miti_training.models import Centre, Membership, MembershipRole, User, normalise_email
from miti_training.network import users
from miti_training.network.roles import can_manage

REVIEWER = MembershipRole.REVIEWER


def may_name_reviewers(user, centre: Centre) -> bool:
    """The centre's directors and admins name and remove its reviewers."""
    return can_manage(user, centre, MembershipRole.DIRECTOR)


def _require_director(actor, centre: Centre) -> None:
    if actor is None or not may_name_reviewers(actor, centre):
        raise PermissionDenied()


def _reviewers(centre: Centre):
    return select(Membership).where(Membership.centre_id == centre.id, Membership.role == REVIEWER)


def centre_reviewers(centre: Centre) -> list[Membership]:
    """The centre's reviewer roles with their people and granters, by name."""
    return list(
        db.session.scalars(
            _reviewers(centre)
            .join(Membership.user)
            .options(selectinload(Membership.user), selectinload(Membership.granted_by))
            .order_by(User.full_name, User.id)
        )
    )


def reviewer_count(centre: Centre) -> int:
    return db.session.scalar(select(func.count()).select_from(_reviewers(centre).subquery()))


def add_reviewer(centre: Centre, email: str, *, actor) -> tuple[Membership, bool]:
    """Make the confirmed, enabled account of email a reviewer of centre; returns the
    membership and whether it is new (False: they were a reviewer already)."""
    _require_director(actor, centre)
    user = db.session.scalar(select(User).where(User.email == normalise_email(email or "")))
    # Every account's address is proven (docs/security.md, item 21); the check stays in case
    # that ever changes, so that a role never reaches an address nobody proved.
    if user is None or not user.is_confirmed:
        raise FieldError(
            _l(
                "No confirmed account uses this address. The person must first create an "
                "account with it and confirm the address."
            ),
            field="email",
        )
    if not user.is_enabled:
        raise FieldError(
            _l("This account is disabled; an administrator can enable it."), field="email"
        )
    return users.grant_role(user, centre.id, REVIEWER.value, actor=actor)


def remove_reviewer(centre: Centre, membership_id: int, *, actor) -> Membership:
    """Take the reviewer role of centre away; any other role (or another centre's) is refused
    as if it did not exist."""
    _require_director(actor, centre)
    membership = db.session.scalar(
        _reviewers(centre)
        .where(Membership.id == membership_id)
        .options(selectinload(Membership.user), selectinload(Membership.centre))
    )
    if membership is None:
        raise DomainError(
            _l("This person is not a reviewer of this centre; the role may have been removed.")
        )
    return users.revoke_role(membership.user, membership.id, actor=actor)
