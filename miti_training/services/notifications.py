"""The one way email leaves the system: rendered in the recipient's language, sent after commit."""

import logging
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db, mail
from ..models import utcnow

log = logging.getLogger(__name__)

_PENDING_KEY = "miti_pending_mail"


@dataclass
class OutgoingEmail:
    """A rendered message waiting for the transaction to commit."""

    to: str
    subject: str
    body: str
    locale: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


def notify(recipient, template: str, subject, *, email: str | None = None, **context):
    """Render emails/<template>.txt for recipient in their language; deliver after commit.

    recipient is a User (its language and address are used) or None with email= given.
    """
    locale = getattr(recipient, "preferred_language", None) or "en"
    address = email or recipient.email
    with force_locale(locale):
        message = OutgoingEmail(
            to=address,
            subject=str(subject),
            body=render_template(f"emails/{template}.txt", recipient=recipient, **context),
            locale=locale,
        )
    db.session.info.setdefault(_PENDING_KEY, []).append(message)
    return message


def outbox() -> list[OutgoingEmail]:
    """Messages delivered with the in-memory backend (tests)."""
    return current_app.extensions.setdefault("miti_outbox", [])


def deliver(message: OutgoingEmail) -> None:
    """Hand one message to the configured backend."""
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox().append(message)
    elif backend == "outbox":
        _write_to_outbox_dir(message)
    elif backend == "smtp":
        mail.send(
            Message(
                subject=message.subject,
                recipients=[message.to],
                body=message.body,
                sender=current_app.config["MAIL_DEFAULT_SENDER"],
            )
        )
    else:
        raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}")


def _write_to_outbox_dir(message: OutgoingEmail) -> None:
    """Development: keep the message as an .eml file and say so in the log."""
    directory = Path(current_app.config["MAIL_OUTBOX_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    eml = EmailMessage()
    eml["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    eml["To"] = message.to
    eml["Subject"] = message.subject
    eml["Content-Language"] = message.locale
    eml.set_content(message.body)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = directory / f"{stamp}-{message.id}.eml"
    path.write_bytes(bytes(eml))
    log.info("Mail to %s recorded in %s", message.to, path)


_MARKS_KEY = "miti_pending_mail_marks"


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
    for message in pending or ():
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
