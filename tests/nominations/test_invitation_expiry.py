"""An invitation link expires NOMINATION_INVITATION_DAYS after it was sent or when the
nomination window closes, whichever comes first; an expired link is a 410 that makes nothing;
the focal point sees it and sends a new link while the window is open."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from miti_training.extensions import db as _db
from miti_training.models import Nomination, Programme, User, utcnow
from miti_training.nominations import nominating
from miti_training.nominations.invitations import expires_at
from tests.conftest import link_from
from tests.support.audit import audit_entries
from tests.support.factories import make_user
from tests.support.nominations import make_invitation
from tests.support.pages import flashes, follow, text_of
from tests.support.testdata import hostile_strings

INVITATION = "/nominations/invitation/"


@pytest.fixture
def invited(programme, focal, outbox):
    """An address of Cairo invited through the service; its link."""
    nominating.nominate(programme, "nour@cairo.example", actor=focal, full_name="Nour Hassan")
    _db.session.commit()
    (message,) = outbox
    outbox.clear()
    return _db.session.scalar(select(Nomination)), link_from(message, INVITATION)


def _age(nomination, days: float) -> None:
    """Move the invitation's clock: it was sent `days` ago."""
    _db.session.execute(
        update(Nomination)
        .where(Nomination.id == nomination.id)
        .values(invitation_sent_at=utcnow() - timedelta(days=days))
    )
    _db.session.commit()


def _close_window(programme) -> None:
    _db.session.execute(
        update(Programme)
        .where(Programme.id == programme.id)
        .values(nomination_closes_at=utcnow() - timedelta(minutes=1))
    )
    _db.session.commit()


def _users() -> int:
    return _db.session.scalar(select(func.count(User.id)))


def _assert_expired_page(client, link) -> None:
    users = _users()
    response = client.get(link)
    assert response.status_code == 410
    html = text_of(response)
    assert "This invitation has expired" in html
    assert "focal point of your city can send you a new invitation" in html
    assert "Location" not in response.headers
    assert _users() == users


# The link ------------------------------------------------------------------------------------


def test_a_link_still_valid_opens_the_sign_up(client, invited):
    nomination, link = invited
    _age(nomination, 29)
    opened = client.get(link)
    assert opened.status_code == 302 and "/account/signup/" in opened.location


def test_a_link_older_than_the_days_has_expired(client, invited):
    nomination, link = invited
    _age(nomination, 30.01)
    _assert_expired_page(client, link)


def test_the_days_come_from_the_configuration(app, client, invited, monkeypatch):
    nomination, link = invited
    _age(nomination, 3)
    monkeypatch.setitem(app.config, "NOMINATION_INVITATION_DAYS", 2)
    _assert_expired_page(client, link)
    monkeypatch.setitem(app.config, "NOMINATION_INVITATION_DAYS", 4)
    assert client.get(link).status_code == 302


def test_a_link_expires_when_the_window_closes(client, programme, invited):
    _nomination, link = invited
    _close_window(programme)
    _assert_expired_page(client, link)


def test_the_window_closing_before_the_days_is_the_expiry(
    client, sign_in, programme, focal, invited
):
    nomination, _link = invited
    closes = programme.nomination_closes_at
    sign_in(focal)
    html = text_of(client.get("/nominations"))
    assert "Invitation valid until" in html and "Invitation expired" not in html
    # The window closes in ten days, before the thirty: that is the expiry.
    assert expires_at(_db.session.get(Nomination, nomination.id)) == closes


def test_an_expired_link_of_an_account_holder_makes_nothing_either(client, cairo, invited):
    nomination, link = invited
    make_user(member_city=cairo, email="nour@cairo.example")
    _age(nomination, 31)
    _assert_expired_page(client, link)


@pytest.mark.parametrize("token", hostile_strings()[:20])
def test_hostile_tokens_beside_an_expired_invitation_are_not_found(client, invited, token):
    nomination, link = invited
    _age(nomination, 31)
    response = client.get(INVITATION + token.replace("/", "%2F"))
    assert response.status_code in (404, 308, 301)
    assert client.get(link + "x").status_code == 404
    assert client.get(link[:-1]).status_code == 404


