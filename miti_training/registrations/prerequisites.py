"""Programmes a person must have completed before applying to another one.

A prerequisite is met by holding a valid (not revoked) certificate of a registration of the
required programme: the certificate is what attests completion, whatever the centre or year.
Read from the models alone, so every entry point (registering, nominating) asks the same rule.
"""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.formatting import list_of, programme_text
from miti_training.models import (
    Certificate,
    Programme,
    ProgrammePrerequisite,
    Registration,
    User,
)


class PrerequisitesMissing(DomainError):
    """The person has not completed every programme this one requires; `missing` lists them."""

    def __init__(self, missing: list[Programme]):
        titles = list_of(programme_text(programme).title for programme in missing)
        super().__init__(
            _l(
                "This programme requires completing %(programmes)s first: a valid certificate of attendance is needed.",
                programmes=titles,
            )
        )
        self.missing = missing


def required_programmes(programme: Programme) -> list[Programme]:
    """The programmes programme requires, by title."""
    return list(
        db.session.scalars(
            select(Programme)
            .join(
                ProgrammePrerequisite, ProgrammePrerequisite.required_programme_id == Programme.id
            )
            .where(ProgrammePrerequisite.programme_id == programme.id)
            .order_by(Programme.title, Programme.id)
        )
    )


def completed_among(programme_ids: Iterable[int], user: User | None) -> set[int]:
    """Those of programme_ids of which user holds a valid certificate, in one query."""
    ids = list(programme_ids)
    if user is None or getattr(user, "id", None) is None or not ids:
        return set()
    return set(
        db.session.scalars(
            select(Registration.programme_id)
            .join(Certificate, Certificate.registration_id == Registration.id)
            .where(
                Registration.user_id == user.id,
                Registration.programme_id.in_(ids),
                Certificate.revoked_at.is_(None),
            )
            .distinct()
        )
    )


def missing_prerequisites(programme: Programme, user: User | None) -> list[Programme]:
    """The programmes programme requires that user has not completed (empty: none missing)."""
    required = required_programmes(programme)
    if not required:
        return []
    done = completed_among((p.id for p in required), user)
    return [p for p in required if p.id not in done]


def require_prerequisites(programme: Programme, user: User | None) -> None:
    """Raise PrerequisitesMissing unless user completed every programme programme requires."""
    missing = missing_prerequisites(programme, user)
    if missing:
        raise PrerequisitesMissing(missing)
