"""Centre management: what coordinators and directors see of their own centres."""

from flask import Blueprint

bp = Blueprint("manage", __name__)

from . import imports, questions, registrations, views  # noqa: E402, F401
