"""The catering and access summary of a programme: how many confirmed participants stated each
dietary need and each accessibility need, without saying who.

The registration form takes both needs as free text, so the same need comes spelt in several
ways ("Vegetarian", "vegetarian ", "ＶＥＧＥＴＡＲＩＡＮ"). The database counts each exact text
(one GROUP BY per kind of need); those counts are then merged under a normalised form: Unicode
NFKC, case folded, bidirectional controls taken out, runs of white space made one space. A group
is shown as its most common spelling.
"""

import unicodedata
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from miti_training import bidi
from miti_training.extensions import db
from miti_training.models import Programme, Registration, RegistrationStatus


@dataclass(frozen=True)
class NeedCount:
    #: The group's most common spelling, white space made single spaces.
    label: str
    participants: int


@dataclass(frozen=True)
class NeedsSummary:
    dietary: tuple[NeedCount, ...]
    accessibility: tuple[NeedCount, ...]

    @property
    def dietary_participants(self) -> int:
        return sum(need.participants for need in self.dietary)

    @property
    def accessibility_participants(self) -> int:
        return sum(need.participants for need in self.accessibility)


def normalised(text: str) -> str:
    """The form under which two spellings of a need are the same need."""
    folded = unicodedata.normalize("NFKC", bidi.strip_controls(text)).casefold()
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def grouped(counts: Counter[str] | dict[str, int]) -> tuple[NeedCount, ...]:
    """Exact texts and their counts merged by normalised form; most participants first."""
    groups: dict[str, Counter[str]] = {}
    for text, count in counts.items():
        key = normalised(text)
        if key:
            spelling = " ".join(bidi.strip_controls(text).split())
            groups.setdefault(key, Counter())[spelling] += count
    needs = []
    for spellings in groups.values():
        # The most common spelling; among equals the one with the fewest capitals (no
        # shouting), then the first in code point order, so the label does not depend on order.
        label = min(
            spellings,
            key=lambda text: (-spellings[text], sum(c.isupper() for c in text), text),
        )
        needs.append(NeedCount(label=label, participants=sum(spellings.values())))
    return tuple(sorted(needs, key=lambda need: (-need.participants, normalised(need.label))))


def _exact_counts(programme: Programme, column) -> dict[str, int]:
    rows = db.session.execute(
        select(column, func.count())
        .where(
            Registration.programme_id == programme.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            column != "",
        )
        .group_by(column)
    )
    return {text: count for text, count in rows}


def needs_summary(programme: Programme) -> NeedsSummary:
    """The needs of programme's confirmed participants, counted per need (two statements)."""
    return NeedsSummary(
        dietary=grouped(_exact_counts(programme, Registration.dietary_needs)),
        accessibility=grouped(_exact_counts(programme, Registration.accessibility_needs)),
    )
