"""Network administration rules: centres, member cities, user accounts and staff roles."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from miti_training import audit
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.models import (
    AuditEntry,
    Centre,
    CentreKind,
    MemberCity,
    Membership,
    MembershipRole,
    User,
    WorldRegion,
)
from miti_training.timezones import is_valid_timezone

#: Rows per page on the admin list pages.
PAGE_SIZE = 50
#: Highest page number accepted, so a hostile ?page= cannot overflow the SQL offset.
MAX_PAGE = 100_000

#: Filters of the user list.
USER_FILTERS = ("admins", "staff", "participants", "disabled")


# Overview ------------------------------------------------------------------------------


def network_counts() -> dict[str, int]:
    """Numbers shown on the administration home page."""

    def count(query) -> int:
        return db.session.scalar(query) or 0

    return {
        "centres": count(select(func.count()).select_from(Centre)),
        "member_cities": count(select(func.count()).select_from(MemberCity)),
        "users": count(select(func.count()).select_from(User)),
        "staff": count(select(func.count(func.distinct(Membership.user_id)))),
        "admins": count(select(func.count()).select_from(User).where(User.is_admin.is_(True))),
    }


def _clamp_page(page: int | None) -> int:
    return min(max(page or 1, 1), MAX_PAGE)


# Centres -------------------------------------------------------------------------------


def list_centres() -> list[Centre]:
    return list(db.session.scalars(select(Centre).order_by(Centre.name, Centre.id)))


def _duplicate_slug_message(slug: str):
    return _l("Another centre already uses the short name “%(slug)s”.", slug=slug)


def _check_centre_values(centre: Centre | None, slug: str, timezone: str, kind: str) -> None:
    if not is_valid_timezone(timezone):
        raise FieldError(_l("Choose a time zone from the list."), field="timezone")
    if kind not in {k.value for k in CentreKind}:
        raise FieldError(_l("Choose a kind of centre from the list."), field="kind")
    query = select(Centre.id).where(Centre.slug == slug)
    if centre is not None and centre.id is not None:
        query = query.where(Centre.id != centre.id)
    if db.session.scalar(query) is not None:
        raise FieldError(_duplicate_slug_message(slug), field="slug")


def _in_savepoint(change, message, field: str) -> None:
    """Make change and flush it in a savepoint, so a unique constraint hit by a concurrent
    request becomes a FieldError and leaves the rest of the transaction usable."""
    try:
        with db.session.begin_nested():
            change()
    except IntegrityError as error:
        raise FieldError(message, field=field) from error


def _apply_centre(centre: Centre, values: dict) -> None:
    centre.slug = values["slug"]
    centre.name = values["name"]
    centre.city = values["city"]
    centre.country = values["country"]
    centre.timezone = values["timezone"]
    centre.kind = CentreKind(values["kind"])
    centre.host_institution = values.get("host_institution") or ""
    centre.contact_email = (values.get("contact_email") or "").lower()


def create_centre(*, actor: User, **values) -> Centre:
    """Add a centre; its short name (slug) must be unused."""
    _check_centre_values(None, values["slug"], values["timezone"], values["kind"])
    centre = Centre()

    def change() -> None:
        _apply_centre(centre, values)
        db.session.add(centre)

    _in_savepoint(change, _duplicate_slug_message(values["slug"]), "slug")
    audit.record("centre.create", actor=actor, centre=centre)
    return centre


def update_centre(centre: Centre, *, actor: User, **values) -> Centre:
    """Change a centre's details; its new short name must not be used by another centre."""
    _check_centre_values(centre, values["slug"], values["timezone"], values["kind"])
    _in_savepoint(
        lambda: _apply_centre(centre, values), _duplicate_slug_message(values["slug"]), "slug"
    )
    audit.record("centre.update", actor=actor, centre=centre)
    return centre


# Member cities -------------------------------------------------------------------------


def search_member_cities(query: str = "", page: int | None = 1, per_page: int = PAGE_SIZE):
    """Member cities and organisations whose name contains query, by name, one page."""
    statement = select(MemberCity).order_by(MemberCity.name, MemberCity.country, MemberCity.id)
    if query:
        statement = statement.where(MemberCity.name.icontains(query, autoescape=True))
    return db.paginate(statement, page=_clamp_page(page), per_page=per_page, error_out=False)


def _duplicate_city_message(name: str, country: str):
    return _l(
        "“%(name)s” in %(country)s is already in the list of member cities.",
        name=name,
        country=country,
    )


def _check_member_city(city: MemberCity | None, name: str, country: str, region: str) -> None:
    if region not in {r.value for r in WorldRegion}:
        raise FieldError(_l("Choose a world region from the list."), field="world_region")
    query = select(MemberCity.id).where(
        func.lower(MemberCity.name) == name.lower(),
        func.lower(MemberCity.country) == country.lower(),
    )
    if city is not None and city.id is not None:
        query = query.where(MemberCity.id != city.id)
    if db.session.scalar(query) is not None:
        raise FieldError(_duplicate_city_message(name, country), field="name")


def create_member_city(
    *, name: str, country: str, world_region: str, is_city: bool, actor: User | None = None
) -> MemberCity:
    """Add a member city or partner organisation; (name, country) must be new."""
    _check_member_city(None, name, country, world_region)
    city = MemberCity(
        name=name, country=country, world_region=WorldRegion(world_region), is_city=is_city
    )
    _in_savepoint(lambda: db.session.add(city), _duplicate_city_message(name, country), "name")
    return city


def update_member_city(
    city: MemberCity,
    *,
    name: str,
    country: str,
    world_region: str,
    is_city: bool,
    actor: User | None = None,
) -> MemberCity:
    """Change a member city; (name, country) must not clash with another entry."""
    _check_member_city(city, name, country, world_region)

    def change() -> None:
        city.name = name
        city.country = country
        city.world_region = WorldRegion(world_region)
        city.is_city = is_city

    _in_savepoint(change, _duplicate_city_message(name, country), "name")
    return city


# Users ---------------------------------------------------------------------------------


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
    return db.paginate(statement, page=_clamp_page(page), per_page=per_page, error_out=False)


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


def user_history(user: User, limit: int = 20) -> list[AuditEntry]:
    """The latest audit entries about a user (role and account changes)."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject_user_id == user.id)
            .options(selectinload(AuditEntry.actor))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )


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
    return membership, True


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
