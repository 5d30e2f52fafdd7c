"""The public page that says whether a certificate code is genuine."""

from . import bp  # noqa: F401
