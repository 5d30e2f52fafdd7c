"""Every registration change starts by locking its programme's row, then reads fresh rows."""

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from miti_training.extensions import db
from miti_training.models import Programme, Registration


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
