"""Home page, language choice and health check."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.main import views  # noqa: F401
from miti_training.web.main.blueprint import bp

__all__ = ["bp"]
