"""Presentation helpers shared by views and templates (no business rules)."""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

#: Interface languages with their names in their own language.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "fa": "فارسی",
    "ko": "한국어",
}


def language_names() -> dict[str, str]:
    return LANGUAGE_NAMES


def language_choices() -> list[SelectChoice]:
    return [
        SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()
    ]


def timezone_choices() -> list[SelectChoice]:
    """Every IANA zone, sorted, for the profile form."""
    return [SelectChoice(z, z.replace("_", " ")) for z in _selectable_zones()]


@cache
def _selectable_zones() -> tuple[str, ...]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return ("UTC", *zones)


def is_valid_timezone(name: str) -> bool:
    """Only the zones the lists offer."""
    return name in _selectable_zones()


def format_in_zone(value: datetime | None, zone: str, fmt: str = "medium") -> str:
    """Format an aware UTC datetime in the given IANA zone, in the viewer's locale."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone))
    return format_datetime(local.replace(tzinfo=None), fmt, rebase=False)


ENUM_LABELS = {
    # Programme kinds
    "course": _l("Course"),
    "workshop": _l("Workshop"),
    "forum": _l("Forum"),
    "study_visit": _l("Study visit"),
    "webinar": _l("Webinar"),
    # Formats
    "in_person": _l("In person"),
    "online": _l("Online"),
    "hybrid": _l("Hybrid"),
    # Themes
    "urban_governance": _l("Urban governance"),
    "urban_transportation": _l("Urban transportation"),
    "e_government": _l("E-government"),
    "water_management": _l("Water management"),
    "climate_change": _l("Climate change"),
    "smart_city": _l("Smart city"),
    "sustainable_mobility": _l("Sustainable mobility"),
    "urban_planning": _l("Urban planning"),
    "housing": _l("Housing"),
    "resilience": _l("Resilience"),
    # Programme statuses
    "draft": _l("Draft"),
    "published": _l("Published"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
    # Roles and centre kinds
    "coordinator": _l("Coordinator"),
    "director": _l("Director"),
    "headquarters": _l("Headquarters"),
    "regional": _l("Regional centre"),
    # World regions
    "africa": _l("Africa"),
    "asia_pacific": _l("Asia-Pacific"),
    "europe": _l("Europe"),
    "latin_america": _l("Latin America and the Caribbean"),
    "middle_east": _l("Middle East and West Asia"),
    "north_america": _l("North America"),
}


def label(value) -> str:
    """The translated label of an enum value."""
    key = getattr(value, "value", value)
    return str(ENUM_LABELS.get(key, key))
