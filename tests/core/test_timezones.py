"""Wall-clock times of the centres across daylight-saving changes and zone history; the zones
people choose from, their aliases, and the usual zone of a country."""

import unicodedata
from datetime import UTC, datetime
from importlib import resources
from zoneinfo import available_timezones

import pytest

from miti_training.timezones import (
    NonexistentLocalTime,
    canonical_zone,
    country_zone,
    grouped_zones,
    is_valid_timezone,
    selectable_zones,
    to_local,
    to_utc,
    usual_zone,
    zone_aliases,
)


def test_paris_summer_and_winter_offsets():
    assert to_utc(datetime(2026, 7, 1, 9, 0), "Europe/Paris") == datetime(
        2026, 7, 1, 7, 0, tzinfo=UTC
    )
    assert to_utc(datetime(2026, 1, 15, 9, 0), "Europe/Paris") == datetime(
        2026, 1, 15, 8, 0, tzinfo=UTC
    )


def test_paris_spring_forward_gap_is_refused():
    with pytest.raises(NonexistentLocalTime):
        to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Paris")


def test_paris_fall_back_hour_reads_as_first_occurrence():
    assert to_utc(datetime(2026, 10, 25, 2, 30), "Europe/Paris") == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_mexico_city_dropped_daylight_saving_in_2022():
    # Summer 2022 still had DST (UTC-5); summer 2023 does not (UTC-6).
    assert to_utc(datetime(2022, 7, 1, 9), "America/Mexico_City").hour == 14
    assert to_utc(datetime(2023, 7, 1, 9), "America/Mexico_City").hour == 15


def test_tehran_is_utc_plus_three_thirty_all_year_since_2022():
    assert to_utc(datetime(2021, 6, 1, 9), "Asia/Tehran") == datetime(2021, 6, 1, 4, 30, tzinfo=UTC)
    assert to_utc(datetime(2026, 6, 1, 9), "Asia/Tehran") == datetime(2026, 6, 1, 5, 30, tzinfo=UTC)


def test_round_trip_to_local():
    moment = datetime(2026, 3, 21, 5, 30, tzinfo=UTC)
    local = to_local(moment, "Asia/Tehran")
    assert (local.hour, local.minute) == (9, 0)
    assert to_utc(local.replace(tzinfo=None), "Asia/Tehran") == moment


# The zones people choose from, aliases and countries ------------------------------------------


def zone_tab() -> set[str]:
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    return {line.split("\t")[2] for line in text.splitlines() if line and line[0] != "#"}


def test_only_canonical_zones_and_utc_are_selectable():
    zones = selectable_zones()
    assert zones[0] == "UTC"
    assert set(zones[1:]) == zone_tab()
    for alias in ("Africa/Asmera", "US/Eastern", "Etc/GMT+3", "Asia/Calcutta", "Etc/UTC", "GMT"):
        assert alias not in zones
        assert not is_valid_timezone(alias)
    assert all(canonical_zone(zone) == zone for zone in zones)


@pytest.mark.parametrize(
    ("alias", "zone"),
    [
        ("Africa/Asmera", "Africa/Asmara"),
        ("US/Eastern", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Etc/UTC", "UTC"),
        ("GMT", "UTC"),
        ("EST5EDT", "America/New_York"),
    ],
)
def test_an_alias_stands_for_its_canonical_zone(alias, zone):
    assert canonical_zone(alias) == zone
    assert zone_aliases()[alias] == zone


def test_every_name_tzdata_knows_is_selectable_or_maps_to_one_but_fixed_offsets():
    unmapped = {
        name for name in available_timezones() if not is_valid_timezone(canonical_zone(name))
    }
    odd = {"Factory", "localtime"}
    assert unmapped and all(name.startswith("Etc/GMT") or name in odd for name in unmapped)
    assert canonical_zone("Etc/GMT+3") == "Etc/GMT+3"


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("Republic of Korea", "Asia/Seoul"),
        ("Korea, Republic of", "Asia/Seoul"),
        ("대한민국", "Asia/Seoul"),
        ("Egypt", "Africa/Cairo"),
        ("مصر", "Africa/Cairo"),
        ("Iran", "Asia/Tehran"),
        ("ایران", "Asia/Tehran"),
        ("Mexico", "America/Mexico_City"),
        ("México", "America/Mexico_City"),
        ("France", "Europe/Paris"),
        ("Viet Nam", "Asia/Ho_Chi_Minh"),
        ("  côte d’ivoire ", "Africa/Abidjan"),
        # Several zones: the capital's.
        ("United States", "America/New_York"),
        ("Canada", "America/Toronto"),
        ("Brazil", "America/Sao_Paulo"),
        ("Russia", "Europe/Moscow"),
        ("Australia", "Australia/Sydney"),
        ("ES", "Europe/Madrid"),
    ],
)
def test_the_usual_zone_of_a_country_named_in_any_language(country, zone):
    assert country_zone(country) == zone


def test_an_unknown_country_falls_back_to_the_city_then_to_nothing():
    assert country_zone("Testland") is None
    assert usual_zone("Testland", "Istanbul") == "Europe/Istanbul"
    assert usual_zone("Testland", "서울") == "Asia/Seoul"
    assert usual_zone("Testland", "Test City 1") is None
    assert usual_zone("", "") is None


def test_zone_groups_are_areas_sorted_by_city_in_the_language():
    groups = dict(grouped_zones("ko"))
    assert {"Africa", "America", "Asia", "Europe", "Pacific"} <= set(groups)
    assert ("Asia/Seoul", "서울 (대한민국)") in groups["Asia"]
    english = dict(grouped_zones("en"))
    assert ("Africa/Cairo", "Cairo (Egypt)") in english["Africa"]
    assert ("Europe/Andorra", "Andorra") in english["Europe"]  # the city is the country
    for zones in english.values():
        labels = [without_accents(label) for _zone, label in zones]
        assert labels == sorted(labels)


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
