"""The numbers of scored selection, as plain functions of plain values.

A sheet's score is the weighted mean of its values, Σ(weight·value) / Σ(weight), on the 1–5
scale; an application's score is the plain mean of its submitted sheets' scores; the spread is
the highest sheet score minus the lowest (0 with one sheet), and a spread of DISAGREEMENT or
more marks reviewers who strongly disagree.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

#: The scale of every criterion.
LOWEST, HIGHEST = 1, 5
#: A spread of this many points or more between reviewers is flagged.
DISAGREEMENT = Fraction(3, 2)


def sheet_score(values: Mapping[int, int], weights: Mapping[int, int]) -> Fraction | None:
    """Σ(weight·value) / Σ(weight) over the criteria the sheet scored; None without any."""
    scored = [(weights[key], value) for key, value in values.items() if key in weights]
    total_weight = sum(weight for weight, _value in scored)
    if not total_weight:
        return None
    return Fraction(sum(weight * value for weight, value in scored), total_weight)


@dataclass(frozen=True)
class Summary:
    """What the submitted sheets of one application add up to."""

    mean: Fraction | None
    sheets: int
    spread: Fraction | None

    @property
    def disagree(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT


def summarise(scores: Iterable[Fraction | None]) -> Summary:
    """The mean and spread of sheet scores (sheets without a score do not count)."""
    counted = [score for score in scores if score is not None]
    if not counted:
        return Summary(None, 0, None)
    return Summary(Fraction(sum(counted), len(counted)), len(counted), max(counted) - min(counted))
