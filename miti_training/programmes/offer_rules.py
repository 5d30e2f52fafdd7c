"""How long a seat freed on a programme is offered to the first on the waiting list (the form,
the services and the database's CHECK agree on the range)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from miti_training.programmes.rules import Problem

DEFAULT_OFFER_HOURS = 48
MIN_OFFER_HOURS = 1
#: Thirty days: longer, and the seat is better given to someone who can say yes.
MAX_OFFER_HOURS = 720
OFFER_HOURS_RANGE = _l(
    "Enter a number of hours from %(min)d to %(max)d.", min=MIN_OFFER_HOURS, max=MAX_OFFER_HOURS
)


class OfferRule(StrEnum):
    OFFER_HOURS = "offer_hours"


def offer_hours_problem(hours: int | None) -> Problem | None:
    if hours is None or not MIN_OFFER_HOURS <= hours <= MAX_OFFER_HOURS:
        return Problem("offer_hours", OFFER_HOURS_RANGE, OfferRule.OFFER_HOURS)
    return None
