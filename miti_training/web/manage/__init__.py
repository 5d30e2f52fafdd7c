"""Centre management: what coordinators and directors see of their own centres, and the
scoring pages of its reviewers."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.manage import (  # noqa: F401
    albums,
    attendance,
    certificates,
    dashboards,
    decisions,
    exports,
    imports,
    messages,
    news,
    nominations,
    photos,
    prerequisites,
    printables,
    programmes,
    questions,
    registrations,
    reviewers,
    rubric,
    scoring,
    selection,
    sessions,
)
from miti_training.web.manage.blueprint import bp

__all__ = ["bp"]
