"""Coordinator tools: messages."""

from . import bp  # noqa: F401
