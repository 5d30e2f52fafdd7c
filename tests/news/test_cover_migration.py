"""Migration 0021: posts get a nullable cover_photo_id, indexed, pointing at photos with ON
DELETE SET NULL (a deleted photo leaves its post without a cover); down again keeps the posts.
SQLite and PostgreSQL."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from miti_training import create_app
from miti_training.extensions import db

_ROWS = [
    "INSERT INTO centres (id, slug, name, description, city, country, timezone, kind,"
    " host_institution, contact_email, created_at, updated_at) VALUES (1, 'seoul', 'Seoul', '',"
    " 'Seoul', 'Korea', 'Asia/Seoul', 'headquarters', '', '', '2026-01-01', '2026-01-01')",
    "INSERT INTO programmes (id, centre_id, slug, title, summary, description, kind, theme,"
    " format, venue, languages, capacity, seats_taken, enrolment_policy, is_waitlist_enabled,"
    " status, cancellation_reason, completion_threshold, created_at, updated_at) VALUES (1, 1,"
    " 'forum', 'Forum', '', '', 'forum', 'urban_governance', 'in_person', '', 'en', 10, 0,"
    " 'first_come', true, 'published', '', 80, '2026-01-01', '2026-01-01')",
    "INSERT INTO programme_sessions (id, programme_id, title, starts_at, ends_at, location)"
    " VALUES (1, 1, 'Day 1', '2026-03-13 00:00', '2026-03-13 08:00', '')",
    "INSERT INTO albums (id, session_id, views, created_at) VALUES (1, 1, 0, '2026-03-14')",
    "INSERT INTO photos (id, album_id, position, caption, is_cover, is_hidden, width, height,"
    " thumb_width, thumb_height, web_digest, thumb_digest, original_type, original_bytes,"
    " created_at) VALUES (1, 1, 1, 'Opening', false, false, 800, 600, 400, 300, 'w', 't',"
    " 'image/jpeg', 1000, '2026-03-14')",
    "INSERT INTO news_posts (id, programme_id, title, body, original_language, status,"
    " created_at, updated_at) VALUES (1, 1, 'After the forum', '', 'en', 'published',"
    " '2026-03-15', '2026-03-15')",
]


def _cover_photo_column(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="0020")
        with db.engine.begin() as connection:
            for statement in _ROWS:
                connection.execute(text(statement))
        upgrade(revision="0021")
        inspector = inspect(db.engine)
        columns = {c["name"]: c for c in inspector.get_columns("news_posts")}
        assert columns["cover_photo_id"]["nullable"] is True
        (foreign_key,) = [
            fk
            for fk in inspector.get_foreign_keys("news_posts")
            if fk["referred_table"] == "photos"
        ]
        assert foreign_key["name"] == "fk_news_posts_cover_photo_id_photos"
        assert foreign_key["options"].get("ondelete") == "SET NULL"
        assert "ix_news_posts_cover_photo_id" in {
            i["name"] for i in inspector.get_indexes("news_posts")
        }
        with db.engine.begin() as connection:
            assert (
                connection.execute(text("SELECT cover_photo_id FROM news_posts")).scalar() is None
            )
            connection.execute(text("UPDATE news_posts SET cover_photo_id = 1"))
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM photos WHERE id = 1"))
        with db.engine.connect() as connection:
            row = connection.execute(text("SELECT id, cover_photo_id FROM news_posts")).one()
        assert tuple(row) == (1, None)

        downgrade(revision="0020")
        columns = {c["name"] for c in inspect(db.engine).get_columns("news_posts")}
        assert "cover_photo_id" not in columns
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM news_posts")).scalar() == 1
        downgrade(revision="base")
        db.engine.dispose()


def test_posts_get_a_cover_photo_on_sqlite(tmp_path):
    _cover_photo_column(f"sqlite:///{tmp_path / 'covers.db'}")


@pytest.mark.postgres
def test_posts_get_a_cover_photo_on_postgresql(fresh_postgres_database):
    _cover_photo_column(fresh_postgres_database)
