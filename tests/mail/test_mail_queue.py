"""With REDIS_URL set, a committed mail's id goes through the RQ "mail" queue (real Redis);
the message itself waits in the outbox, so Redis down loses nothing."""

import time

import pytest
from rq import Queue

from miti_training.extensions import db
from miti_training.mail import notify, sending
from miti_training.mail import queue as mail_queue
from tests.support.factories import make_user
from tests.support.redis_database import REDIS_TEST_URL, emptied_redis
from tests.support.servers import throwaway_redis


@pytest.fixture
def redis_queue(app, monkeypatch):
    """REDIS_URL pointing at an emptied test database; the "mail" queue on it."""
    with emptied_redis() as connection:
        monkeypatch.setitem(app.config, "REDIS_URL", REDIS_TEST_URL)
        app.extensions.pop("miti_redis_down_until", None)
        yield Queue(mail_queue.QUEUE_NAME, connection=connection)


def _run_burst_worker(queue):
    mail_queue.mail_worker(queue.connection).work(burst=True)


def test_a_committed_mail_is_queued_then_sent_by_the_worker(redis_queue, outbox):
    user = make_user(full_name="Ada <Lovelace>")
    message = notify(user, "password_changed", "queued")
    db.session.commit()

    assert outbox == []
    (job,) = redis_queue.get_jobs()
    assert job.func_name == "miti_training.mail.queue.send_queued"
    assert job.args == (message.id,)

    _run_burst_worker(redis_queue)

    assert redis_queue.count == 0
    (sent,) = outbox
    assert sent.subject == "queued"
    assert sent.to == user.email
    assert "Ada <Lovelace>" in sent.body
    assert "Ada &lt;Lovelace&gt;" in sent.html
    assert sending.unsent_count() == 0


def test_a_burst_run_ends_as_soon_as_the_queue_is_empty(redis_queue, outbox):
    """RQ's control-channel listener once held every stop of the worker for a minute."""
    notify(make_user(), "password_changed", "quick")
    db.session.commit()
    started = time.monotonic()
    _run_burst_worker(redis_queue)
    assert [m.subject for m in outbox] == ["quick"]
    assert time.monotonic() - started < 10


def test_a_message_queued_twice_is_sent_once(redis_queue, outbox):
    message = notify(make_user(), "password_changed", "twice")
    db.session.commit()
    assert mail_queue.enqueue([message.id])  # as the sweep of a second worker could
    assert redis_queue.count == 2
    _run_burst_worker(redis_queue)
    assert [m.subject for m in outbox] == ["twice"]


def test_a_rolled_back_mail_is_not_queued_nor_stored(redis_queue, outbox):
    user = make_user()
    db.session.commit()
    notify(user, "password_changed", "dropped")
    db.session.rollback()
    db.session.commit()
    assert redis_queue.count == 0
    assert sending.unsent_count() == 0
    _run_burst_worker(redis_queue)
    assert outbox == []


def test_a_savepoint_rollback_drops_only_its_own_mail(app, outbox):
    user = make_user()
    notify(user, "password_changed", "kept")
    with db.session.begin_nested() as savepoint:
        notify(user, "password_changed", "dropped")
        savepoint.rollback()
    db.session.commit()
    assert [m.subject for m in outbox] == ["kept"]


def test_mail_waits_in_the_outbox_when_redis_is_down_and_the_worker_sends_it_once(
    app, monkeypatch, outbox
):
    with throwaway_redis() as redis:
        monkeypatch.setitem(app.config, "REDIS_URL", redis.url)
        app.extensions.pop("miti_redis_down_until", None)
        redis.stop()
        notify(make_user(), "password_changed", "waited")
        db.session.commit()  # must not raise, nor wait for Redis
        assert outbox == []
        assert sending.unsent_count() == 1

        redis.start()
        runner = app.test_cli_runner()
        assert runner.invoke(args=["worker", "--burst"]).exit_code == 0
        assert runner.invoke(args=["worker", "--burst"]).exit_code == 0
        assert [m.subject for m in outbox] == ["waited"]
        assert sending.unsent_count() == 0


def test_flask_worker_burst_sends_queued_mail(app, redis_queue, monkeypatch, tmp_path):
    """The CLI worker writes the mail with the real backend and empties the queue."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "outbox")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))
    notify(make_user(), "password_changed", "from the worker")
    db.session.commit()
    assert redis_queue.count == 1
    assert list(tmp_path.glob("*.eml")) == []

    result = app.test_cli_runner().invoke(args=["worker", "--burst"])

    assert result.exit_code == 0, result.output
    assert redis_queue.count == 0
    assert len(list(tmp_path.glob("*.eml"))) == 1


def test_flask_worker_without_redis_sweeps_the_outbox(app, monkeypatch, outbox):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "unreachable")  # deliver() raises
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 0)
    notify(make_user(), "password_changed", "swept")
    db.session.commit()
    assert sending.unsent_count() == 1

    monkeypatch.setitem(app.config, "MAIL_BACKEND", "memory")
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 message(s)" in result.output
    assert [m.subject for m in outbox] == ["swept"]
