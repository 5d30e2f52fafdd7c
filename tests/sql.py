"""Counting the SQL statements a request issues: the N+1 checks of every list page."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from miti_training.extensions import db


@contextmanager
def recorded_statements(app) -> Iterator[list[str]]:
    """The SQL statements run inside the block, in a list that fills as they run."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def statements_for(app, client, url: str) -> int:
    """How many statements a GET of url issues; it must answer 200."""
    with recorded_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(statements)
