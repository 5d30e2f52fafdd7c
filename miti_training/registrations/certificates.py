"""Participants: certificates."""

from . import bp  # noqa: F401
