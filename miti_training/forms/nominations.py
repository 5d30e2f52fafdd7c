"""Nomination forms: a focal point's nomination, the programme's nomination settings, a city's
places and a region's cap, and the focal-point role admins grant."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from miti_training.forms.common import (
    ListChoiceField,
    enum_choices,
    language_choices,
    official_email_field,
    parsed,
    text_field,
)
from miti_training.forms.programmes import LocalDateTimeField
from miti_training.models import WorldRegion
from miti_training.nominations.nominating import MAX_NAME
from miti_training.nominations.settings import MAX_PLACES
from miti_training.timezones import to_local

_PLACES_MESSAGE = _l("Enter a whole number from 0 to %(max)d.", max=MAX_PLACES)


def _places_field(label, *, required: bool):
    return IntegerField(
        label,
        validators=[
            parsed,
            InputRequired(message=_PLACES_MESSAGE) if required else Optional(),
            NumberRange(min=0, max=MAX_PLACES, message=_PLACES_MESSAGE),
        ],
        invalid_value_message=_PLACES_MESSAGE,
        render_kw={"min": 0, "max": MAX_PLACES, "inputmode": "numeric"},
    )


class NominateForm(FlaskForm):
    email = official_email_field()
    full_name = text_field(_l("Full name of the official"), max_length=MAX_NAME)
    language = ListChoiceField(
        _l("Language of the invitation"),
        choices=language_choices(),
        default="en",
        message=_l("Choose a language from the list."),
    )


class NominationSettingsForm(FlaskForm):
    opens_at = LocalDateTimeField(_l("Nominations open"), validators=[Optional()])
    closes_at = LocalDateTimeField(_l("Nominations close"), validators=[Optional()])
    default_allocation = _places_field(_l("Places per city"), required=True)

    @classmethod
    def for_programme(cls, programme, **kwargs):
        """The form filled with the programme's settings, times on the centre's clock."""
        zone = programme.centre.timezone

        def local(moment):
            return to_local(moment, zone).replace(tzinfo=None) if moment is not None else None

        return cls(
            data={
                "opens_at": local(programme.nomination_opens_at),
                "closes_at": local(programme.nomination_closes_at),
                "default_allocation": programme.default_allocation,
            },
            **kwargs,
        )


class CityPlacesForm(FlaskForm):
    member_city_id = ListChoiceField(
        _l("Member city"), coerce=int, message=_l("Choose a member city from the list.")
    )
    places = _places_field(_l("Places for this city"), required=False)

    def set_cities(self, cities) -> None:
        self.member_city_id.choices = [SelectChoice(city.id, city.name) for city in cities]


class RegionCapForm(FlaskForm):
    world_region = ListChoiceField(
        _l("World region"),
        choices=enum_choices(WorldRegion),
        message=_l("Choose a world region from the list."),
    )
    places = _places_field(_l("Most participants selected from the region"), required=False)


class FocalPointForm(FlaskForm):
    member_city_id = ListChoiceField(
        _l("Member city"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a member city."))],
        message=_l("Choose a member city from the list."),
    )

    def set_cities(self, cities) -> None:
        self.member_city_id.choices = [SelectChoice(city.id, city.name) for city in cities]
