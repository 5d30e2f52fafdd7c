"""The seat invariant under concurrency: officials racing for the last seats through the real
enrolment service, in parallel threads, each with its own app context and session.

On a SQLite file (BEGIN IMMEDIATE serialises writers) and on PostgreSQL (the programme row is
locked FOR UPDATE). Run with -s to see the numbers.
"""

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from miti_training.attendance import certificates
from miti_training.errors import AlreadyRegistered, DomainError
from miti_training.extensions import db
from miti_training.models import (
    Certificate,
    Programme,
    Registration,
    RegistrationStatus,
    User,
)
from miti_training.registrations import decisions, enrolment
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
    mark_present,
)
from tests.support.races import BACKENDS, at_once, separate_app

S = RegistrationStatus

CAPACITY = 20
ALREADY_CONFIRMED = 15  # so 5 seats are left
RACERS = 36


@pytest.fixture(params=BACKENDS)
def race_app(request, tmp_path):
    with separate_app(request, tmp_path, max_overflow=50) as app:
        yield app


def _setup(app, racers: int, *, same_user: bool = False):
    """A published first_come programme with 15 of 20 seats taken; ids of the racers."""
    with app.app_context():
        centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
        programme = make_programme(
            centre, title="Sustainable mobility study visit", capacity=CAPACITY
        )
        for _ in range(ALREADY_CONFIRMED):
            enrolment.register(
                programme, make_user(), answers={}, consent_data=True, consent_listing=False
            )
        if same_user:
            user_ids = [make_user().id] * racers
        else:
            user_ids = [make_user(full_name=f"Racer {i}").id for i in range(racers)]
        db.session.commit()
        assert programme.seats_taken == ALREADY_CONFIRMED
        return programme.id, user_ids


def _race(app, programme_id: int, user_ids: list[int]):
    """Every official registers at the same moment; returns (outcomes, unexpected errors, s)."""

    def registering(user_id: int):
        def action():
            programme = db.session.get(Programme, programme_id)
            user = db.session.get(User, user_id)
            registration = enrolment.register(
                programme, user, answers={}, consent_data=True, consent_listing=False
            )
            db.session.commit()
            return registration.status

        return action

    race = at_once([registering(u) for u in user_ids], app=app, refusals=(DomainError,))
    outcomes = [_outcome(o) for o in race.outcomes]
    return outcomes, race.leaks, race.seconds


def _outcome(outcome):
    if isinstance(outcome, AlreadyRegistered):
        return "already registered"
    if isinstance(outcome, DomainError):
        return f"refused: {outcome.message}"
    return outcome


def test_racers_for_the_last_five_seats(race_app):
    programme_id, user_ids = _setup(race_app, RACERS)
    outcomes, leaks, elapsed = _race(race_app, programme_id, user_ids)
    assert leaks == []
    tally = Counter(str(o) for o in outcomes)
    with race_app.app_context():
        programme = db.session.get(Programme, programme_id)
        raced = list(
            db.session.scalars(
                select(Registration)
                .where(
                    Registration.programme_id == programme_id, Registration.user_id.in_(user_ids)
                )
                .order_by(Registration.id)
            )
        )
        confirmed_rows = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.programme_id == programme_id, Registration.status == S.CONFIRMED)
        )
        print(
            f"\n[{race_app.config['RACE_BACKEND']}] {RACERS} officials raced for the last "
            f"{CAPACITY - ALREADY_CONFIRMED} seats in {elapsed:.2f}s: {dict(tally)}; "
            f"seats_taken={programme.seats_taken}, confirmed rows={confirmed_rows}, "
            f"capacity={programme.capacity}"
        )
        assert tally == {"confirmed": 5, "waitlisted": RACERS - 5}
        assert len(raced) == RACERS
        assert programme.seats_taken == confirmed_rows == CAPACITY
        waitlisted = [r for r in raced if r.status == S.WAITLISTED]
        # Positions 1..n, in the order the registrations were made (ids and times agree).
        by_position = sorted(waitlisted, key=lambda r: r.waitlist_position)
        assert [r.waitlist_position for r in by_position] == list(range(1, RACERS - 5 + 1))
        assert programme.waitlist_length == RACERS - 5
        assert [r.id for r in by_position] == sorted(r.id for r in waitlisted)
        assert [r.created_at for r in by_position] == sorted(r.created_at for r in waitlisted)
        # Whoever got a seat registered before everyone who waits.
        assert max(r.id for r in raced if r.status == S.CONFIRMED) < min(r.id for r in waitlisted)


