"""A catalogue search with many matches: the page is ranked, counted and cut on the matches'
ids, and the whole programmes are read for the page only, in the same order as before."""

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from miti_training.models import Theme
from miti_training.programmes.catalogue import CatalogueFilters, filtered_programmes
from miti_training.text_search import schema
from miti_training.web import http_cache
from tests.support.factories import make_centre, make_programme, today
from tests.support.pages import text_of
from tests.support.sql import recorded_request

MATCHES = 25


@pytest.fixture
def waters(db):
    """MATCHES programmes on water (in the title, the summary or the description, so their
    scores differ, with ties broken by date) and a few that do not match."""
    cairo = make_centre(slug="cairo", name="MITI Regional Centre Cairo")
    for n in range(MATCHES):
        place = {0: {"title": f"Water {n}"}, 1: {"summary": "On water."}}.get(
            n % 3, {"description": "Water supply and losses. " * 20}
        )
        place.setdefault("title", f"Programme {n}")
        make_programme(
            cairo,
            slug=f"water-{n}",
            theme=Theme.WATER_MANAGEMENT,
            starts_on=today() + timedelta(days=5 + (n * 7) % 30),
            **place,
        )
    for n in range(3):
        make_programme(cairo, slug=f"housing-{n}", title=f"Affordable Housing {n}")
    db.session.commit()


def _page_statement(client, url: str) -> tuple[str, list[str]]:
    response, statements = recorded_request(None, client, url)
    assert response.status_code == 200
    page = [s for s in statements if schema.PROGRAMME_INDEX in s and "LIMIT" in s]
    assert len(page) == 1, statements
    slugs = re.findall(r'class="card-title"><a href="/programmes/([^"]+)"', text_of(response))
    return page[0], slugs


def _select_list_of_the_ranking(statement: str) -> str:
    """The columns of the SELECT that orders the matches by score and cuts the page."""
    order = statement.rindex("ORDER BY search_hits.score")

    def depth(at: int) -> int:
        return statement[:at].count("(") - statement[:at].count(")")

    # Back to the SELECT at the ORDER BY's own depth (a subquery's SELECT is deeper).
    start = next(
        i
        for i in range(order, -1, -1)
        if statement.startswith("SELECT", i) and depth(i) == depth(order)
    )
    return statement[start : re.compile(r"\sFROM\s").search(statement, start).start()]


def test_search_ranks_ids_and_reads_whole_programmes_for_the_page_only(client, db, waters):
    statement, slugs = _page_statement(client, "/programmes?q=water")
    assert len(slugs) == 20
    ranking = _select_list_of_the_ranking(statement)
    assert "description" not in ranking and "title" not in ranking, ranking
    if db.engine.dialect.name == "postgresql":
        # The sort by rank carries no programme's text: the matches are sorted as ids.
        plan = _postgresql_plan(client, db)
        sorts = [s for s in _nodes(plan, "Sort") if "ts_rank" in " ".join(s["Sort Key"])]
        assert sorts
        for sort in sorts:
            assert not any("description" in column for column in sort.get("Output", [])), sort


def _postgresql_plan(client, db) -> dict:
    """The plan of the page statement of /programmes?q=water, with its real parameters."""
    statement, parameters = captured_page_statement(client, db)
    cursor = db.session.connection().connection.cursor()
    cursor.execute("EXPLAIN (VERBOSE, FORMAT JSON) " + statement, parameters)
    document = cursor.fetchone()[0]
    return (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]


def captured_page_statement(client, db) -> tuple:
    """(statement, parameters) of the page of /programmes?q=water, as sent to the driver."""
    captured = []

    def record(_conn, _cursor, statement, parameters, *_args):
        if schema.PROGRAMME_INDEX in statement and "LIMIT" in statement:
            captured.append((statement, parameters))

    http_cache.forget_pages(client.application)  # rendered again, not the page kept before
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get("/programmes?q=water")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return captured[0]


def _nodes(plan: dict, kind: str):
    if plan.get("Node Type") == kind:
        yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child, kind)


def test_the_pages_of_a_search_keep_the_ranking_and_the_total(client, db, waters):
    ranked = [p.slug for p in db.session.scalars(filtered_programmes(CatalogueFilters(q="water")))]
    assert len(ranked) == MATCHES
    _, first = _page_statement(client, "/programmes?q=water")
    _, second = _page_statement(client, "/programmes?q=water&page=2")
    assert first + second == ranked
    response = client.get("/programmes?q=water&page=2")
    heading = re.search(r'id="results-heading">(.*?)</h2>', text_of(response))[1]
    assert re.search(rf"\b{MATCHES}\b", heading), heading
