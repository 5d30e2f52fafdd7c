"""Two `flask send-reminders` runs at the same time, each in its own thread, app context and
session, both having listed the same due reminders: every person still gets one email.

On a SQLite file (BEGIN IMMEDIATE serialises writers: the second finds the first's record) and
on PostgreSQL (the second's insert waits for the first's commit, then hits the unique key).
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from miti_training import reminders
from miti_training.cli.reminders import send_due_reminders
from miti_training.extensions import db
from miti_training.models import OutboxMessage, ReminderSent
from tests.support.factories import make_centre, make_programme, make_registration, today
from tests.support.races import BACKENDS, at_once, separate_app

PEOPLE = 12
RUNS = 3


@pytest.fixture(params=BACKENDS)
def race_app(request, tmp_path):
    with separate_app(request, tmp_path) as app:
        yield app


def test_concurrent_runs_send_each_reminder_once(race_app, monkeypatch):
    with race_app.app_context():
        centre = make_centre(slug="seoul", contact_email="seoul@miti.example")
        programme = make_programme(centre, sessions=2, starts_on=today() + timedelta(days=1))
        addresses = [make_registration(programme).email for _ in range(PEOPLE)]
        db.session.commit()

    # Every run lists what is due before any of them sends: the worst interleaving.
    barrier = threading.Barrier(RUNS, timeout=30)
    listing = reminders.due

    def list_then_wait(now=None):
        found = listing(now)
        barrier.wait()
        return found

    monkeypatch.setattr(reminders, "due", list_then_wait)
    race = at_once([send_due_reminders] * RUNS, app=race_app)

    assert race.leaks == []
    results = race.outcomes
    assert sum(sent for sent, _skipped in results) == PEOPLE
    assert sum(skipped for _sent, skipped in results) == PEOPLE * (RUNS - 1)
    with race_app.app_context():
        per_address = Counter(db.session.scalars(select(OutboxMessage.recipient)))
        assert per_address == Counter(addresses)
        assert len(db.session.scalars(select(ReminderSent)).all()) == PEOPLE
