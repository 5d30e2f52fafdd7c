"""Rows for a database at an older revision: the models describe the newest schema, so a
migration test writes through the tables as the database itself has them."""

import itertools
import json
from datetime import UTC, date, datetime

import sqlalchemy as sa

_seq = itertools.count(1)


def _filler(column: sa.Column):
    """A value for a NOT NULL column the test did not name: unique where text may need to be."""
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 0
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    if isinstance(kind, sa.Date):
        return date(2026, 1, 1)
    if isinstance(kind, sa.JSON):
        return json.dumps({})
    return f"{column.name}-{next(_seq)}"


def insert_row(connection, table_name: str, **values) -> int:
    """Insert one row with values, filling the other NOT NULL columns; the new row's id."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
    for column in table.columns:
        needed = not column.nullable and column.server_default is None
        if column.name not in values and needed and not column.primary_key:
            values[column.name] = _filler(column)
    return connection.execute(table.insert().values(**values)).inserted_primary_key[0]
