"""Reading the audit trail in tests: the entries of an action, the actions about a user."""

from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import AuditEntry, User


def audit_entries(action: str | None = None, **filters) -> list[AuditEntry]:
    """Audit entries of action (any action when None) matching filters, oldest first."""
    query = select(AuditEntry).filter_by(**filters).order_by(AuditEntry.id)
    if action:
        query = query.filter_by(action=action)
    return list(db.session.scalars(query))


def audit_actions(user: User) -> list[str]:
    """The actions of the entries about user, oldest first."""
    query = select(AuditEntry.action).where(AuditEntry.subject_user_id == user.id)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))
