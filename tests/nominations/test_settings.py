"""A programme's nomination settings: never fewer places than a city has taken; the page
lists each city's places and use."""

from datetime import datetime

import pytest
from sqlalchemy import select

from miti_training.errors import FieldError, PermissionDenied
from miti_training.extensions import db as _db
from miti_training.models import CityAllocation, RegionCap, WorldRegion
from miti_training.nominations import settings
from tests.support.factories import make_staff, make_user
from tests.support.nominations import make_nomination
from tests.support.pages import assert_accessible_page, flashes, follow, text_of


@pytest.fixture
def coordinator(centre):
    return make_staff(centre, "coordinator")


def _places(programme, city) -> tuple[int, bool]:
    _db.session.expire_all()
    row = _db.session.scalar(
        select(CityAllocation).where(
            CityAllocation.programme_id == programme.id, CityAllocation.member_city_id == city.id
        )
    )
    return row.places, row.is_override


def _settings(programme, coordinator, default, **kw):
    settings.update_settings(
        programme,
        opens_at=kw.get("opens_at"),
        closes_at=kw.get("closes_at"),
        default_allocation=default,
        actor=coordinator,
    )


def test_the_default_moves_every_city_without_an_override(programme, coordinator, cairo, tehran):
    make_nomination(programme, make_user(member_city=cairo))
    settings.set_city_places(programme, tehran.id, 5, actor=coordinator)
    _settings(programme, coordinator, 3)
    assert _places(programme, cairo) == (3, False)
    assert _places(programme, tehran) == (5, True)


def test_the_default_never_goes_below_what_a_city_took(programme, coordinator, cairo):
    for _ in range(2):
        make_nomination(programme, make_user(member_city=cairo))
    _db.session.commit()
    with pytest.raises(FieldError, match="already nominated 2 officials"):
        _settings(programme, coordinator, 1)
    _db.session.rollback()
    assert _places(programme, cairo) == (2, False)
    assert programme.default_allocation == 2


def test_an_override_never_goes_below_what_the_city_took(programme, coordinator, cairo):
    for _ in range(2):
        make_nomination(programme, make_user(member_city=cairo))
    with pytest.raises(FieldError, match="Cairo has already nominated 2 officials"):
        settings.set_city_places(programme, cairo.id, 1, actor=coordinator)
    settings.set_city_places(programme, cairo.id, 4, actor=coordinator)
    assert _places(programme, cairo) == (4, True)
    settings.set_city_places(programme, cairo.id, None, actor=coordinator)
    assert _places(programme, cairo) == (2, False)


def test_the_window_must_close_after_it_opens(programme, coordinator):
    with pytest.raises(FieldError, match="close after they open"):
        _settings(
            programme,
            coordinator,
            2,
            opens_at=datetime(2030, 5, 2, 9),
            closes_at=datetime(2030, 5, 1, 9),
        )


def test_times_are_the_centres(programme, coordinator):
    _settings(programme, coordinator, 2, opens_at=datetime(2030, 5, 1, 9))
    assert programme.nomination_opens_at.hour == 0  # 09:00 in Seoul


def test_region_caps(programme, coordinator):
    settings.set_region_cap(programme, "africa", 3, actor=coordinator)
    settings.set_region_cap(programme, "africa", 4, actor=coordinator)
    assert settings.region_caps(programme) == {WorldRegion.AFRICA: 4}
    settings.set_region_cap(programme, "africa", None, actor=coordinator)
    assert _db.session.scalar(select(RegionCap)) is None


def test_only_the_centres_staff(programme, cairo):
    with pytest.raises(PermissionDenied):
        settings.set_city_places(programme, cairo.id, 3, actor=make_user())


def test_the_settings_page(client, sign_in, programme, centre, coordinator, cairo):
    make_nomination(programme, make_user(member_city=cairo))
    _db.session.commit()
    sign_in(coordinator)
    url = f"/manage/{centre.slug}/programmes/{programme.id}/nominations"
    page = client.get(url)
    assert page.status_code == 200
    assert_accessible_page(text_of(page))
    assert "Cairo" in text_of(page)
    refused = client.post(url + "/cities", data={"member_city_id": str(cairo.id), "places": "0"})
    assert refused.status_code == 422
    assert "Cairo has already nominated 1 officials" in text_of(refused)
    saved = client.post(
        url, data={"opens_at": "", "closes_at": "2040-01-01T10:00", "default_allocation": "3"}
    )
    assert ("success", "The nomination settings are saved.") in flashes(follow(client, saved))
