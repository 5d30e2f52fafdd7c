"""Scored selection in tests: a programme under review with a rubric, applicants from member
cities of several regions, and reviewers' sheets."""

from datetime import timedelta

from miti_training.extensions import db
from miti_training.models import (
    EnrolmentPolicy,
    RegionCap,
    RegistrationStatus,
    RubricCriterion,
    Score,
    ScoreSheet,
    WorldRegion,
    utcnow,
)
from tests.support.factories import make_member_city, make_programme, make_registration, make_user


def make_reviewed_programme(centre, **kw):
    kw.setdefault("enrolment_policy", EnrolmentPolicy.REVIEW)
    kw.setdefault("title", "Peer Review Process workshop")
    return make_programme(centre, **kw)


def add_criteria(programme, *weights: int) -> list[RubricCriterion]:
    criteria = []
    for position, weight in enumerate(weights, start=1):
        criterion = RubricCriterion(
            programme_id=programme.id,
            name=f"Criterion {position}",
            weight=weight,
            position=position,
        )
        db.session.add(criterion)
        criteria.append(criterion)
    db.session.flush()
    return criteria


def apply(programme, city=None, *, minutes_ago: int = 0, **kw):
    """A pending application from an official of city (a new city when None)."""
    user = make_user(member_city=city or make_member_city(), **kw)
    registration = make_registration(programme, user, status=RegistrationStatus.APPLIED)
    registration.created_at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.flush()
    return registration


def score_sheet(registration, reviewer, criteria, values, *, submitted=True) -> ScoreSheet:
    sheet = ScoreSheet(
        registration_id=registration.id,
        reviewer_id=reviewer.id,
        submitted_at=utcnow() if submitted else None,
    )
    sheet.scores = [
        Score(criterion_id=criterion.id, value=value)
        for criterion, value in zip(criteria, values, strict=True)
    ]
    db.session.add(sheet)
    db.session.flush()
    return sheet


def region_cap(programme, region: WorldRegion, places: int) -> RegionCap:
    cap = RegionCap(programme_id=programme.id, world_region=region, places=places)
    db.session.add(cap)
    db.session.flush()
    return cap
