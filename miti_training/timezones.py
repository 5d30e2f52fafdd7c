"""Time zones: centre-local wall-clock times <-> UTC, honest about daylight-saving gaps; the
zones people choose from (canonical ones only, by area, named by city in their language); the
one map from an alias to its zone; and the usual zone of a country."""

import unicodedata
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import pycountry
from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location
from flask_babel import lazy_gettext as _l

from miti_training.errors import DomainError
from miti_training.formatting import LANGUAGES


class NonexistentLocalTime(DomainError):
    default_message = _l(
        "This time does not exist in the centre's time zone (the clocks go forward then)."
    )


def to_utc(local: datetime, zone: str) -> datetime:
    """Convert a naive wall-clock time in zone to aware UTC.

    A time skipped by a daylight-saving change is refused; a repeated one (clocks going
    back) is read as its first occurrence.
    """
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    tz = ZoneInfo(zone)
    aware = local.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != local:
        raise NonexistentLocalTime()
    return aware.astimezone(UTC)


def to_local(moment: datetime, zone: str) -> datetime:
    """An aware datetime as wall-clock time in zone (aware, for formatting)."""
    return moment.astimezone(ZoneInfo(zone))


# Which zones people choose from ---------------------------------------------------------------

#: The zone that needs no city.
UTC_ZONE = "UTC"

#: Old names of UTC (tzdata keeps them as links).
_UTC_NAMES = frozenset(
    {"Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0"}
    | {"Etc/GMT-0", "Etc/Greenwich", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich", "UCT"}
    | {"Universal", "Zulu"}
)

#: POSIX-style names that tzdata now keeps as links to a city (Babel's data predates that).
_POSIX_RULE_NAMES = {
    "EST5EDT": "America/New_York",
    "CST6CDT": "America/Chicago",
    "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles",
}

#: Countries with several zones whose first zone in zone.tab is not the capital's.
_CAPITAL_ZONES = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "FM": "Pacific/Pohnpei",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}


@cache
def _zone_table() -> tuple[tuple[str, str], ...]:
    """(zone, country code) of every zone in tzdata's zone.tab: one per region of a country
    whose clocks have differed since 1970, named after its main city; no aliases."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return tuple((row[2], row[0]) for row in rows)


@cache
def selectable_zones() -> tuple[str, ...]:
    """The zones people may choose: UTC and the canonical zone of every place (zone.tab)."""
    return (UTC_ZONE, *sorted(zone for zone, _country in _zone_table()))


def is_valid_timezone(name: str) -> bool:
    """Only the zones the lists offer."""
    return name in _selectable_set()


@cache
def _selectable_set() -> frozenset[str]:
    return frozenset(selectable_zones())


@cache
def _aliases() -> dict[str, str]:
    """Every other name tzdata knows for a selectable zone (Africa/Asmera, US/Eastern, ...)."""
    aliases = {name: UTC_ZONE for name in _UTC_NAMES}
    aliases.update(_POSIX_RULE_NAMES)
    # CLDR's alias table maps deprecated and renamed ids to the current ones.
    for alias, zone in get_global("zone_aliases").items():
        if zone in _selectable_set() and alias not in _selectable_set():
            aliases[alias] = zone
    return aliases


def canonical_zone(name: str) -> str:
    """The selectable zone name stands for, or name itself when it has none (Etc/GMT+3)."""
    return _aliases().get(name, name)


def zone_aliases() -> dict[str, str]:
    """Alias -> selectable zone, for the browser, whose own name for a zone may be an alias."""
    return dict(_aliases())


# Labels ------------------------------------------------------------------------------------


def _sort_key(label: str) -> str:
    """Alphabetical order that ignores accents and case (Île-de-France beside Istanbul)."""
    decomposed = unicodedata.normalize("NFKD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def zone_label(zone: str, locale: str) -> str:
    """The zone's main city in locale's language, with its country: "서울 (대한민국)"."""
    city = get_timezone_location(zone, locale=locale, return_city=True)
    country = Locale.parse(locale).territories.get(_zone_countries().get(zone, ""), "")
    if not country or country == city:
        return city
    return f"{city} ({country})"


@cache
def _zone_countries() -> dict[str, str]:
    return dict(_zone_table())


@cache
def grouped_zones(locale: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(area id, ((zone, label), ...)) for every area (Africa, America, ...), each sorted by
    label in locale's language; built once per language."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for zone in selectable_zones():
        if zone != UTC_ZONE:
            groups.setdefault(zone.split("/")[0], []).append((zone, zone_label(zone, locale)))
    return tuple(
        (area, tuple(sorted(zones, key=lambda item: (_sort_key(item[1]), item[0]))))
        for area, zones in sorted(groups.items())
    )


# The usual zone of a country ---------------------------------------------------------------


def _name_key(name: str) -> str:
    """A country name compared without case, accents, punctuation or extra spaces."""
    letters = (c if c.isalnum() else " " for c in _sort_key(name))
    return " ".join("".join(letters).split())


@cache
def _country_codes() -> dict[str, str]:
    """Every name of a country people may type (in each interface language, ISO 3166's names,
    "Republic of Korea" as well as "Korea, Republic of") -> its ISO code."""
    codes: dict[str, str] = {}
    for country in pycountry.countries:
        names = [country.alpha_2, country.alpha_3, country.name]
        names += [getattr(country, key, "") for key in ("official_name", "common_name")]
        if ", " in country.name:
            # ISO's "Korea, Republic of" is said "Republic of Korea".
            head, _comma, tail = country.name.partition(", ")
            names.append(f"{tail} {head}")
        codes.update((_name_key(name), country.alpha_2) for name in names if name)
    for language in LANGUAGES:
        territories = Locale.parse(language).territories
        codes.update((_name_key(name), code) for code, name in territories.items())
    return codes


@cache
def _first_zones() -> dict[str, str]:
    first: dict[str, str] = {}
    for zone, country in _zone_table():
        first.setdefault(country, zone)
    return {**first, **_CAPITAL_ZONES}


def country_zone(country: str) -> str | None:
    """The usual zone of a country named in any interface language, by ISO name or code (the
    capital's when it has several); None when the name is unknown."""
    code = _country_codes().get(_name_key(country or ""))
    return _first_zones().get(code) if code else None


@cache
def _city_zones() -> dict[str, str]:
    """The main city of every selectable zone, named in each interface language -> its zone."""
    return {
        _name_key(get_timezone_location(zone, locale=language, return_city=True)): zone
        for language in LANGUAGES
        for zone in selectable_zones()
        if zone != UTC_ZONE
    }


def usual_zone(country: str, city: str = "") -> str | None:
    """The usual zone of a member city: its country's, else that of a zone named after it
    (Istanbul, when the country is typed in a way no list knows); None when neither is known."""
    return country_zone(country) or _city_zones().get(_name_key(city or ""))
