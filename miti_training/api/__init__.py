"""Read-only public JSON API, version 1."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from . import views  # noqa: E402, F401
