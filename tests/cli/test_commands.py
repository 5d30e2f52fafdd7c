"""The flask CLI: create-admin."""

from sqlalchemy import select

from miti_training.models import User
from tests.support.factories import make_user


def test_create_admin_creates_a_confirmed_administrator(app, db, client):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "Secretariat@Metropolis.example ",
            "--name",
            "Secretariat",
            "--password",
            "seoul cairo mashhad mexico paris",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "secretariat@metropolis.example"))
    assert user is not None and user.is_admin and user.is_confirmed
    assert user.password_hash.startswith("scrypt:")
    response = client.post(
        "/account/login",
        data={
            "email": "secretariat@metropolis.example",
            "password": "seoul cairo mashhad mexico paris",
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_create_admin_refuses_a_weak_password(app, db):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "a@b.example", "--name", "A", "--password", "short"]
    )
    assert result.exit_code != 0
    assert "at least 12" in result.output
    assert db.session.scalar(select(User).where(User.email == "a@b.example")) is None


def test_create_admin_promotes_an_existing_account(app, db):
    user = make_user(email="director@miti.example")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "director@miti.example",
            "--name",
            "ignored",
            "--password",
            "ignored but long enough",
        ]
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.is_admin
