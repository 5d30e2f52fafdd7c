"""What a focal point's pages and the settings page read: programmes taking nominations,
the nominations of one city, and one nomination by id *and* city."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from miti_training.db_setup import clamp_page
from miti_training.extensions import db
from miti_training.models import (
    EnrolmentPolicy,
    MemberCity,
    Nomination,
    Programme,
    ProgrammeStatus,
    utcnow,
)
from miti_training.nominations.allocations import CityPlaces, places_of
from miti_training.nominations.invitations import InvitationState, expires_at, invitation_state
from miti_training.nominations.window import NominationState, nomination_state

PAGE_SIZE = 50
#: Programmes a focal point's page lists at most (open and coming windows).
MAX_PROGRAMMES = 100


@dataclass(frozen=True)
class NominationProgramme:
    programme: Programme
    state: NominationState
    places: CityPlaces


def programmes_for_nomination(city: MemberCity) -> list[NominationProgramme]:
    """Published nomination programmes whose window is open or still to come, soonest first,
    with the city's places."""
    now = utcnow()
    programmes = db.session.scalars(
        select(Programme)
        .where(
            Programme.enrolment_policy == EnrolmentPolicy.NOMINATION,
            Programme.status == ProgrammeStatus.PUBLISHED,
            or_(Programme.nomination_closes_at.is_(None), Programme.nomination_closes_at > now),
        )
        .options(selectinload(Programme.centre))
        .order_by(Programme.starts_on, Programme.id)
        .limit(MAX_PROGRAMMES)
    )
    return [
        NominationProgramme(programme, nomination_state(programme, now), places_of(programme, city))
        for programme in programmes
    ]


def city_nominations(city: MemberCity, page: int | None = 1, programme_id: int | None = None):
    """One page of the city's nominations, newest first (of one programme if given)."""
    statement = (
        select(Nomination)
        .where(Nomination.member_city_id == city.id)
        .options(
            selectinload(Nomination.programme),
            selectinload(Nomination.registration),
            selectinload(Nomination.user),
        )
        .order_by(Nomination.created_at.desc(), Nomination.id.desc())
    )
    if programme_id is not None:
        statement = statement.where(Nomination.programme_id == programme_id)
    return db.paginate(statement, page=clamp_page(page), per_page=PAGE_SIZE, error_out=False)


@dataclass(frozen=True)
class Invitation:
    """A pending invitation as the focal point's list shows it."""

    state: InvitationState
    expires_at: datetime
    #: Expired while the window is open: the focal point may send it again.
    may_resend: bool


def invitations_of(nominations) -> dict[int, Invitation]:
    """The pending invitations among nominations, by nomination id."""
    now = utcnow()
    shown = {}
    for nomination in nominations:
        state = invitation_state(nomination, now)
        if state == InvitationState.NONE:
            continue
        may_resend = (
            state == InvitationState.EXPIRED
            and nomination_state(nomination.programme, now) == NominationState.OPEN
        )
        shown[nomination.id] = Invitation(state, expires_at(nomination), may_resend)
    return shown


def nomination_of_city(city: MemberCity, nomination_id: int) -> Nomination | None:
    """The nomination if it belongs to city; another city's id is as good as missing."""
    return db.session.scalar(
        select(Nomination).where(
            Nomination.id == nomination_id, Nomination.member_city_id == city.id
        )
    )


def nomination_programme(programme_id: int) -> Programme | None:
    """A published programme under the nomination policy, by id."""
    return db.session.scalar(
        select(Programme).where(
            Programme.id == programme_id,
            Programme.enrolment_policy == EnrolmentPolicy.NOMINATION,
            Programme.status != ProgrammeStatus.DRAFT,
        )
    )
