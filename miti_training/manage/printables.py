"""Coordinator tools: printables."""

from . import bp  # noqa: F401
