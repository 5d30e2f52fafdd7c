"""Public catalogue: programmes, centres and calendar files."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.catalogue import photos, views  # noqa: F401
from miti_training.web.catalogue.blueprint import bp

__all__ = ["bp"]
