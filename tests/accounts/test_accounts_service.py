"""The accounts package without HTTP: the rules hold whichever view calls them."""

import pytest
from sqlalchemy import func, select

from miti_training.accounts import profile, sign_in
from miti_training.accounts import sign_up as signing_up
from miti_training.accounts.tokens import (
    RESET_SALT,
    SIGNUP_SALT,
    make_token,
    password_fingerprint,
    read_token,
)
from miti_training.errors import DomainError, EmailTaken, InvalidToken, WrongPassword
from miti_training.models import User
from tests.conftest import link_from
from tests.support.audit import audit_actions
from tests.support.factories import PASSWORD, make_member_city, make_user

NEW_PASSWORD = "a brand new passphrase 2026"


@pytest.fixture(autouse=True)
def request_context(app, db):
    """Lazy messages and the locale selector need a request; the db fixture's app context is reused."""
    with app.test_request_context():
        yield


def link_token(email="nadia.benali@paris.example") -> str:
    return make_token(SIGNUP_SALT, {"email": email})


def sign_up(db, city=None, token=None, **overrides):
    values = {
        "full_name": "  Nadia Benali  ",
        "password": "metro line 14 to orly",
        "member_city_id": (city or make_member_city()).id,
        "job_title": " Climate officer ",
        "preferred_language": "fr",
        "timezone": "Europe/Paris",
    }
    values.update(overrides)
    return signing_up.finish_sign_up(token or link_token(), **values)


