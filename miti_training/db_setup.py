"""Engine settings: SQLite gets real transactions, WAL and a busy timeout."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

#: The largest id every backend's id columns hold (INTEGER is 32 bits on PostgreSQL).
MAX_ID = 2**31 - 1
#: Page numbers beyond this are treated as this one (an OFFSET must stay a 64-bit integer).
MAX_PAGE = 1_000_000


def clamp_page(page: int | None) -> int:
    """page within 1..MAX_PAGE (a missing one is the first), whatever the query string said."""
    return min(max(page or 1, 1), MAX_PAGE)


def insert_ignoring_existing(session, model, values: dict):
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect (both have it): a row made
    at most once even when two requests make it at the same moment."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).values(**values).on_conflict_do_nothing()


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in routes: an id no column can hold is a 404, not a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


#: False while serving a read-only request, so SQLite reads do not take the write lock.
sqlite_write_transaction: ContextVar[bool] = ContextVar("sqlite_write_transaction", default=True)


@contextmanager
def write_transaction_of_its_own(session) -> Iterator[None]:
    """Commit session's read transaction, run the block in a write transaction, commit it.

    A GET request reads in a plain SQLite transaction, which cannot safely become a writer
    once another process has written (SQLITE_BUSY_SNAPSHOT); a write from such a request
    (an audit entry for a download) starts afresh with the write lock taken up front.
    """
    session.commit()
    token = sqlite_write_transaction.set(True)
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        sqlite_write_transaction.reset(token)


def configure_engine(engine: Engine) -> None:
    """Apply the SQLite hooks the seat invariant relies on; nothing to do for PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite emits none before a SELECT).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # IMMEDIATE takes the write lock up front: no oversell, no "database is locked".
        connection.exec_driver_sql("BEGIN IMMEDIATE" if sqlite_write_transaction.get() else "BEGIN")


def render_migration_item(type_, obj, autogen_context):
    """Autogenerate UTCDateTime as a plain DateTime so migrations never import app code."""
    from miti_training.models.common import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
