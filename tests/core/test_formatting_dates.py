"""Dates, times, zones, numbers and lists as people read them, in the six languages."""

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from babel.lists import format_list
from flask_babel import force_locale

from miti_training import formatting
from miti_training.formatting import LANGUAGES, label
from miti_training.models import ProgrammeStatus, RegistrationStatus
from tests.support.pages import plain_spaces

#: Any decimal digit a page may write: Latin, Arabic-Indic, Persian.
D = "[0-9\u0660-\u0669\u06f0-\u06f9]"
WITH_SECONDS = re.compile(rf"{D}:{D}{D}:{D}{D}")
US_SHORT_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2}\b")
LATIN_DIGIT = re.compile(r"[0-9]")

MOMENT = datetime(2026, 11, 19, 0, 0, tzinfo=UTC)  # 9:00 in Seoul
#: The night Paris moves its clocks forward: 01:00 at +01:00, then 04:00 at +02:00.
ACROSS_DST = SimpleNamespace(
    starts_at=datetime(2026, 3, 29, 0, 0, tzinfo=UTC),
    ends_at=datetime(2026, 3, 29, 2, 0, tzinfo=UTC),
)


@pytest.fixture
def in_locale(app):
    def _in(language):
        return force_locale(language)

    with app.test_request_context("/"):
        yield _in


@pytest.mark.parametrize("language", LANGUAGES)
def test_times_never_show_seconds(in_locale, language):
    with in_locale(language):
        shown = [
            formatting.moment_in_zone(MOMENT, "Asia/Seoul"),
            formatting.moment_in_zone(MOMENT, "Asia/Seoul", "short"),
            formatting.format_in_zone(MOMENT, "Europe/Paris"),
            formatting.format_in_zone(MOMENT, "Europe/Paris", "short"),
            formatting.session_time(ACROSS_DST, "Asia/Tehran").full,
        ]
    for text in shown:
        assert not WITH_SECONDS.search(text), text


def test_the_short_style_is_no_us_short_date(in_locale):
    with in_locale("en"):
        text = plain_spaces(formatting.format_in_zone(MOMENT, "Asia/Seoul", "short"))
        assert text == "Nov 19, 2026, 9:00 AM"
        assert not US_SHORT_DATE.search(text)
        assert formatting.day(date(2026, 11, 19)) == "Nov 19, 2026"


@pytest.mark.parametrize(
    ("language", "zone", "name"),
    [
        ("en", "Asia/Seoul", "Seoul"),
        ("fr", "Asia/Seoul", "Séoul"),
        ("ko", "Asia/Seoul", "서울"),
        ("fa", "Asia/Tehran", "تهران"),
        ("es", "America/Mexico_City", "Ciudad de México"),
        ("ar", "Africa/Cairo", "القاهرة"),
        ("en", "UTC", "UTC"),
    ],
)
def test_a_zone_is_named_by_its_city_in_the_viewer_language(in_locale, language, zone, name):
    with in_locale(language):
        assert formatting.zone_name(zone) == name


def test_a_range_across_daylight_saving_gives_each_end_its_own_offset(in_locale):
    with in_locale("en"):
        paris = formatting.session_time(ACROSS_DST, "Europe/Paris")
        tehran = formatting.session_time(ACROSS_DST, "Asia/Tehran")
    assert plain_spaces(paris.times) == "1:00 AM GMT+01:00 – 4:00 AM GMT+02:00"
    assert paris.offset == ""  # no single offset would be right for both ends
    assert paris.iso == "2026-03-29T01:00:00+01:00"
    assert plain_spaces(tehran.times) == "3:30 – 5:30 AM" and tehran.offset == "GMT+03:30"


