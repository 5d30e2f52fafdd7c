"""The nomination window: whether focal points may put officials forward for a programme at a
moment, and why not (times said in the centre's zone)."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_

from miti_training.errors import NominationClosed
from miti_training.formatting import format_in_zone, zone_name
from miti_training.models import EnrolmentPolicy, Programme, ProgrammeStatus, utcnow


class NominationState(enum.StrEnum):
    NOT_BY_NOMINATION = "not_by_nomination"
    NOT_PUBLISHED = "not_published"
    NOT_OPEN_YET = "not_open_yet"
    OPEN = "open"
    CLOSED = "closed"


def nomination_state(programme: Programme, now: datetime | None = None) -> NominationState:
    """Where nominations for programme stand at now. An unset opening means from publication,
    an unset closing until the programme is completed or cancelled."""
    now = now or utcnow()
    if programme.enrolment_policy != EnrolmentPolicy.NOMINATION:
        return NominationState.NOT_BY_NOMINATION
    if programme.status == ProgrammeStatus.DRAFT:
        return NominationState.NOT_PUBLISHED
    if programme.status != ProgrammeStatus.PUBLISHED:
        return NominationState.CLOSED
    if programme.nomination_opens_at is not None and now < programme.nomination_opens_at:
        return NominationState.NOT_OPEN_YET
    if programme.nomination_closes_at is not None and now >= programme.nomination_closes_at:
        return NominationState.CLOSED
    return NominationState.OPEN


def open_now(now: datetime | None = None):
    """SQL: the programme takes nominations at now (the same rule as nomination_state)."""
    now = now or utcnow()
    return and_(
        Programme.enrolment_policy == EnrolmentPolicy.NOMINATION,
        Programme.status == ProgrammeStatus.PUBLISHED,
        or_(Programme.nomination_opens_at.is_(None), Programme.nomination_opens_at <= now),
        or_(Programme.nomination_closes_at.is_(None), Programme.nomination_closes_at > now),
    )


def check_open(programme: Programme, now: datetime | None = None) -> None:
    """NominationClosed, saying why, unless nominations are open at now."""
    state = nomination_state(programme, now)
    if state == NominationState.OPEN:
        return
    zone = programme.centre.timezone
    if state == NominationState.NOT_BY_NOMINATION:
        message = _l("This programme does not take nominations: officials register themselves.")
    elif state == NominationState.NOT_PUBLISHED:
        message = _l("This programme is not published yet; nominations are not open.")
    elif state == NominationState.NOT_OPEN_YET:
        message = _l(
            "Nominations are not open yet: they open on %(when)s (%(zone)s).",
            when=format_in_zone(programme.nomination_opens_at, zone),
            zone=zone_name(zone),
        )
    elif programme.status == ProgrammeStatus.PUBLISHED and programme.nomination_closes_at:
        message = _l(
            "Nominations closed on %(when)s (%(zone)s).",
            when=format_in_zone(programme.nomination_closes_at, zone),
            zone=zone_name(zone),
        )
    else:
        message = _l("Nominations for this programme are closed.")
    raise NominationClosed(message)
