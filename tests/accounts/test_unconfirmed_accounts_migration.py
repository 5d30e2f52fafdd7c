"""Migration 0008 removes unconfirmed accounts: their seats wait for the address's owner again,
staff accounts are kept and confirmed, and nothing is left pointing at a deleted row."""

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from miti_training import create_app
from miti_training.extensions import db
from miti_training.models import (
    AuditEntry,
    Programme,
    Registration,
    RegistrationStatus,
    User,
)
from tests.support.factories import make_user
from tests.support.old_schema import insert_row

S = RegistrationStatus
OFFICIAL = "director@jakarta.example"


def _unconfirmed_accounts_go(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="0007")
        # Rows as the 0007 schema has them (the models describe the newest one).
        with db.engine.begin() as sql:
            centre = insert_row(sql, "centres", slug="jakarta", kind="regional", timezone="UTC")
            city = insert_row(
                sql,
                "member_cities",
                name="Jakarta",
                country="Indonesia",
                world_region="asia_pacific",
            )

            def programme_row(slug, seats_taken):
                return insert_row(
                    sql,
                    "programmes",
                    centre_id=centre,
                    slug=slug,
                    kind="workshop",
                    theme="urban_governance",
                    format="in_person",
                    enrolment_policy="first_come",
                    status="published",
                    capacity=5,
                    seats_taken=seats_taken,
                    languages="en",
                )

            def user_row(email, confirmed=True, **values):
                moment = datetime(2026, 1, 1) if confirmed else None
                return insert_row(
                    sql,
                    "users",
                    email=email,
                    member_city_id=city,
                    preferred_language="en",
                    timezone="UTC",
                    email_confirmed_at=moment,
                    calendar_token=None,
                    **values,
                )

            def registration_row(programme_id, user_id, status, email, full_name):
                return insert_row(
                    sql,
                    "registrations",
                    programme_id=programme_id,
                    user_id=user_id,
                    status=status,
                    email=email,
                    full_name=full_name,
                    answers="{}",
                    member_city_id=city,
                )

            programme = programme_row("jakarta-transport", seats_taken=2)
            other = programme_row("jakarta-water", seats_taken=0)
            participant = user_row("confirmed@jakarta.example")
            kept = registration_row(
                programme, participant, "confirmed", "confirmed@jakarta.example", "Budi"
            )
            squatter = user_row(OFFICIAL, confirmed=False, full_name="Impostor")
            seat = registration_row(programme, squatter, "confirmed", OFFICIAL, "Impostor")
            withdrawn = registration_row(other, squatter, "withdrawn", OFFICIAL, "Impostor")
            sql.execute(
                sa.text("UPDATE programmes SET created_by_id = :user WHERE id = :id"),
                {"user": squatter, "id": programme},
            )
            insert_row(
                sql,
                "audit_entries",
                action="account.password_reset",
                actor_id=squatter,
                from_state="",
                to_state="",
            )
            coordinator = user_row("coordinator@jakarta.example", confirmed=False)
            insert_row(
                sql, "memberships", user_id=coordinator, centre_id=centre, role="coordinator"
            )
            admin = user_row("admin@jakarta.example", confirmed=False, is_admin=True)
        ids = {
            "squatter": squatter,
            "coordinator": coordinator,
            "admin": admin,
            "seat": seat,
            "withdrawn": withdrawn,
            "kept": kept,
            "programme": programme,
            "participant": participant,
            "city": city,
        }
        seats_before = 2
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
