"""Centre management: what coordinators and directors see of their own centres."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.manage import (  # noqa: F401
    attendance,
    certificates,
    dashboards,
    decisions,
    exports,
    imports,
    messages,
    nominations,
    printables,
    programmes,
    questions,
    registrations,
    sessions,
)
from miti_training.web.manage.blueprint import bp

__all__ = ["bp"]
