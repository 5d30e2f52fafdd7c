"""Email: rendered in the recipient's language, stored with the change, sent after the commit.

notify() renders a message and adds it to the database outbox on the session, so it is
committed, or rolled back, with the change that caused it (a savepoint's rollback drops it
too). After the commit the message is sent: by the worker through the Redis queue
(mail.queue) when REDIS_URL is set, else in-process; either way through mail.sending, which
claims it first, so it goes out once. Whatever cannot go out now (Redis or SMTP down) waits in
the outbox for `flask worker`'s sweep (docs/security.md, item 26).
"""

import logging

from flask import Flask, current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from miti_training.extensions import db, mail
from miti_training.mail import sending
from miti_training.mail.delivery import outbox
from miti_training.mail.queue import enqueue
from miti_training.mail.render import Attachment, OutgoingEmail, render_email
from miti_training.models import OutboxMessage

__all__ = [
    "Attachment",
    "OutgoingEmail",
    "init_app",
    "notify",
    "outbox",
    "queue_rendered",
    "render_email",
]

log = logging.getLogger(__name__)

_PENDING_KEY = "miti_pending_mail"


def init_app(app: Flask) -> None:
    """Bind Flask-Mail (SMTP settings) to the app; the session hook below is global."""
    mail.init_app(app)


def notify(recipient, template: str, subject, *, email: str | None = None, **context):
    """Render emails/<template>.txt for recipient in their language; send after commit.

    recipient is a User (its language and address are used) or None with email= given;
    locale=, reply_to= and attachments= are passed on to render_email.
    """
    return queue_rendered(render_email(recipient, template, subject, email=email, **context))


def queue_rendered(message: OutgoingEmail) -> OutgoingEmail:
    """Keep a message rendered earlier (render_email) on the session; send after commit."""
    track(message.id, sending.add(message))
    return message


def track(message_id: str, row: OutboxMessage) -> None:
    """Send message_id after the commit if its outbox row (on the session) was stored."""
    db.session.info.setdefault(_PENDING_KEY, []).append((message_id, row))


def _committed(pending: list[tuple[str, OutboxMessage]]) -> list[str]:
    """The ids whose outbox rows the commit stored (a rolled-back savepoint dropped the rest)."""
    return [message_id for message_id, row in pending if inspect(row).persistent]


@event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released: its mail waits for the real commit
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    message_ids = _committed(pending)
    if not message_ids:
        return
    if current_app.config.get("REDIS_URL"):
        enqueue(message_ids)  # or, Redis down, the worker's sweep finds them
        return
    for message_id in message_ids:
        try:
            sending.send(message_id)
        except Exception:  # the committed action stands; the sweep sends the message later
            log.exception("Could not send mail %s now; it waits in the outbox", message_id)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_PENDING_KEY, None)
