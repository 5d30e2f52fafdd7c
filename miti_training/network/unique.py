"""Unique names (a centre's short name, a member city in its country) kept under concurrency."""

from sqlalchemy.exc import IntegrityError

from miti_training.errors import FieldError
from miti_training.extensions import db


def in_savepoint(change, message, field: str) -> None:
    """Make change and flush it in a savepoint, so a unique constraint hit by a concurrent
    request becomes a FieldError and leaves the rest of the transaction usable."""
    try:
        with db.session.begin_nested():
            change()
    except IntegrityError as error:
        raise FieldError(message, field=field) from error
