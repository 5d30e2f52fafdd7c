"""The proposed balanced group: one greedy walk down the ranking within the per-city and
per-region caps, every choice with its reason, the same answer for the same input."""

import random

import pytest

from miti_training.models import RegistrationStatus, WorldRegion
from miti_training.selection import proposal, ranking
from miti_training.selection.proposal import Reason
from tests.support.factories import make_centre, make_member_city, make_staff
from tests.support.selection import (
    add_criteria,
    apply,
    make_reviewed_programme,
    region_cap,
    score_sheet,
)

ASIA, EUROPE, AFRICA = WorldRegion.ASIA_PACIFIC, WorldRegion.EUROPE, WorldRegion.AFRICA


@pytest.fixture
def world(db):
    centre = make_centre(slug="seoul")
    programme = make_reviewed_programme(centre, capacity=15, city_selection_cap=2)
    criteria = add_criteria(programme, 1)
    reviewer = make_staff(centre, "reviewer", member_city=None)
    cities = {
        "beijing": make_member_city(name="Beijing", world_region=ASIA),
        "manila": make_member_city(name="Manila", world_region=ASIA),
        "warsaw": make_member_city(name="Warsaw", world_region=EUROPE),
        "cairo": make_member_city(name="Cairo", world_region=AFRICA),
    }

    def applicant(city, value, minutes_ago):
        registration = apply(programme, cities[city], minutes_ago=minutes_ago)
        score_sheet(registration, reviewer, criteria, [value])
        return registration

    return programme, cities, applicant


def _walk(programme, places):
    return proposal.propose(
        ranking.ranked_applications(programme), places, proposal.caps_of(programme)
    )


def test_each_cap_is_respected_and_every_skip_says_why(db, world):
    programme, cities, applicant = world
    region_cap(programme, ASIA, 3)
    b1 = applicant("beijing", 5, 60)
    b2 = applicant("beijing", 5, 50)
    b3 = applicant("beijing", 5, 40)  # third of Beijing: the city cap (2)
    m1 = applicant("manila", 4, 60)  # third of Asia-Pacific
    m2 = applicant("manila", 4, 50)  # fourth of Asia-Pacific: the region cap (3)
    w1 = applicant("warsaw", 3, 60)
    c1 = applicant("cairo", 2, 60)
    c2 = applicant("cairo", 1, 60)  # the group of 4 is full

    choices = _walk(programme, 4)

    assert [(c.ranked.registration.id, c.reason, c.cap) for c in choices] == [
        (b1.id, Reason.TAKEN, None),
        (b2.id, Reason.TAKEN, None),
        (b3.id, Reason.CITY_CAP, 2),
        (m1.id, Reason.TAKEN, None),
        (m2.id, Reason.REGION_CAP, 3),
        (w1.id, Reason.TAKEN, None),
        (c1.id, Reason.GROUP_FULL, None),
        (c2.id, Reason.GROUP_FULL, None),
    ]
    taken = [c.ranked for c in choices if c.taken]
    assert len(taken) == 4
    assert (
        max(sum(1 for r in taken if r.member_city_id == city.id) for city in cities.values()) <= 2
    )
    assert sum(1 for r in taken if r.world_region == ASIA) <= 3


def test_participants_already_confirmed_count_towards_the_caps(db, world):
    programme, cities, applicant = world
    region_cap(programme, EUROPE, 1)
    confirmed = apply(programme, cities["beijing"])
    confirmed.status = RegistrationStatus.CONFIRMED
    warsaw_before = apply(programme, cities["warsaw"])
    warsaw_before.status = RegistrationStatus.CONFIRMED
    programme.seats_taken = 2
    b1 = applicant("beijing", 5, 60)
    b2 = applicant("beijing", 5, 50)
    w1 = applicant("warsaw", 4, 60)
    c1 = applicant("cairo", 3, 60)

    reasons = {c.ranked.registration.id: c.reason for c in _walk(programme, 10)}

    assert reasons == {
        b1.id: Reason.TAKEN,
        b2.id: Reason.CITY_CAP,  # one confirmed already + b1 = 2
        w1.id: Reason.REGION_CAP,  # Europe's one place is taken
        c1.id: Reason.TAKEN,
    }
    assert proposal.seats_left(programme) == 13


def test_no_caps_take_the_top_n_in_rank_order(db, world):
    programme, _cities, applicant = world
    programme.city_selection_cap = None
    ids = [applicant("beijing", value, 60 - value).id for value in (5, 4, 3, 2, 1)]
    choices = _walk(programme, 3)
    assert [c.ranked.registration.id for c in choices if c.taken] == ids[:3]
    assert [c.reason for c in choices][3:] == [Reason.GROUP_FULL] * 2
    assert [c.taken for c in _walk(programme, 0)] == [False] * 5


def test_the_same_input_gives_the_same_proposal_ties_included(db, world):
    programme, _cities, applicant = world
    region_cap(programme, ASIA, 2)
    rng = random.Random(16)
    for n in range(12):
        # Many equal means: the order between them is the earlier application, then the id.
        applicant(rng.choice(["beijing", "manila", "warsaw", "cairo"]), rng.choice([3, 4]), n % 3)
    first = [(c.ranked.registration.id, c.reason) for c in _walk(programme, 5)]
    for _ in range(3):
        db.session.expire_all()
        assert [(c.ranked.registration.id, c.reason) for c in _walk(programme, 5)] == first
    # The pure walk gives the same answer on the same ranking, however often it runs.
    ranked = ranking.ranked_applications(programme)
    caps = proposal.caps_of(programme)
    assert proposal.propose(ranked, 5, caps) == proposal.propose(list(ranked), 5, caps)
