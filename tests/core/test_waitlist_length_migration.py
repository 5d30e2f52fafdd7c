"""Migration 0013: programmes.waitlist_length is filled from the waiting lists already there,
and goes away on downgrade, on SQLite and PostgreSQL."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from miti_training import create_app
from miti_training.extensions import db
from miti_training.models import RegistrationStatus
from tests.support.factories import make_centre, make_programme, make_registration


def _fills_and_removes(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        centre = make_centre(slug="seoul")
        full = make_programme(centre, capacity=1, seats_taken=1)
        make_registration(full)
        for position in (1, 2, 3):
            make_registration(
                full, status=RegistrationStatus.WAITLISTED, waitlist_position=position
            )
        make_registration(full, status=RegistrationStatus.WITHDRAWN)
        empty = make_programme(centre)
        db.session.commit()
        ids = full.id, empty.id
        db.session.remove()

        downgrade(revision="0011")
        columns = {c["name"] for c in inspect(db.engine).get_columns("programmes")}
        assert "waitlist_length" not in columns
        upgrade()
        with db.engine.connect() as connection:
            lengths = dict(
                connection.execute(text("SELECT id, waitlist_length FROM programmes")).all()
            )
        assert lengths == {ids[0]: 3, ids[1]: 0}
        downgrade(revision="base")
        db.engine.dispose()


def test_waitlist_length_is_filled_and_removed_on_sqlite(tmp_path):
    _fills_and_removes(f"sqlite:///{tmp_path / 'waitlist.db'}")


@pytest.mark.postgres
def test_waitlist_length_is_filled_and_removed_on_postgresql(fresh_postgres_database):
    _fills_and_removes(fresh_postgres_database)
