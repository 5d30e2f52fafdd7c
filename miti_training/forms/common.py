"""Validators, fields and forms shared by the forms of several areas."""

import json
import unicodedata
from functools import cache
from zoneinfo import available_timezones

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from miti_training import bidi
from miti_training.accounts.passwords import password_problem
from miti_training.formatting import LANGUAGE_NAMES, labels
from miti_training.timezones import (
    UTC_ZONE,
    canonical_zone,
    grouped_zones,
    is_valid_timezone,
    zone_aliases,
)


class NoControlCharacters:
    """Refuse control characters (other than tab/newline in long text) in user text."""

    def __init__(self, allow_newlines: bool = False):
        self.allow_newlines = allow_newlines

    def __call__(self, form, field):
        allowed = {"\n", "\r", "\t"} if self.allow_newlines else set()
        for char in field.data or "":
            if char in allowed:
                continue
            if unicodedata.category(char) == "Cc":
                raise ValidationError(_l("Remove the control characters from this field."))


class Strip:
    """Filter: trim surrounding white space."""

    def __call__(self, value):
        return value.strip() if isinstance(value, str) else value


strip = Strip()


def no_bidi_controls(value):
    """Filter: take bidirectional controls out of one line of text (docs/security.md, item 28)."""
    return bidi.strip_controls(value) if isinstance(value, str) else value


TOO_LONG = _l("Use at most %(max)d characters.")


def parsed(form, field):
    """Stop at the "enter a number/date" message: no second message about the empty value."""
    if field.process_errors:
        raise StopValidation()


def text_field(
    label, *, max_length: int, required_message=None, extra=(), field_class=StringField, **kwargs
) -> StringField:
    """One line of text, trimmed; optional unless required_message says what to enter."""
    validators = [DataRequired(message=required_message)] if required_message else [Optional()]
    validators += [Length(max=max_length, message=TOO_LONG), NoControlCharacters(), *extra]
    return field_class(label, validators=validators, filters=[no_bidi_controls, strip], **kwargs)


def search_field(label, *, max_length: int = 200) -> SearchField:
    """A search box: optional, one line of text, trimmed."""
    return text_field(label, max_length=max_length, field_class=SearchField)


def official_email_field(label=None, required_message=None) -> EmailField:
    """The address of an official that staff or a focal point type in: required, checked,
    trimmed, never filled in with the typist's own address."""
    return EmailField(
        label or _l("Email address of the official"),
        validators=[
            DataRequired(message=required_message or _l("Enter the official's email address.")),
            Length(max=254, message=TOO_LONG),
            Email(
                message=_l("Enter a valid email address, like name@city.gov."),
                check_deliverability=False,
            ),
        ],
        filters=[strip],
        render_kw={"autocomplete": "off"},
    )


def long_text_field(label, *, max_length: int, required_message=None, **kwargs) -> TextAreaField:
    """Free text on several lines, trimmed; optional unless required_message says what to enter."""
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=required_message) if required_message else Optional(),
            Length(max=max_length, message=TOO_LONG),
            NoControlCharacters(allow_newlines=True),
        ],
        filters=[strip],
        **kwargs,
    )


class OneMessageChoice:
    """A choice among options: any wrong value (missing, unknown, not a number) gets message.

    WTForms' own messages ("Not a valid choice.", "Invalid Choice: could not coerce.") are
    vague and can appear twice; a person needs to hear which list to choose from.
    """

    def __init__(self, label=None, validators=None, *, message, **kwargs):
        kwargs.setdefault("validate_choice", True)
        super().__init__(label, validators, **kwargs)
        self.message = message

    def post_validate(self, form, validation_stopped):
        if self.errors:
            self.errors[:] = [self.message]


class ListChoiceField(OneMessageChoice, SelectField):
    """A select list with one clear message for any wrong value."""


class RadioChoiceField(OneMessageChoice, RadioField):
    """Radio buttons with one clear message for any wrong value."""


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: any number of the options, only those; another value gets message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, *, message, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message

    def pre_validate(self, form):
        allowed = {choice.value for choice in self.choices}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError(self.message)


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token is checked."""


class QueryForm(FlaskForm):
    """A form read from the query string: a GET changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False


