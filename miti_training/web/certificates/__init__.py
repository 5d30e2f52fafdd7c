"""Public verification of certificates of attendance by their code."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.certificates import views  # noqa: F401
from miti_training.web.certificates.blueprint import bp

__all__ = ["bp"]
