"""Handing a rendered message to the configured backend: memory (tests), outbox folder, SMTP."""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from flask import current_app
from flask_mail import BadHeaderError, Message, sanitize_address, sanitize_addresses

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
        smtp_message = Message(
            subject=message.subject,
            recipients=[message.to],
            body=message.body,
            html=message.html or None,
            sender=current_app.config["MAIL_DEFAULT_SENDER"],
            reply_to=message.reply_to or None,
        )
        for item in message.attachments:
            smtp_message.attach(item.filename, item.content_type, item.data)
        smtp_message.msgId = message_id_header(message)
        _send_by_smtp(smtp_message)
    else:
        raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}")


def message_id_header(message: OutgoingEmail) -> str:
    """The same Message-ID on every attempt of one message, so a copy is recognisable."""
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    return f"<{message.id}@{domain or 'miti.example'}>"


def _send_by_smtp(message: Message) -> None:
    """Flask-Mail's message over a connection with a timeout (Flask-Mail's own has none, and
    a hung server must fail the attempt well before its claim lapses)."""
    if message.has_bad_headers():
        raise BadHeaderError
    settings = current_app.extensions["mail"]
    smtp_class = smtplib.SMTP_SSL if settings.use_ssl else smtplib.SMTP
    timeout = current_app.config["MAIL_TIMEOUT"]
    with smtp_class(settings.server, settings.port, timeout=timeout) as smtp:
        if settings.use_tls:
            smtp.starttls()
        if settings.username and settings.password:
            smtp.login(settings.username, settings.password)
        smtp.sendmail(
            sanitize_address(message.sender),
            list(sanitize_addresses(message.send_to)),
            message.as_bytes(),
        )


def _write_to_outbox_dir(message: OutgoingEmail) -> None:
    """Development: keep the message as an .eml file and say so in the log."""
    directory = Path(current_app.config["MAIL_OUTBOX_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    eml = EmailMessage()
    eml["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    eml["To"] = message.to
    eml["Subject"] = message.subject
    if message.reply_to:
        eml["Reply-To"] = message.reply_to
    eml.set_content(message.body)
    if message.html:
        eml.add_alternative(message.html, subtype="html")
    for item in message.attachments:
        maintype, _slash, subtype = item.content_type.partition("/")
        eml.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    # Last: setting the content replaces the Content-* headers set before it.
    eml["Content-Language"] = message.locale
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = directory / f"{stamp}-{message.id}.eml"
    path.write_bytes(bytes(eml))
    log.info("Mail to %s recorded in %s", message.to, path)
