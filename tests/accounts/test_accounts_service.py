"""The accounts package without HTTP: the rules hold whichever view calls them."""

import pytest
from sqlalchemy import func, select

from miti_training.accounts import profile, sign_in
from miti_training.accounts import sign_up as signing_up
from miti_training.accounts.tokens import (
    CONFIRM_SALT,
    RESET_SALT,
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


def sign_up(db, city=None, **overrides):
    values = {
        "full_name": "  Nadia Benali  ",
        "email": "  Nadia.Benali@Paris.EXAMPLE ",
        "password": "metro line 14 to orly",
        "member_city_id": (city or make_member_city()).id,
        "job_title": " Climate officer ",
        "preferred_language": "fr",
        "timezone": "Europe/Paris",
    }
    values.update(overrides)
    return signing_up.sign_up(**values)


def users(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def token_of(message, path: str) -> str:
    return link_from(message, path).rsplit("/", 1)[1]


# Sign-up ------------------------------------------------------------------------------


def test_sign_up_stores_a_clean_account_and_mails_after_commit(db, outbox):
    user = sign_up(db)
    assert user.id is not None
    assert user.email == "nadia.benali@paris.example"
    assert user.full_name == "Nadia Benali"
    assert user.job_title == "Climate officer"
    assert user.password_hash.startswith("scrypt:")
    assert user.email_confirmed_at is None
    assert outbox == []  # nothing leaves before the transaction commits
    db.session.commit()
    assert len(outbox) == 1
    assert outbox[0].to == "nadia.benali@paris.example"
    assert outbox[0].locale == "fr"


def test_a_rolled_back_sign_up_sends_nothing(db, outbox):
    sign_up(db)
    db.session.rollback()
    db.session.commit()
    assert outbox == []
    assert users(db) == 0


def test_sign_up_with_a_taken_address_raises_email_taken(db, outbox):
    make_user(email="nadia.benali@paris.example")
    db.session.commit()
    with pytest.raises(EmailTaken):
        sign_up(db)
    db.session.rollback()
    assert users(db) == 1
    db.session.commit()
    assert outbox == []


def test_sign_up_checks_the_password_before_the_address(db):
    """A weak password gets the same error whether or not the address is taken."""
    make_user(email="nadia.benali@paris.example")
    db.session.commit()
    with pytest.raises(DomainError) as taken:
        sign_up(db, password="short")
    db.session.rollback()
    with pytest.raises(DomainError) as free:
        sign_up(db, email="someone.else@paris.example", password="short")
    assert type(taken.value) is type(free.value) is DomainError
    assert str(taken.value.message) == str(free.value.message)


def test_sign_up_refuses_an_unknown_member_city(db):
    with pytest.raises(DomainError) as error:
        sign_up(db, member_city_id=424242)
    assert "member city" in str(error.value.message)
    db.session.rollback()
    assert users(db) == 0


@pytest.mark.parametrize(
    "password", ["short", "qwerty123456", "passwordpassword", "nadia benali", "x" * 257]
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


def test_notify_existing_account_mails_only_the_owner(db, outbox):
    owner = make_user(email="owner@seoul.example", preferred_language="ko")
    signing_up.notify_existing_account("  OWNER@seoul.example ")
    signing_up.notify_existing_account("nobody@seoul.example")
    db.session.commit()
    assert [(m.to, m.locale) for m in outbox] == [(owner.email, "ko")]


# Confirmation -------------------------------------------------------------------------


def test_confirm_email_sets_the_time_once(db, outbox):
    user = sign_up(db)
    db.session.commit()
    token = token_of(outbox[0], "/account/confirm/")
    assert signing_up.confirm_email(token) is user
    first = user.email_confirmed_at
    assert first is not None
    signing_up.confirm_email(token)
    assert user.email_confirmed_at == first


def test_confirmation_token_for_another_address_is_refused(db):
    user = make_user(confirmed=False)
    token = make_token(CONFIRM_SALT, {"uid": user.id, "email": "old.address@city.example"})
    with pytest.raises(InvalidToken):
        signing_up.confirm_email(token)
    assert user.email_confirmed_at is None


@pytest.mark.parametrize(
    "payload", [{"uid": 999999, "email": "x@y.example"}, {}, ["not", "a", "dict"], "text"]
)
def test_confirmation_tokens_with_odd_payloads_are_refused(db, payload):
    with pytest.raises(InvalidToken):
        signing_up.confirm_email(make_token(CONFIRM_SALT, payload))


def test_tokens_do_not_cross_purposes(db):
    user = make_user()
    reset = make_token(RESET_SALT, {"uid": user.id, "pw": password_fingerprint(user.password_hash)})
    with pytest.raises(InvalidToken):
        signing_up.confirm_email(reset)
    confirm = make_token(CONFIRM_SALT, {"uid": user.id, "email": user.email})
    with pytest.raises(InvalidToken):
        sign_in.user_for_reset_token(confirm)


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
    user = make_user(confirmed=False)
    token_before = user.session_token
    sign_in.request_password_reset(user.email)
    db.session.commit()
    token = token_of(outbox[0], "/account/reset-password/")
    outbox.clear()

    assert sign_in.reset_password(token, NEW_PASSWORD) is user
    db.session.commit()
    assert user.check_password(NEW_PASSWORD)
    assert user.session_token != token_before
    assert user.is_confirmed
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
