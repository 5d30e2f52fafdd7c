"""The selection pages in the route table: the reviewers' routes, the coordinators' rubric and
selection routes, the directors' page of the centre's reviewers, a request that succeeds on each,
and what they may change."""

from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import (
    EnrolmentPolicy,
    Membership,
    MembershipRole,
    RubricCriterion,
    Score,
    ScoreSheet,
)
from tests.support.factories import grant, make_programme, make_user
from tests.support.selection import add_criteria, apply

#: Reviewers, coordinators and directors of the centre, and administrators.
REVIEWER_ROUTES = [
    ("GET", "manage.scoring_home"),
    ("GET", "manage.scoring_index"),
    ("GET", "manage.scoring_list"),
    ("GET", "manage.score_sheet"),
    ("POST", "manage.score_sheet"),
]

#: Coordinators and directors of the centre, and administrators.
SELECTION_COORDINATOR_ROUTES = [
    ("GET", "manage.programme_rubric"),
    ("GET", "manage.add_criterion"),
    ("POST", "manage.add_criterion"),
    ("GET", "manage.edit_criterion"),
    ("POST", "manage.edit_criterion"),
    ("POST", "manage.delete_criterion"),
    ("POST", "manage.move_criterion"),
    ("GET", "manage.programme_selection"),
    ("POST", "manage.confirm_selection"),
]

#: The centre's directors and administrators: naming and removing its reviewers
#: (tests/network/test_centre_reviewers.py tests them in depth).
REVIEWER_GRANTING_ROUTES = [
    ("GET", "manage.centre_reviewers"),
    ("POST", "manage.add_reviewer"),
    ("POST", "manage.revoke_reviewer"),
]

#: Routes that name no programme.
CENTRE_ROUTES = {
    "manage.scoring_home",
    "manage.scoring_index",
    *(endpoint for _method, endpoint in REVIEWER_GRANTING_ROUTES),
}


def reviewed_programme(w: dict):
    """The world's programme under review, made on first use."""
    if "reviewed" not in w:
        w["reviewed"] = make_programme(
            w["centre"], title="Reviewed", enrolment_policy=EnrolmentPolicy.REVIEW
        )
    return w["reviewed"]


def _granting_request(endpoint: str, w: dict) -> tuple[dict, dict]:
    """A new account made reviewer; a reviewer of the centre removed."""
    on_centre = {"centre_slug": w["centre"].slug}
    if endpoint == "manage.add_reviewer":
        return on_centre, {"email": make_user(full_name="Future Reviewer").email}
    if endpoint == "manage.revoke_reviewer":
        reviewer = make_user(full_name="Leaving Reviewer")
        membership = grant(reviewer, w["centre"], MembershipRole.REVIEWER)
        return {**on_centre, "membership_id": membership.id}, {}
    return on_centre, {}


def selection_request(endpoint: str, w: dict) -> tuple[dict, dict] | None:
    if endpoint in {route for _method, route in REVIEWER_GRANTING_ROUTES}:
        return _granting_request(endpoint, w)
    routes = {route for _method, route in REVIEWER_ROUTES + SELECTION_COORDINATOR_ROUTES}
    if endpoint not in routes:
        return None
    c = w["centre"].slug
    if endpoint == "manage.scoring_home":
        return {}, {}
    if endpoint == "manage.scoring_index":
        return {"centre_slug": c}, {}
    programme = reviewed_programme(w)
    on_programme = {"centre_slug": c, "programme_id": programme.id}
    if endpoint in ("manage.programme_rubric", "manage.add_criterion"):
        return on_programme, {"name": "Relevance", "description": "To the theme", "weight": "2"}
    criteria = add_criteria(programme, 2, 1)
    on_criterion = {**on_programme, "criterion_id": criteria[-1].id}
    if endpoint == "manage.edit_criterion":
        return on_criterion, {"name": "Feasibility", "description": "", "weight": "3"}
    if endpoint == "manage.delete_criterion":
        return on_criterion, {}
    if endpoint == "manage.move_criterion":
        return on_criterion, {"direction": "up"}
    first = apply(programme, minutes_ago=20)
    apply(programme, minutes_ago=10)
    if endpoint == "manage.scoring_list":
        return on_programme, {}
    if endpoint == "manage.score_sheet":
        values = {f"score_{criterion.id}": "4" for criterion in criteria}
        form = {**values, "comment": "A strong case.", "action": "submit"}
        return {**on_programme, "registration_id": first.id}, form
    if endpoint == "manage.programme_selection":
        return on_programme, {}
    return on_programme, {"chosen": [str(first.id)], "others": "waitlist", "reason": ""}


def selection_answer(role: str, method: str, endpoint: str) -> str | None:
    """'allowed' or 'forbidden' for the reviewers' routes, and for reviewers on every /manage
    route (only their scoring pages and the index, which leads there); None: not decided here.
    """
    if endpoint == "manage.scoring_home":
        return "forbidden" if role == "participant" else "allowed"
    if (method, endpoint) in REVIEWER_ROUTES:
        refused = role == "participant" or role.startswith("other_")
        return "forbidden" if refused else "allowed"
    if role in ("reviewer", "other_reviewer"):
        return "allowed" if endpoint == "manage.index" else "forbidden"
    return None


def selection_snapshot() -> tuple:
    """The rubrics, score sheets and centre roles, for the route snapshot."""
    return (
        sorted(
            db.session.execute(
                select(Membership.user_id, Membership.centre_id, Membership.role)
            ).all()
        ),
        sorted(
            db.session.execute(
                select(
                    RubricCriterion.id,
                    RubricCriterion.name,
                    RubricCriterion.weight,
                    RubricCriterion.position,
                )
            ).all()
        ),
        sorted(
            db.session.execute(
                select(ScoreSheet.id, ScoreSheet.comment, ScoreSheet.submitted_at)
            ).all()
        ),
        sorted(db.session.execute(select(Score.sheet_id, Score.criterion_id, Score.value)).all()),
    )
