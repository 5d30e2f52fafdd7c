"""Public catalogue: programmes, centres, calendar files and news."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.catalogue import news, photos, views  # noqa: F401
from miti_training.web.catalogue.blueprint import bp

__all__ = ["bp"]
