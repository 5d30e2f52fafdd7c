"""URL slugs for programmes: readable, ASCII, unique."""

import re
import unicodedata

from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import Programme

MAX_LENGTH = 100
_SLUG_SHAPE = re.compile(r"[A-Za-z0-9_-]+")


def looks_like_slug(text: str, max_length: int = 120) -> bool:
    """Worth a query: slug characters only (also keeps NUL bytes away from PostgreSQL)."""
    return 0 < len(text) <= max_length and _SLUG_SHAPE.fullmatch(text) is not None


def slugify(text: str) -> str:
    """'Peer Review Process — Séoul 2026' -> 'peer-review-process-seoul-2026'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_LENGTH].strip("-") or "programme"


def unique_programme_slug(title: str, *, taken: set[str] | None = None) -> str:
    """A slug from title not used by any programme (nor in taken, for batches)."""
    base = slugify(title)
    taken = taken or set()
    candidate, n = base, 2
    while candidate in taken or db.session.scalar(
        select(Programme.id).where(Programme.slug == candidate)
    ):
        suffix = f"-{n}"
        candidate = base[: MAX_LENGTH - len(suffix)] + suffix
        n += 1
    return candidate
