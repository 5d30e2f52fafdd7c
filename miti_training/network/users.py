"""User accounts seen by admins: finding them, enabling and disabling, admin rights, centre roles."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from miti_training import audit
from miti_training.db_setup import clamp_page
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.mail import notify
from miti_training.models import (
    AuditEntry,
    Centre,
    Membership,
    MembershipRole,
    Programme,
    Registration,
    User,
)
from miti_training.network.paging import PAGE_SIZE
from miti_training.urls import external_url

#: Filters of the user list.
USER_FILTERS = ("admins", "staff", "participants", "disabled")


def search_users(
    query: str = "", user_filter: str = "", page: int | None = 1, per_page: int = PAGE_SIZE
):
    """Users whose name or email contains query, optionally only admins/staff/..., one page."""
    has_role = exists().where(Membership.user_id == User.id)
    statement = (
        select(User)
        .options(
            selectinload(User.member_city),
            selectinload(User.memberships).selectinload(Membership.centre),
        )
        .order_by(User.full_name, User.id)
    )
    if query:
        statement = statement.where(
            or_(
                User.full_name.icontains(query, autoescape=True),
                User.email.icontains(query, autoescape=True),
            )
        )
    if user_filter == "admins":
        statement = statement.where(User.is_admin.is_(True))
    elif user_filter == "staff":
        statement = statement.where(has_role)
    elif user_filter == "participants":
        statement = statement.where(and_(User.is_admin.is_(False), ~has_role))
    elif user_filter == "disabled":
        statement = statement.where(User.is_enabled.is_(False))
    return db.paginate(statement, page=clamp_page(page), per_page=per_page, error_out=False)


def user_memberships(user: User) -> list[Membership]:
    """The user's centre roles with their centres and granters, by centre name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.centre)
            .where(Membership.user_id == user.id)
            .options(selectinload(Membership.centre), selectinload(Membership.granted_by))
            .order_by(Centre.name, Membership.role)
        )
    )


def _with_what_they_name(query):
    """Audit entries with who acted, whom and what they are about, loaded in bulk."""
    return query.options(
        selectinload(AuditEntry.actor),
        selectinload(AuditEntry.subject_user),
        selectinload(AuditEntry.centre),
        selectinload(AuditEntry.programme).selectinload(Programme.centre),
        selectinload(AuditEntry.registration).selectinload(Registration.user),
    ).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def user_history(user: User, limit: int = 20) -> list[AuditEntry]:
    """The latest audit entries about a user (role and account changes) or by them."""
    return list(
        db.session.scalars(
            _with_what_they_name(
                select(AuditEntry).where(
                    or_(AuditEntry.subject_user_id == user.id, AuditEntry.actor_id == user.id)
                )
            ).limit(limit)
        )
    )


def recent_changes(limit: int = 20) -> list[AuditEntry]:
    """The latest audit entries of the whole network."""
    return list(db.session.scalars(_with_what_they_name(select(AuditEntry)).limit(limit)))


def set_enabled(user: User, enabled: bool, *, actor: User) -> bool:
    """Enable or disable an account; disabling ends its sessions. False if nothing changed."""
    if not enabled and user.id == actor.id:
        raise DomainError(_l("You cannot disable your own account."))
    if user.is_enabled == enabled:
        return False
    before = "enabled" if user.is_enabled else "disabled"
    user.is_enabled = enabled
    if not enabled:
        user.end_all_sessions()
    audit.record(
        "account.enable" if enabled else "account.disable",
        actor=actor,
        subject_user=user,
        from_state=before,
        to_state="enabled" if enabled else "disabled",
    )
    db.session.flush()
    return True


def set_admin(user: User, is_admin: bool, *, actor: User) -> bool:
    """Give or take network administration rights. False if nothing changed."""
    if not is_admin and user.id == actor.id:
        raise DomainError(_l("You cannot remove your own administration rights."))
    if user.is_admin == is_admin:
        return False
    user.is_admin = is_admin
    audit.record(
        "admin.grant" if is_admin else "admin.revoke",
        actor=actor,
        subject_user=user,
        from_state="" if is_admin else "admin",
        to_state="admin" if is_admin else "",
    )
    db.session.flush()
    return True


def _find_membership(user: User, centre: Centre, role: MembershipRole) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.centre_id == centre.id,
            Membership.role == role,
        )
    )


def grant_role(user: User, centre_id: int, role: str, *, actor: User) -> tuple[Membership, bool]:
    """Give user a role in a centre; returns the membership and whether it is new."""
    centre = db.session.get(Centre, centre_id)
    if centre is None:
        raise DomainError(_l("Choose a centre from the list."))
    try:
        role = MembershipRole(role)
    except ValueError:
        raise DomainError(_l("Choose a role from the list.")) from None
    existing = _find_membership(user, centre, role)
    if existing is not None:
        return existing, False
    # Ids, not relationships: a refused insert must not linger in user.memberships.
    membership = Membership(user_id=user.id, centre_id=centre.id, role=role, granted_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(membership)
    except IntegrityError:
        # Granted by a concurrent request in the meantime: same outcome.
        existing = _find_membership(user, centre, role)
        if existing is None:
            raise DomainError(_l("The role could not be granted. Please try again.")) from None
        return existing, False
    audit.record("role.grant", actor=actor, centre=centre, subject_user=user, to_state=role.value)
    _notify_role_granted(user, centre, role)
    return membership, True


def _notify_role_granted(user: User, centre: Centre, role: MembershipRole) -> None:
    """Tell the person of their new role, in their language, once the grant is committed."""
    notify(
        user,
        "role_granted",
        _l("You have a new role at %(centre)s", centre=centre.name),
        centre=centre,
        role=role,
        # A reviewer's pages are the scoring pages: the centre's others are closed to them.
        link=external_url(
            "manage.scoring_index" if role == MembershipRole.REVIEWER else "manage.centre_overview",
            centre_slug=centre.slug,
        ),
    )


def revoke_role(user: User, membership_id: int, *, actor: User) -> Membership:
    """Take a centre role away from user."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != user.id:
        raise DomainError(_l("This role no longer exists; it may have been revoked already."))
    audit.record(
        "role.revoke",
        actor=actor,
        centre=membership.centre,
        subject_user=user,
        from_state=membership.role.value,
    )
    db.session.delete(membership)
    db.session.flush()
    return membership
