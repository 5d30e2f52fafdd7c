"""Account forms: log in, sign up, profile, passwords, change of email address, deletion."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from miti_training.accounts.passwords import MAX_LENGTH, password_problem
from miti_training.formatting import country_name, translated
from miti_training.forms.common import (
    TOO_LONG,
    ListChoiceField,
    TimezoneField,
    acceptable_password,
    language_choices,
    strip,
    text_field,
)

_CHOOSE_CITY = _l("Choose your member city or organisation from the list.")
_ENTER_EMAIL = _l("Enter your email address.")
#: Tell password managers which password a field holds (WCAG 1.3.5).
_NEW = {"autocomplete": "new-password"}


def _email_validators(required_message=_ENTER_EMAIL) -> list:
    return [
        InputRequired(message=required_message),
        Length(max=254, message=_l("An email address has at most 254 characters.")),
        Email(
            message=_l("Enter a valid email address, like name@city.gov."),
            check_deliverability=False,
        ),
    ]


def _repeated_password(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )


def _current_password(label, required_message) -> PasswordField:
    """The password the user has now, asked to confirm it is them."""
    return PasswordField(
        label,
        validators=[
            InputRequired(message=required_message),
            Length(max=MAX_LENGTH, message=TOO_LONG),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=_email_validators(), filters=[strip])
    password = _current_password(_l("Password"), _l("Enter your password."))
    remember = BooleanField(_l("Keep me logged in on this device"))


class ProfileFieldsMixin:
    """Fields of the participant profile, shared by sign-up and the profile page."""

    full_name = text_field(
        _l("Full name"), max_length=200, required_message=_l("Enter your full name.")
    )
    member_city_id = ListChoiceField(
        _l("Member city or organisation"),
        coerce=int,
        message=_CHOOSE_CITY,
        # 0 is the "— Choose —" placeholder.
        validators=[InputRequired(message=_CHOOSE_CITY), NumberRange(min=1, message=_CHOOSE_CITY)],
    )
    job_title = text_field(
        _l("Job title"), max_length=200, required_message=_l("Enter your job title.")
    )
    preferred_language = ListChoiceField(
        _l("Preferred language"),
        choices=language_choices(),
        message=_l("Choose a language from the list."),
    )
    timezone = TimezoneField(_l("Time zone"))

    def set_dynamic_choices(self, cities) -> None:
        # Named in the viewer's language when shown: the locale may change before (signing up
        # logs the new account in, in its own language).
        self.member_city_id.choices = [SelectChoice(0, _l("— Choose —"))] + [
            SelectChoice(
                c.id, LazyString(lambda c=c: f"{translated(c).name} ({country_name(c.country)})")
            )
            for c in cities
        ]

    def profile_values(self) -> dict:
        """The profile's values, as signing up and changing the profile take them."""
        names = ("full_name", "member_city_id", "job_title", "preferred_language", "timezone")
        return {name: self[name].data for name in names}


class SignupForm(FlaskForm):
    """Sign-up's first step: the address the link goes to."""

    email = EmailField(
        _l("Email address"),
        validators=_email_validators(),
        filters=[strip],
    )


class FinishSignupForm(ProfileFieldsMixin, FlaskForm):
    """Sign-up's second step, opened by the link: the rest of the account (the address is the
    link's, never a field)."""

    password = PasswordField(
        _l("Password"), validators=[InputRequired(message=_l("Choose a password."))], render_kw=_NEW
    )
    password_confirm = _repeated_password(_l("Repeat the password"))
    timezone = TimezoneField(
        _l("Time zone"), automatic_label=_l("The usual time zone of my member city")
    )

    def __init__(self, email: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: The link's address, which the password may not equal either.
        self.address = email

    def validate_password(self, field) -> None:
        problem = password_problem(
            field.data or "", user_values=(self.address, self.full_name.data or "")
        )
        if problem:
            raise ValidationError(problem)

    field_order = (
        "full_name",
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
    email = EmailField(_l("Email address"), validators=_email_validators(), filters=[strip])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(message=_l("Choose a password.")), acceptable_password],
        render_kw=_NEW,
    )
    password_confirm = _repeated_password(_l("Repeat the new password"))


class ChangePasswordForm(ResetPasswordForm):
    current_password = _current_password(_l("Current password"), _l("Enter your current password."))


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New email address"),
        validators=_email_validators(_l("Enter your new email address.")),
        filters=[strip],
        render_kw={"autocomplete": "email"},
    )
    password = _current_password(_l("Current password"), _l("Enter your current password."))


class DeleteAccountForm(FlaskForm):
    password = _current_password(_l("Password"), _l("Enter your password."))
    understood = BooleanField(
        _l("I understand that my account is deleted for good and cannot be restored."),
        validators=[DataRequired(message=_l("Tick the box to confirm that you understand."))],
    )
