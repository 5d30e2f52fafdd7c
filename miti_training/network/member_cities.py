"""Member cities and partner organisations: the list people choose from, kept by admins."""

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from miti_training.db_setup import clamp_page
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.models import MemberCity, User, WorldRegion
from miti_training.network.centres import ask_for_name
from miti_training.network.paging import PAGE_SIZE
from miti_training.network.unique import in_savepoint
from miti_training.text_translations import TranslatedField, apply_translations


def all_member_cities() -> list[MemberCity]:
    """Every member city and organisation, by name, with their names in every language (the
    choices of the account forms)."""
    query = select(MemberCity).options(selectinload(MemberCity.translations))
    return list(db.session.scalars(query.order_by(MemberCity.name)))


def chosen_member_city(member_city_id: int | None) -> MemberCity:
    """The member city a person chose from the list; DomainError when it is not one."""
    city = db.session.get(MemberCity, member_city_id) if member_city_id is not None else None
    if city is None:
        raise DomainError(_l("Choose your member city or organisation from the list."))
    return city


def search_member_cities(query: str = "", page: int | None = 1, per_page: int = PAGE_SIZE):
    """Member cities and organisations whose name contains query, by name, one page."""
    statement = select(MemberCity).order_by(MemberCity.name, MemberCity.country, MemberCity.id)
    if query:
        statement = statement.where(MemberCity.name.icontains(query, autoescape=True))
    return db.paginate(statement, page=clamp_page(page), per_page=per_page, error_out=False)


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


#: A member city's translated field.
TRANSLATED_FIELDS = (TranslatedField("name", 200),)


def _apply_translations(city: MemberCity, translations) -> None:
    apply_translations(city, translations or {}, TRANSLATED_FIELDS, required_message=ask_for_name)


def create_member_city(
    *,
    name: str,
    country: str,
    world_region: str,
    is_city: bool,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    actor: User | None = None,
) -> MemberCity:
    """Add a member city or partner organisation (with its name in other languages: code ->
    values); (name, country) must be new."""
    _check_member_city(None, name, country, world_region)
    city = MemberCity(
        name=name, country=country, world_region=WorldRegion(world_region), is_city=is_city
    )
    _apply_translations(city, translations)
    in_savepoint(lambda: db.session.add(city), _duplicate_city_message(name, country), "name")
    return city


def update_member_city(
    city: MemberCity,
    *,
    name: str,
    country: str,
    world_region: str,
    is_city: bool,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    actor: User | None = None,
) -> MemberCity:
    """Change a member city (and its translations); (name, country) must not clash with
    another entry."""
    _check_member_city(city, name, country, world_region)
    _apply_translations(city, translations)

    def change() -> None:
        city.name = name
        city.country = country
        city.world_region = WorldRegion(world_region)
        city.is_city = is_city

    in_savepoint(change, _duplicate_city_message(name, country), "name")
    return city
