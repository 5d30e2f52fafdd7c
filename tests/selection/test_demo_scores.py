"""The demo's two reviewers, the workshop's rubric, and their sheets for pending applications."""

from sqlalchemy import func, select

from miti_training.cli.demo import load_demo_data
from miti_training.cli.demo_scoring import PROGRAMME_SLUG, load_scores
from miti_training.models import (
    EnrolmentPolicy,
    Programme,
    Registration,
    RegistrationStatus,
    RubricCriterion,
    ScoreSheet,
    User,
    utcnow,
)
from miti_training.selection import ranking


def test_the_reviewers_score_every_pending_application_of_the_workshop(db, client, login):
    load_demo_data()
    db.session.commit()
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME_SLUG))
    assert programme.enrolment_policy == EnrolmentPolicy.NOMINATION
    assert [c.weight for c in programme_criteria(db, programme)] == [3, 2, 1]
    pending = db.session.scalars(
        select(Registration)
        .where(
            Registration.programme_id == programme.id,
            Registration.status == RegistrationStatus.APPLIED,
        )
        .order_by(Registration.id)
    ).all()
    assert len(pending) >= 2
    reviewers = db.session.scalars(
        select(User).where(
            User.email.in_(("reviewer.seoul@miti.example", "reviewer.barcelona@miti.example"))
        )
    ).all()
    # One submitted sheet per reviewer and application, but none from the applicant's city.
    expected = sum(
        1 for r in pending for reviewer in reviewers if reviewer.member_city_id != r.member_city_id
    )
    assert db.session.scalar(select(func.count(ScoreSheet.id))) == expected
    assert load_scores(utcnow()) == 0  # once only
    db.session.commit()

    ranked = ranking.ranked_applications(programme)
    assert sorted(r.summary.sheets for r in ranked) == sorted(
        sum(1 for reviewer in reviewers if reviewer.member_city_id != r.member_city_id)
        for r in pending
    )

    reviewer = db.session.scalar(
        select(ScoreSheet.reviewer_id).where(ScoreSheet.registration_id == pending[0].id)
    )
    assert reviewer is not None
    login(db.session.get(User, reviewer), password="demo-staff-peer-review")
    page = client.get(f"/manage/seoul/programmes/{programme.id}/scoring")
    assert page.status_code == 200 and "Submitted" in page.get_data(as_text=True)


def programme_criteria(db, programme):
    return db.session.scalars(
        select(RubricCriterion)
        .where(RubricCriterion.programme_id == programme.id)
        .order_by(RubricCriterion.position)
    ).all()
