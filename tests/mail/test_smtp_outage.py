"""SMTP down: each message is claimed before it is sent, retried with backoff, and delivered
exactly once when the server is back (a real SMTP server on a port of the test's own)."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from miti_training.extensions import db
from miti_training.mail import notify, sending
from miti_training.models import OutboxMessage, utcnow
from tests.support.factories import make_user
from tests.support.servers import free_port, smtp_sink


@pytest.fixture
def smtp(app, monkeypatch):
    """MAIL_BACKEND=smtp towards a port nothing listens on yet; retries due at once."""
    port = free_port()
    for key, value in {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_RETRY_SECONDS": 0,
        "MAIL_TIMEOUT": 5,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    app.extensions["mail"].server, app.extensions["mail"].port = "127.0.0.1", port
    yield port
    app.extensions["mail"].server, app.extensions["mail"].port = "localhost", 25


def _rows() -> list[SimpleNamespace]:
    """The outbox as it is now, read without holding SQLite's lock afterwards."""
    table = OutboxMessage.__table__
    rows = db.session.execute(select(table).order_by(table.c.id)).mappings().all()
    db.session.commit()
    return [SimpleNamespace(**row) for row in rows]


def test_a_refused_message_is_retried_with_backoff_then_sent_once(app, smtp, monkeypatch):
    user = make_user()
    message = notify(user, "password_changed", "through the outage")
    db.session.commit()  # the in-process attempt finds nothing listening

    (row,) = _rows()
    assert row.sent_at is None and row.attempts == 1
    assert row.last_error and "ConnectionRefusedError" in row.last_error

    with smtp_sink(smtp) as server:
        server.refusing = True  # up, but answering 421
        assert sending.sweep() == 0
        (row,) = _rows()
        assert row.attempts == 2 and row.sent_at is None and "421" in row.last_error
        assert server.received == []

        server.refusing = False
        assert sending.sweep() == 1
        assert sending.sweep() == 0
        assert sending.send(message.id) is False

    (row,) = _rows()
    assert row.sent_at is not None and row.claimed_until is None
    (received,) = server.received
    assert received["To"] == user.email
    assert received["Subject"] == "through the outage"
    assert message.id in received["Message-ID"]


def test_the_wait_doubles_up_to_its_cap(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 30)
    monkeypatch.setitem(app.config, "MAIL_RETRY_MAX_SECONDS", 3600)
    waits = [sending.retry_delay(attempt).total_seconds() for attempt in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_failed_message_is_not_retried_before_its_time(app, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 600)
    notify(make_user(), "password_changed", "later")
    db.session.commit()
    with smtp_sink(smtp) as server:
        assert sending.sweep() == 0
        assert server.received == []
    (row,) = _rows()
    assert timedelta(seconds=590) < row.next_attempt_at - utcnow() <= timedelta(seconds=600)


def test_a_message_is_given_up_after_the_last_attempt(app, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    notify(make_user(), "password_changed", "never")
    db.session.commit()
    sending.sweep()
    assert sending.due() == []
    (row,) = _rows()
    assert row.attempts == 2 and row.sent_at is None


def test_a_claimed_message_is_left_alone_until_its_claim_lapses(app, smtp, monkeypatch):
    """A sender that died after claiming: the message goes out once its claim has lapsed."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "unreachable")
    message = notify(make_user(), "password_changed", "held")
    db.session.commit()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    assert sending._claim(message.id) is not None  # and its sender dies here

    with smtp_sink(smtp) as server:
        assert sending.sweep() == 0
        db.session.execute(
            OutboxMessage.__table__.update().values(claimed_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        assert sending.sweep() == 1
    assert len(server.received) == 1


def test_concurrent_sweeps_after_an_outage_send_every_message_exactly_once(app, smtp):
    users = [make_user() for _ in range(3)]
    messages = [notify(users[n % 3], "password_changed", f"message {n}") for n in range(24)]
    db.session.commit()  # all refused: nothing listens
    assert sending.unsent_count() == 24

    with smtp_sink(smtp) as server:
        results: list[int] = []

        def sweep() -> None:
            with app.app_context():
                results.append(sending.sweep(limit=5))

        threads = [threading.Thread(target=sweep) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sending.sweep()

    assert sum(results) == 24
    received = server.message_ids()
    assert len(received) == 24
    assert sorted(received) == sorted(f"<{m.id}@miti.example>" for m in messages)
    assert sending.unsent_count() == 0