def test_one_official_submitting_several_times_at_once_gets_one_registration(race_app):
    programme_id, user_ids = _setup(race_app, 4, same_user=True)
    outcomes, leaks, elapsed = _race(race_app, programme_id, user_ids)
    assert leaks == []
    tally = Counter(str(o) for o in outcomes)
    with race_app.app_context():
        rows = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.programme_id == programme_id, Registration.user_id == user_ids[0])
        )
        programme = db.session.get(Programme, programme_id)
        print(
            f"\n[{race_app.config['RACE_BACKEND']}] one official, {len(user_ids)} simultaneous "
            f"submissions in {elapsed:.2f}s: {dict(tally)}; registrations={rows}, "
            f"seats_taken={programme.seats_taken}"
        )
        assert rows == 1
        assert tally == {"confirmed": 1, "already registered": len(user_ids) - 1}
        assert programme.seats_taken == ALREADY_CONFIRMED + 1


def test_withdrawals_and_registrations_at_once_keep_the_counter_and_the_list(race_app):
    """Confirmed officials withdraw while others register: promotions, positions 1..n."""
    programme_id, user_ids = _setup(race_app, 16)
    with race_app.app_context():
        leavers = list(
            db.session.scalars(
                select(Registration.user_id)
                .where(
                    Registration.programme_id == programme_id, Registration.status == S.CONFIRMED
                )
                .order_by(Registration.id)
                .limit(8)
            )
        )

    def acting(user_id, leave):
        def action():
            programme = db.session.get(Programme, programme_id)
            user = db.session.get(User, user_id)
            if leave:
                registration = db.session.scalars(
                    select(Registration).filter_by(programme_id=programme_id, user_id=user_id)
                ).one()
                decisions.withdraw(registration, actor=user)
            else:
                enrolment.register(
                    programme, user, answers={}, consent_data=True, consent_listing=False
                )
            db.session.commit()

        return action

    race = at_once(
        [acting(u, False) for u in user_ids] + [acting(u, True) for u in leavers], app=race_app
    )
    assert race.leaks == []
    with race_app.app_context():
        programme = db.session.get(Programme, programme_id)
        counts = dict(
            db.session.execute(
                select(Registration.status, func.count())
                .where(Registration.programme_id == programme_id)
                .group_by(Registration.status)
            ).all()
        )
        positions = sorted(
            db.session.scalars(
                select(Registration.waitlist_position).where(
                    Registration.programme_id == programme_id, Registration.status == S.WAITLISTED
                )
            )
        )
        print(
            f"\n[{race_app.config['RACE_BACKEND']}] 8 withdrawals and 16 registrations at once: "
            f"{ {str(k): v for k, v in counts.items()} }, seats_taken={programme.seats_taken}"
        )
        assert programme.seats_taken == counts[S.CONFIRMED] == CAPACITY
        assert counts[S.WITHDRAWN] == 8
        assert counts[S.WAITLISTED] == 16 + 15 - 8 - CAPACITY
        assert positions == list(range(1, counts[S.WAITLISTED] + 1))
        assert programme.waitlist_length == counts[S.WAITLISTED]


def test_certificates_issued_at_once_give_each_participant_exactly_one(race_app):
    """Bulk issues and single issues in the same instant: one valid certificate each."""
    with race_app.app_context():
        centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
        programme = make_programme(
            centre, sessions=2, starts_on=date.today() - timedelta(days=10), title="Peer Review"
        )
        coordinator = make_staff(centre, "coordinator")
        graduates = []
        for n in range(6):
            registration = make_registration(programme, make_user(full_name=f"Graduate {n}"))
            mark_present(registration)
            graduates.append(registration)
        db.session.commit()
        programme_id, coordinator_id = programme.id, coordinator.id
        graduate_ids = [r.id for r in graduates]

    def issuing(registration_id):
        def action():
            actor = db.session.get(User, coordinator_id)
            if registration_id is None:  # "issue to everyone who completed"
                programme = db.session.get(Programme, programme_id)
                issued = certificates.bulk_issue(programme, actor)
            else:
                registration = db.session.get(Registration, registration_id)
                certificates.issue(registration, actor)
                issued = 1
            db.session.commit()
            return issued

        return action

    race = at_once(
        [issuing(None)] * 4 + [issuing(r) for r in graduate_ids],
        app=race_app,
        refusals=(certificates.AlreadyIssued,),
    )
    issued = [o for o in race.outcomes if isinstance(o, int)]
    assert race.leaks == []
    with race_app.app_context():
        per_registration = Counter(
            db.session.scalars(
                select(Certificate.registration_id).where(Certificate.revoked_at.is_(None))
            )
        )
    assert per_registration == dict.fromkeys(graduate_ids, 1)
    assert sum(issued) == len(graduate_ids)
