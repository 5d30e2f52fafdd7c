"""Centres: adding and changing them (admins), and the centres, programmes and staff a user
manages (centre staff pages, always filtered by the centres the user may manage)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training import audit
from miti_training.errors import FieldError
from miti_training.extensions import db
from miti_training.models import Centre, CentreKind, Membership, MembershipRole, Programme, User
from miti_training.network.roles import managed_centre_ids
from miti_training.network.unique import in_savepoint
from miti_training.text_translations import TranslatedField, apply_translations, clean
from miti_training.timezones import is_valid_timezone

# Administration -------------------------------------------------------------------------


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


MAX_DESCRIPTION = 5_000
#: A centre's translated fields; a translation needs the name.
TRANSLATED_FIELDS = (TranslatedField("name", 200), TranslatedField("description", MAX_DESCRIPTION))


def ask_for_name(language):
    """What a translation without its name is told (centres and member cities)."""
    return _l(
        "Enter the name in %(language)s too, or empty all the fields of this translation to remove it.",
        language=language,
    )


def _apply_centre(centre: Centre, values: dict) -> None:
    centre.slug = values["slug"]
    centre.name = values["name"]
    centre.description = clean(values.get("description"))
    centre.city = values["city"]
    centre.country = values["country"]
    centre.timezone = values["timezone"]
    centre.kind = CentreKind(values["kind"])
    centre.host_institution = values.get("host_institution") or ""
    centre.contact_email = (values.get("contact_email") or "").lower()
    apply_translations(
        centre,
        values.get("translations") or {},
        TRANSLATED_FIELDS,
        required_message=ask_for_name,
    )


def create_centre(*, actor: User, **values) -> Centre:
    """Add a centre; its short name (slug) must be unused."""
    _check_centre_values(None, values["slug"], values["timezone"], values["kind"])
    centre = Centre()

    def change() -> None:
        _apply_centre(centre, values)
        db.session.add(centre)

    in_savepoint(change, _duplicate_slug_message(values["slug"]), "slug")
    audit.record("centre.create", actor=actor, centre=centre)
    return centre


def update_centre(centre: Centre, *, actor: User, **values) -> Centre:
    """Change a centre's details; its new short name must not be used by another centre."""
    _check_centre_values(centre, values["slug"], values["timezone"], values["kind"])
    in_savepoint(
        lambda: _apply_centre(centre, values), _duplicate_slug_message(values["slug"]), "slug"
    )
    audit.record("centre.update", actor=actor, centre=centre)
    return centre


# The centres a user manages -------------------------------------------------------------


def centres_managed_by(user) -> list[Centre]:
    """The centres user may manage (all of them for admins), by name."""
    ids = managed_centre_ids(user)
    query = select(Centre).order_by(Centre.name)
    if ids is not None:
        query = query.where(Centre.id.in_(ids))
    return list(db.session.scalars(query))


def centres_scored_by(user) -> list[Centre]:
    """The centres whose applications user may score: where they review or manage (all of
    them for admins), by name."""
    ids = managed_centre_ids(user)
    query = select(Centre).order_by(Centre.name)
    if ids is not None:
        ids |= {m.centre_id for m in user.memberships if m.role == MembershipRole.REVIEWER}
        query = query.where(Centre.id.in_(ids))
    return list(db.session.scalars(query))


def centre_programmes(centre: Centre) -> list[Programme]:
    """Every programme of the centre, drafts included, newest first."""
    query = (
        select(Programme)
        .where(Programme.centre_id == centre.id)
        .options(selectinload(Programme.sessions))
        .order_by(Programme.starts_on.desc().nulls_last(), Programme.id.desc())
    )
    return list(db.session.scalars(query))


def centre_programme(centre: Centre, programme_id: int) -> Programme | None:
    """The programme with this id if it belongs to centre, with its sessions and translations."""
    return db.session.scalar(
        select(Programme)
        .where(Programme.id == programme_id, Programme.centre_id == centre.id)
        .options(selectinload(Programme.sessions), selectinload(Programme.translations))
    )


def centre_staff(centre: Centre) -> list[Membership]:
    query = (
        select(Membership)
        .where(Membership.centre_id == centre.id)
        .options(selectinload(Membership.user))
        .order_by(Membership.role, Membership.id)
    )
    return list(db.session.scalars(query))
