"""Participants: register for a programme, see and withdraw their registrations."""

from flask import Blueprint

bp = Blueprint("registrations", __name__)

from . import certificates, check_in, views  # noqa: E402, F401
