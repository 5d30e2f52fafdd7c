"""The ranked list of a programme's pending applications: the mean of the submitted sheets,
their number and spread, and what a balanced group needs to know of each applicant.

Order: highest mean first; applications without a submitted sheet last; ties go to the
earlier application, then the smaller id, so the same sheets always give the same list.
"""

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training.extensions import db
from miti_training.models import (
    Programme,
    Registration,
    RegistrationStatus,
    ScoreSheet,
    WorldRegion,
)
from miti_training.selection import arithmetic, rubric
from miti_training.selection.scoring import pending_applications


@dataclass(frozen=True)
class Ranked:
    rank: int
    registration: Registration
    summary: arithmetic.Summary
    world_region: WorldRegion | None
    country: str
    member_city_id: int | None
    #: The city never had a confirmed participant at this centre before; None without a city.
    first_time_city: bool | None
    language: str

    @property
    def mean(self) -> Fraction | None:
        return self.summary.mean


def _sheet_scores(programme: Programme, registration_ids: list[int]) -> dict[int, list]:
    weights = {c.id: c.weight for c in rubric.criteria(programme)}
    scores: dict[int, list] = {}
    for sheet in db.session.scalars(
        select(ScoreSheet)
        .where(
            ScoreSheet.registration_id.in_(registration_ids),
            ScoreSheet.submitted_at.is_not(None),
        )
        .options(selectinload(ScoreSheet.scores))
    ):
        values = {score.criterion_id: score.value for score in sheet.scores}
        scores.setdefault(sheet.registration_id, []).append(arithmetic.sheet_score(values, weights))
    return scores


def cities_seen_before(programme: Programme) -> set[int]:
    """Member cities with a confirmed participant in another programme of the same centre."""
    return set(
        db.session.scalars(
            select(Registration.member_city_id)
            .join(Programme, Programme.id == Registration.programme_id)
            .where(
                Programme.centre_id == programme.centre_id,
                Programme.id != programme.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.member_city_id.is_not(None),
            )
            .distinct()
        )
    )


def _language(registration: Registration) -> str:
    return registration.user.preferred_language if registration.user is not None else ""


def sort_key(summary: arithmetic.Summary, registration: Registration) -> tuple:
    """Highest mean first, unscored last, then earlier application, then smaller id."""
    unscored = summary.mean is None
    return (unscored, -(summary.mean or 0), registration.created_at, registration.id)


def ranked_applications(programme: Programme) -> list[Ranked]:
    registrations = pending_applications(programme)
    scores = _sheet_scores(programme, [r.id for r in registrations])
    seen = cities_seen_before(programme)
    summaries = {r.id: arithmetic.summarise(scores.get(r.id, ())) for r in registrations}
    ordered = sorted(registrations, key=lambda r: sort_key(summaries[r.id], r))
    ranked = []
    for rank, registration in enumerate(ordered, start=1):
        city = registration.member_city
        ranked.append(
            Ranked(
                rank=rank,
                registration=registration,
                summary=summaries[registration.id],
                world_region=city.world_region if city is not None else None,
                country=registration.country or (city.country if city is not None else ""),
                member_city_id=registration.member_city_id,
                first_time_city=None if city is None else city.id not in seen,
                language=_language(registration),
            )
        )
    return ranked
