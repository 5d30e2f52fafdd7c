"""Email addresses of accounts: finding the account that uses one (in models.normalise_email's form)."""

from sqlalchemy import func, select

from miti_training.extensions import db
from miti_training.models import User, normalise_email


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def email_taken(email: str) -> bool:
    """Whether an account uses email (already normalised)."""
    return bool(
        db.session.scalar(select(func.count()).select_from(User).where(User.email == email))
    )
