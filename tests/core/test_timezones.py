"""Wall-clock times of the centres across daylight-saving changes and zone history."""

from datetime import UTC, datetime

import pytest

from miti_training.timezones import NonexistentLocalTime, to_local, to_utc


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
