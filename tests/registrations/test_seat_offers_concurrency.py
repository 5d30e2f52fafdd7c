"""Expired offers under concurrency: several sweeps (threads, each with its own app context and
session) expire the same offers at once; each offer expires once, its seat is offered on once,
each email is queued once, and the seats held never exceed the capacity.

On a SQLite file (BEGIN IMMEDIATE serialises writers) and on PostgreSQL (the programme row is
locked FOR UPDATE). Run with -s to see the numbers.
"""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from miti_training.cli.offers import expire_due_offers
from miti_training.extensions import db
from miti_training.models import (
    AuditEntry,
    OutboxMessage,
    Programme,
    Registration,
    RegistrationStatus,
)
from miti_training.registrations import decisions, enrolment
from tests.support.factories import make_centre, make_programme, make_user
from tests.support.races import BACKENDS, at_once, separate_app

S = RegistrationStatus
CAPACITY = 4
WAITING = 6
FREED = 3
SWEEPS = 8


@pytest.fixture(params=BACKENDS)
def sweep_app(request, tmp_path):
    with separate_app(request, tmp_path) as app:
        yield app


def _setup(app):
    """A full programme whose offers expire; FREED seats freed, so FREED offers are open."""
    with app.app_context():
        centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
        programme = make_programme(
            centre, title="Peer Review Process workshop", capacity=CAPACITY, offers_expire=True
        )
        regs = [
            enrolment.register(
                programme,
                make_user(full_name=f"Official {i}"),
                answers={},
                consent_data=True,
                consent_listing=False,
            )
            for i in range(CAPACITY + WAITING)
        ]
        db.session.commit()
        for leaving in regs[:FREED]:
            decisions.withdraw(leaving, actor=leaving.user)
            db.session.commit()
        offered = [r for r in regs if r.status == S.OFFERED]
        assert [r.id for r in offered] == [r.id for r in regs[CAPACITY : CAPACITY + FREED]]
        deadline = max(r.offer_expires_at for r in offered)
        return programme.id, [r.id for r in regs], deadline


def _sweep_at_once(app, now):
    """SWEEPS sweeps start at the same moment; each one's outcome: the offers it expired."""
    return at_once([lambda: expire_due_offers(now)] * SWEEPS, app=app)


def test_concurrent_sweeps_expire_each_offer_once_and_offer_each_seat_on_once(sweep_app):
    programme_id, ids, deadline = _setup(sweep_app)
    later = deadline + timedelta(minutes=1)
    race = _sweep_at_once(sweep_app, later)
    assert race.leaks == []
    expired = race.outcomes
    with sweep_app.app_context():
        programme = db.session.get(Programme, programme_id)
        regs = {
            r.id: r
            for r in db.session.scalars(
                select(Registration).where(Registration.programme_id == programme_id)
            )
        }
        first_offers = ids[CAPACITY : CAPACITY + FREED]
        next_offers = ids[CAPACITY + FREED : CAPACITY + 2 * FREED]
        still_waiting = ids[CAPACITY + 2 * FREED :]
        actions = Counter(
            db.session.scalars(
                select(AuditEntry.action).where(AuditEntry.programme_id == programme_id)
            )
        )
        mails = Counter(
            (recipient, subject.split(":")[0])
            for recipient, subject in db.session.execute(
                select(OutboxMessage.recipient, OutboxMessage.subject)
            )
        )
        print(
            f"\n[{sweep_app.config['RACE_BACKEND']}] {SWEEPS} sweeps at once in {race.seconds:.2f}s "
            f"expired {sum(expired)} offers ({expired}); seats_taken={programme.seats_taken}"
        )
        assert sum(expired) == FREED
        assert [regs[i].status for i in first_offers] == [S.DECLINED] * FREED
        assert [regs[i].status for i in next_offers] == [S.OFFERED] * FREED
        assert [regs[i].waitlist_position for i in still_waiting] == list(
            range(1, len(still_waiting) + 1)
        )
        assert programme.waitlist_length == len(still_waiting)
        assert actions["registration.offer_expire"] == FREED
        assert actions["registration.offer"] == 2 * FREED
        # One offer and one expiry to each of the first, one offer to each of the next.
        offer, gone = "A seat is offered to you", "The seat offered to you has passed on"
        for i in first_offers:
            assert (mails[regs[i].email, offer], mails[regs[i].email, gone]) == (1, 1)
        for i in next_offers:
            assert (mails[regs[i].email, offer], mails[regs[i].email, gone]) == (1, 0)
        for i in still_waiting:
            assert mails[regs[i].email, offer] == 0
        held = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(
                Registration.programme_id == programme_id,
                Registration.status.in_((S.CONFIRMED, S.OFFERED)),
            )
        )
        assert programme.seats_taken == held == CAPACITY
    # The same moment again: nothing more is due.
    again = _sweep_at_once(sweep_app, later)
    assert again.leaks == [] and sum(again.outcomes) == 0
