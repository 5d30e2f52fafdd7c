"""Signing up first with an official's address wins nothing: staff's seat waits for the owner."""

from sqlalchemy import func, select

from miti_training.extensions import db as _db
from miti_training.models import Registration, RegistrationStatus, User
from tests.conftest import link_from
from tests.support.factories import (
    make_centre,
    make_member_city,
    make_programme,
    make_staff,
)
from tests.support.pages import is_logged_in, text_of

OFFICIAL = "director.mobility@jakarta.example"
ATTACKER_PASSWORD = "squatting the director 42"


def accounts_with(email: str) -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(User).where(User.email == email))


def the_registration(programme) -> Registration:
    _db.session.expire_all()
    return _db.session.scalars(
        select(Registration).where(Registration.programme_id == programme.id)
    ).one()


def test_an_address_squatted_before_staff_register_its_owner_gives_the_squatter_nothing(
    app, db, outbox, login
):
    centre = make_centre(slug="jakarta")
    programme = make_programme(centre, capacity=10, title="Resilient transport")
    coordinator = make_staff(centre, "coordinator")
    city = make_member_city(name="Jakarta", country="Indonesia")
    _db.session.commit()

    # The attacker signs up first with the official's address (sending every field the
    # old one-page form had) and tries to log in with the password they chose.
    attacker = app.test_client()
    response = attacker.post(
        "/account/signup",
        data={
            "email": OFFICIAL,
            "full_name": "Not The Director",
            "password": ATTACKER_PASSWORD,
            "password_confirm": ATTACKER_PASSWORD,
            "member_city_id": str(city.id),
            "job_title": "Impostor",
            "preferred_language": "en",
            "timezone": "UTC",
        },
    )
    assert response.status_code == 302
    assert accounts_with(OFFICIAL) == 0  # no account until the link is opened
    attacker.post("/account/login", data={"email": OFFICIAL, "password": ATTACKER_PASSWORD})
    assert not is_logged_in(attacker)
    link_mail = next(m for m in outbox if m.to == OFFICIAL)  # only the mailbox's owner has it

    # Staff register the official by address: the seat waits as an invitation.
    staff = app.test_client()
    login(coordinator, target_client=staff)
    added = staff.post(
        f"/manage/jakarta/programmes/{programme.id}/registrations/add", data={"email": OFFICIAL}
    )
    assert added.status_code == 302
    invitation = the_registration(programme)
    assert invitation.user_id is None and invitation.email == OFFICIAL
    assert accounts_with(OFFICIAL) == 0
    attacker.post("/account/login", data={"email": OFFICIAL, "password": ATTACKER_PASSWORD})
    assert not is_logged_in(attacker)

    # The official opens the link from their mailbox: the account is theirs, and the seat.
    official = app.test_client()
    link = link_from(link_mail, "/account/signup/")
    created = official.post(
        link,
        data={
            "full_name": "Siti Rahma",
            "password": "monorail to kemayoran 9",
            "password_confirm": "monorail to kemayoran 9",
            "member_city_id": str(city.id),
            "job_title": "Director of mobility",
            "preferred_language": "en",
            "timezone": "Asia/Jakarta",
        },
    )
    assert created.status_code == 302
    assert is_logged_in(official)
    registration = the_registration(programme)
    owner = _db.session.scalar(select(User).where(User.email == OFFICIAL))
    assert registration.id == invitation.id and registration.user_id == owner.id
    assert registration.status == RegistrationStatus.CONFIRMED  # first come: seated
    assert registration.full_name == "Siti Rahma"
    assert "Resilient transport" in text_of(official.get("/my/registrations"))

    # The attacker's password opens nothing, even now.
    attacker.post("/account/login", data={"email": OFFICIAL, "password": ATTACKER_PASSWORD})
    assert not is_logged_in(attacker)
    assert owner.check_password(ATTACKER_PASSWORD) is False
