"""Coordinator tools: exports."""

from . import bp  # noqa: F401
