"""The demo's nominations: focal points of four cities, the Peer Review Process workshop under
the nomination policy with allocations that agree with its nominations."""

from collections import Counter

from sqlalchemy import select

from miti_training.cli.demo import load_demo_data
from miti_training.cli.demo_data import DEMO_ACCOUNTS, DEMO_PARTICIPANT_PASSWORD
from miti_training.models import (
    CityAllocation,
    EnrolmentPolicy,
    FocalPoint,
    Nomination,
    NominationStatus,
    Programme,
)
from tests.support.pages import text_of


def test_the_demo_has_focal_points_and_a_programme_by_nomination(app, db, login):
    load_demo_data()
    db.session.commit()
    focal_points = db.session.scalars(select(FocalPoint)).all()
    assert sorted(f.member_city.name for f in focal_points) == [
        "Cairo",
        "Mexico City",
        "Seoul",
        "Tehran",
    ]
    programme = db.session.scalar(
        select(Programme).where(Programme.slug == "peer-review-process-workshop")
    )
    assert programme.enrolment_policy == EnrolmentPolicy.NOMINATION
    active = Counter(
        n.member_city_id
        for n in db.session.scalars(
            select(Nomination).where(Nomination.programme_id == programme.id)
        )
        if n.status != NominationStatus.WITHDRAWN
    )
    allocations = db.session.scalars(
        select(CityAllocation).where(CityAllocation.programme_id == programme.id)
    ).all()
    assert {a.member_city_id: a.taken for a in allocations} == dict(active)
    assert all(a.taken <= a.places for a in allocations)
    applied = db.session.scalars(
        select(Nomination).where(Nomination.status == NominationStatus.APPLIED)
    ).all()
    assert applied and all(n.registration_id for n in applied)

    client = app.test_client()
    focal = next(a for a in DEMO_ACCOUNTS if a["email"] == "focal.cairo@miti.example")
    assert focal["password"] == DEMO_PARTICIPANT_PASSWORD
    login(
        next(f.user for f in focal_points if f.user.email == focal["email"]),
        password=focal["password"],
        target_client=client,
    )
    page = client.get("/nominations")
    assert page.status_code == 200
    assert "Omar Nabil" in text_of(page) and "Reza Karimi" not in text_of(page)
