"""Centre management: what coordinators and directors see of their own centres."""

from flask import Blueprint

bp = Blueprint("manage", __name__)

from . import (  # noqa: E402, F401
    attendance,
    certificates,
    dashboards,
    exports,
    imports,
    messages,
    printables,
    questions,
    registrations,
    views,
)
