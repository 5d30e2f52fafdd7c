"""Rendering an email: the plain-text template in the recipient's language and its HTML twin."""

import re
import uuid
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

from miti_training.formatting import text_direction


@dataclass(frozen=True)
class Attachment:
    """A file sent along with a message (a calendar, ...)."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class OutgoingEmail:
    """A rendered message waiting for the transaction to commit."""

    to: str
    subject: str
    body: str
    locale: str
    html: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    #: Where a reply goes; empty: no Reply-To header (replies go to the sender address).
    reply_to: str = ""
    attachments: tuple[Attachment, ...] = ()


def render_email(
    recipient,
    template: str,
    subject,
    *,
    email: str | None = None,
    locale: str | None = None,
    reply_to: str = "",
    attachments: tuple[Attachment, ...] = (),
    **context,
):
    """emails/<template>.txt for recipient (a User, or None with email=) in their language
    (or in locale, when the message was written in another one).

    The HTML alternative is the same text inside emails/_layout.html. Its only links are the
    ones the app built and passed as `link` or `..._link` (docs/security.md, item 27).
    """
    links = frozenset(
        value
        for key, value in context.items()
        if (key == "link" or key.endswith("_link")) and isinstance(value, str) and value
    )
    locale = locale or getattr(recipient, "preferred_language", None) or "en"
    address = email or recipient.email
    with force_locale(locale):
        body = render_template(f"emails/{template}.txt", recipient=recipient, **context)
        return OutgoingEmail(
            to=address,
            subject=str(subject),
            body=body,
            locale=locale,
            html=render_html(body, str(subject), locale, links=links),
            reply_to=reply_to,
            attachments=tuple(attachments),
        )


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
#: What makes a mail client turn text into a link: a scheme's "//", the dot of a domain (also
#: the ideographic and full-width dots that IDNA reads as dots), the @ of an address.
_LINK_SHAPE = re.compile(r"(?<=:)(?=//)|(?<=\w)([.@\u3002\uff0e\uff61])(?=\w)")
#: U+2060 WORD JOINER: shows nothing and adds no line break, but no URL or domain pattern of
#: a mail client runs across it.
_JOINER = "\u2060"


def unlinkable(text: str) -> str:
    """text as it displays, but not seen as a link or an address by a mail client."""
    return _LINK_SHAPE.sub(
        lambda m: _JOINER + (m.group(1) or "") + (_JOINER if m.group(1) else ""), text
    )


def _line_html(line: str, links: re.Pattern | None) -> Markup:
    """One escaped line: the app's own links clickable, every other text kept from being one."""
    parts, position = [], 0
    for match in links.finditer(line) if links is not None else ():
        parts.append(escape(unlinkable(line[position : match.start()])))
        parts.append(Markup('<a href="{0}">{0}</a>').format(match.group()))
        position = match.end()
    parts.append(escape(unlinkable(line[position:])))
    return Markup("").join(parts)


def text_to_html(body: str, links=frozenset()) -> list[Markup]:
    """Paragraphs (split on blank lines) of a plain-text body, escaped, line breaks kept.

    links: the URLs the app built; they become links where they appear, and nothing else does.
    """
    pattern = (
        re.compile("|".join(re.escape(link) for link in sorted(links, key=len, reverse=True)))
        if links
        else None
    )
    paragraphs = []
    for paragraph in _PARAGRAPH_BREAK.split(body.replace("\r\n", "\n")):
        lines = [line.strip() for line in paragraph.strip().split("\n")]
        if any(lines):
            paragraphs.append(Markup("<br>\n").join(_line_html(line, pattern) for line in lines))
    return paragraphs


def render_html(body: str, subject: str, locale: str, links=frozenset()) -> str:
    """The HTML alternative of a rendered plain-text body, in the one email layout."""
    return render_template(
        "emails/_layout.html",
        paragraphs=text_to_html(body, links),
        subject=unlinkable(subject),
        lang=locale,
        direction=text_direction(locale),
    )


def compile_templates(app) -> int:
    """Compile every email template into app's template cache now; how many there are.

    Each process compiles a template the first time it renders it, tens of milliseconds:
    done at start, the first registrations of a burst do not pay for it."""
    environment = app.jinja_env
    names = environment.list_templates(filter_func=lambda name: name.startswith("emails/"))
    for name in names:
        environment.get_template(name)
    return len(names)
