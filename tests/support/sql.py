"""Counting the SQL statements a request issues: the N+1 checks of every list page."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select

from miti_training.extensions import db


def _engine(app):
    if app is None:  # the test's own app context
        return db.engine
    with app.app_context():
        return db.engine


@contextmanager
def recorded_statements(app=None) -> Iterator[list[str]]:
    """The SQL statements run inside the block, in a list that fills as they run.

    app defaults to the current app (the test's app context).
    """
    engine = _engine(app)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def recorded_request(app, client, url: str, *, method: str = "GET", data=None, **options):
    """(response, statements) of one request; options go to client.open (e.g. buffered)."""
    with recorded_statements(app) as statements:
        response = client.open(url, method=method, data=data, **options)
    return response, statements


def statements_for(app, client, url: str, *, method: str = "GET", data=None, **options) -> int:
    """How many statements a request for url issues; it must answer 200.

    app may be None: the current app.
    """
    response, statements = recorded_request(app, client, url, method=method, data=data, **options)
    assert response.status_code == 200, response.status_code
    return len(statements)


def count_rows(model) -> int:
    """How many rows model's table holds (in the test's app context)."""
    return db.session.scalar(select(func.count()).select_from(model))
