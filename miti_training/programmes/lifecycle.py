"""A programme's life cycle: publication, cancellation, completion, and its history."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from miti_training import audit
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.formatting import format_in_zone, label, zone_name
from miti_training.models import (
    ACTIVE_STATUSES,
    AuditEntry,
    MembershipRole,
    Programme,
    ProgrammeStatus,
    Registration,
    utcnow,
)
from miti_training.programmes import editing, rules
from miti_training.registrations import decisions
from miti_training.registrations.locking import lock_programme


def _transition(programme: Programme, expected, new, **values) -> None:
    """Change the status with one conditional UPDATE, so two people acting at once cannot both
    succeed (two cancellations would email every participant twice)."""
    db.session.flush()
    result = db.session.execute(
        update(Programme)
        .where(Programme.id == programme.id, Programme.status == expected)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(programme)
        raise DomainError(
            _l(
                "Someone else changed this programme meanwhile; it is now %(status)s.",
                status=label(programme.status).lower(),
            )
        )
    for name, value in {"status": new, **values}.items():
        set_committed_value(programme, name, value)


def publish(programme: Programme, *, actor) -> None:
    """Make a draft public, after checking everything a participant needs is there."""
    editing.require(actor, programme.centre, MembershipRole.DIRECTOR)
    if programme.status != ProgrammeStatus.DRAFT:
        raise DomainError(
            _l(
                "Only a draft can be published; this programme is %(status)s.",
                status=label(programme.status).lower(),
            )
        )
    problems = rules.publish_problems(programme)
    if problems:
        raise editing.PublishRefused(_l("The programme cannot be published yet:"), problems)
    _transition(programme, ProgrammeStatus.DRAFT, ProgrammeStatus.PUBLISHED, published_at=utcnow())
    db.session.flush()
    editing.record("programme.publish", programme, actor, before=ProgrammeStatus.DRAFT)


def registration_count(programme: Programme) -> int:
    """Every registration of the programme, whatever its status (withdrawn ones too)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.programme_id == programme.id)
    )


def unpublish_refusal(programme: Programme):
    """Why programme cannot go back to draft now, or None: only a published programme nobody
    has registered for may (people who registered are told through a cancellation instead)."""
    if programme.status != ProgrammeStatus.PUBLISHED:
        return _l(
            "Only a published programme can be unpublished; this one is %(status)s.",
            status=label(programme.status).lower(),
        )
    count = registration_count(programme)
    if count:
        return lazy_ngettext(
            "This programme cannot be unpublished: %(num)d person has registered already. Cancel the programme instead, so that they are told.",
            "This programme cannot be unpublished: %(num)d people have registered already. Cancel the programme instead, so that they are told.",
            count,
        )
    return None


def unpublish(programme: Programme, *, actor) -> None:
    """Take a published programme without registrations out of the catalogue: a draft again."""
    editing.require(actor, programme.centre, MembershipRole.DIRECTOR)
    # The row lock makes a registration arriving meanwhile wait, then find a draft.
    programme = lock_programme(programme)
    refusal = unpublish_refusal(programme)
    if refusal is not None:
        raise DomainError(refusal)
    _transition(programme, ProgrammeStatus.PUBLISHED, ProgrammeStatus.DRAFT, published_at=None)
    db.session.flush()
    editing.record("programme.unpublish", programme, actor, before=ProgrammeStatus.PUBLISHED)


def active_registration_count(programme: Programme) -> int:
    """Registrations still in play: those a cancellation would cancel and notify."""
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.programme_id == programme.id, Registration.status.in_(ACTIVE_STATUSES))
    )


def cancel_programme(programme: Programme, reason: str, *, actor) -> list[Registration]:
    """Cancel a published programme with a reason; every active registration is cancelled.

    Each active registration (applied, confirmed, waitlisted) becomes cancelled and leaves the
    waiting list, the seat counter returns to zero, every change is audited and every
    participant gets an email in their language. Returns the registrations cancelled.
    """
    editing.require(actor, programme.centre, MembershipRole.DIRECTOR)
    reason = rules.clean_text(reason)
    editing.refuse([rules.text_problem("reason", reason, required=rules.REQUIRED_REASON)])
    if programme.status != ProgrammeStatus.PUBLISHED:
        raise DomainError(
            _l(
                "Only a published programme can be cancelled; this one is %(status)s.",
                status=label(programme.status).lower(),
            )
        )
    before = programme.status
    _transition(
        programme,
        ProgrammeStatus.PUBLISHED,
        ProgrammeStatus.CANCELLED,
        cancelled_at=utcnow(),
        cancellation_reason=reason,
    )
    registrations = decisions.cancel_for_programme(programme, actor=actor, reason=reason)
    editing.record("programme.cancel", programme, actor, before=before, reason=reason)
    return registrations


def can_complete(programme: Programme, now: datetime | None = None) -> bool:
    """Whether programme may be marked completed: published, and its last session has ended."""
    last_end = max((s.ends_at for s in programme.sessions), default=None)
    return (
        programme.status == ProgrammeStatus.PUBLISHED
        and last_end is not None
        and last_end <= (now or utcnow())
    )


def mark_completed(programme: Programme, *, actor, now: datetime | None = None) -> None:
    """Close a published programme whose last session has ended."""
    editing.require(actor, programme.centre, MembershipRole.DIRECTOR)
    if programme.status != ProgrammeStatus.PUBLISHED:
        raise DomainError(
            _l(
                "Only a published programme can be marked completed; this one is %(status)s.",
                status=label(programme.status).lower(),
            )
        )
    now = now or utcnow()
    last_end = max((s.ends_at for s in programme.sessions), default=None)
    if last_end is None or last_end > now:
        raise DomainError(
            _l(
                "The programme can be marked completed once its last session has ended (%(end)s, %(zone)s).",
                end=format_in_zone(last_end, programme.centre.timezone) if last_end else "—",
                zone=zone_name(programme.centre.timezone),
            )
        )
    _transition(programme, ProgrammeStatus.PUBLISHED, ProgrammeStatus.COMPLETED)
    db.session.flush()
    editing.record("programme.complete", programme, actor, before=ProgrammeStatus.PUBLISHED)


def programme_history(programme: Programme, limit: int = 20) -> list[AuditEntry]:
    """The latest audit entries about the programme itself (not each registration)."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.programme_id == programme.id,
                AuditEntry.registration_id.is_(None),
                AuditEntry.action != audit.LIST_DOWNLOAD,  # listed on the export page
            )
            .options(selectinload(AuditEntry.actor))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )
