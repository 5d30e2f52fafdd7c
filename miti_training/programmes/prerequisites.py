"""Staff choose the programmes a programme requires (any programme of the network, such as a
self-paced online module before an in-person course).

Who may do it is who may edit the programme (editing.require_editor). A requirement may not
loop back: a programme cannot require itself, directly or through a chain of requirements,
or nobody could ever apply to any programme of the chain. Whether a person meets the
requirements is registrations.prerequisites.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.formatting import programme_text
from miti_training.models import Centre, Programme, ProgrammePrerequisite, ProgrammeStatus
from miti_training.programmes.editing import record, require_editor
from miti_training.registrations.prerequisites import required_programmes

#: Chains longer than this are refused rather than walked further (a bound on the work).
MAX_CHAIN = 50


class PrerequisiteCycle(FieldError):
    """Requiring the programme would make a chain of requirements that comes back to it."""


def _required_ids(programme_ids: set[int]) -> set[int]:
    return set(
        db.session.scalars(
            select(ProgrammePrerequisite.required_programme_id).where(
                ProgrammePrerequisite.programme_id.in_(programme_ids)
            )
        )
    )


def leads_back(programme: Programme, required: Programme) -> bool:
    """Whether required already requires programme, directly or through a chain (one query
    per step of the chain)."""
    seen: set[int] = set()
    frontier = {required.id}
    for _step in range(MAX_CHAIN):
        if programme.id in frontier:
            return True
        seen |= frontier
        frontier = _required_ids(frontier) - seen
        if not frontier:
            return False
    return True


def choices(programme: Programme) -> list[Programme]:
    """Programmes of the network programme may require: not itself, not cancelled, not
    already required; by centre, then title."""
    already = {p.id for p in required_programmes(programme)}
    candidates = db.session.scalars(
        select(Programme)
        .join(Centre, Centre.id == Programme.centre_id)
        .where(Programme.id != programme.id, Programme.status != ProgrammeStatus.CANCELLED)
        .order_by(Centre.name, Programme.title, Programme.id)
    )
    return [p for p in candidates if p.id not in already]


def add(programme: Programme, required: Programme | None, *, actor) -> ProgrammePrerequisite:
    """programme now requires completing required first."""
    require_editor(actor, programme)
    if required is None or required.status == ProgrammeStatus.CANCELLED:
        raise FieldError(_l("Choose a programme from the list."), field="required")
    title = programme_text(required).title
    if required.id == programme.id:
        raise PrerequisiteCycle(_l("A programme cannot require itself."), field="required")
    if db.session.get(ProgrammePrerequisite, (programme.id, required.id)) is not None:
        raise FieldError(_l("“%(title)s” is already required.", title=title), field="required")
    if leads_back(programme, required):
        raise PrerequisiteCycle(
            _l(
                "“%(title)s” already requires this programme, directly or through other programmes: requiring it here would make a circle nobody could enter.",
                title=title,
            ),
            field="required",
        )
    link = ProgrammePrerequisite(programme=programme, required_programme=required)
    db.session.add(link)
    db.session.flush()
    record(
        "programme.update",
        programme,
        actor,
        before=programme.status,
        reason=f"prerequisite added: {required.title}",
    )
    return link


def remove(programme: Programme, required_id: int, *, actor) -> Programme:
    """programme no longer requires the programme of id required_id; returns that programme."""
    require_editor(actor, programme)
    link = db.session.get(ProgrammePrerequisite, (programme.id, required_id))
    if link is None:
        raise DomainError(_l("This programme is not required (any more)."))
    required = link.required_programme
    db.session.delete(link)
    db.session.flush()
    record(
        "programme.update",
        programme,
        actor,
        before=programme.status,
        reason=f"prerequisite removed: {required.title}",
    )
    return required
