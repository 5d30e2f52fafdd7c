"""Short codes people read, type and say aloud: check-in codes and certificate codes.

Crockford's base32: digits and capitals without I, L, O and U. Typing is forgiving: case,
spaces and dashes do not matter, and O, I, L are read as 0, 1, 1.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Letters people type for the digits they look like (Crockford's decoding rules).
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
#: Separators people type or copy inside a code: spaces and dashes of every kind.
_SEPARATORS = frozenset(" \t\u00a0\u2009\u202f-\u2010\u2011\u2012\u2013\u2014\u2212_.")
#: Anything longer than this is not a code, however many separators it has.
MAX_INPUT = 40


def from_number(number: int, length: int) -> str:
    """The last length symbols of number in base32 (5 bits each)."""
    return "".join(ALPHABET[(number >> (5 * shift)) & 31] for shift in reversed(range(length)))


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def grouped(code: str) -> str:
    """The code in groups of four, the way it is printed ("7K3M-QX9P")."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(typed: str | None, length: int) -> str | None:
    """The typed code in canonical form (no separators); None when it cannot be a code."""
    if not typed or len(typed) > MAX_INPUT:
        return None
    code = "".join(c for c in typed if c not in _SEPARATORS).upper().translate(_LOOKALIKES)
    if len(code) != length or any(c not in ALPHABET for c in code):
        return None
    return code


def qr_data_uri(url: str, *, scale: int, border: int, **colours: str) -> str:
    """A QR code of url (medium error correction) as an SVG data: URI; colours: dark, light."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=scale, border=border, **colours)
