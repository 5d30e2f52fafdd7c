"""Expired offers under concurrency: several sweeps (threads, each with its own app context and
session) expire the same offers at once; each offer expires once, its seat is offered on once,
each email is queued once, and the seats held never exceed the capacity.

On a SQLite file (BEGIN IMMEDIATE serialises writers) and on PostgreSQL (the programme row is
locked FOR UPDATE). Run with -s to see the numbers.
"""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from miti_training import create_app
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

S = RegistrationStatus
CAPACITY = 4
WAITING = 6
FREED = 3
SWEEPS = 8


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sweep_app(request, tmp_path):
    """A separate app on its own database: a SQLite file or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/offers.db"
    else:
        url = request.getfixturevalue("fresh_postgres_database")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20},
    )
    app.config["RACE_BACKEND"] = request.param
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


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
    """SWEEPS sweeps start at the same moment; (offers each expired, errors, seconds)."""
    barrier = threading.Barrier(SWEEPS)
    expired: list = [None] * SWEEPS
    leaks: list = []

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                expired[index] = expire_due_offers(now)
            except Exception as error:  # noqa: BLE001 — the test asserts there are none
                leaks.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(SWEEPS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return expired, leaks, time.perf_counter() - started


def test_concurrent_sweeps_expire_each_offer_once_and_offer_each_seat_on_once(sweep_app):
    programme_id, ids, deadline = _setup(sweep_app)
    later = deadline + timedelta(minutes=1)
    expired, leaks, elapsed = _sweep_at_once(sweep_app, later)
    assert leaks == []
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
            f"\n[{sweep_app.config['RACE_BACKEND']}] {SWEEPS} sweeps at once in {elapsed:.2f}s "
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
    expired, leaks, _elapsed = _sweep_at_once(sweep_app, later)
    assert leaks == [] and sum(expired) == 0
