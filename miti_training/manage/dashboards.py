"""Coordinator tools: dashboards."""

from . import bp  # noqa: F401
