"""Migrations 0012 and 0017 index the rows a database already holds, keeps the index up to date from
then on, and its downgrade leaves nothing of it behind, on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from miti_training import create_app
from miti_training.extensions import db
from miti_training.models import Programme, ProgrammeTranslation
from miti_training.programmes.catalogue import CatalogueFilters, filtered_programmes
from miti_training.registrations.queries import (
    RegistrationFilters,
    StatusFilter,
    registrations_query,
)
from miti_training.text_search import schema
from tests.support.old_schema import insert_row


def _old_rows(connection) -> tuple[int, int]:
    """A centre, a programme with a translation and a registration, in the 0011 schema."""
    centre = insert_row(
        connection,
        "centres",
        slug="paris",
        name="MITI Regional Centre Paris Île-de-France",
        kind="regional",
        timezone="Europe/Paris",
    )
    insert_row(connection, "centre_translations", centre_id=centre, language="fa", name="پاریس")
    starts = date.today() + timedelta(days=30)
    programme = insert_row(
        connection,
        "programmes",
        centre_id=centre,
        slug="ecole",
        title="École des maires",
        summary="",
        description="Ateliers et visites.",
        kind="workshop",
        theme="urban_governance",
        format="in_person",
        enrolment_policy="first_come",
        status="published",
        languages="fr",
        original_language="fr",
        starts_on=starts,
        ends_on=starts,
    )
    insert_row(
        connection,
        "programme_translations",
        programme_id=programme,
        language="ko",
        title="시장 학교",
        summary="",
        description="",
    )
    insert_row(
        connection,
        "registrations",
        programme_id=programme,
        status="confirmed",
        full_name="مُنى السَّيِّد",
        email="mona.elsayed@cairo.example",
        organisation="محافظة القاهرة",
        answers="{}",
    )
    return centre, programme


def _programmes_found(q: str) -> list[str]:
    return [p.slug for p in db.session.scalars(filtered_programmes(CatalogueFilters(q=q)))]


def _registrations_found(programme_id: int, q: str) -> list[str]:
    filters = RegistrationFilters(status=StatusFilter.ALL, q=q)
    query = registrations_query(db.session.get(Programme, programme_id), filters)
    return [r.email for r in db.session.scalars(query)]


def _search_structures() -> set[str]:
    """Names of whatever of the search is left in the database."""
    if db.engine.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE name LIKE '%search%'"
    else:
        sql = (
            "SELECT tablename FROM pg_tables WHERE tablename LIKE '%search%'"
            " UNION SELECT tgname FROM pg_trigger WHERE tgname LIKE '%search%'"
            " UNION SELECT proname FROM pg_proc WHERE proname LIKE 'miti_%'"
            " UNION SELECT extname FROM pg_extension WHERE extname = 'unaccent'"
        )
    with db.engine.connect() as connection:
        return set(connection.execute(text(sql)).scalars())


def _status_and_dates() -> set[str]:
    """What of a programme's status and dates the search reads beside its index: on SQLite
    the columns of the programmes' narrow index, on PostgreSQL those of the index's table."""
    if db.engine.dialect.name == "sqlite":
        sql, name = "SELECT name FROM pragma_index_info(:name)", schema.PROGRAMME_FACTS
    else:
        sql = "SELECT column_name FROM information_schema.columns WHERE table_name = :name"
        name = schema.PROGRAMME_INDEX
    with db.engine.connect() as connection:
        names = set(connection.execute(text(sql), {"name": name}).scalars())
    return names & {"status", "starts_on", "ends_on"}


def _upgrade_indexes_and_downgrade_drops(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="0011")
        with db.engine.begin() as connection:
            _centre, programme = _old_rows(connection)
        upgrade()  # to the head: the ORM queries below read every later column

        assert _programmes_found("ECOLE") == ["ecole"]
        assert _programmes_found("ile-de-france") == ["ecole"]  # the centre's name
        assert _programmes_found("پاریس") == ["ecole"]  # its translation
        assert _programmes_found("시장") == ["ecole"]
        assert _registrations_found(programme, "منى القاهرة") == ["mona.elsayed@cairo.example"]
        assert _registrations_found(programme, "elsayed") == ["mona.elsayed@cairo.example"]

        # From now on the triggers keep the index.
        db.session.add(ProgrammeTranslation(programme_id=programme, language="es", title="Escuela"))
        db.session.commit()
        assert _programmes_found("escuela") == ["ecole"]
        db.session.remove()

        # 0017: the index carries status and dates, filled from the rows, then kept.
        assert _status_and_dates() == {"status", "starts_on", "ends_on"}
        downgrade(revision="0016")
        assert _status_and_dates() == set()
        with db.engine.begin() as connection:
            past = date.today() - timedelta(days=3)
            connection.execute(
                text("UPDATE programmes SET starts_on = :d, ends_on = :d"), {"d": past}
            )
        upgrade()
        assert _status_and_dates() == {"status", "starts_on", "ends_on"}
        assert _programmes_found("ecole") == []
        filters = CatalogueFilters(q="ecole", include_past=True)
        assert [p.slug for p in db.session.scalars(filtered_programmes(filters))] == ["ecole"]
        db.session.get(Programme, programme).ends_on = date.today() + timedelta(days=3)
        db.session.commit()
        assert _programmes_found("ecole") == ["ecole"]
        db.session.remove()

        downgrade(revision="0011")
        assert _search_structures() == set()
        downgrade(revision="base")
        db.engine.dispose()


def test_upgrade_indexes_existing_rows_and_downgrade_drops_everything_on_sqlite(tmp_path):
    _upgrade_indexes_and_downgrade_drops(f"sqlite:///{tmp_path / 'search.db'}")


@pytest.mark.postgres
def test_upgrade_indexes_existing_rows_and_downgrade_drops_everything_on_postgresql(
    fresh_postgres_database,
):
    _upgrade_indexes_and_downgrade_drops(fresh_postgres_database)
