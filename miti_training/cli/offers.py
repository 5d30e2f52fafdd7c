"""`flask offers expire`: seats offered from a waiting list whose deadline has passed go to the
next person in line. `flask worker` runs the same sweep every MAIL_SWEEP_SECONDS.

Each offer is its own transaction: a failure leaves that one for the next run and does not
stop the others; runs at the same time expire each offer once (registrations.offers.expire).
"""

import logging
from datetime import datetime

import click
from flask.cli import with_appcontext

from miti_training.db_setup import sqlite_write_transaction
from miti_training.extensions import db
from miti_training.registrations import offers

log = logging.getLogger(__name__)


def expire_due_offers(now: datetime | None = None) -> int:
    """Expire every offer past its deadline now; the number this run expired."""
    # Listing only reads: on SQLite it must not hold the write lock other runs wait for.
    token = sqlite_write_transaction.set(False)
    try:
        due = offers.due(now)
    finally:
        db.session.rollback()
        sqlite_write_transaction.reset(token)
    expired = 0
    for registration_id in due:
        try:
            done = offers.expire(registration_id, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("Expiring the offer of registration %s failed", registration_id)
            done = False
        expired += done
    return expired


@click.group("offers")
def offers_cli() -> None:
    """Seats offered from waiting lists."""


@offers_cli.command("expire")
@with_appcontext
def expire() -> None:
    """Pass every offer not accepted in time to the next person (safe to run twice at once)."""
    expired = expire_due_offers()
    click.echo(f"Expired {expired} offer(s).")
