"""A programme's rubric: criteria scored 1–5, each with a weight, in the order of the sheet.

The rubric may change until scoring starts, that is until the first sheet of the programme is
submitted; after that every sheet must mean the same thing, so changes are refused. Every change
is audited: the criterion's name in the reason, its weight (or place, for a move) in the states.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from miti_training import audit
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.models import Programme, Registration, RubricCriterion, ScoreSheet
from miti_training.selection.access import require_coordinator

MAX_NAME = 200
MAX_DESCRIPTION = 500
MIN_WEIGHT, MAX_WEIGHT = 1, 100
#: A sheet stays short enough to fill in with care.
MAX_CRITERIA = 20


def criteria(programme: Programme) -> list[RubricCriterion]:
    """The rubric in sheet order."""
    return list(
        db.session.scalars(
            select(RubricCriterion)
            .where(RubricCriterion.programme_id == programme.id)
            .order_by(RubricCriterion.position, RubricCriterion.id)
        )
    )


def criterion_in_programme(programme: Programme, criterion_id: int) -> RubricCriterion | None:
    return db.session.scalar(
        select(RubricCriterion).where(
            RubricCriterion.id == criterion_id, RubricCriterion.programme_id == programme.id
        )
    )


def scoring_started(programme: Programme) -> bool:
    """True once a sheet of the programme has been submitted."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    ScoreSheet.registration_id == Registration.id,
                    Registration.programme_id == programme.id,
                    ScoreSheet.submitted_at.is_not(None),
                )
            )
        )
    )


def _require_changeable(programme: Programme, actor) -> None:
    require_coordinator(actor, programme)
    if scoring_started(programme):
        raise DomainError(
            _l(
                "Scoring has started: the rubric can no longer change, so that every sheet "
                "means the same."
            )
        )


def _clean(name: str, description: str, weight) -> tuple[str, str, int]:
    name = (name or "").strip()
    description = (description or "").strip()
    if not name:
        raise FieldError(_l("Enter the criterion's name."), field="name")
    if len(name) > MAX_NAME:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_NAME), field="name")
    if len(description) > MAX_DESCRIPTION:
        raise FieldError(
            _l("Use at most %(max)d characters.", max=MAX_DESCRIPTION), field="description"
        )
    try:
        weight = int(weight)
    except (TypeError, ValueError):
        weight = 0
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        raise FieldError(
            _l("Enter a weight from %(low)d to %(high)d.", low=MIN_WEIGHT, high=MAX_WEIGHT),
            field="weight",
        )
    return name, description, weight


def add_criterion(
    programme: Programme, *, name: str, description: str = "", weight=1, actor
) -> RubricCriterion:
    """A new criterion at the end of the rubric."""
    _require_changeable(programme, actor)
    name, description, weight = _clean(name, description, weight)
    existing = criteria(programme)
    if len(existing) >= MAX_CRITERIA:
        raise DomainError(_l("A rubric has at most %(max)d criteria.", max=MAX_CRITERIA))
    last = db.session.scalar(
        select(func.max(RubricCriterion.position)).where(
            RubricCriterion.programme_id == programme.id
        )
    )
    criterion = RubricCriterion(
        programme_id=programme.id,
        name=name,
        description=description,
        weight=weight,
        position=(last or 0) + 1,
    )
    db.session.add(criterion)
    db.session.flush()
    audit.record("rubric.add", actor=actor, programme=programme, to_state=str(weight), reason=name)
    return criterion


def edit_criterion(
    criterion: RubricCriterion, *, name: str, description: str = "", weight=1, actor
) -> RubricCriterion:
    """Change a criterion; audited when something changed (the fields that did, by name)."""
    _require_changeable(criterion.programme, actor)
    name, description, weight = _clean(name, description, weight)
    new = {"name": name, "description": description, "weight": weight}
    changed = [field for field, value in new.items() if getattr(criterion, field) != value]
    if not changed:
        return criterion
    before = criterion.weight
    for field in changed:
        setattr(criterion, field, new[field])
    db.session.flush()
    audit.record(
        "rubric.update",
        actor=actor,
        programme=criterion.programme,
        from_state=str(before),
        to_state=str(criterion.weight),
        reason=f"{criterion.name}: {', '.join(changed)}",
    )
    return criterion


def delete_criterion(criterion: RubricCriterion, *, actor) -> None:
    """Drafts' values for it go with it (their sheets are not submitted yet)."""
    programme = criterion.programme
    _require_changeable(programme, actor)
    name, weight = criterion.name, criterion.weight
    db.session.delete(criterion)
    db.session.flush()
    audit.record(
        "rubric.delete", actor=actor, programme=programme, from_state=str(weight), reason=name
    )


def move_criterion(criterion: RubricCriterion, direction: str, *, actor) -> None:
    """One place up or down; positions are renumbered 1..n."""
    programme = criterion.programme
    _require_changeable(programme, actor)
    ordered = criteria(programme)
    index = ordered.index(criterion)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(ordered):
        raise DomainError(_l("This criterion cannot move that way."))
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    db.session.flush()
    audit.record(
        "rubric.move",
        actor=actor,
        programme=programme,
        from_state=str(index + 1),
        to_state=str(target + 1),
        reason=criterion.name,
    )
