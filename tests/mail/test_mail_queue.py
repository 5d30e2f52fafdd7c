"""With REDIS_URL set, mail goes through the RQ "mail" queue after commit (real Redis)."""

import logging

import pytest
from rq import Queue, SimpleWorker

from miti_training.extensions import db
from miti_training.mail import notify
from miti_training.mail import queue as mail_queue
from tests.support.factories import make_user
from tests.support.redis_database import REDIS_TEST_URL, emptied_redis


@pytest.fixture
def redis_queue(app, monkeypatch):
    """REDIS_URL pointing at an emptied test database; the "mail" queue on it."""
    with emptied_redis() as connection:
        monkeypatch.setitem(app.config, "REDIS_URL", REDIS_TEST_URL)
        yield Queue(mail_queue.QUEUE_NAME, connection=connection)


def _run_burst_worker(queue):
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_a_committed_mail_is_queued_then_sent_by_the_worker(redis_queue, outbox):
    user = make_user(full_name="Ada <Lovelace>")
    notify(user, "password_changed", "queued")
    db.session.commit()

    assert outbox == []
    (job,) = redis_queue.get_jobs()
    assert job.func_name == "miti_training.mail.queue.send_email"
    assert job.retries_left == 5
    assert job.retry_intervals == [10, 30, 60, 300, 900]
    (payload,) = job.args
    assert isinstance(payload, dict)
    assert payload["to"] == user.email

    _run_burst_worker(redis_queue)

    assert redis_queue.count == 0
    (message,) = outbox
    assert message.subject == "queued"
    assert message.to == user.email
    assert "Ada <Lovelace>" in message.body
    assert "Ada &lt;Lovelace&gt;" in message.html


def test_a_rolled_back_mail_is_not_queued(redis_queue, outbox):
    user = make_user()
    db.session.commit()
    notify(user, "password_changed", "dropped")
    db.session.rollback()
    db.session.commit()
    assert redis_queue.count == 0
    _run_burst_worker(redis_queue)
    assert outbox == []


def test_mail_is_sent_in_process_when_redis_is_down(app, monkeypatch, outbox, caplog):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    user = make_user()
    notify(user, "password_changed", "still sent")
    with caplog.at_level(logging.ERROR, logger=mail_queue.__name__):
        db.session.commit()  # must not raise
    assert [m.subject for m in outbox] == ["still sent"]
    assert "Redis unreachable" in caplog.text


def test_flask_worker_burst_sends_queued_mail(app, redis_queue, monkeypatch, tmp_path):
    """The CLI worker (forking, like production) writes the mail with the real backend."""
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


def test_flask_worker_refuses_to_start_without_redis_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output


def test_a_failed_delivery_is_retried_later_and_the_mail_sent_once(app, redis_queue, outbox):
    """Delivery fails: the job waits for its retry, then goes out exactly once."""
    from rq.registry import ScheduledJobRegistry

    notify(make_user(), "password_changed", "retried")
    db.session.commit()
    (job,) = redis_queue.get_jobs()

    app.config.update(MAIL_BACKEND="unreachable")  # deliver() raises, as on an SMTP error
    try:
        _run_burst_worker(redis_queue)
    finally:
        app.config.update(MAIL_BACKEND="memory")
    scheduled = ScheduledJobRegistry(queue=redis_queue)
    assert job.id in scheduled.get_job_ids()
    job.refresh()
    assert job.retries_left == len(mail_queue.RETRY_INTERVALS) - 1
    assert outbox == []

    # The retry comes due (here: now) and delivery works again.
    redis_queue.enqueue_job(job)
    _run_burst_worker(redis_queue)
    _run_burst_worker(redis_queue)
    assert [m.subject for m in outbox] == ["retried"]
    assert redis_queue.count == 0
