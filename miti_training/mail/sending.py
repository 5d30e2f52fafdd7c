"""The outbox: each message is a row committed with its change, then claimed and sent once.

Whoever sends (the request after its commit, the RQ job, the worker's sweep) first claims the
row in one conditional UPDATE: unsent, due, and not held by a live claim. Only the claimer
sends; it then marks the row sent, or records the failure and when to try again. Two senders
can never both hold a row. The one window left is a sender dying after the SMTP server took
the message and before the row is marked: its claim lapses after MAIL_CLAIM_SECONDS and the
message goes out a second time (at least once, never lost).
"""

import base64
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from miti_training.db_setup import sqlite_write_transaction
from miti_training.extensions import db
from miti_training.mail.delivery import deliver
from miti_training.mail.render import Attachment, OutgoingEmail
from miti_training.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)

_table = OutboxMessage.__table__
_c = _table.c


def add(message: OutgoingEmail) -> OutboxMessage:
    """Keep message on the session: it is stored, or dropped, with the transaction."""
    row = row_for(message)
    db.session.add(row)
    return row


def row_for(message: OutgoingEmail) -> OutboxMessage:
    """The outbox row of message, not on the session yet."""
    return OutboxMessage(
        message_id=message.id,
        recipient=message.to,
        subject=message.subject,
        body=message.body,
        html=message.html,
        locale=message.locale,
        reply_to=message.reply_to,
        attachments=[
            {
                "filename": item.filename,
                "content_type": item.content_type,
                "data": base64.b64encode(item.data).decode("ascii"),
            }
            for item in message.attachments
        ],
    )


def _attachments(stored) -> tuple[Attachment, ...]:
    return tuple(
        Attachment(item["filename"], item["content_type"], base64.b64decode(item["data"]))
        for item in stored or ()
    )


def retry_delay(attempts: int) -> timedelta:
    """The wait after the attempts-th failure: doubling from MAIL_RETRY_SECONDS, capped."""
    config = current_app.config
    seconds = config["MAIL_RETRY_SECONDS"] * 2 ** min(max(attempts - 1, 0), 20)
    return timedelta(seconds=min(seconds, config["MAIL_RETRY_MAX_SECONDS"]))


def _claimable(now):
    return (
        _c.sent_at.is_(None),
        _c.attempts < current_app.config["MAIL_MAX_ATTEMPTS"],
        _c.next_attempt_at <= now,
        or_(_c.claimed_until.is_(None), _c.claimed_until < now),
    )


def _claim(message_id: str):
    """The row of message_id, now held by this sender; None if sent, not due or held."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    statement = (
        update(_table)
        .where(_c.message_id == message_id, *_claimable(now))
        .values(attempts=_c.attempts + 1, claimed_until=now + lease)
        .returning(
            *(_c.id, _c.message_id, _c.recipient, _c.subject, _c.body, _c.html, _c.locale),
            *(_c.reply_to, _c.attachments, _c.attempts),
        )
    )
    with db.engine.begin() as connection:
        return connection.execute(statement).one_or_none()


def send(message_id: str) -> bool:
    """Claim, deliver and mark one message; whether this call sent it.

    A delivery error is recorded on the row (retried after retry_delay) and not raised.
    """
    row = _claim(message_id)
    if row is None:
        return False
    message = OutgoingEmail(
        to=row.recipient,
        subject=row.subject,
        body=row.body,
        locale=row.locale,
        html=row.html,
        id=row.message_id,
        reply_to=row.reply_to,
        attachments=_attachments(row.attachments),
    )
    try:
        deliver(message)
    except Exception as error:  # SMTP refused, timed out, ...: the row says when to retry
        _record_failure(row, error)
        return False
    with db.engine.begin() as connection:
        connection.execute(
            update(_table)
            .where(_c.id == row.id)
            .values(sent_at=utcnow(), claimed_until=None, last_error=None)
        )
    return True


def _record_failure(row, error: Exception) -> None:
    delay = retry_delay(row.attempts)
    final = row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]
    with db.engine.begin() as connection:
        connection.execute(
            update(_table)
            .where(_c.id == row.id, _c.sent_at.is_(None))
            .values(
                claimed_until=None,
                next_attempt_at=utcnow() + delay,
                last_error=f"{type(error).__name__}: {error}"[:500],
            )
        )
    if final:
        log.error("Mail %s not sent after %d attempts: %s", row.message_id, row.attempts, error)
    else:
        log.warning(
            "Mail %s not sent (attempt %d), retried in %ds: %s",
            row.message_id,
            row.attempts,
            delay.total_seconds(),
            error,
        )


def _read(statement):
    """Run a query without SQLite's write lock (a plain BEGIN; a no-op on PostgreSQL)."""
    token = sqlite_write_transaction.set(False)
    try:
        with db.engine.connect() as connection:
            return connection.execute(statement).all()
    finally:
        sqlite_write_transaction.reset(token)


def due(limit: int = 100) -> list[str]:
    """Ids of messages a sender may claim now, the longest waiting first."""
    statement = (
        select(_c.message_id).where(*_claimable(utcnow())).order_by(_c.next_attempt_at).limit(limit)
    )
    return [message_id for (message_id,) in _read(statement)]


def sweep(limit: int = 100) -> int:
    """Send every message that is due, oldest first; forget old sent ones. How many were sent."""
    sent = 0
    while True:
        batch = due(limit)
        sent_now = sum(send(message_id) for message_id in batch)
        sent += sent_now
        # Stop when the batch was the last one or nothing more could be sent (failing SMTP).
        if len(batch) < limit or not sent_now:
            break
    keep = timedelta(days=current_app.config["MAIL_KEEP_SENT_DAYS"])
    with db.engine.begin() as connection:
        connection.execute(delete(_table).where(_c.sent_at < utcnow() - keep))
    return sent


def unsent_count() -> int:
    """Messages not sent yet (due, waiting for a retry, or given up)."""
    ((count,),) = _read(select(func.count()).where(_c.sent_at.is_(None)))
    return count
