"""Participants: register for a programme, see and withdraw their registrations."""

# Importing the modules registers their routes on the blueprint.
from miti_training.web.registrations import (  # noqa: F401
    calendar,
    certificates,
    check_in,
    mine,
    offers,
    photo_consent,
    record,
    register,
)
from miti_training.web.registrations.blueprint import bp

__all__ = ["bp"]
