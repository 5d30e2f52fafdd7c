"""Network administration: centres, member cities, users and roles (admins only)."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.admin import dashboard, focal_points, views  # noqa: F401
from miti_training.web.admin.blueprint import bp

__all__ = ["bp"]
