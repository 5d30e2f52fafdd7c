"""Migration 0014: centres get updated_at (their created_at), programmes' validator columns
an index each; down again keeps the rows. SQLite and PostgreSQL."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from miti_training import create_app
from miti_training.extensions import db


def _centres_get_updated_at(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="0011")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO centres (id, slug, name, description, city, country, timezone,"
                    " kind, host_institution, contact_email, created_at) VALUES (1, 'seoul',"
                    " 'Seoul', '', 'Seoul', 'Korea', 'Asia/Seoul', 'headquarters', '', '',"
                    " '2026-01-02 03:04:05')"
                )
            )
        upgrade(revision="0014")
        with db.engine.connect() as connection:
            created, updated = connection.execute(
                text("SELECT created_at, updated_at FROM centres WHERE id = 1")
            ).one()
        assert updated == created
        indexes = {index["name"] for index in inspect(db.engine).get_indexes("programmes")}
        assert {
            "ix_programmes_updated_at",
            "ix_programmes_registration_opens_at",
            "ix_programmes_registration_closes_at",
        } <= indexes
        columns = {column["name"]: column for column in inspect(db.engine).get_columns("centres")}
        assert columns["updated_at"]["nullable"] is False

        downgrade(revision="0011")
        inspector = inspect(db.engine)
        assert "updated_at" not in {column["name"] for column in inspector.get_columns("centres")}
        assert "ix_programmes_updated_at" not in {
            i["name"] for i in inspector.get_indexes("programmes")
        }
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM centres")).scalar() == 1
        downgrade(revision="base")
        db.engine.dispose()


def test_centres_get_updated_at_on_sqlite(tmp_path):
    _centres_get_updated_at(f"sqlite:///{tmp_path / 'validators.db'}")


@pytest.mark.postgres
def test_centres_get_updated_at_on_postgresql(fresh_postgres_database):
    _centres_get_updated_at(fresh_postgres_database)
