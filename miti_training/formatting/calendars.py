"""The viewer's own calendar beside the Gregorian one.

Persian pages show a programme's dates in the Solar Hijri calendar first, the Gregorian dates
after them in parentheses ("۱۲ تا ۱۴ آذر ۱۴۰۵ (۳ تا ۵ دسامبر ۲۰۲۶)"), as Iranian readers
expect; Arabic pages show the Gregorian dates with the Hijri (Umm al-Qura) dates in
parentheses. Other languages show the Gregorian dates only. jdatetime and hijridate convert.
"""

from datetime import date

import jdatetime
from hijridate import Gregorian

from miti_training.formatting.dates import date_range
from miti_training.formatting.locales import native_digits, per_locale, viewer_locale


def _jalali(day: date) -> tuple[int, str, int]:
    j = jdatetime.date.fromgregorian(date=day)
    return j.day, jdatetime.date.j_months_fa[j.month - 1], j.year


def _hijri(day: date) -> tuple[int, str, int]:
    h = Gregorian(day.year, day.month, day.day).to_hijri()
    return h.day, f"{h.month_name('ar')}", h.year


def _range(starts_on: date, ends_on: date, convert, suffix: str, locale) -> str:
    first, last = convert(starts_on), convert(ends_on)
    joiner = str(locale.interval_formats.get(None) or "{0} – {1}")
    if first == last:
        text = f"{first[0]} {first[1]} {first[2]}"
    elif first[1:] == last[1:]:
        text = f"{joiner.replace('{0}', str(first[0])).replace('{1}', str(last[0]))} {first[1]} {first[2]}"
    else:
        text = joiner.replace("{0}", " ".join(map(str, first))).replace(
            "{1}", " ".join(map(str, last))
        )
    return native_digits(f"{text}{suffix}", locale)


def local_calendar_range(starts_on: date | None, ends_on: date | None) -> str:
    """The dates in the viewer's own calendar (Solar Hijri, Hijri), or "" when none applies."""
    if starts_on is None:
        return ""
    ends_on = ends_on or starts_on
    locale = viewer_locale()
    try:
        if locale.language == "fa":
            return _range(starts_on, ends_on, _jalali, "", locale)
        if locale.language == "ar":
            return _range(starts_on, ends_on, _hijri, " هـ", locale)
    except (OverflowError, ValueError):
        return ""  # beyond the range the Umm al-Qura tables cover
    return ""


@per_locale
def programme_dates(starts_on: date | None, ends_on: date | None) -> str:
    """A programme's dates as the viewer reads them: the Gregorian range with their own calendar."""
    gregorian = date_range(starts_on, ends_on)
    local = local_calendar_range(starts_on, ends_on)
    if not local:
        return gregorian
    if viewer_locale().language == "fa":
        return f"{local} ({gregorian})"
    return f"{gregorian} ({local})"
