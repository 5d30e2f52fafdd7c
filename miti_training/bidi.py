"""Bidirectional text controls: taken out of what people type, names isolated where shown.

The embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) can reorder the text
around them: a right-to-left override in a name would reverse the rest of a certificate line
or an attendee list. Nobody needs them to type a name or a title, so they are taken out of
single-line text on the way in (forms, the calendar import) and again wherever a name is
shown, where the name is also isolated so that its own direction stays inside it
(docs/security.md, item 28).

The marks U+200E, U+200F and U+061C stay: they only settle the direction of the neutral
characters next to them, mixed Arabic, Persian and Latin names use them, and an isolated name
keeps their effect inside itself.
"""

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_REMOVE = dict.fromkeys(map(ord, CONTROLS))
#: FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE: plain text's <bdi>.
FSI, PDI = "\u2068", "\u2069"


def strip_controls(text: str) -> str:
    """text without bidirectional embeddings, overrides and isolates."""
    return text.translate(_REMOVE)


def isolate(text) -> str:
    """text (a name) isolated for plain text, PDFs and spreadsheets; "" stays ""."""
    text = strip_controls("" if text is None else str(text))
    return FSI + text + PDI if text else ""
