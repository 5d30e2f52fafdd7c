"""Participants: check_in."""

from . import bp  # noqa: F401
