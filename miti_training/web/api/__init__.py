"""Read-only public JSON API, version 1."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.api import views  # noqa: F401
from miti_training.web.api.blueprint import bp
from miti_training.web.limits import api_per_address

# One limit for every route of the blueprint, the document included.
api_per_address(bp)

__all__ = ["bp"]
