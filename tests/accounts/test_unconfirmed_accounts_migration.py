"""Migration 0008 removes unconfirmed accounts: their seats wait for the address's owner again,
staff accounts are kept and confirmed, and nothing is left pointing at a deleted row."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from miti_training import create_app
from miti_training.extensions import db
from miti_training.models import (
    AuditEntry,
    MembershipRole,
    Programme,
    Registration,
    RegistrationStatus,
    User,
)
from tests.support.factories import (
    grant,
    make_centre,
    make_programme,
    make_registration,
    make_user,
)

S = RegistrationStatus
OFFICIAL = "director@jakarta.example"


def _unconfirmed_accounts_go(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="0007")
        centre = make_centre(slug="jakarta")
        programme = make_programme(centre, capacity=5)
        other = make_programme(centre)
        participant = make_user(email="confirmed@jakarta.example")
        kept_registration = make_registration(programme, participant)
        squatter = make_user(email=OFFICIAL, email_confirmed_at=None, full_name="Impostor")
        seat = make_registration(programme, squatter, status=S.CONFIRMED)
        withdrawn = make_registration(other, squatter, status=S.WITHDRAWN)
        programme.created_by_id = squatter.id
        db.session.add(AuditEntry(action="account.password_reset", actor=squatter))
        coordinator = make_user(email="coordinator@jakarta.example", email_confirmed_at=None)
        grant(coordinator, centre, MembershipRole.COORDINATOR)
        admin = make_user(email="admin@jakarta.example", email_confirmed_at=None, is_admin=True)
        db.session.commit()
        ids = {
            "squatter": squatter.id,
            "coordinator": coordinator.id,
            "admin": admin.id,
            "seat": seat.id,
            "withdrawn": withdrawn.id,
            "kept": kept_registration.id,
            "programme": programme.id,
            "participant": participant.id,
            "city": participant.member_city_id,
        }
        seats_before = programme.seats_taken
        db.session.remove()

        upgrade()

        assert db.session.get(User, ids["squatter"]) is None
        for name in ("coordinator", "admin"):
            assert db.session.get(User, ids[name]).email_confirmed_at is not None
        confirmed = db.session.scalars(
            select(AuditEntry.subject_user_id).where(AuditEntry.action == "account.confirm")
        ).all()
        assert sorted(confirmed) == sorted([ids["coordinator"], ids["admin"]])

        seat = db.session.get(Registration, ids["seat"])
        assert (seat.user_id, seat.email, seat.status, seat.full_name) == (
            None,
            OFFICIAL,
            S.CONFIRMED,
            "",
        )
        detached = db.session.scalars(
            select(AuditEntry.registration_id).where(AuditEntry.action == "registration.detach")
        ).all()
        assert detached == [ids["seat"]]  # only what is still active waits for the owner
        withdrawn = db.session.get(Registration, ids["withdrawn"])
        assert (withdrawn.user_id, withdrawn.status) == (None, S.WITHDRAWN)
        assert db.session.get(Registration, ids["kept"]).user_id == ids["participant"]
        programme = db.session.get(Programme, ids["programme"])
        assert programme.created_by_id is None and programme.seats_taken == seats_before
        assert db.session.scalars(
            select(AuditEntry.actor_id).where(AuditEntry.action == "account.password_reset")
        ).all() == [None]

        with pytest.raises(IntegrityError):
            make_user(email_confirmed_at=None)
        db.session.rollback()

        # The owner of the address signs up through their link and gets the seat back.
        from miti_training.accounts import sign_up
        from miti_training.accounts.tokens import SIGNUP_SALT, make_token

        with app.test_request_context():
            owner = sign_up.finish_sign_up(
                make_token(SIGNUP_SALT, {"email": OFFICIAL}),
                full_name="Siti Rahma",
                password="monorail to kemayoran 9",
                member_city_id=ids["city"],
                job_title="Director",
                preferred_language="en",
                timezone="Asia/Jakarta",
            )
            db.session.commit()
        seat = db.session.get(Registration, ids["seat"])
        assert (seat.user_id, seat.status, seat.full_name) == (owner.id, S.CONFIRMED, "Siti Rahma")
        assert db.session.get(Programme, ids["programme"]).seats_taken == seats_before
        db.session.remove()

        downgrade(revision="base")
        db.engine.dispose()


def test_the_database_refuses_an_unconfirmed_account(db):
    """Whichever path forgot to say when the address was proven fails instead of making one."""
    with pytest.raises(IntegrityError):
        make_user(email_confirmed_at=None)
    db.session.rollback()


def test_unconfirmed_accounts_go_on_sqlite(tmp_path):
    _unconfirmed_accounts_go(f"sqlite:///{tmp_path / 'unconfirmed.db'}")


@pytest.mark.postgres
def test_unconfirmed_accounts_go_on_postgresql(fresh_postgres_database):
    _unconfirmed_accounts_go(fresh_postgres_database)
