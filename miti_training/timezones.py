"""Centre-local wall-clock times <-> UTC, honest about daylight-saving gaps."""

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l

from miti_training.errors import DomainError


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


@cache
def selectable_zones() -> tuple[str, ...]:
    """The zones people may choose: UTC and every IANA area/city zone."""
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return ("UTC", *zones)


def is_valid_timezone(name: str) -> bool:
    """Only the zones the lists offer."""
    return name in selectable_zones()
