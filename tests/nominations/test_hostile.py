"""The focal point's nomination form and the invitation link with random and hostile values:
never a 500, never reflected unescaped, and a refused input changes nothing."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from miti_training.extensions import db as _db
from miti_training.models import CityAllocation, EnrolmentPolicy, Nomination, utcnow
from tests.conftest import empty_every_table
from tests.support.factories import make_centre, make_member_city, make_programme, make_user
from tests.support.hostile import FORM_SETTINGS, NASTY, post_hostile_form
from tests.support.nominations import make_focal_point, make_invitation, make_nomination
from tests.support.testdata import hostile_strings


def _snapshot():
    _db.session.expire_all()
    return (
        sorted(_db.session.execute(select(Nomination.email, Nomination.status)).all()),
        sorted(_db.session.execute(select(CityAllocation.places, CityAllocation.taken)).all()),
    )


def _world():
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    programme = make_programme(
        centre,
        enrolment_policy=EnrolmentPolicy.NOMINATION,
        nomination_opens_at=utcnow() - timedelta(days=1),
    )
    city = make_member_city(name="Cairo")
    focal = make_focal_point(city)
    official = make_user(member_city=city)
    nomination = make_nomination(programme, make_user(member_city=city))
    _db.session.commit()
    return programme, focal, official, nomination


@FORM_SETTINGS
@given(data=st.data())
def test_the_nomination_form_survives_hostile_values(app, db, login, data):
    empty_every_table()
    programme, focal, official, _nomination = _world()
    client = app.test_client()
    login(focal, target_client=client)
    form = {"email": official.email, "full_name": "Amira Saleh", "language": "ar"}
    post_hostile_form(
        client, f"/nominations/programmes/{programme.id}", form, data, snapshot=_snapshot
    )


@FORM_SETTINGS
@given(data=st.data())
def test_the_withdraw_button_survives_hostile_values(app, db, login, data):
    empty_every_table()
    _programme, focal, _official, nomination = _world()
    client = app.test_client()
    login(focal, target_client=client)
    post_hostile_form(
        client, f"/nominations/{nomination.id}/withdraw", {"back": "programme"}, data, _snapshot
    )


@FORM_SETTINGS
@given(data=st.data())
def test_the_send_again_button_survives_hostile_values(app, db, login, data):
    empty_every_table()
    programme, focal, _official, nomination = _world()
    expired = make_invitation(
        programme, nomination.member_city, token="e" * 43, sent_at=utcnow() - timedelta(days=40)
    )
    _db.session.commit()
    client = app.test_client()
    login(focal, target_client=client)
    post_hostile_form(
        client, f"/nominations/{expired.id}/resend", {"back": "programme"}, data, _snapshot
    )


@pytest.mark.parametrize("token", hostile_strings()[:40])
def test_hostile_invitation_tokens_are_not_found(client, token):
    response = client.get("/nominations/invitation/" + token.replace("/", "%2F"))
    assert response.status_code in (404, 308, 301)


@given(token=NASTY)
@FORM_SETTINGS
def test_any_token_is_a_404_not_a_500(app, db, token):
    client = app.test_client()
    response = client.get("/nominations/invitation/" + quote(token or "x", safe=""))
    assert response.status_code < 500
