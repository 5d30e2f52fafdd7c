"""The Peer Review Process workshop's rubric, and its two demo reviewers' score sheets for every
application waiting for a decision (as plain data, and the few lines that load it)."""

from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import (
    Programme,
    Registration,
    RegistrationStatus,
    RubricCriterion,
    Score,
    ScoreSheet,
    User,
)

PROGRAMME_SLUG = "peer-review-process-workshop"

#: (name, what reviewers look for, weight), in the sheet's order.
RUBRIC = (
    (
        "Relevance of the city's policy to a peer review",
        "A cross-departmental policy the city is ready to open to other cities.",
        3,
    ),
    (
        "Role in international cooperation",
        "The applicant coordinates work with other departments or cities.",
        2,
    ),
    (
        "Commitment to share back home",
        "A concrete plan to pass the method on to colleagues.",
        1,
    ),
)

#: The two reviewers and the values each gives, applicant by applicant (in the order of
#: application), cycling when there are more applicants than rows.
REVIEWERS = {
    "reviewer.seoul@miti.example": ((5, 4, 4), (3, 4, 2), (4, 3, 5), (2, 3, 3), (4, 5, 4)),
    "reviewer.barcelona@miti.example": ((4, 4, 5), (4, 2, 3), (2, 3, 2), (3, 3, 4), (5, 4, 4)),
}
COMMENTS = ("Clear case for a peer review.", "Good profile; the policy needs more focus.")


def load_scores(now) -> int:
    """The rubric when the workshop has none, and a submitted sheet per reviewer and pending
    application (none where the reviewer is recused or has a sheet); returns rows added."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME_SLUG))
    if programme is None:
        return 0
    added = 0
    criteria = list(
        db.session.scalars(
            select(RubricCriterion)
            .where(RubricCriterion.programme_id == programme.id)
            .order_by(RubricCriterion.position)
        )
    )
    if not criteria:
        for position, (name, description, weight) in enumerate(RUBRIC, start=1):
            criterion = RubricCriterion(
                programme_id=programme.id,
                name=name,
                description=description,
                weight=weight,
                position=position,
            )
            db.session.add(criterion)
            criteria.append(criterion)
            added += 1
        db.session.flush()
    applications = db.session.scalars(
        select(Registration)
        .where(
            Registration.programme_id == programme.id,
            Registration.status == RegistrationStatus.APPLIED,
        )
        .order_by(Registration.created_at, Registration.id)
    ).all()
    for number, (email, rows) in enumerate(REVIEWERS.items()):
        reviewer = db.session.scalar(select(User).where(User.email == email))
        if reviewer is None:
            continue
        for index, registration in enumerate(applications):
            if reviewer.member_city_id == registration.member_city_id:
                continue
            exists = db.session.scalar(
                select(ScoreSheet.id).where(
                    ScoreSheet.registration_id == registration.id,
                    ScoreSheet.reviewer_id == reviewer.id,
                )
            )
            if exists is not None:
                continue
            values = rows[index % len(rows)]
            sheet = ScoreSheet(
                registration_id=registration.id,
                reviewer_id=reviewer.id,
                comment=COMMENTS[number],
                submitted_at=now,
                scores=[
                    Score(criterion_id=criterion.id, value=value)
                    for criterion, value in zip(criteria, values, strict=False)
                ],
            )
            db.session.add(sheet)
            added += 1
    db.session.flush()
    return added
