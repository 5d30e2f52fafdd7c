"""Substring search in text columns, the same on SQLite and PostgreSQL."""

from miti_training.extensions import db


def like_pattern(text: str) -> str:
    """text as a LIKE pattern matching anywhere, with % _ and \\ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column, pattern: str):
    """column matches pattern, ignoring case.

    ILIKE on PostgreSQL; SQLite's LIKE already ignores ASCII case, and its lower() folds ASCII
    only, so ILIKE's lower(column) there would cost time and find nothing more.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")
