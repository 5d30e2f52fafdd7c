"""The programme form's setting of seat offers that expire (part of ProgrammeForm)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, ValidationError
from wtforms.validators import Optional

from miti_training.forms.common import parsed
from miti_training.programmes import offer_rules


def _hours_in_range(form, field):
    problem = offer_rules.offer_hours_problem(field.data)
    if problem is not None:
        raise ValidationError(problem.message)


class SeatOfferFields:
    """Whether a freed seat is offered for a time, and for how many hours."""

    offers_expire = BooleanField(
        _l("Offer a freed seat to the first on the waiting list for a limited time"),
        default=False,
    )
    offer_hours = IntegerField(
        _l("Hours to accept an offered seat"),
        default=offer_rules.DEFAULT_OFFER_HOURS,
        # Left empty: the default number of hours.
        validators=[Optional(), parsed, _hours_in_range],
        invalid_value_message=_l("Enter a whole number, like 15."),
        render_kw={"min": offer_rules.MIN_OFFER_HOURS, "max": offer_rules.MAX_OFFER_HOURS},
    )

    @staticmethod
    def offer_data(programme) -> dict:
        return {"offers_expire": programme.offers_expire, "offer_hours": programme.offer_hours}

    def offer_values(self) -> dict:
        hours = self.offer_hours.data
        return {
            "offers_expire": bool(self.offers_expire.data),
            "offer_hours": offer_rules.DEFAULT_OFFER_HOURS if hours is None else hours,
        }
