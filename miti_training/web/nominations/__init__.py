"""Focal points of member cities: programmes open for nomination, nominating and withdrawing
their city's officials; the invitation link that makes a nominated official's account."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.nominations import invitation, views  # noqa: F401
from miti_training.web.nominations.blueprint import bp

__all__ = ["bp"]
