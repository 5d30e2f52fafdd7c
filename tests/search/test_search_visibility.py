"""A text search shows what the catalogue shows: public programmes, over or not as asked, within
the dates; a change of status or dates counts at once. On PostgreSQL the search index carries
the status and dates itself, so ranking and counting the matches never reads the programmes; on
SQLite a narrow index of the programmes holds them."""

import re
from datetime import timedelta

import pytest

from miti_training.models import Programme, ProgrammeStatus, Theme
from miti_training.text_search import schema
from miti_training.web import http_cache
from tests.search.test_ranked_page import _nodes, _postgresql_plan, captured_page_statement
from tests.support.factories import make_centre, make_programme, today
from tests.support.pages import text_of


def _slugs(client, **query) -> list[str]:
    http_cache.forget_pages(client.application)
    response = client.get("/programmes", query_string=query)
    assert response.status_code == 200
    return re.findall(r'class="card-title"><a href="/programmes/([^"]+)"', text_of(response))


@pytest.fixture
def waters(db):
    seoul = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    make_programme(seoul, slug="soon", title="Water soon", starts_on=today() + timedelta(days=5))
    make_programme(
        seoul,
        slug="later",
        description="Water reuse.",
        theme=Theme.WATER_MANAGEMENT,
        starts_on=today() + timedelta(days=90),
    )
    make_programme(
        seoul,
        slug="over",
        title="Water last year",
        starts_on=today() - timedelta(days=300),
        status=ProgrammeStatus.COMPLETED,
    )
    make_programme(seoul, slug="draft", title="Water draft", status=ProgrammeStatus.DRAFT)
    db.session.commit()


def test_search_shows_what_the_catalogue_shows(client, waters):
    assert _slugs(client, q="water") == ["soon", "later"]
    with_past = _slugs(client, q="water", past="1")
    assert sorted(with_past[:2]) == ["over", "soon"] and with_past[2] == "later"  # titles first
    assert _slugs(client, q="water", date_to=(today() + timedelta(days=30)).isoformat()) == ["soon"]
    assert _slugs(client, q="water", theme="water_management") == ["later"]


def test_search_follows_a_change_of_status_or_dates(client, db, waters):
    soon = db.session.scalar(db.select(Programme).where(Programme.slug == "soon"))
    soon.starts_on = soon.ends_on = today() - timedelta(days=3)
    db.session.commit()
    assert _slugs(client, q="water") == ["later"]

    draft = db.session.scalar(db.select(Programme).where(Programme.slug == "draft"))
    draft.status = ProgrammeStatus.PUBLISHED
    db.session.commit()
    assert _slugs(client, q="water") == ["draft", "later"]

    draft.status = ProgrammeStatus.DRAFT
    db.session.commit()
    assert _slugs(client, q="water") == ["later"]


def test_ranking_and_counting_matches_reads_no_programme(client, db, waters):
    if db.engine.dialect.name == "sqlite":
        statement, parameters = captured_page_statement(client, db)
        cursor = db.session.connection().connection.cursor()
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        plan = " ".join(row[3] for row in cursor.fetchall())
        # FTS5's matches meet the programmes in the narrow index, not in the table.
        assert f"USING COVERING INDEX {schema.PROGRAMME_FACTS}" in plan, plan
        return
    plan = _postgresql_plan(client, db)
    (limit,) = _nodes(plan, "Limit")
    below = [
        n.get("Relation Name")
        for kind in ("Seq Scan", "Index Scan", "Bitmap Heap Scan")
        for n in _nodes(limit, kind)
    ]
    assert below == ["programme_search"], below
