"""`flask worker`: the one process that sends mail.

It sweeps the outbox every MAIL_SWEEP_SECONDS (mail queued while Redis was down, retries that
came due, claims whose sender died), passes seat offers not accepted in time to the next
person on the waiting list (cli.offers), and, when REDIS_URL is set, runs an RQ worker on the "mail"
queue for the messages the requests queued. Every message is claimed before it is sent, so the
two, or several workers on several hosts, never send one twice.
"""

import contextlib
import logging
import signal
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from redis import Redis
from redis.exceptions import RedisError

from miti_training.cli.offers import expire_due_offers
from miti_training.mail import sending
from miti_training.mail.queue import mail_worker

log = logging.getLogger(__name__)


def sweep_once(app: Flask) -> int:
    """One sweep in an app context of its own; a database error is logged, not raised."""
    with app.app_context():
        try:
            return sending.sweep()
        except Exception:  # database down: the next sweep tries again
            log.exception("Mail sweep failed")
            return 0


def expire_offers_once(app: Flask) -> int:
    """Expire the offers past their deadline; a database error is logged, not raised."""
    with app.app_context():
        try:
            return expire_due_offers()
        except Exception:  # database down: the next sweep tries again
            log.exception("Offer sweep failed")
            return 0


def sweep_until(app: Flask, stop: threading.Event) -> None:
    while not stop.is_set():
        # Expired offers first: the offers they pass on are then sent in the same round.
        expire_offers_once(app)
        sweep_once(app)
        stop.wait(app.config["MAIL_SWEEP_SECONDS"])


def _rq_worker(url: str):
    return mail_worker(Redis.from_url(url))


@click.command("worker")
@click.option("--burst", is_flag=True, help="Send what is due and what is queued, then stop.")
@with_appcontext
def worker(burst: bool) -> None:
    """Send mail: sweep the outbox, and work the RQ "mail" queue of REDIS_URL when set."""
    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if burst:
        expire_offers_once(app)
        sent = sweep_once(app)
        if url:
            try:
                _rq_worker(url).work(burst=True)
            except RedisError as error:
                log.warning("Redis unreachable, only the outbox was swept: %s", error)
        click.echo(f"Sent {sent} message(s) from the outbox.")
        return
    stop = threading.Event()
    if not url:
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        with contextlib.suppress(KeyboardInterrupt):
            sweep_until(app, stop)
        return
    sweeper = threading.Thread(target=sweep_until, args=(app, stop), name="mail-sweep")
    sweeper.start()
    try:
        while not stop.is_set():
            try:
                # Returns on SIGTERM or Ctrl-C (RQ's warm shutdown).
                _rq_worker(url).work(burst=False)
                break
            except RedisError as error:
                log.warning("Redis unreachable, the sweep sends mail meanwhile: %s", error)
                stop.wait(app.config["MAIL_SWEEP_SECONDS"])
    finally:
        stop.set()
        sweeper.join()
