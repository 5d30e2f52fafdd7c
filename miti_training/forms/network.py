"""Administration forms: centres, member cities, user search and staff roles."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from miti_training.forms.common import (
    QueryForm,
    TimezoneField,
    enum_choices,
    long_text_field,
    official_email_field,
    search_field,
    strip,
    text_field,
)
from miti_training.forms.translations import (
    TranslatedInput,
    TranslationsMixin,
    add_translation_fields,
    description_label,
    name_label,
)
from miti_training.models import NETWORK_LANGUAGE, CentreKind, MembershipRole, WorldRegion
from miti_training.network.centres import MAX_DESCRIPTION as CENTRE_DESCRIPTION


class CentreForm(TranslationsMixin, FlaskForm):
    """A centre, in English; its name and description in other languages are added below."""

    slug = text_field(
        _l("Short name for addresses"),
        max_length=60,
        required_message=_l("Enter a short name, like “cairo”."),
        extra=[
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z",
                message=_l(
                    "Use only lowercase letters, digits and single hyphens between them, like “mexico-city”."
                ),
            )
        ],
    )
    name = text_field(_l("Name"), max_length=200, required_message=_l("Enter the centre's name."))
    description = long_text_field(
        _l("Description"), max_length=CENTRE_DESCRIPTION, render_kw={"rows": 4}
    )
    city = text_field(_l("City"), max_length=120, required_message=_l("Enter the city."))
    country = text_field(_l("Country"), max_length=120, required_message=_l("Enter the country."))
    timezone = TimezoneField(_l("Time zone"))
    kind = SelectField(_l("Kind of centre"), choices=enum_choices(CentreKind))
    host_institution = text_field(_l("Host institution"), max_length=200)
    contact_email = EmailField(
        _l("Contact email"),
        validators=[
            Optional(),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(
                message=_l("Enter a valid email address, like training@city.gov."),
                check_deliverability=False,
            ),
        ],
        filters=[strip],
    )

    def values(self) -> dict:
        return {
            "slug": self.slug.data,
            "name": self.name.data,
            "city": self.city.data,
            "country": self.country.data,
            "timezone": self.timezone.data,
            "kind": self.kind.data,
            "host_institution": self.host_institution.data or "",
            "contact_email": self.contact_email.data or "",
            "description": self.description.data or "",
            "translations": self.translated_values(NETWORK_LANGUAGE),
        }


add_translation_fields(
    CentreForm,
    (
        TranslatedInput("name", name_label, 200),
        TranslatedInput("description", description_label, CENTRE_DESCRIPTION, rows=4),
    ),
)


class MemberCityForm(TranslationsMixin, FlaskForm):
    """A member city, in English; its name in other languages is added below."""

    name = text_field(
        _l("Name of the city or organisation"),
        max_length=200,
        required_message=_l("Enter the name of the city or organisation."),
    )
    country = text_field(_l("Country"), max_length=120, required_message=_l("Enter the country."))
    world_region = SelectField(_l("World region"), choices=enum_choices(WorldRegion))
    is_city = BooleanField(_l("This is a city (not a partner organisation)"), default=True)

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "country": self.country.data,
            "world_region": self.world_region.data,
            "is_city": bool(self.is_city.data),
            "translations": self.translated_values(NETWORK_LANGUAGE),
        }


add_translation_fields(MemberCityForm, (TranslatedInput("name", name_label, 200),))


class SearchForm(QueryForm):
    """A search box, read from the query string."""

    q = search_field(_l("Search by name"))


class UserSearchForm(SearchForm):
    q = search_field(_l("Name or email address"), max_length=254)
    show = SelectField(
        _l("Show"),
        choices=[
            SelectChoice("", _l("All users")),
            SelectChoice("admins", _l("Administrators")),
            SelectChoice("staff", _l("Centre staff")),
            SelectChoice("participants", _l("Participants only")),
            SelectChoice("disabled", _l("Disabled accounts")),
        ],
        default="",
    )


class GrantRoleForm(FlaskForm):
    centre_id = SelectField(
        _l("Centre"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a centre."))],
    )
    role = SelectField(_l("Role"), choices=enum_choices(MembershipRole))

    def set_centres(self, centres) -> None:
        self.centre_id.choices = [SelectChoice(c.id, c.name) for c in centres]


class ReviewerForm(FlaskForm):
    """A centre's director names a reviewer by the address of their account (the role is fixed:
    no field says which)."""

    email = official_email_field(
        _l("Email address of their account"), _l("Enter the address of the person's account.")
    )