def test_persian_writes_every_date_time_and_number_in_persian_digits(in_locale):
    with in_locale("fa"):
        shown = [
            formatting.moment_in_zone(MOMENT, "Asia/Tehran"),
            formatting.date_range(date(2026, 12, 3), date(2026, 12, 5)),
            formatting.day_month(MOMENT, "Asia/Tehran"),
            formatting.zone_offset(MOMENT, "Asia/Tehran"),
            formatting.session_time(ACROSS_DST, "Europe/Paris").full,
            formatting.number(1234),
            formatting.digits(2026),
            formatting.percent(0.85),
        ]
        iso = formatting.session_time(ACROSS_DST, "Europe/Paris").iso
    for text in shown:
        assert not LATIN_DIGIT.search(text), text
    assert shown[5] == "۱٬۲۳۴" and shown[6] == "۲۰۲۶"
    assert iso == "2026-03-29T01:00:00+01:00"  # machine-readable stays ISO


def test_lists_are_joined_the_way_each_language_joins_them(in_locale):
    items = ["A", "B", "C"]
    for language in LANGUAGES:
        with in_locale(language):
            assert formatting.list_of(items) == format_list(items, locale=language)
    with in_locale("ar"):
        arabic = formatting.list_of(["العربية", "الإنجليزية", "الفرنسية"])
    with in_locale("fa"):
        persian = formatting.list_of(["عربی", "انگلیسی", "فرانسوی"])
    assert ", " not in arabic and arabic == "العربية والإنجليزية والفرنسية"
    assert ", " not in persian and "،" in persian
    with in_locale("en"):
        assert formatting.list_of([]) == "" and formatting.list_of(["English"]) == "English"


def test_persian_programme_dates_lead_with_the_solar_hijri_calendar(in_locale):
    with in_locale("fa"):
        assert formatting.programme_dates(date(2026, 12, 3), date(2026, 12, 5)) == (
            "۱۲ تا ۱۴ آذر ۱۴۰۵ (۳ تا ۵ دسامبر ۲۰۲۶)"
        )
        assert formatting.local_calendar_range(date(2027, 3, 20), date(2027, 3, 21)) == (
            "۲۹ اسفند ۱۴۰۵ تا ۱ فروردین ۱۴۰۶"
        )


def test_arabic_programme_dates_add_the_hijri_date(in_locale):
    with in_locale("ar"):
        text = formatting.programme_dates(date(2026, 12, 3), None)
    assert text == "3 ديسمبر 2026 (23 جمادى الآخرة 1448 هـ)"


@pytest.mark.parametrize("language", ["en", "fr", "es", "ko"])
def test_other_languages_show_the_gregorian_dates_only(in_locale, language):
    with in_locale(language):
        assert formatting.local_calendar_range(date(2026, 12, 3), date(2026, 12, 5)) == ""
        assert formatting.programme_dates(date(2026, 12, 3), None) == formatting.date_range(
            date(2026, 12, 3), None
        )


def test_counts_in_translated_template_sentences_use_the_locale_digits(app, in_locale):
    template = app.jinja_env.from_string(
        "{{ ngettext('%(num)d seat left', '%(num)d seats left', n) }}|{{ _('%(name)s', name=n) }}"
    )
    with in_locale("fa"):
        count, plain = template.render(n=1234).split("|")
        assert "۱٬۲۳۴" in count and not LATIN_DIGIT.search(count)
        assert plain == "۱۲۳۴"  # not a count: digits only, no grouping (years, codes)
        escaped = app.jinja_env.from_string("{{ _('%(name)s', name=n) }}").render(n="<b>")
        assert escaped == "&lt;b&gt;"
    with in_locale("en"):
        assert template.render(n=1234) == "1234 seats left|1234"


def test_a_filter_of_a_constant_follows_each_rendering_language(app, in_locale):
    template = app.jinja_env.from_string("{{ 0|number }} {{ 2026|digits }}")
    with in_locale("en"):
        assert template.render() == "0 2026"
    with in_locale("fa"):
        assert template.render() == "۰ ۲۰۲۶"


def test_labels_kept_per_language_tell_enums_with_the_same_value_apart(app):
    # ProgrammeStatus.CANCELLED == RegistrationStatus.CANCELLED == "cancelled" (str enums).
    with app.test_request_context():
        assert label(RegistrationStatus.CANCELLED) == "Cancelled with the programme"
        assert label(ProgrammeStatus.CANCELLED) == "Cancelled"
