"""Every registration change starts by locking its programme's row, then reads fresh rows.

How long the lock is held (from the statement that took it to the end of COMMIT) is the
throughput limit of one programme, so it is measured: the histogram
miti_registration_lock_seconds at /metrics, a DEBUG log line, and, when the environment
variable MITI_LOCK_HOLD_LOG names a file, one line per transaction in <file>.<pid> (exact
values for the benchmark's percentiles; off in production).
"""

import logging
import os
import time

from prometheus_client import Histogram
from sqlalchemy import event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from miti_training.extensions import db
from miti_training.models import Programme, Registration

log = logging.getLogger(__name__)

LOCK_HELD = Histogram(
    "miti_registration_lock_seconds",
    "Time a registration change holds its programme's row lock, up to the end of COMMIT.",
    buckets=(0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 1),
)
_LOCKED_AT = "miti_programme_locked_at"
_HOLD_LOG = os.environ.get("MITI_LOCK_HOLD_LOG")
_hold_file = None


def mark_locked() -> None:
    """The programme's row lock was just taken by this transaction (the first time counts)."""
    db.session.info.setdefault(_LOCKED_AT, time.perf_counter())


def lock_programme(programme: Programme) -> Programme:
    """Lock the programme row for this transaction and refresh its columns.

    PostgreSQL: SELECT ... FOR UPDATE serialises every registration change of the programme
    (positions, promotion). SQLite drops FOR UPDATE; BEGIN IMMEDIATE (db_setup) serialises.
    Only the columns are refreshed: relationships already loaded (centre, sessions,
    questions) stay loaded, so no statement is repeated.
    """
    db.session.flush()
    keys = [attr.key for attr in sa_inspect(Programme).column_attrs]
    row = db.session.execute(
        select(*(getattr(Programme, key) for key in keys))
        .where(Programme.id == programme.id)
        .with_for_update()
    ).one()
    mark_locked()
    for key, value in zip(keys, row, strict=True):
        set_committed_value(programme, key, value)
    return programme


def reload(registration: Registration) -> Registration:
    """The registration as committed by whoever held the lock before us."""
    return db.session.scalars(
        select(Registration)
        .where(Registration.id == registration.id)
        .execution_options(populate_existing=True)
    ).one()


def _write_hold(seconds: float) -> None:
    global _hold_file
    if _hold_file is None:
        _hold_file = open(f"{_HOLD_LOG}.{os.getpid()}", "a", buffering=1)  # noqa: SIM115
    _hold_file.write(f"{seconds * 1000:.3f}\n")


# First among the after_commit hooks: sending mail after the commit is not lock time.
@event.listens_for(Session, "after_commit", insert=True)
def _lock_released(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the lock is held until the real commit
    locked_at = session.info.pop(_LOCKED_AT, None)
    if locked_at is None:
        return
    held = time.perf_counter() - locked_at
    LOCK_HELD.observe(held)
    log.debug("Programme row lock held %.2f ms", held * 1000)
    if _HOLD_LOG:
        _write_hold(held)


@event.listens_for(Session, "after_rollback")
def _lock_dropped(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_LOCKED_AT, None)
