"""A write from a read-only request (the audit entry of a download) on a stale snapshot."""

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import OperationalError

from miti_training.db_setup import sqlite_write_transaction, write_transaction_of_its_own
from miti_training.extensions import db
from miti_training.models import AuditEntry


def _count(action: str) -> int:
    query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    return db.session.scalar(query)


def _read_then_someone_else_writes(app) -> None:
    """Open a read transaction as a GET request does, then commit a write elsewhere."""
    assert _count("elsewhere") == 0  # the read transaction's snapshot starts here
    with db.engine.begin() as other:
        other.execute(insert(AuditEntry).values(action="elsewhere"))


@pytest.fixture
def read_only_request(app):
    """The transaction mode of a GET request, in an app context (and session) of its own."""
    token = sqlite_write_transaction.set(False)
    try:
        with app.app_context():
            yield
            db.session.rollback()
    finally:
        sqlite_write_transaction.reset(token)


def test_a_write_of_its_own_succeeds_after_another_process_wrote(app, read_only_request):
    _read_then_someone_else_writes(app)
    with write_transaction_of_its_own(db.session):
        db.session.add(AuditEntry(action="programme.export"))
    assert _count("programme.export") == 1
    assert _count("elsewhere") == 1


def test_without_it_only_postgresql_turns_the_stale_reader_into_a_writer(app, read_only_request):
    """Why the helper exists: SQLite answers SQLITE_BUSY_SNAPSHOT at once, no retry helps."""
    _read_then_someone_else_writes(app)
    db.session.add(AuditEntry(action="programme.export"))
    if db.engine.dialect.name == "sqlite":
        with pytest.raises(OperationalError, match="locked"):
            db.session.commit()
    else:
        db.session.commit()
        assert _count("programme.export") == 1


def test_a_failure_inside_rolls_the_write_back(app, read_only_request):
    with pytest.raises(RuntimeError), write_transaction_of_its_own(db.session):
        db.session.add(AuditEntry(action="programme.export"))
        db.session.flush()
        raise RuntimeError("the file could not be built")
    assert _count("programme.export") == 0
