"""Who may change a programme, and the steps every change shares (checks, flush, audit).

Times given to the programme services as naive datetimes are wall-clock times in the centre's
time zone (what staff type); aware datetimes are taken as they are. Everything is stored in UTC.
`actor=None` means the system itself (command-line imports); otherwise the actor's role in the
programme's centre is checked in the services too, not only in the views.
"""

from collections.abc import Iterable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from miti_training import audit
from miti_training.errors import DomainError, FieldError, PermissionDenied
from miti_training.extensions import db
from miti_training.formatting import label, zone_name
from miti_training.models import Centre, MembershipRole, Programme, ProgrammeStatus
from miti_training.network.roles import can_manage
from miti_training.programmes.rules import Problem, publish_problems
from miti_training.timezones import NonexistentLocalTime, to_utc

FINAL_STATUSES = (ProgrammeStatus.CANCELLED, ProgrammeStatus.COMPLETED)


class PublishRefused(DomainError):
    """The programme is not ready to publish (or an edit would make a published one incomplete).

    `problems` lists every problem, each saying what to fix.
    """

    def __init__(self, message, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


# Authorization -----------------------------------------------------------------------------


def require(actor, centre: Centre, role: MembershipRole) -> None:
    if actor is not None and not can_manage(actor, centre, role):
        raise PermissionDenied()


def _editor_role(programme: Programme) -> MembershipRole | None:
    """Drafts: coordinators and up; published programmes: directors; final ones: nobody."""
    if programme.status in FINAL_STATUSES:
        return None
    if programme.status == ProgrammeStatus.DRAFT:
        return MembershipRole.COORDINATOR
    return MembershipRole.DIRECTOR


def require_editor(actor, programme: Programme) -> None:
    role = _editor_role(programme)
    if role is None:
        raise DomainError(
            _l(
                "This programme is %(status)s; it can no longer be changed.",
                status=label(programme.status).lower(),
            )
        )
    require(actor, programme.centre, role)


def can_edit(user, programme: Programme) -> bool:
    """Whether user may change the programme's details and sessions now."""
    role = _editor_role(programme)
    return role is not None and can_manage(user, programme.centre, role)


# Values ------------------------------------------------------------------------------------


def refuse(problems: Iterable[Problem | None]) -> None:
    """Raise the first problem (None: none) as a FieldError, shown beside its field."""
    for problem in problems:
        if problem is not None:
            raise FieldError(problem.message, field=problem.field)


def check_still_publishable(programme: Programme) -> None:
    """A published programme must stay publishable: refuse a change that breaks that."""
    if programme.status != ProgrammeStatus.PUBLISHED:
        return
    problems = publish_problems(programme)
    if problems:
        raise PublishRefused(
            _l("The programme is published, so it must stay complete. Nothing was saved:"),
            problems,
        )


def utc(value: datetime | None, centre: Centre, field: str) -> datetime | None:
    """A wall-clock time in the centre's zone (or an aware time) as UTC."""
    if value is None:
        return None
    try:
        return to_utc(value, centre.timezone)
    except NonexistentLocalTime:
        raise FieldError(
            _l(
                "This time does not exist in %(zone)s: the clocks go forward then. Choose a time outside the skipped hour.",
                zone=zone_name(centre.timezone),
            ),
            field=field,
        ) from None


def record(action: str, programme: Programme, actor, *, before="", reason: str = "") -> None:
    """Audit a change of programme, from the status before (none: a new programme) to the
    status it has now."""
    audit.record(
        action,
        actor=actor,
        programme=programme,
        from_state=before,
        to_state=programme.status,
        reason=reason,
    )


def flush(field: str = "capacity") -> None:
    """Flush; a constraint refusing the values (a seat taken meanwhile) becomes a FieldError."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise FieldError(
            _l("Someone changed this programme at the same time. Check the values and try again."),
            field=field,
        ) from None
