"""Network administration: centres, member cities, users and roles (admins only)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import dashboard, views  # noqa: E402, F401
