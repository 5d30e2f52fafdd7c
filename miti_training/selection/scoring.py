"""Reviewers' score sheets: one per reviewer and application, a draft until submitted, final
after. A reviewer sees others' sheets of an application only once their own is submitted; a
reviewer from the applicant's member city is recused and cannot open it."""

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from miti_training.errors import DomainError, FieldError, PermissionDenied
from miti_training.extensions import db
from miti_training.models import (
    EnrolmentPolicy,
    MemberCity,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    Score,
    ScoreSheet,
    utcnow,
)
from miti_training.selection import arithmetic, rubric
from miti_training.selection.access import is_recused, require_scorer

#: Programmes whose applications wait for staff to decide, and so may be scored.
SCORED_POLICIES = (EnrolmentPolicy.REVIEW, EnrolmentPolicy.NOMINATION)
MAX_COMMENT = 2000


class SheetState(enum.StrEnum):
    TO_SCORE = "to_score"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RECUSED = "recused"


@dataclass(frozen=True)
class Application:
    """An application as one reviewer's list shows it."""

    registration: Registration
    state: SheetState


def is_scored(programme: Programme) -> bool:
    return programme.enrolment_policy in SCORED_POLICIES


def pending_applications(programme: Programme) -> list[Registration]:
    """The programme's applications that wait for a decision, oldest first."""
    if not is_scored(programme):
        return []
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.programme_id == programme.id,
                Registration.status == RegistrationStatus.APPLIED,
            )
            .options(
                selectinload(Registration.member_city).selectinload(MemberCity.translations),
                selectinload(Registration.user),
            )
            .order_by(Registration.created_at, Registration.id)
        )
    )


def application_in_programme(programme: Programme, registration_id: int) -> Registration | None:
    """A pending application of programme by id; None for any other id."""
    return db.session.scalar(
        select(Registration).where(
            Registration.id == registration_id,
            Registration.programme_id == programme.id,
            Registration.status == RegistrationStatus.APPLIED,
        )
    )


def own_sheet(registration: Registration, reviewer) -> ScoreSheet | None:
    return db.session.scalar(
        select(ScoreSheet)
        .where(ScoreSheet.registration_id == registration.id, ScoreSheet.reviewer_id == reviewer.id)
        .options(selectinload(ScoreSheet.scores))
    )


def applications_for(programme: Programme, reviewer) -> list[Application]:
    """The pending applications with where the reviewer stands on each."""
    registrations = pending_applications(programme)
    sheets = {
        sheet.registration_id: sheet
        for sheet in db.session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.reviewer_id == reviewer.id,
                ScoreSheet.registration_id.in_([r.id for r in registrations]),
            )
        )
    }
    listed = []
    for registration in registrations:
        sheet = sheets.get(registration.id)
        if is_recused(reviewer, registration):
            state = SheetState.RECUSED
        elif sheet is None:
            state = SheetState.TO_SCORE
        elif sheet.submitted_at is None:
            state = SheetState.DRAFT
        else:
            state = SheetState.SUBMITTED
        listed.append(Application(registration, state))
    return listed


def require_may_open(registration: Registration, reviewer) -> None:
    require_scorer(reviewer, registration.programme)
    if is_recused(reviewer, registration):
        raise PermissionDenied(
            _l("You are recused from this application: the applicant is from your member city.")
        )


def _values(criteria, raw: dict, *, complete: bool) -> dict[int, int]:
    """criterion id -> 1..5 from raw (criterion id -> text or None); every value is needed to
    submit, a draft may leave some out."""
    values = {}
    for criterion in criteria:
        value = raw.get(criterion.id)
        if value in (None, ""):
            if complete:
                raise FieldError(
                    _l("Give every criterion a score from 1 to 5 before submitting."),
                    field=f"score_{criterion.id}",
                )
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not arithmetic.LOWEST <= number <= arithmetic.HIGHEST:
            raise FieldError(_l("Choose a score from 1 to 5."), field=f"score_{criterion.id}")
        values[criterion.id] = number
    return values


def save_sheet(
    registration: Registration, reviewer, *, values: dict, comment: str = "", submit: bool
) -> ScoreSheet:
    """Keep the reviewer's sheet as a draft, or submit it (then it is final)."""
    require_may_open(registration, reviewer)
    programme = registration.programme
    criteria = rubric.criteria(programme)
    if not criteria:
        raise DomainError(_l("This programme has no rubric yet: nothing can be scored."))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_COMMENT), field="comment")
    cleaned = _values(criteria, values, complete=submit)
    sheet = own_sheet(registration, reviewer)
    if sheet is not None and sheet.submitted_at is not None:
        raise DomainError(_l("Your sheet is already submitted; it can no longer change."))
    if sheet is None:
        sheet = ScoreSheet(registration_id=registration.id, reviewer_id=reviewer.id)
        db.session.add(sheet)
    sheet.comment = comment
    by_criterion = {score.criterion_id: score for score in sheet.scores}
    for criterion_id, score in by_criterion.items():
        if criterion_id not in cleaned:
            sheet.scores.remove(score)
    for criterion_id, value in cleaned.items():
        if criterion_id in by_criterion:
            by_criterion[criterion_id].value = value
        else:
            sheet.scores.append(Score(criterion_id=criterion_id, value=value))
    if submit:
        sheet.submitted_at = utcnow()
    db.session.flush()
    return sheet


@dataclass(frozen=True)
class OtherSheet:
    """A submitted sheet as a reviewer who has submitted theirs may see it."""

    reviewer_name: str
    score: object
    values: dict
    comment: str


def visible_sheets(registration: Registration, reviewer) -> tuple[list[OtherSheet], object]:
    """Every submitted sheet of the application and their summary, once the reviewer's own is
    submitted; before that nothing ([], None)."""
    mine = own_sheet(registration, reviewer)
    if mine is None or mine.submitted_at is None:
        return [], None
    weights = {c.id: c.weight for c in rubric.criteria(registration.programme)}
    sheets = list(
        db.session.scalars(
            select(ScoreSheet)
            .where(
                ScoreSheet.registration_id == registration.id,
                ScoreSheet.submitted_at.is_not(None),
            )
            .options(selectinload(ScoreSheet.scores), selectinload(ScoreSheet.reviewer))
            .order_by(ScoreSheet.submitted_at, ScoreSheet.id)
        )
    )
    shown = []
    for sheet in sheets:
        values = {score.criterion_id: score.value for score in sheet.scores}
        shown.append(
            OtherSheet(
                sheet.reviewer.full_name if sheet.reviewer else "",
                arithmetic.sheet_score(values, weights),
                values,
                sheet.comment,
            )
        )
    return shown, arithmetic.summarise(s.score for s in shown)


def programmes_to_score(centre) -> list[tuple[Programme, int]]:
    """The centre's published programmes whose applications are scored, with how many wait,
    soonest first."""
    rows = db.session.execute(
        select(Programme, func.count(Registration.id))
        .outerjoin(
            Registration,
            (Registration.programme_id == Programme.id)
            & (Registration.status == RegistrationStatus.APPLIED),
        )
        .where(
            Programme.centre_id == centre.id,
            Programme.status == ProgrammeStatus.PUBLISHED,
            Programme.enrolment_policy.in_(SCORED_POLICIES),
        )
        .group_by(Programme.id)
        .order_by(Programme.starts_on.nulls_last(), Programme.id)
    ).all()
    return [(programme, count) for programme, count in rows]
