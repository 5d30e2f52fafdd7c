"""Redirect targets: only paths on this site (no open redirects, Indico CVE-2024-45399)."""

import unicodedata
from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str) -> str:
    """Return target when it is a local path, else fallback."""
    if not target:
        return fallback
    target = target.strip()
    if "\\" in target or any(unicodedata.category(c) == "Cc" for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
