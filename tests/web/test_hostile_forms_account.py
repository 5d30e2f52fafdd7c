"""The participant's forms, posted with random and hostile values: log in, reset, profile,
password, email address, registration, answers, withdrawal, check-in, language and account
deletion.

Never a 500, never reflected unescaped, and when the input is refused the database is
unchanged. (Sign-up has its own property test in test_hostile_input.py.)
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from miti_training.models import Attendance, Registration, User
from tests.conftest import empty_every_table
from tests.support.factories import PASSWORD, make_programme, make_registration, make_user
from tests.support.hostile import FORM_SETTINGS, post_hostile_form


def _world() -> dict:
    participant = make_user(full_name="Zahra Ahmadi", job_title="Urban manager")
    open_programme = make_programme(title="Peer Review Process workshop")
    registered = make_programme(title="Water management course")
    registration = make_registration(registered, participant, motivation="Peer learning.")
    return {
        "participant": participant,
        "open": open_programme,
        "registration": registration,
        "city": participant.member_city_id,
    }


#: (path, form that succeeds) per form; built from the world of each example.
FORMS = {
    "login": lambda w: ("/account/login", {"email": w["participant"].email, "password": PASSWORD}),
    "forgot": lambda w: ("/account/forgot-password", {"email": w["participant"].email}),
    "profile": lambda w: (
        "/account/profile",
        {
            "full_name": "Zahra Ahmadi-Rad",
            "member_city_id": str(w["city"]),
            "job_title": "Head of planning",
            "preferred_language": "fa",
            "timezone": "Asia/Tehran",
        },
    ),
    "password": lambda w: (
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "tram route 9 to the old bazaar",
            "password_confirm": "tram route 9 to the old bazaar",
        },
    ),
    "register": lambda w: (
        f"/programmes/{w['open'].slug}/register",
        {
            "submitted": "1",
            "motivation": "Peer learning.",
            "accessibility_needs": "",
            "dietary_needs": "Vegetarian",
            "consent_data": "y",
            "consent_listing": "y",
        },
    ),
    "edit": lambda w: (
        f"/my/registrations/{w['registration'].id}/edit",
        {"motivation": "Peer learning, and the steps of a review.", "dietary_needs": ""},
    ),
    "withdraw": lambda w: (f"/my/registrations/{w['registration'].id}/withdraw", {"confirm": "y"}),
    "check_in": lambda w: ("/check-in", {"code": "7K3M-QX9P"}),
    "language": lambda w: ("/language", {"lang": "ko", "next": "/programmes"}),
    "delete": lambda w: ("/account/delete", {"password": PASSWORD, "understood": "y"}),
    "email": lambda w: (
        "/account/email",
        {"email": "zahra.ahmadi@mashhad.example", "password": PASSWORD},
    ),
}


def _snapshot(db) -> tuple:
    db.session.expire_all()
    return (
        sorted(
            db.session.execute(
                select(
                    User.id,
                    User.full_name,
                    User.email,
                    User.job_title,
                    User.preferred_language,
                    User.password_hash,
                )
            ).all()
        ),
        sorted(
            db.session.execute(
                select(
                    Registration.id,
                    Registration.status,
                    Registration.motivation,
                    Registration.dietary_needs,
                )
            ).all()
        ),
        sorted(db.session.execute(select(Attendance.id, Attendance.status)).all()),
    )


@pytest.mark.parametrize("form_name", sorted(FORMS))
@FORM_SETTINGS
@given(data=st.data())
def test_participant_form_survives_hostile_values(app, db, login, form_name, data):
    empty_every_table()  # each example starts from the same world
    world = _world()
    client = app.test_client()
    if form_name != "login" and form_name != "forgot":
        login(world["participant"], target_client=client)
    path, form = FORMS[form_name](world)
    post_hostile_form(client, path, form, data, snapshot=lambda: _snapshot(db))
