"""Database-level guarantees: the seat CHECK, one registration per person, UTC datetimes."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from miti_training.models import Programme, ProgrammeSession
from tests.support.factories import make_programme, make_registration, make_user


def test_seat_counter_cannot_exceed_capacity(db):
    programme = make_programme(capacity=2)
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(
            update(Programme).values(seats_taken=3).where(Programme.id == programme.id)
        )
        db.session.flush()
    db.session.rollback()


def test_conditional_update_takes_a_seat_only_while_one_is_free(db):
    programme = make_programme(capacity=1)
    db.session.commit()
    take_seat = (
        update(Programme)
        .where(Programme.id == programme.id, Programme.seats_taken < Programme.capacity)
        .values(seats_taken=Programme.seats_taken + 1)
    )
    assert db.session.execute(take_seat).rowcount == 1
    assert db.session.execute(take_seat).rowcount == 0
    db.session.commit()
    db.session.refresh(programme)
    assert programme.seats_taken == 1 and programme.seats_left == 0


def test_one_registration_per_participant_and_programme(db):
    programme = make_programme()
    user = make_user()
    make_registration(programme, user)
    db.session.commit()
    with pytest.raises(IntegrityError):
        make_registration(programme, user)
    db.session.rollback()


def test_session_must_end_after_it_starts(db):
    programme = make_programme(sessions=0)
    start = datetime(2026, 3, 29, 9, tzinfo=UTC)
    db.session.add(ProgrammeSession(programme=programme, title="x", starts_at=start, ends_at=start))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_datetimes_come_back_aware_in_utc(db):
    programme = make_programme(sessions=0)
    tehran_morning = datetime(2026, 3, 21, 9, 30, tzinfo=UTC) + timedelta(hours=-3, minutes=-30)
    db.session.add(
        ProgrammeSession(
            programme=programme,
            title="Nowruz session",
            starts_at=tehran_morning,
            ends_at=tehran_morning + timedelta(hours=2),
        )
    )
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Programme, programme.id).sessions[0]
    assert stored.starts_at.tzinfo is not None
    assert stored.starts_at == tehran_morning


def test_naive_datetimes_are_refused(db):
    programme = make_programme(sessions=0)
    db.session.add(
        ProgrammeSession(
            programme=programme,
            title="naive",
            starts_at=datetime(2026, 1, 1, 9),
            ends_at=datetime(2026, 1, 1, 10),
        )
    )
    with pytest.raises(Exception, match="naive datetime"):
        db.session.flush()
    db.session.rollback()