def users(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def token_of(message, path: str) -> str:
    return link_from(message, path).rsplit("/", 1)[1]


# Sign-up ------------------------------------------------------------------------------


def test_asking_to_sign_up_makes_no_account_and_mails_after_commit(db, outbox):
    signing_up.request_sign_up("  Nadia.Benali@Paris.EXAMPLE ", language="fr")
    assert outbox == []  # nothing leaves before the transaction commits
    db.session.commit()
    assert users(db) == 0
    (message,) = outbox
    assert (message.to, message.locale) == ("nadia.benali@paris.example", "fr")
    token = token_of(message, "/account/signup/")
    assert signing_up.address_of_link(token) == "nadia.benali@paris.example"


def test_a_rolled_back_request_sends_nothing(db, outbox):
    signing_up.request_sign_up("nadia.benali@paris.example", language="fr")
    db.session.rollback()
    db.session.commit()
    assert outbox == []


def test_asking_with_a_taken_address_mails_only_its_owner(db, outbox):
    owner = make_user(email="owner@seoul.example", preferred_language="ko")
    signing_up.request_sign_up("  OWNER@seoul.example ", language="en")
    db.session.commit()
    (message,) = outbox
    assert (message.to, message.locale) == (owner.email, "ko")
    assert "/account/signup/" not in message.body
    assert users(db) == 1


def test_the_link_makes_a_clean_confirmed_account(db, outbox):
    user = sign_up(db)
    assert user.id is not None
    assert user.email == "nadia.benali@paris.example"
    assert (user.full_name, user.job_title) == ("Nadia Benali", "Climate officer")
    assert user.password_hash.startswith("scrypt:")
    assert user.email_confirmed_at is not None
    assert audit_actions(user) == ["account.sign_up"]


def test_a_second_account_from_the_same_link_is_refused(db):
    sign_up(db)
    with pytest.raises(EmailTaken):
        sign_up(db, full_name="Someone else")
    assert users(db) == 1


def test_sign_up_refuses_an_unknown_member_city(db):
    with pytest.raises(DomainError) as error:
        sign_up(db, member_city_id=424242)
    assert "member city" in str(error.value.message)
    db.session.rollback()
    assert users(db) == 0


@pytest.mark.parametrize(
    "password",
    ["short", "qwerty123456", "passwordpassword", "nadia benali", "nadia.benali@paris.example"],
)
def test_sign_up_enforces_the_password_policy(db, password):
    with pytest.raises(DomainError):
        sign_up(db, password=password)


def test_sign_up_turns_a_lost_race_for_the_address_into_email_taken(db, monkeypatch):
    """Another request inserted the address between the check and the insert."""
    make_user(email="nadia.benali@paris.example")
    real = signing_up.email_taken
    answers = iter([False])
    monkeypatch.setattr(signing_up, "email_taken", lambda email: next(answers, None) or real(email))
    with pytest.raises(EmailTaken):
        sign_up(db)
    # The session is still usable and holds no half-made account.
    assert users(db) == 1
    db.session.commit()


@pytest.mark.parametrize(
    "payload",
    [{"email": "Nadia@Paris.example"}, {"email": ""}, {"uid": 1}, {}, ["not", "a", "dict"], "x"],
)
def test_sign_up_links_with_odd_payloads_are_refused(db, payload):
    with pytest.raises(InvalidToken):
        sign_up(db, token=make_token(SIGNUP_SALT, payload))
    assert users(db) == 0


def test_tokens_do_not_cross_purposes(db):
    user = make_user()
    reset = make_token(RESET_SALT, {"uid": user.id, "pw": password_fingerprint(user.password_hash)})
    with pytest.raises(InvalidToken):
        signing_up.address_of_link(reset)
    with pytest.raises(InvalidToken):
        sign_in.user_for_reset_token(link_token(user.email))


def test_read_token_refuses_expired_and_forged_tokens(app, db):
    token = make_token(RESET_SALT, {"uid": 1})
    assert read_token(RESET_SALT, token, 60) == {"uid": 1}
    with pytest.raises(InvalidToken):
        read_token(RESET_SALT, token, -1)
    with pytest.raises(InvalidToken):
        read_token(RESET_SALT, token + "x", 60)
    with pytest.raises(InvalidToken):
        read_token(RESET_SALT, "", 60)


# Authentication -------------------------------------------------------------------------


def test_authenticate(db):
    user = make_user(email="kim@seoul.example")
    assert sign_in.authenticate(" KIM@Seoul.example ", PASSWORD) is user
    assert user.last_login_at is not None
    assert sign_in.authenticate("kim@seoul.example", "wrong password entirely") is None
    assert sign_in.authenticate("nobody@seoul.example", PASSWORD) is None


def test_disabled_account_does_not_authenticate(db):
    user = make_user(is_enabled=False)
    assert sign_in.authenticate(user.email, PASSWORD) is None
    assert user.last_login_at is None


# Password reset -------------------------------------------------------------------------


def test_reset_request_for_unknown_or_disabled_address_sends_nothing(db, outbox):
    disabled = make_user(is_enabled=False)
    sign_in.request_password_reset("nobody@nowhere.example")
    sign_in.request_password_reset(disabled.email)
    db.session.commit()
    assert outbox == []


def test_reset_password_sets_password_ends_sessions_and_audits(db, outbox):
    user = make_user()
    token_before = user.session_token
    sign_in.request_password_reset(user.email)
    db.session.commit()
    token = token_of(outbox[0], "/account/reset-password/")
    outbox.clear()

    assert sign_in.reset_password(token, NEW_PASSWORD) is user
    db.session.commit()
    assert user.check_password(NEW_PASSWORD)
    assert user.session_token != token_before
    assert audit_actions(user) == ["account.password_reset"]
    assert [m.to for m in outbox] == [user.email]

    with pytest.raises(InvalidToken):
        sign_in.user_for_reset_token(token)
    with pytest.raises(InvalidToken):
        sign_in.reset_password(token, "another new passphrase 3")


def test_reset_with_a_weak_password_changes_nothing(db, outbox):
    user = make_user()
    db.session.commit()
    token_before = user.session_token
    token = make_token(RESET_SALT, {"uid": user.id, "pw": password_fingerprint(user.password_hash)})
    with pytest.raises(DomainError):
        sign_in.reset_password(token, "qwerty123456")
    db.session.rollback()
    assert user.check_password(PASSWORD)
    assert user.session_token == token_before
    # The link still works for a good password.
    sign_in.reset_password(token, NEW_PASSWORD)


# Password change -----------------------------------------------------------------------


def test_change_password(db, outbox):
    user = make_user()
    token_before = user.session_token
    with pytest.raises(WrongPassword):
        profile.change_password(user, "not the password at all", NEW_PASSWORD)
    assert user.check_password(PASSWORD)
    assert user.session_token == token_before

    profile.change_password(user, PASSWORD, NEW_PASSWORD)
    db.session.commit()
    assert user.check_password(NEW_PASSWORD)
    assert user.session_token != token_before
    assert audit_actions(user) == ["account.password_change"]
    assert len(outbox) == 1


def test_change_password_enforces_the_policy(db):
    user = make_user(full_name="Carlos Hernández Ruiz")
    for bad in ("too short", "1qaz2wsx3edc", "carlos hernández ruiz", user.email):
        with pytest.raises(DomainError):
            profile.change_password(user, PASSWORD, bad)
    assert user.check_password(PASSWORD)


# Profile --------------------------------------------------------------------------------


def test_update_profile(db):
    user = make_user()
    city = make_member_city(name="Mexico City", country="Mexico")
    profile.update_profile(
        user,
        full_name=" Carlos Hernández ",
        member_city_id=city.id,
        job_title=" Mobility planner ",
        preferred_language="es",
        timezone="America/Mexico_City",
    )
    assert (user.full_name, user.member_city_id, user.job_title) == (
        "Carlos Hernández",
        city.id,
        "Mobility planner",
    )
    assert (user.preferred_language, user.timezone) == ("es", "America/Mexico_City")


def test_update_profile_refuses_an_unknown_city(db):
    user = make_user(full_name="Kept")
    with pytest.raises(DomainError):
        profile.update_profile(
            user,
            full_name="Changed",
            member_city_id=987654,
            job_title="x",
            preferred_language="en",
            timezone="UTC",
        )
    assert user.full_name == "Kept"
