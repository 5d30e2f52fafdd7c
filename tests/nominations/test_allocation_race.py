"""A city's allocation under concurrency: focal points of one city nominating for its last
place at the same moment, through the real service, in parallel threads with their own app
context and session, on a SQLite file and on PostgreSQL. Exactly one wins; the others hear
that the city's places are used up; taken never passes places."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.models import (
    CityAllocation,
    EnrolmentPolicy,
    Nomination,
    NominationStatus,
    Programme,
    User,
    utcnow,
)
from miti_training.nominations import nominating, withdrawing
from tests.support.factories import make_centre, make_member_city, make_programme, make_user
from tests.support.nominations import make_focal_point
from tests.support.races import BACKENDS, at_once, separate_app


@pytest.fixture(params=BACKENDS)
def race_app(request, tmp_path):
    with separate_app(request, tmp_path) as app:
        yield app


def _setup(app, focal_points: int, *, places: int, already: int):
    """A nomination programme; a city with focal points; already nominations of its places."""
    with app.app_context():
        centre = make_centre(slug="seoul")
        programme = make_programme(
            centre,
            enrolment_policy=EnrolmentPolicy.NOMINATION,
            nomination_opens_at=utcnow() - timedelta(days=1),
            default_allocation=places,
        )
        city = make_member_city(name="Cairo")
        focals = [make_focal_point(city) for _ in range(focal_points)]
        officials = [make_user(member_city=city) for _ in range(focal_points + already)]
        db.session.commit()
        for official in officials[:already]:
            nominating.nominate(programme, official.email, actor=focals[0])
        db.session.commit()
        return (
            programme.id,
            city.id,
            [f.id for f in focals],
            [o.email for o in officials[already:]],
        )


def _run_at_once(app, actions):
    """Every action at the same moment; (outcomes, a refusal as its message; unexpected errors)."""
    race = at_once(actions, app=app, refusals=(DomainError,))
    said = [str(o.message) if isinstance(o, DomainError) else o for o in race.outcomes]
    return said, race.leaks


def _nominating(programme_id, focal_id, email):
    def action():
        programme = db.session.get(Programme, programme_id)
        nominating.nominate(programme, email, actor=db.session.get(User, focal_id))
        db.session.commit()
        return "nominated"

    return action


def _allocation(app, programme_id, city_id) -> tuple[int, int, int]:
    """(places, taken, active nominations)."""
    with app.app_context():
        row = db.session.scalar(
            select(CityAllocation).where(
                CityAllocation.programme_id == programme_id,
                CityAllocation.member_city_id == city_id,
            )
        )
        active = db.session.query(Nomination).filter(
            Nomination.programme_id == programme_id,
            Nomination.status != NominationStatus.WITHDRAWN,
        )
        result = (row.places, row.taken, active.count())
        db.session.remove()
        return result


@pytest.mark.parametrize("round_", range(3))
def test_two_focal_points_race_for_the_last_place(race_app, round_):
    programme_id, city_id, focals, emails = _setup(race_app, 2, places=2, already=1)

    outcomes, leaks = _run_at_once(
        race_app, [_nominating(programme_id, f, e) for f, e in zip(focals, emails, strict=True)]
    )

    assert not leaks, leaks
    assert sorted(outcomes, key=lambda o: o != "nominated")[0] == "nominated"
    assert outcomes.count("nominated") == 1, outcomes
    [refusal] = [o for o in outcomes if o != "nominated"]
    assert "used all its 2 places" in refusal
    assert _allocation(race_app, programme_id, city_id) == (2, 2, 2)


def test_many_focal_points_for_the_first_place_of_a_new_row(race_app):
    """The row does not exist yet: the guarded INSERT makes it once, one place is taken."""
    programme_id, city_id, focals, emails = _setup(race_app, 6, places=1, already=0)

    outcomes, leaks = _run_at_once(
        race_app, [_nominating(programme_id, f, e) for f, e in zip(focals, emails, strict=True)]
    )

    assert not leaks, leaks
    assert outcomes.count("nominated") == 1, outcomes
    assert _allocation(race_app, programme_id, city_id) == (1, 1, 1)


def test_one_nomination_withdrawn_twice_at_once_gives_one_place_back(race_app):
    programme_id, city_id, focals, _emails = _setup(race_app, 2, places=3, already=2)
    with race_app.app_context():
        nomination_id = db.session.scalars(select(Nomination.id)).first()
        db.session.remove()

    def withdrawing_by(focal_id):
        def action():
            nomination = db.session.get(Nomination, nomination_id)
            withdrawing.withdraw(nomination, actor=db.session.get(User, focal_id))
            db.session.commit()
            return "withdrawn"

        return action

    outcomes, leaks = _run_at_once(race_app, [withdrawing_by(f) for f in focals])

    assert not leaks, leaks
    assert outcomes.count("withdrawn") == 1, outcomes
    assert _allocation(race_app, programme_id, city_id) == (3, 1, 1)
