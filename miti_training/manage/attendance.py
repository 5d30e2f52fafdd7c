"""Coordinator tools: attendance."""

from . import bp  # noqa: F401
