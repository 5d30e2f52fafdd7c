"""What counts as the same letter in a search, for the documents (SQL) and the query (Python).

Case and Latin accents are folded by the index itself on each backend (PostgreSQL's
`unaccent` and `lower`, SQLite FTS5's `unicode61 remove_diacritics 2`) and by `fold()` for the
query. What neither index folds is listed once in FOLDINGS and applied on both sides: the
triggers replace these characters in the documents, `fold()` in the query.
"""

import re
import unicodedata

#: Arabic short vowels and other marks (harakat, U+064B-U+065F), the superscript alef and the
#: tatweel: written or not, the word is the same. FTS5 would take them for word separators.
_ARABIC_MARKS = [chr(code) for code in range(0x064B, 0x0660)] + ["\u0670", "\u0640"]

#: (character, replacement) pairs, applied in this order.
FOLDINGS: tuple[tuple[str, str], ...] = (
    *((mark, "") for mark in _ARABIC_MARKS),
    # Arabic and Persian keyboards type different yeh and kaf for the same letter.
    ("\u064a", "\u06cc"),  # ي -> ی
    ("\u0649", "\u06cc"),  # ى (alef maksura) -> ی
    ("\u0643", "\u06a9"),  # ك -> ک
    # A hamza or madda on a carrier is often not typed: the bare letter.
    ("\u0622", "\u0627"),  # آ
    ("\u0623", "\u0627"),  # أ
    ("\u0625", "\u0627"),  # إ
    ("\u0671", "\u0627"),  # ٱ
    ("\u0624", "\u0648"),  # ؤ -> و
    ("\u0626", "\u06cc"),  # ئ -> ی
    ("\u06c0", "\u0647"),  # ۀ -> ه
    # Latin letters without a decomposition, which unicode61 would keep apart.
    ("ß", "ss"),
    ("ẞ", "ss"),
    ("æ", "ae"),
    ("Æ", "ae"),
    ("œ", "oe"),
    ("Œ", "oe"),
    ("ø", "o"),
    ("Ø", "o"),
    ("ł", "l"),
    ("Ł", "l"),
    ("đ", "d"),
    ("Đ", "d"),
    ("ð", "d"),
    ("Ð", "d"),
    ("þ", "th"),
    ("Þ", "th"),
    ("ı", "i"),
)

_TABLE = {ord(source): target for source, target in FOLDINGS}
_COMBINING_ACCENTS = re.compile("[\u0300-\u036f]+")
#: A word is a run of letters and digits; everything else separates words, as in both indexes.
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """text as the index stores it: FOLDINGS applied, lower case, no Latin accents."""
    folded = text.translate(_TABLE).lower()
    decomposed = unicodedata.normalize("NFD", folded)
    return unicodedata.normalize("NFC", _COMBINING_ACCENTS.sub("", decomposed))


def words(text: str) -> list[str]:
    """The words of text, folded, in order: only letters and digits, so safe in any query."""
    return _WORD.findall(fold(text))


def sql_fold(expression: str, foldings: tuple[tuple[str, str], ...] = FOLDINGS) -> str:
    """SQL applying foldings to expression with nested replace() (both backends have it)."""
    for source, target in foldings:
        expression = f"replace({expression}, '{source}', '{target}')"
    return expression
