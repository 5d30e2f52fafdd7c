"""The one way email leaves the system: rendered in the recipient's language, sent after commit."""

import logging
import re
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from babel import Locale, UnknownLocaleError
from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message
from markupsafe import Markup, escape
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
    html: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


def notify(recipient, template: str, subject, *, email: str | None = None, **context):
    """Render emails/<template>.txt for recipient in their language; deliver after commit.

    recipient is a User (its language and address are used) or None with email= given.
    The HTML alternative is the same text inside emails/_layout.html.
    """
    locale = getattr(recipient, "preferred_language", None) or "en"
    address = email or recipient.email
    with force_locale(locale):
        body = render_template(f"emails/{template}.txt", recipient=recipient, **context)
        message = OutgoingEmail(
            to=address,
            subject=str(subject),
            body=body,
            locale=locale,
            html=render_html(body, str(subject), locale),
        )
    db.session.info.setdefault(_PENDING_KEY, []).append(message)
    return message


_URL = re.compile(r"https?://[^\s<>\"'“”«»]+")
_URL_TRAILING = ".,;:!?)]}"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _linkify(text: str) -> Markup:
    """Escape text and turn its http(s) URLs into links; nothing of the text is trusted."""
    parts, position = [], 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_URL_TRAILING)
        end = match.start() + len(url)
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def text_to_html(body: str) -> list[Markup]:
    """Paragraphs (split on blank lines) of a plain-text body, escaped, line breaks kept."""
    paragraphs = []
    for paragraph in _PARAGRAPH_BREAK.split(body.replace("\r\n", "\n")):
        lines = [line.strip() for line in paragraph.strip().split("\n")]
        if any(lines):
            paragraphs.append(Markup("<br>\n").join(_linkify(line) for line in lines))
    return paragraphs


def text_direction(locale: str) -> str:
    """ "rtl" for right-to-left languages (Arabic, Persian), else "ltr"."""
    try:
        order = Locale.parse(locale).character_order
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def render_html(body: str, subject: str, locale: str) -> str:
    """The HTML alternative of a rendered plain-text body, in the one email layout."""
    return render_template(
        "emails/_layout.html",
        paragraphs=text_to_html(body),
        subject=subject,
        lang=locale,
        direction=text_direction(locale),
    )


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
    if not pending:
        return
    if current_app.config.get("REDIS_URL"):
        from .mail_queue import enqueue_or_none

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
