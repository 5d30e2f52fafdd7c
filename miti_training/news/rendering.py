"""A post's plain text shown as HTML: paragraphs at blank lines, line breaks within them,
and http(s) addresses as links. Everything typed is escaped first, so no markup can ever come
from the text; only addresses starting with http:// or https:// become links, and those carry
rel="nofollow noopener" (the site does not vouch for them)."""

import re

from markupsafe import Markup, escape

#: An address: http(s):// and anything up to a space or a character that cannot be in one.
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
#: Punctuation that ends a sentence rather than an address.
_TRAILING = ".,;:!?)]}»”’"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _split_url(match: str) -> tuple[str, str]:
    """The address and the punctuation after it ("(see https://a.org/x)." -> x, ").")."""
    url = match
    while url and url[-1] in _TRAILING:
        # A closing bracket belongs to the address when it opened one (Wikipedia's links).
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url, match[len(url) :]


def _line_html(line: str) -> Markup:
    parts: list[Markup] = []
    position = 0
    for found in _URL.finditer(line):
        url, rest = _split_url(found.group())
        if "://" not in url or url.endswith("://"):
            continue
        parts.append(escape(line[position : found.start()]))
        parts.append(Markup('<a href="{0}" rel="nofollow noopener">{0}</a>{1}').format(url, rest))
        position = found.end()
    parts.append(escape(line[position:]))
    return Markup("").join(parts)


def paragraphs(text: str) -> list[list[str]]:
    """The text's paragraphs (at blank lines), each a list of its lines."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return []
    return [
        [line.strip() for line in block.split("\n")]
        for block in _PARAGRAPH_BREAK.split(text)
        if block.strip()
    ]


def body_html(text: str) -> Markup:
    """The text as <p> paragraphs with <br> line breaks and linked addresses."""
    return Markup("\n").join(
        Markup('<p dir="auto">{}</p>').format(
            Markup("<br>").join(_line_html(line) for line in lines)
        )
        for lines in paragraphs(text)
    )
