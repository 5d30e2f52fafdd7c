"""Coordinator tools: certificates."""

from . import bp  # noqa: F401