class AcceptablePassword:
    """The password policy; with user_fields, the password may not equal those fields."""

    def __init__(self, user_fields: tuple[str, ...] = ()):
        self.user_fields = user_fields

    def __call__(self, form, field):
        values = tuple(str(form[name].data or "") for name in self.user_fields)
        problem = password_problem(field.data or "", user_values=values)
        if problem:
            raise ValidationError(problem)


acceptable_password = AcceptablePassword()


def language_choices() -> list[SelectChoice]:
    """The interface languages, each named in itself and marked with its language."""
    return [
        SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()
    ]


#: The areas of the zone list, as tzdata names them (America is North and South America).
_AREA_NAMES = {
    "Africa": _l("Africa"),
    "America": _l("Americas"),
    "Antarctica": _l("Antarctica"),
    "Arctic": _l("Arctic"),
    "Asia": _l("Asia"),
    "Atlantic": _l("Atlantic Ocean"),
    "Australia": _l("Australia"),
    "Europe": _l("Europe"),
    "Indian": _l("Indian Ocean"),
    "Pacific": _l("Pacific Ocean"),
}


def timezone_choices() -> list[SelectChoice]:
    """UTC, then every canonical zone in an <optgroup> per area, named by its city in the
    viewer's language and sorted by that name: for profile, sign-up and centre forms."""
    return list(_timezone_choices(str(get_locale() or "en")))


@cache
def _timezone_choices(locale: str) -> tuple[SelectChoice, ...]:
    # Built once per language: some 400 labels from CLDR are too many to make per request.
    choices = [SelectChoice(UTC_ZONE, str(_l("Coordinated Universal Time (UTC)")))]
    for area, zones in grouped_zones(locale):
        group = str(_AREA_NAMES.get(area, area))
        choices += [SelectChoice(zone, label, optgroup=group) for zone, label in zones]
    return tuple(choices)


@cache
def _aliases_json() -> str:
    return json.dumps(zone_aliases(), sort_keys=True, separators=(",", ":"))


class TimezoneField(SelectField):
    """A time zone from timezone_choices(). A stored alias (Africa/Asmera) shows as its zone; a
    stored zone without one (Etc/GMT+3) stays offered, so saving the form keeps it.

    With automatic_label, an option of that label and an empty value comes first: the zone is
    then the usual one of the member city's country, unless static/js/timezone.js picks the
    browser's (data-zone-aliases maps the browser's name for it to the list's)."""

    def __init__(self, label=None, validators=None, *, automatic_label=None, **kwargs):
        kwargs["validate_choice"] = False
        super().__init__(label, validators, **kwargs)
        self.automatic_label = automatic_label
        self.kept_zone = None

    @property
    def choices(self) -> list[SelectChoice]:
        # Read when the list is shown, not when the form is made: the language may change in
        # between (signing up logs in, in the new account's language).
        first = [SelectChoice("", str(self.automatic_label))] if self.automatic_label else []
        if self.kept_zone:
            first.append(SelectChoice(self.kept_zone, self.kept_zone))
        return first + timezone_choices()

    @choices.setter
    def choices(self, value) -> None:
        """The list is always timezone_choices(): what SelectField sets is ignored."""

    def process_data(self, value):
        if isinstance(value, str) and value:
            value = canonical_zone(value)
            if not is_valid_timezone(value) and value in available_timezones():
                self.kept_zone = value
        super().process_data(value)

    def pre_validate(self, form):
        if self.data == "" and self.automatic_label:
            return
        if self.kept_zone and self.data == self.kept_zone:
            return
        if not is_valid_timezone(self.data or ""):
            raise ValidationError(_l("Choose a time zone from the list."))

    def __call__(self, **kwargs):
        if self.automatic_label:
            kwargs.setdefault("data-browser-zone", "")
            kwargs.setdefault("data-zone-aliases", _aliases_json())
        return super().__call__(**kwargs)


def enum_choices(enum_cls) -> list[SelectChoice]:
    """An enum's members as select choices, labelled in the viewer's language."""
    return [SelectChoice(value, text) for value, text in labels(enum_cls).items()]
