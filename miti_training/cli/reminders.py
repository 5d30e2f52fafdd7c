"""`flask send-reminders`: the automatic emails that are due, each once per person.

Meant for a timer every few minutes (deploy/miti-reminders.timer). Each email is its own
transaction: a failure leaves that one due for the next run and does not stop the others; a
run at the same time as another never sends one twice (miti_training.reminders).
"""

import logging
from datetime import datetime

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from miti_training import reminders
from miti_training.db_setup import sqlite_write_transaction
from miti_training.extensions import db

log = logging.getLogger(__name__)


def send_due_reminders(now: datetime | None = None) -> tuple[int, int]:
    """Send what is due now; (sent, skipped because no longer due or sent by another run)."""
    # Listing only reads: on SQLite it must not hold the write lock other runs wait for.
    token = sqlite_write_transaction.set(False)
    try:
        due = reminders.due(now)
    finally:
        db.session.rollback()
        sqlite_write_transaction.reset(token)
    sent = skipped = 0
    for registration_id, kind in due:
        try:
            done = reminders.send_reminder(registration_id, kind)
            db.session.commit()
        except IntegrityError:  # another run recorded it first: it sent it
            db.session.rollback()
            done = False
        except Exception:
            db.session.rollback()
            log.exception("Reminder %s for registration %s failed", kind, registration_id)
            done = False
        sent += done
        skipped += not done
    return sent, skipped


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Email the reminders and follow-ups that are due (safe to run often, and twice at once)."""
    sent, skipped = send_due_reminders()
    click.echo(f"Sent {sent} reminder(s); {skipped} no longer due or already sent.")
