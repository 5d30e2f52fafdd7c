"""Migration 0022: nominations get a nullable invitation_sent_at; a pending invitation's is
the nomination's creation (its link was sent then), a nominated account has none; down again
keeps the nominations. SQLite and PostgreSQL."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from miti_training import create_app
from miti_training.extensions import db
from tests.news.test_cover_migration import _ROWS as CENTRE_AND_PROGRAMME

_ROWS = [
    *CENTRE_AND_PROGRAMME[:2],
    "INSERT INTO member_cities (id, name, country, world_region, is_city, created_at)"
    " VALUES (1, 'Cairo', 'Egypt', 'africa', true, '2026-01-01')",
    "INSERT INTO nominations (id, programme_id, member_city_id, email, full_name, language,"
    " status, token_hash, created_at) VALUES (1, 1, 1, 'nour@cairo.example', 'Nour', 'en',"
    " 'nominated', 'aaaa', '2026-02-01 09:30:00+00:00')",
    "INSERT INTO nominations (id, programme_id, member_city_id, email, full_name, language,"
    " status, token_hash, created_at) VALUES (2, 1, 1, 'amira@cairo.example', 'Amira', 'en',"
    " 'nominated', NULL, '2026-02-02 09:30:00+00:00')",
]


def _invitation_sent_at(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="0021")
        with db.engine.begin() as connection:
            for statement in _ROWS:
                connection.execute(text(statement))
        upgrade(revision="0022")
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("nominations")}
        assert columns["invitation_sent_at"]["nullable"] is True
        with db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT id, invitation_sent_at = created_at, invitation_sent_at IS NULL"
                    " FROM nominations ORDER BY id"
                )
            ).all()
        assert [tuple(row) for row in rows] == [(1, True, False), (2, None, True)]

        downgrade(revision="0021")
        columns = {c["name"] for c in inspect(db.engine).get_columns("nominations")}
        assert "invitation_sent_at" not in columns
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM nominations")).scalar() == 2
        downgrade(revision="base")
        db.engine.dispose()


def test_nominations_get_the_invitation_time_on_sqlite(tmp_path):
    _invitation_sent_at(f"sqlite:///{tmp_path / 'invitations.db'}")


@pytest.mark.postgres
def test_nominations_get_the_invitation_time_on_postgresql(fresh_postgres_database):
    _invitation_sent_at(fresh_postgres_database)
