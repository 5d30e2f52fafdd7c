"""Email: rendered in the recipient's language, delivered only once the transaction commits.

notify() renders a message and keeps it on the database session; after the commit it goes to
the Redis queue (mail.queue) when REDIS_URL is set, else straight to the backend
(mail.delivery). A rollback, or a savepoint's rollback, drops what it had queued.
"""

import logging

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from miti_training.extensions import db, mail
from miti_training.mail.delivery import deliver, outbox
from miti_training.mail.queue import enqueue_or_none
from miti_training.mail.render import OutgoingEmail, render_email

__all__ = ["OutgoingEmail", "init_app", "notify", "outbox"]

log = logging.getLogger(__name__)

_PENDING_KEY = "miti_pending_mail"
_MARKS_KEY = "miti_pending_mail_marks"


def init_app(app: Flask) -> None:
    """Bind Flask-Mail (SMTP settings) to the app; the session hooks below are global."""
    mail.init_app(app)


def notify(recipient, template: str, subject, *, email: str | None = None, **context):
    """Render emails/<template>.txt for recipient in their language; deliver after commit.

    recipient is a User (its language and address are used) or None with email= given.
    """
    message = render_email(recipient, template, subject, email=email, **context)
    db.session.info.setdefault(_PENDING_KEY, []).append(message)
    return message


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction) -> None:
    """Remember how much mail was queued when a savepoint began, to undo it on its rollback."""
    if transaction.nested:
        marks = session.info.setdefault(_MARKS_KEY, {})
        marks[transaction] = len(session.info.get(_PENDING_KEY, ()))


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    if session.in_nested_transaction():
        # A savepoint was released: its mail waits for the real commit.
        session.info.get(_MARKS_KEY, {}).pop(session.get_nested_transaction(), None)
        return
    session.info.pop(_MARKS_KEY, None)
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    if current_app.config.get("REDIS_URL"):
        pending = [message for message in pending if not enqueue_or_none(message)]
    for message in pending:
        try:
            deliver(message)
        except Exception:  # a mail failure must not undo or hide a committed action
            log.exception("Could not deliver mail %s", message.id)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    if session.in_nested_transaction():
        # A savepoint rolled back: drop only the mail queued inside it.
        mark = session.info.get(_MARKS_KEY, {}).pop(session.get_nested_transaction(), None)
        if mark is not None:
            del session.info.get(_PENDING_KEY, [])[mark:]
        return
    session.info.pop(_MARKS_KEY, None)
    session.info.pop(_PENDING_KEY, None)
