"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from miti_training import create_app
from miti_training.extensions import db
from miti_training.text_search import schema


def _upgrade_check_downgrade(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            # The search indexes are not models (FTS5 tables are virtual): Alembic's filter.
            opts = {"compare_type": True, "include_name": schema.include_name}
            context = MigrationContext.configure(connection, opts=opts)
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations disagree: {differences}"

        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables

        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_migrations_match_models_on_sqlite(tmp_path):
    _upgrade_check_downgrade(f"sqlite:///{tmp_path / 'migrations.db'}")


@pytest.mark.postgres
def test_migrations_match_models_on_postgresql(fresh_postgres_database):
    _upgrade_check_downgrade(fresh_postgres_database)


def test_constraint_names_follow_the_naming_convention():
    programmes = db.metadata.tables["programmes"]
    names = {c.name for c in programmes.constraints}
    assert "ck_programmes_seats_within_capacity" in names
    assert "pk_programmes" in names
    assert "fk_programmes_centre_id_centres" in names
    registrations = db.metadata.tables["registrations"]
    assert "uq_registrations_programme_id_user_id" in {c.name for c in registrations.constraints}


def test_every_foreign_key_is_indexed():
    for table in db.metadata.sorted_tables:
        indexed = {tuple(col.name for col in index.columns) for index in table.indexes}
        indexed |= {
            tuple(col.name for col in c.columns)
            for c in table.constraints
            if c.__class__.__name__ in {"UniqueConstraint", "PrimaryKeyConstraint"}
        }
        for fk in table.foreign_keys:
            column = fk.parent.name
            assert any(cols[0] == column for cols in indexed), f"{table.name}.{column} has no index"


def _upgrade_keeps_rows_that_point_at_altered_tables(url: str) -> None:
    """Upgrading an existing database keeps its data (SQLite batch copies must not cascade)."""
    from sqlalchemy import text

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO centres (id, slug, name, city, country, timezone, kind,"
                    " host_institution, contact_email, created_at) VALUES (1, 'seoul', 'Seoul',"
                    " 'Seoul', 'Korea', 'Asia/Seoul', 'headquarters', '', '', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO programmes (id, centre_id, slug, title, summary, description,"
                    " kind, theme, format, venue, languages, capacity, seats_taken,"
                    " enrolment_policy, is_waitlist_enabled, status, cancellation_reason,"
                    " completion_threshold, created_at, updated_at) VALUES (1, 1, 'prp', 'PRP',"
                    " '', '', 'workshop', 'urban_governance', 'in_person', '', 'en', 10, 0,"
                    " 'first_come', true, 'draft', '', 80, '2026-01-01', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO programme_sessions (id, programme_id, title, starts_at, ends_at,"
                    " location) VALUES (1, 1, 'Day 1', '2026-03-13 00:00', '2026-03-13 08:00', '')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            sessions = connection.execute(text("SELECT count(*) FROM programme_sessions")).scalar()
            language = connection.execute(
                text("SELECT original_language FROM programmes WHERE id = 1")
            ).scalar()
        assert sessions == 1
        assert language == "en"
        downgrade(revision="base")
        db.engine.dispose()


def test_upgrade_keeps_existing_rows_on_sqlite(tmp_path):
    _upgrade_keeps_rows_that_point_at_altered_tables(f"sqlite:///{tmp_path / 'keep.db'}")


@pytest.mark.postgres
def test_upgrade_keeps_existing_rows_on_postgresql(fresh_postgres_database):
    _upgrade_keeps_rows_that_point_at_altered_tables(fresh_postgres_database)


def _duplicate_certificates_are_revoked_before_the_index(url: str) -> None:
    """0006: older duplicates of a valid certificate are revoked, then the index holds."""
    from sqlalchemy import select, text
    from sqlalchemy.exc import IntegrityError

    from miti_training.models import Certificate, utcnow

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="0005")
        # Rows as the 0005 schema has them (the models describe the latest one).
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO centres (id, slug, name, city, country, timezone, kind,"
                    " host_institution, contact_email, created_at) VALUES (1, 'seoul', 'Seoul',"
                    " 'Seoul', 'Korea', 'Asia/Seoul', 'headquarters', '', '', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO programmes (id, centre_id, slug, title, summary, description,"
                    " kind, theme, format, venue, languages, capacity, seats_taken,"
                    " enrolment_policy, is_waitlist_enabled, status, cancellation_reason,"
                    " completion_threshold, created_at, updated_at) VALUES (1, 1, 'prp', 'PRP',"
                    " '', '', 'workshop', 'urban_governance', 'in_person', '', 'en', 10, 2,"
                    " 'first_come', true, 'published', '', 80, '2026-01-01', '2026-01-01')"
                )
            )
            for registration_id in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO registrations (id, programme_id, status, full_name, email,"
                        " organisation, country, job_title, motivation, accessibility_needs,"
                        " dietary_needs, answers, created_at, updated_at) VALUES (:id, 1,"
                        " 'confirmed', 'Kim Min-jun', :email, '', '', '', '', '', '', '{}',"
                        " '2026-01-01', '2026-01-01')"
                    ),
                    {"id": registration_id, "email": f"kim{registration_id}@seoul.example"},
                )
        first, second = 1, 2

        def certificate(registration_id, code, revoked=False):
            db.session.add(
                Certificate(
                    registration_id=registration_id,
                    code=code,
                    full_name="Kim Min-jun",
                    revoked_at=utcnow() if revoked else None,
                )
            )
            db.session.flush()

        certificate(first, "OLD-REVOKED", revoked=True)
        certificate(first, "OLDER-VALID")
        certificate(first, "NEWEST-VALID")
        certificate(second, "ONLY-VALID")
        db.session.commit()

        upgrade()

        rows = db.session.execute(
            select(Certificate.code, Certificate.revoked_at, Certificate.revocation_reason)
        ).all()
        state = {code: (revoked_at is not None, reason) for code, revoked_at, reason in rows}
        assert state["NEWEST-VALID"] == (False, "") and state["ONLY-VALID"] == (False, "")
        assert state["OLD-REVOKED"][0] is True
        assert state["OLDER-VALID"][0] is True
        assert "Duplicate" in state["OLDER-VALID"][1]
        certificate(second, "REVOKED-AGAIN", revoked=True)  # revoked ones are history: allowed
        with pytest.raises(IntegrityError):
            certificate(second, "SECOND-VALID")
        db.session.rollback()
        downgrade(revision="base")
        db.engine.dispose()


def test_duplicate_certificates_are_revoked_on_sqlite(tmp_path):
    _duplicate_certificates_are_revoked_before_the_index(f"sqlite:///{tmp_path / 'dup.db'}")


@pytest.mark.postgres
def test_duplicate_certificates_are_revoked_on_postgresql(fresh_postgres_database):
    _duplicate_certificates_are_revoked_before_the_index(fresh_postgres_database)
