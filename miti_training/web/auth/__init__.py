"""Accounts: sign up, confirm, log in and out, reset and change password, profile."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.auth import email_change, privacy, sign_up, views  # noqa: F401
from miti_training.web.auth.blueprint import bp

__all__ = ["bp"]
