"""The network dashboard's nominations, selections and completions per member city and world
region: exact on a small fixture, one statement each whatever the data size."""

from datetime import date

import pytest

from miti_training.attendance.certificates import new_code
from miti_training.extensions import db as _db
from miti_training.models import (
    Certificate,
    EnrolmentPolicy,
    Nomination,
    NominationStatus,
    RegistrationStatus,
    WorldRegion,
    utcnow,
)
from miti_training.network import network_dashboard
from tests.support.factories import (
    make_admin,
    make_centre,
    make_member_city,
    make_programme,
    make_registration,
    make_user,
)
from tests.support.pages import main_of
from tests.support.sql import statements_for

S = RegistrationStatus
_n = iter(range(10**6))


def nominate(programme, city, status=NominationStatus.NOMINATED) -> Nomination:
    nomination = Nomination(
        programme=programme,
        member_city=city,
        email=f"nominee{next(_n)}@{city.name.lower()}.example",
        status=status,
    )
    _db.session.add(nomination)
    _db.session.flush()
    return nomination


def registered(programme, city, status=S.CONFIRMED, certificate=None):
    registration = make_registration(programme, make_user(member_city=city), status=status)
    if certificate is not None:
        _db.session.add(
            Certificate(
                registration=registration,
                code=new_code(),
                full_name=registration.full_name,
                revoked_at=utcnow() if certificate == "revoked" else None,
            )
        )
        _db.session.flush()
    return registration


@pytest.fixture
def cities(db):
    return {
        "cairo": make_member_city(name="Cairo", country="Egypt", world_region=WorldRegion.AFRICA),
        "tehran": make_member_city(
            name="Tehran", country="Iran", world_region=WorldRegion.MIDDLE_EAST
        ),
        "seoul": make_member_city(
            name="Seoul", country="Republic of Korea", world_region=WorldRegion.ASIA_PACIFIC
        ),
    }


@pytest.fixture
def scenario(cities):
    centre = make_centre(slug="seoul-hq")
    nominated = make_programme(
        centre, starts_on=date(2031, 5, 4), enrolment_policy=EnrolmentPolicy.NOMINATION
    )
    open_course = make_programme(centre, starts_on=date(2031, 9, 1))
    earlier = make_programme(
        centre, starts_on=date(2030, 5, 4), enrolment_policy=EnrolmentPolicy.NOMINATION
    )
    cairo, tehran, seoul = cities["cairo"], cities["tehran"], cities["seoul"]
    nominate(nominated, cairo)
    nominate(nominated, cairo, NominationStatus.APPLIED)
    nominate(nominated, cairo, NominationStatus.WITHDRAWN)  # left out
    nominate(nominated, tehran, NominationStatus.APPLIED)
    nominate(earlier, tehran)  # another year
    registered(nominated, cairo, certificate="valid")
    registered(nominated, cairo, S.DECLINED)
    registered(nominated, tehran)
    registered(earlier, tehran, certificate="valid")  # another year
    registered(open_course, seoul, certificate="valid")  # a completion, not a selection
    registered(open_course, seoul, certificate="revoked")
    registered(open_course, seoul)
    return centre


def _figures(rows):
    return [(r.name, r.world_region, r.nominations, r.selections, r.completions) for r in rows]


def test_figures_per_city_and_region_are_exact(scenario):
    assert _figures(network_dashboard.selection_by_city(2031)) == [
        ("Cairo", WorldRegion.AFRICA, 2, 1, 1),
        ("Tehran", WorldRegion.MIDDLE_EAST, 1, 1, 0),
        ("Seoul", WorldRegion.ASIA_PACIFIC, 0, 0, 1),
    ]
    assert _figures(network_dashboard.selection_by_region(2031)) == [
        (None, WorldRegion.AFRICA, 2, 1, 1),
        (None, WorldRegion.MIDDLE_EAST, 1, 1, 0),
        (None, WorldRegion.ASIA_PACIFIC, 0, 0, 1),
    ]
    assert _figures(network_dashboard.selection_by_city(2030)) == [
        ("Tehran", WorldRegion.MIDDLE_EAST, 1, 1, 1),
    ]
    assert network_dashboard.selection_by_city(2029) == []


def test_the_dashboard_shows_them_and_offers_the_csv(client, login, scenario):
    login(make_admin())
    page = main_of(client.get("/admin/dashboard?year=2031"))
    assert "Nominations and selection per member city" in page
    assert "Nominations and selection per world region" in page
    download = client.get("/admin/dashboard.csv?year=2031&table=selection-cities")
    assert download.status_code == 200
    lines = download.get_data().decode("utf-8-sig").splitlines()
    assert lines[1].startswith("Cairo,Egypt,Africa,2,1,1")
    regions = client.get("/admin/dashboard.csv?year=2031&table=selection-regions")
    assert regions.get_data().decode("utf-8-sig").splitlines()[1:] == [
        "Africa,2,1,1",
        "Middle East and West Asia,1,1,0",
        "Asia-Pacific,0,0,1",
    ]


def test_an_empty_year_says_so(client, login, db):
    login(make_admin())
    page = main_of(client.get("/admin/dashboard?year=2031"))
    assert "No nominations, selections or completions" in page


def test_one_statement_each_whatever_the_data_size(app, client, login, scenario, cities):
    login(make_admin())
    _db.session.commit()
    few = statements_for(app, client, "/admin/dashboard?year=2031")
    programme = make_programme(
        scenario, starts_on=date(2031, 6, 1), enrolment_policy=EnrolmentPolicy.NOMINATION
    )
    for n in range(6):
        city = make_member_city(name=f"City {n}", world_region=WorldRegion.EUROPE)
        nominate(programme, city)
        registered(programme, city, certificate="valid")
    _db.session.commit()
    assert statements_for(app, client, "/admin/dashboard?year=2031") == few
