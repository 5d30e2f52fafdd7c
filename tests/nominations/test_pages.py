"""The focal point's pages, the invitation link, the programme page and the register form
under the nomination policy, and who may open what."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from miti_training.extensions import db as _db
from miti_training.models import (
    EnrolmentPolicy,
    FocalPoint,
    Nomination,
    NominationStatus,
    Registration,
    RegistrationStatus,
    User,
    utcnow,
)
from miti_training.nominations import nominating, withdrawing
from miti_training.registrations import enrolment
from tests.conftest import link_from
from tests.support.factories import make_admin, make_programme, make_staff, make_user
from tests.support.nominations import make_invitation, make_nomination
from tests.support.pages import assert_accessible_page, flashes, follow, text_of
from tests.support.routes import FOCAL_POINT_ROUTES

NEW_PASSWORD = "Peer-review 2026 in Seoul!"


def _nominate_form(email, **kw) -> dict:
    return {
        "email": email,
        "full_name": kw.get("full_name", ""),
        "language": kw.get("language", "en"),
    }


def test_the_focal_points_page_lists_programmes_and_the_citys_nominations(
    client, sign_in, programme, focal, cairo, tehran
):
    own = make_nomination(programme, make_user(member_city=cairo, full_name="Amira Cairo"))
    make_nomination(programme, make_user(member_city=tehran, full_name="Darius Tehran"))
    sign_in(focal)
    page = client.get("/nominations")
    assert page.status_code == 200
    html = text_of(page)
    assert_accessible_page(html)
    assert "Peer Review Process" in html and "1 place left for your city" in html
    assert "Amira Cairo" in html and "Darius Tehran" not in html
    assert f"/nominations/{own.id}/withdraw" in html


def test_nominating_through_the_form(client, sign_in, programme, focal, cairo, outbox):
    official = make_user(member_city=cairo, full_name="Amira Cairo")
    sign_in(focal)
    url = f"/nominations/programmes/{programme.id}"
    response = client.post(url, data=_nominate_form(official.email))
    assert response.status_code == 302
    landing = follow(client, response)
    assert (
        "success",
        "Amira Cairo is nominated and has been emailed a link to the application form.",
    ) in flashes(landing)
    assert "Amira Cairo" in text_of(landing)
    (message,) = outbox
    assert message.to == official.email


def test_a_refusal_is_shown_beside_the_field(client, sign_in, programme, focal, tehran):
    stranger = make_user(member_city=tehran)
    sign_in(focal)
    response = client.post(
        f"/nominations/programmes/{programme.id}", data=_nominate_form(stranger.email)
    )
    assert response.status_code == 200
    assert "not an official of your city" in text_of(response)
    assert _db.session.scalar(select(Nomination)) is None


def test_another_citys_nomination_is_not_found(client, sign_in, programme, focal, tehran):
    theirs = make_nomination(programme, make_user(member_city=tehran))
    _db.session.commit()
    sign_in(focal)
    assert client.post(f"/nominations/{theirs.id}/withdraw").status_code == 404
    _db.session.expire_all()
    assert _db.session.get(Nomination, theirs.id).status == NominationStatus.NOMINATED


def test_a_programme_not_by_nomination_is_not_found(client, sign_in, centre, focal):
    open_one = make_programme(centre, enrolment_policy=EnrolmentPolicy.FIRST_COME)
    sign_in(focal)
    assert client.get(f"/nominations/programmes/{open_one.id}").status_code == 404


def test_withdrawing_through_the_page(client, sign_in, programme, focal, cairo):
    nomination = make_nomination(programme, make_user(member_city=cairo, full_name="Amira"))
    _db.session.commit()
    sign_in(focal)
    response = client.post(f"/nominations/{nomination.id}/withdraw")
    landing = follow(client, response)
    assert ("success", "The nomination of Amira is withdrawn; its place is free again.") in flashes(
        landing
    )
    again = follow(client, client.post(f"/nominations/{nomination.id}/withdraw"))
    assert ("error", "This nomination has already been withdrawn.") in flashes(again)


# Who may open the focal point's pages ------------------------------------------------------

RESEND = "nominations.resend_invitation"
ROLES = ["anonymous", "participant", "coordinator", "admin", "other_focal", "focal"]


def _request(method, endpoint, programme, nomination):
    if endpoint == RESEND:
        # Only an expired invitation may be sent again.
        nomination = make_invitation(
            programme, nomination.member_city, token="t" * 43, sent_at=utcnow() - timedelta(days=40)
        )
    urls = {
        "nominations.index": "/nominations",
        "nominations.nominate": f"/nominations/programmes/{programme.id}",
        "nominations.withdraw": f"/nominations/{nomination.id}/withdraw",
        RESEND: f"/nominations/{nomination.id}/resend",
    }
    data = _nominate_form(make_user(member_city=nomination.member_city).email)
    return urls[endpoint], data if method == "POST" else None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "endpoint"), FOCAL_POINT_ROUTES)
def test_access(
    client, login, programme, centre, focal, other_focal, cairo, role, method, endpoint
):
    nomination = make_nomination(programme, make_user(member_city=cairo))
    who = {
        "participant": make_user,
        "coordinator": lambda: make_staff(centre, "coordinator"),
        "admin": make_admin,
        "other_focal": lambda: other_focal,
        "focal": lambda: focal,
    }
    url, data = _request(method, endpoint, programme, nomination)
    _db.session.commit()
    if role != "anonymous":
        login(who[role]())
    rows = select(Nomination.id, Nomination.status, Nomination.token_hash).order_by(Nomination.id)
    before = _db.session.execute(rows).all()

    response = client.open(url, method=method, data=data)

    _db.session.expire_all()
    after = _db.session.execute(rows).all()
    if role == "anonymous":
        assert response.status_code == 302 and "/account/login" in response.location
        assert after == before
    elif role in ("participant", "coordinator", "admin"):
        assert response.status_code == 403
        assert after == before
    elif role == "other_focal" and endpoint in ("nominations.withdraw", RESEND):
        assert response.status_code == 404
        assert after == before
    elif role == "other_focal" and method == "POST":
        # Their own city's form: an official of Cairo is not theirs to nominate.
        assert response.status_code == 200 and "not an official of your city" in text_of(response)
        assert after == before
    elif method == "GET":
        assert response.status_code == 200
        assert_accessible_page(text_of(response))
    else:
        assert response.status_code == 302
        assert after != before


# The invitation link, the programme page and the register form -----------------------------


def test_an_invitation_becomes_an_account_that_applies(client, programme, focal, cairo, outbox):
    nominating.nominate(
        programme, "nour@cairo.example", actor=focal, full_name="Nour Hassan", language="fr"
    )
    _db.session.commit()
    link = link_from(outbox[0], "/nominations/invitation/")
    opened = client.get(link)
    assert opened.status_code == 302 and "/account/signup/" in opened.location
    signup = client.get(opened.location)
    assert signup.status_code == 200 and "nour@cairo.example" in text_of(signup)
    finished = client.post(
        opened.location,
        data={
            "full_name": "Nour Hassan",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
            "member_city_id": str(cairo.id),
            "job_title": "Planner",
            "preferred_language": "fr",
            "timezone": "Africa/Cairo",
        },
    )
    assert finished.status_code == 302
    assert finished.location == f"/programmes/{programme.slug}/register"
    user = _db.session.scalar(select(User).where(User.email == "nour@cairo.example"))
    nomination = _db.session.scalar(select(Nomination))
    assert nomination.user_id == user.id
    form = client.get(finished.location)
    assert form.status_code == 200 and 'name="submitted"' in text_of(form)
    applied = client.post(
        finished.location,
        data={"submitted": "1", "consent_data": "y", "motivation": "Peer reviews in Cairo."},
    )
    assert applied.status_code == 302
    _db.session.expire_all()
    registration = _db.session.scalar(select(Registration).where(Registration.user_id == user.id))
    assert registration.status == RegistrationStatus.APPLIED
    assert _db.session.get(Nomination, nomination.id).status == NominationStatus.APPLIED


def test_a_withdrawn_invitation_link_no_longer_works(client, programme, focal, outbox):
    nomination = nominating.nominate(
        programme, "nour@cairo.example", actor=focal, full_name="Nour"
    ).nomination
    _db.session.commit()
    link = link_from(outbox[0], "/nominations/invitation/")
    withdrawing.withdraw(nomination, actor=focal)
    _db.session.commit()
    assert client.get(link).status_code == 404
    assert client.get("/nominations/invitation/" + "x" * 43).status_code == 404


def test_the_programme_page_says_who_may_apply(client, sign_in, programme, cairo):
    anonymous = text_of(client.get(f"/programmes/{programme.slug}"))
    assert "by nomination of member cities" in anonymous
    official = make_user(member_city=cairo)
    sign_in(official)
    page = text_of(client.get(f"/programmes/{programme.slug}"))
    assert "Ask the focal point of your city" in page
    assert f'action="/programmes/{programme.slug}/register"' not in page
    make_nomination(programme, official)
    _db.session.commit()
    page = text_of(client.get(f"/programmes/{programme.slug}"))
    assert f'action="/programmes/{programme.slug}/register"' in page


def test_the_register_form_refuses_an_official_not_nominated(client, sign_in, programme, cairo):
    official = make_user(member_city=cairo)
    _db.session.commit()
    sign_in(official)
    url = f"/programmes/{programme.slug}/register"
    sent = {"submitted": "1", "consent_data": "y", "motivation": "Peer reviews."}
    for method, data in (("GET", None), ("POST", sent)):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302
        shown = flashes(follow(client, response))
        assert any("by nomination of member cities" in m for _c, m in shown), shown
    assert _db.session.scalar(select(Registration)) is None


def test_admins_grant_and_revoke_the_focal_point_role(client, login, cairo):
    admin = make_admin()
    person = make_user(member_city=cairo, full_name="Amira")
    _db.session.commit()
    login(admin)
    granted = follow(
        client,
        client.post(f"/admin/users/{person.id}/focal-point", data={"member_city_id": cairo.id}),
    )
    assert ("success", "Amira is now focal point of Cairo.") in flashes(granted)
    assert "made" in text_of(granted) and "focal point of" in text_of(granted)
    assert _db.session.scalar(select(FocalPoint.member_city_id)) == cairo.id
    listed = client.get("/admin/focal-points")
    assert "Amira" in text_of(listed)
    revoked = follow(client, client.post(f"/admin/users/{person.id}/focal-point/revoke"))
    assert ("success", "Amira is no longer focal point of Cairo.") in flashes(revoked)
    assert _db.session.scalar(select(FocalPoint)) is None


def test_granting_the_focal_point_role_again_or_wrongly_says_so(client, login, cairo, tehran):
    person = make_user(member_city=cairo, full_name="Amira")
    login(make_admin())
    url = f"/admin/users/{person.id}/focal-point"
    assert ("success", "Amira is now focal point of Cairo.") in flashes(
        follow(client, client.post(url, data={"member_city_id": cairo.id}))
    )
    for data, expected in [
        ({"member_city_id": cairo.id}, ("info", "Amira is already focal point of Cairo.")),
        ({"member_city_id": "999999"}, ("error", "Choose a member city from the list.")),
        ({}, ("error", "Choose a member city from the list.")),
        (
            {"member_city_id": tehran.id},
            ("error", "Amira is already focal point of Cairo: revoke that role first."),
        ),
    ]:
        response = client.post(url, data=data)
        assert response.location.endswith(f"/admin/users/{person.id}"), data
        assert flashes(follow(client, response)) == [expected], data
    assert _db.session.scalars(select(FocalPoint.member_city_id)).all() == [cairo.id]


def test_the_focal_point_follows_an_application(client, sign_in, programme, focal, cairo):
    official = make_user(member_city=cairo, full_name="Amira Cairo")
    nominating.nominate(programme, official.email, actor=focal)
    enrolment.register(
        programme,
        official,
        answers={},
        motivation="Peer reviews in Cairo.",
        consent_data=True,
        consent_listing=False,
    )
    _db.session.commit()
    sign_in(focal)
    html = text_of(client.get("/nominations"))
    assert "Amira Cairo" in html and "Applied" in html
    assert "/withdraw" in html  # still before selection


def test_the_catalogue_card_says_by_nomination(client, programme):
    assert "By nomination of member cities" in text_of(client.get("/programmes"))
