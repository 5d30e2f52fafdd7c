"""Reviewers' pages over HTTP: a draft, then a final sheet; others' scores hidden until one's own
is submitted; recusal; the rubric frozen once scoring starts; hostile input on both forms."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from miti_training.models import Membership, MembershipRole, RubricCriterion, ScoreSheet
from tests.conftest import empty_every_table
from tests.support.factories import make_admin, make_centre, make_staff, make_user
from tests.support.hostile import FORM_SETTINGS, post_hostile_form
from tests.support.pages import field_errors, flashes, follow, text_of
from tests.support.selection import add_criteria, apply, make_reviewed_programme, score_sheet
from tests.support.selection_routes import selection_snapshot


def _world():
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    programme = make_reviewed_programme(centre)
    criteria = add_criteria(programme, 3, 1)
    first = make_staff(centre, "reviewer", full_name="Reviewer Kim")
    second = make_staff(centre, "reviewer", full_name="Reviewer Haddad")
    applicant = apply(programme, full_name="Applicant Santos")
    return {
        "centre": centre,
        "programme": programme,
        "criteria": criteria,
        "first": first,
        "second": second,
        "applicant": applicant,
    }


@pytest.fixture
def w(db):
    return _world()


def _sheet_url(w, registration=None):
    registration = registration or w["applicant"]
    return f"/manage/seoul/programmes/{w['programme'].id}/scoring/{registration.id}"


def _values(w, *values):
    return {f"score_{c.id}": str(v) for c, v in zip(w["criteria"], values, strict=True)}


def test_a_reviewer_sees_only_the_scoring_pages(client, login, w):
    login(w["first"])
    home = client.get("/")
    assert 'href="/manage/scoring"' in text_of(home)
    assert ">Manage<" not in text_of(home)
    assert client.get("/manage/").location.endswith("/manage/scoring")
    assert client.get("/manage/scoring").location.endswith("/manage/seoul/scoring")
    listing = client.get("/manage/seoul/scoring")
    assert "Peer Review Process workshop" in text_of(listing)
    assert client.get("/manage/seoul/").status_code == 403
    registration = w["applicant"]
    assert client.get(f"/manage/seoul/registrations/{registration.id}").status_code == 403


def test_draft_then_submit_and_only_then_the_others_scores(client, login, w, db):
    score_sheet(w["applicant"], w["second"], w["criteria"], [2, 2])
    login(w["first"])
    page = text_of(client.get(_sheet_url(w)))
    assert "Reviewer Haddad" not in page
    assert "once you have submitted your own sheet" in page

    draft = client.post(_sheet_url(w), data={**_values(w, 5, 1), "action": "draft"})
    assert ("success", "Your draft is saved; submit it when you are done.") in flashes(
        follow(client, draft)
    )
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.reviewer_id == w["first"].id))
    assert sheet.submitted_at is None
    assert "Reviewer Haddad" not in text_of(client.get(_sheet_url(w)))

    # Submitting needs every criterion.
    partial = client.post(
        _sheet_url(w), data={f"score_{w['criteria'][0].id}": "5", "action": "submit"}
    )
    assert partial.status_code == 422
    assert "Give every criterion a score" in text_of(partial)

    done = client.post(
        _sheet_url(w), data={**_values(w, 5, 1), "comment": "Clear plan", "action": "submit"}
    )
    shown = follow(client, done)
    page = text_of(shown)
    assert "Reviewer Haddad" in page and "Clear plan" in page
    # Mine: (3·5 + 1·1)/4 = 4; theirs: 2; the mean 3, the spread 2 (strong disagreement).
    assert "Mean of 2 sheets:" in page and "<strong>3</strong>" in page
    assert "Spread: 2" in page and "Strong disagreement" in page

    # A submitted sheet is final.
    again = client.post(_sheet_url(w), data={**_values(w, 1, 1), "action": "submit"})
    assert again.status_code == 422
    db.session.expire_all()
    assert sorted(s.value for s in sheet.scores) == [1, 5]


def test_a_reviewer_from_the_applicants_city_is_recused(client, login, w, db):
    own_city = apply(w["programme"], w["first"].member_city, full_name="Neighbour Official")
    login(w["first"])
    listing = text_of(client.get(f"/manage/seoul/programmes/{w['programme'].id}/scoring"))
    assert "Recused: your own city" in listing
    assert _sheet_url(w, own_city) not in listing
    refused = client.post(_sheet_url(w, own_city), data={**_values(w, 5, 5), "action": "submit"})
    assert refused.status_code == 302
    assert (
        "error",
        "You are recused from this application: the applicant is from your member city.",
    ) in flashes(follow(client, refused))
    assert db.session.scalar(select(ScoreSheet.id)) is None


def test_another_centres_reviewer_and_a_decided_application_are_refused(client, login, w):
    other = make_staff(make_centre(slug="paris"), "reviewer")
    login(other)
    assert client.get(_sheet_url(w)).status_code == 403
    assert client.get(f"/manage/paris/programmes/{w['programme'].id}/scoring").status_code == 404
    w["applicant"].status = "confirmed"
    login(w["first"])
    assert client.get(_sheet_url(w)).status_code == 404


def test_the_rubric_is_frozen_once_a_sheet_is_submitted(client, login, w, db):
    coordinator = make_staff(w["centre"], "coordinator")
    login(coordinator)
    base = f"/manage/seoul/programmes/{w['programme'].id}/rubric"
    added = client.post(f"{base}/new", data={"name": "Feasibility", "weight": "2"})
    assert ("success", "The criterion “Feasibility” is added.") in flashes(follow(client, added))
    bad = client.post(f"{base}/new", data={"name": "", "weight": "101"})
    assert bad.status_code == 422
    assert set(field_errors(bad)) == {"name", "weight"}

    score_sheet(w["applicant"], w["second"], w["criteria"] + [], [3, 3])
    before = selection_snapshot()
    criterion = w["criteria"][0]
    for url, data in [
        (f"{base}/new", {"name": "Late", "weight": "1"}),
        (f"{base}/{criterion.id}/edit", {"name": "Changed", "weight": "9"}),
        (f"{base}/{criterion.id}/delete", {}),
        (f"{base}/{criterion.id}/move", {"direction": "down"}),
    ]:
        landing = follow(client, client.post(url, data=data))
        assert any("Scoring has started" in message for _c, message in flashes(landing)), url
    assert selection_snapshot() == before
    assert (
        db.session.scalar(select(RubricCriterion.name).where(RubricCriterion.id == criterion.id))
        == "Criterion 1"
    )


@FORM_SETTINGS
@given(data=st.data())
def test_the_sheet_form_survives_hostile_values(app, db, login, data):
    empty_every_table()
    w = _world()
    client = app.test_client()
    login(w["first"], target_client=client)
    form = {**_values(w, 4, 3), "comment": "Fine", "action": "submit"}
    post_hostile_form(client, _sheet_url(w), form, data, snapshot=selection_snapshot)


@FORM_SETTINGS
@given(data=st.data())
def test_the_rubric_form_survives_hostile_values(app, db, login, data):
    empty_every_table()
    w = _world()
    client = app.test_client()
    login(make_staff(w["centre"], "coordinator"), target_client=client)
    url = f"/manage/seoul/programmes/{w['programme'].id}/rubric/{w['criteria'][0].id}/edit"
    form = {"name": "Relevance", "description": "To the theme", "weight": "4"}
    post_hostile_form(client, url, form, data, snapshot=selection_snapshot)


def test_an_administrator_makes_someone_a_reviewer_who_is_led_to_scoring(
    client, login, db, outbox, w
):
    official = make_user(full_name="New Reviewer")
    login(make_admin())
    page = client.get(f"/admin/users/{official.id}").get_data(as_text=True)
    assert 'value="reviewer"' in page
    response = client.post(
        f"/admin/users/{official.id}/roles",
        data={"centre_id": str(w["centre"].id), "role": "reviewer"},
    )
    assert response.status_code == 302
    role = db.session.scalar(select(Membership.role).where(Membership.user_id == official.id))
    assert role == MembershipRole.REVIEWER
    message = next(m for m in outbox if m.to == official.email)
    assert "/manage/seoul/scoring" in message.body
    assert "score the applications" in message.body