# The focal point's list and sending again ---------------------------------------------------


def test_the_list_says_expired_and_offers_to_send_again(client, sign_in, focal, invited):
    nomination, _link = invited
    _age(nomination, 31)
    sign_in(focal)
    for url in ("/nominations", f"/nominations/programmes/{nomination.programme_id}"):
        html = text_of(client.get(url))
        assert "Invitation expired" in html
        assert f'action="/nominations/{nomination.id}/resend"' in html
        assert "Send the invitation again" in html


def test_sending_again_gives_a_new_link_and_kills_the_old(client, sign_in, focal, invited, outbox):
    nomination, old_link = invited
    _age(nomination, 31)
    sign_in(focal)
    response = client.post(f"/nominations/{nomination.id}/resend", data={"back": "programme"})
    assert response.location == f"/nominations/programmes/{nomination.programme_id}"
    assert (
        "success",
        "A new invitation has been emailed to nour@cairo.example; the old link no longer works.",
    ) in flashes(follow(client, response))
    (message,) = outbox
    assert message.to == "nour@cairo.example"
    new_link = link_from(message, INVITATION)
    assert new_link != old_link
    assert client.get(old_link).status_code == 404
    opened = client.get(new_link)
    assert opened.status_code == 302 and "/account/signup/" in opened.location
    _db.session.expire_all()
    renewed = _db.session.get(Nomination, nomination.id)
    assert utcnow() - renewed.invitation_sent_at < timedelta(minutes=1)
    (entry,) = audit_entries("nomination.resend_invitation")
    assert entry.actor_id == focal.id and entry.programme_id == nomination.programme_id
    listed = text_of(client.get("/nominations"))
    assert "Invitation valid until" in listed and "Send the invitation again" not in listed


def test_sending_again_is_refused_once_the_window_closed(
    client, sign_in, programme, focal, invited, outbox
):
    nomination, link = invited
    _close_window(programme)
    sign_in(focal)
    assert "Send the invitation again" not in text_of(client.get("/nominations"))
    response = client.post(f"/nominations/{nomination.id}/resend")
    shown = flashes(follow(client, response))
    assert any(kind == "error" and "Nominations closed on" in text for kind, text in shown), shown
    assert outbox == []
    assert audit_entries("nomination.resend_invitation") == []
    _assert_expired_page(client, link)


def test_a_valid_invitation_is_not_sent_again(client, sign_in, focal, invited, outbox):
    nomination, link = invited
    sign_in(focal)
    response = client.post(f"/nominations/{nomination.id}/resend")
    assert (
        "error",
        "The invitation still works: it can be sent again once it has expired.",
    ) in flashes(follow(client, response))
    assert outbox == []
    assert client.get(link).status_code == 302


def test_a_nomination_without_invitation_is_not_sent_again(
    client, sign_in, programme, focal, cairo, outbox
):
    official = make_user(member_city=cairo)
    nomination = nominating.nominate(programme, official.email, actor=focal).nomination
    _db.session.commit()
    outbox.clear()
    sign_in(focal)
    response = client.post(f"/nominations/{nomination.id}/resend")
    assert (
        "error",
        "This nomination has no invitation waiting to be taken up.",
    ) in flashes(follow(client, response))
    assert outbox == []


def test_another_citys_focal_point_cannot_send_again(
    client, sign_in, programme, tehran, other_focal, focal, cairo, outbox
):
    theirs = make_invitation(
        programme, cairo, token="c" * 43, sent_at=utcnow() - timedelta(days=40)
    )
    _db.session.commit()
    before = theirs.token_hash
    sign_in(other_focal)
    assert client.post(f"/nominations/{theirs.id}/resend").status_code == 404
    assert client.post("/nominations/999999999/resend").status_code == 404
    _db.session.expire_all()
    assert _db.session.get(Nomination, theirs.id).token_hash == before
    assert outbox == []
