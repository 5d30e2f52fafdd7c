"""Rendering an email: the plain-text template in the recipient's language and its HTML twin."""

import re
import uuid
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

from miti_training.formatting import text_direction


@dataclass
class OutgoingEmail:
    """A rendered message waiting for the transaction to commit."""

    to: str
    subject: str
    body: str
    locale: str
    html: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


def render_email(recipient, template: str, subject, *, email: str | None = None, **context):
    """emails/<template>.txt for recipient (a User, or None with email=) in their language.

    The HTML alternative is the same text inside emails/_layout.html.
    """
    locale = getattr(recipient, "preferred_language", None) or "en"
    address = email or recipient.email
    with force_locale(locale):
        body = render_template(f"emails/{template}.txt", recipient=recipient, **context)
        return OutgoingEmail(
            to=address,
            subject=str(subject),
            body=body,
            locale=locale,
            html=render_html(body, str(subject), locale),
        )


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


def render_html(body: str, subject: str, locale: str) -> str:
    """The HTML alternative of a rendered plain-text body, in the one email layout."""
    return render_template(
        "emails/_layout.html",
        paragraphs=text_to_html(body),
        subject=subject,
        lang=locale,
        direction=text_direction(locale),
    )
