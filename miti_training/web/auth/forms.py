"""Account forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, NumberRange

from miti_training.accounts.passwords import MAX_LENGTH
from miti_training.forms.common import (
    AcceptablePassword,
    ListChoiceField,
    NoControlCharacters,
    acceptable_password,
    language_choices,
    strip,
    timezone_choices,
    valid_timezone,
)

_CHOOSE_CITY = _l("Choose your member city or organisation from the list.")
_TOO_LONG = _l("Use at most %(max)d characters.")
#: Tell password managers which password a field holds (WCAG 1.3.5).
_CURRENT = {"autocomplete": "current-password"}
_NEW = {"autocomplete": "new-password"}

_email_validators = [
    InputRequired(message=_l("Enter your email address.")),
    Length(max=254, message=_l("An email address has at most 254 characters.")),
    Email(
        message=_l("Enter a valid email address, like name@city.gov."), check_deliverability=False
    ),
]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=_email_validators, filters=[strip])
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(message=_l("Enter your password.")),
            Length(max=MAX_LENGTH, message=_TOO_LONG),
        ],
        render_kw=_CURRENT,
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


class ProfileFieldsMixin:
    """Fields of the participant profile, shared by sign-up and the profile page."""

    full_name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(message=_l("Enter your full name.")),
            Length(max=200, message=_TOO_LONG),
            NoControlCharacters(),
        ],
        filters=[strip],
    )
    member_city_id = ListChoiceField(
        _l("Member city or organisation"),
        coerce=int,
        message=_CHOOSE_CITY,
        # 0 is the "— Choose —" placeholder.
        validators=[InputRequired(message=_CHOOSE_CITY), NumberRange(min=1, message=_CHOOSE_CITY)],
    )
    job_title = StringField(
        _l("Job title"),
        validators=[
            DataRequired(message=_l("Enter your job title.")),
            Length(max=200, message=_TOO_LONG),
            NoControlCharacters(),
        ],
        filters=[strip],
    )
    preferred_language = ListChoiceField(
        _l("Preferred language"),
        choices=language_choices(),
        message=_l("Choose a language from the list."),
    )
    timezone = SelectField(_l("Time zone"), validators=[valid_timezone], validate_choice=False)

    def set_dynamic_choices(self, cities) -> None:
        self.member_city_id.choices = [SelectChoice(0, _l("— Choose —"))] + [
            SelectChoice(c.id, f"{c.name} ({c.country})") for c in cities
        ]
        self.timezone.choices = timezone_choices()


class SignupForm(ProfileFieldsMixin, FlaskForm):
    email = EmailField(_l("Email address"), validators=_email_validators, filters=[strip])
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(message=_l("Choose a password.")),
            AcceptablePassword(user_fields=("email", "full_name")),
        ],
        render_kw=_NEW,
    )
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            InputRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )
    field_order = (
        "full_name",
        "email",
        "password",
        "password_confirm",
        "member_city_id",
        "job_title",
        "preferred_language",
        "timezone",
    )


class ProfileForm(ProfileFieldsMixin, FlaskForm):
    pass


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=_email_validators, filters=[strip])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(message=_l("Choose a password.")), acceptable_password],
        render_kw=_NEW,
    )
    password_confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[
            InputRequired(message=_l("Enter your current password.")),
            Length(max=MAX_LENGTH, message=_TOO_LONG),
        ],
        render_kw=_CURRENT,
    )
