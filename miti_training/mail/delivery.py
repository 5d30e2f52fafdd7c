"""Handing a rendered message to the configured backend: memory (tests), outbox folder, SMTP."""

import logging
from email.message import EmailMessage
from pathlib import Path

from flask import current_app
from flask_mail import Message

from miti_training.extensions import mail
from miti_training.mail.render import OutgoingEmail
from miti_training.models import utcnow

log = logging.getLogger(__name__)


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
                html=message.html or None,
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
    if message.html:
        eml.add_alternative(message.html, subtype="html")
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = directory / f"{stamp}-{message.id}.eml"
    path.write_bytes(bytes(eml))
    log.info("Mail to %s recorded in %s", message.to, path)
