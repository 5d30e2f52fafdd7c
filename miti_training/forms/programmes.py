"""Programme forms: details and translations, sessions, cancel, new edition, calendar import.

Date-and-time fields are naive wall-clock times in the centre's time zone; the programme
services convert them to UTC (and refuse times skipped by a daylight-saving change).
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from miti_training import spreadsheets
from miti_training.formatting import (
    LANGUAGE_NAMES,
    LANGUAGES,
    language_label,
    parse_local_datetime,
)
from miti_training.forms.common import (
    ListChoiceField,
    MultiCheckboxField,
    enum_choices,
    long_text_field,
    parsed,
    text_field,
)
from miti_training.forms.seat_offers import SeatOfferFields
from miti_training.forms.translations import (
    TranslatedInput,
    TranslationsMixin,
    add_translation_fields,
    description_label,
    title_label,
)
from miti_training.models import EnrolmentPolicy, ProgrammeFormat, ProgrammeKind, Theme
from miti_training.programmes import rules, session_rules
from miti_training.programmes.drafts import ProgrammeValues, TranslationValues
from miti_training.timezones import to_local

_DATE_MESSAGE = _l("Enter a date like 2026-05-12.")
_DATETIME_MESSAGE = _l("Enter a date and time like 2026-05-12 09:30.")
_NUMBER_MESSAGE = _l("Enter a whole number, like 15.")
_CHOOSE_LANGUAGES = _l("Choose at least one working language from the list.")
#: How a datetime-local input shows a value.
_HTML_DATETIME = "%Y-%m-%dT%H:%M"


def rule(check):
    """A validator that runs one of the programme rules on the field's value."""

    def validator(form, field):
        problem = check(field.data)
        if problem is not None:
            raise ValidationError(problem.message)

    return validator


class LocalDateTimeField(DateTimeLocalField):
    """A wall-clock time typed in any of formatting.DATETIME_INPUT_FORMATS."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_value_message", _DATETIME_MESSAGE)
        super().__init__(label, validators, format=_HTML_DATETIME, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = parse_local_datetime(" ".join(valuelist))
        if self.data is None:
            raise ValueError(self.invalid_value_message)


def _local_datetime(label, *, required_message=None) -> LocalDateTimeField:
    validators = [InputRequired(message=required_message)] if required_message else [Optional()]
    return LocalDateTimeField(label, validators=validators)


def _naive_local(moment, zone: str):
    """A stored UTC time as the wall-clock time the centre's staff typed."""
    return to_local(moment, zone).replace(tzinfo=None) if moment is not None else None


class ProgrammeForm(SeatOfferFields, TranslationsMixin, FlaskForm):
    """A programme's details; translation fields (title_fr, summary_fr, ...) are added below."""

    title = text_field(
        _l("Title"), max_length=rules.MAX_TITLE, required_message=rules.REQUIRED["title"]
    )
    summary = long_text_field(_l("Summary"), max_length=rules.MAX_SUMMARY, render_kw={"rows": 3})
    description = long_text_field(
        _l("Description"), max_length=rules.MAX_DESCRIPTION, render_kw={"rows": 10}
    )
    original_language = ListChoiceField(
        _l("Language of the title, summary and description"),
        default=rules.DEFAULT_LANGUAGE,
        message=rules.NOT_LISTED["original_language"],
    )
    kind = ListChoiceField(
        _l("Kind of programme"),
        choices=enum_choices(ProgrammeKind),
        message=rules.NOT_LISTED["kind"],
    )
    theme = ListChoiceField(
        _l("Theme"), choices=enum_choices(Theme), message=rules.NOT_LISTED["theme"]
    )
    format = ListChoiceField(
        _l("Format"),
        choices=enum_choices(ProgrammeFormat),
        message=rules.NOT_LISTED["format"],
    )
    venue = text_field(_l("Venue"), max_length=rules.MAX_VENUE)
    languages = MultiCheckboxField(
        _l("Working languages"),
        default=[rules.DEFAULT_LANGUAGE],
        validators=[DataRequired(message=_CHOOSE_LANGUAGES)],
        message=_CHOOSE_LANGUAGES,
    )
    starts_on = DateField(
        _l("First day"),
        validators=[InputRequired(message=_l("Enter the first day of the programme."))],
        invalid_value_message=_DATE_MESSAGE,
    )
    ends_on = DateField(
        _l("Last day"),
        validators=[InputRequired(message=_l("Enter the last day of the programme."))],
        invalid_value_message=_DATE_MESSAGE,
    )
    capacity = IntegerField(
        _l("Capacity (seats)"),
        validators=[
            InputRequired(message=_l("Enter the number of seats.")),
            parsed,
            rule(rules.capacity_problem),
        ],
        invalid_value_message=_NUMBER_MESSAGE,
        render_kw={"min": 0, "max": rules.MAX_CAPACITY},
    )
    registration_opens_at = _local_datetime(_l("Registration opens"))
    registration_closes_at = _local_datetime(_l("Registration closes"))
    enrolment_policy = ListChoiceField(
        _l("Enrolment policy"),
        choices=enum_choices(EnrolmentPolicy),
        message=rules.NOT_LISTED["enrolment_policy"],
    )
    is_waitlist_enabled = BooleanField(
        _l("Keep a waiting list when the programme is full"), default=True
    )
    completion_threshold = IntegerField(
        _l("Attendance needed to complete (percent of sessions)"),
        default=rules.DEFAULT_COMPLETION_THRESHOLD,
        validators=[
            InputRequired(message=rules.THRESHOLD_RANGE),
            parsed,
            rule(rules.threshold_problem),
        ],
        invalid_value_message=_NUMBER_MESSAGE,
        render_kw={"min": 0, "max": rules.MAX_COMPLETION_THRESHOLD},
    )

    sends_reminder = BooleanField(
        _l("Email confirmed participants a reminder before the first session"), default=True
    )
    reminder_days = IntegerField(
        _l("Days before the first session"),
        default=rules.DEFAULT_REMINDER_DAYS,
        # Left empty: the default number of days.
        validators=[Optional(), parsed, rule(rules.reminder_days_problem)],
        invalid_value_message=_NUMBER_MESSAGE,
        render_kw={"min": 1, "max": rules.MAX_REMINDER_DAYS},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = LANGUAGES
        self.original_language.choices = [
            SelectChoice(code, language_label(code)) for code in languages
        ]
        self.languages.choices = [
            SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in languages
        ]

    def validate_ends_on(self, field):
        rule(lambda ends_on: rules.date_order_problem(self.starts_on.data, ends_on))(self, field)

    def validate_registration_closes_at(self, field):
        opens = self.registration_opens_at.data
        rule(lambda closes: rules.registration_order_problem(opens, closes))(self, field)

    @staticmethod
    def initial_data(programme) -> dict:
        """Form values of an existing programme, times in its centre's zone."""
        zone = programme.centre.timezone
        data = {
            "title": programme.title,
            "summary": programme.summary,
            "description": programme.description,
            "original_language": programme.original_language,
            "kind": programme.kind.value,
            "theme": programme.theme.value,
            "format": programme.format.value,
            "venue": programme.venue,
            "languages": programme.language_codes,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
            "capacity": programme.capacity,
            "registration_opens_at": _naive_local(programme.registration_opens_at, zone),
            "registration_closes_at": _naive_local(programme.registration_closes_at, zone),
            "enrolment_policy": programme.enrolment_policy.value,
            "is_waitlist_enabled": programme.is_waitlist_enabled,
            "completion_threshold": programme.completion_threshold,
            "sends_reminder": programme.sends_reminder,
            "reminder_days": programme.reminder_days,
            **SeatOfferFields.offer_data(programme),
        }
        return {**data, **ProgrammeForm.translation_data(programme)}

    def values(self) -> ProgrammeValues:
        return ProgrammeValues(
            title=self.title.data or "",
            summary=self.summary.data or "",
            description=self.description.data or "",
            original_language=self.original_language.data,
            kind=self.kind.data,
            theme=self.theme.data,
            format=self.format.data,
            venue=self.venue.data or "",
            languages=tuple(self.languages.data or ()),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            capacity=self.capacity.data,
            registration_opens_at=self.registration_opens_at.data,
            registration_closes_at=self.registration_closes_at.data,
            enrolment_policy=self.enrolment_policy.data,
            is_waitlist_enabled=bool(self.is_waitlist_enabled.data),
            completion_threshold=self.completion_threshold.data,
            sends_reminder=bool(self.sends_reminder.data),
            reminder_days=(
                rules.DEFAULT_REMINDER_DAYS
                if self.reminder_days.data is None
                else self.reminder_days.data
            ),
            **self.offer_values(),
        )

    def translations(self, original: str) -> dict[str, TranslationValues]:
        """Translations typed in the fieldsets shown (those of languages other than original)."""
        return {
            code: TranslationValues(**texts)
            for code, texts in self.translated_values(original).items()
        }


add_translation_fields(
    ProgrammeForm,
    (
        TranslatedInput("title", title_label, rules.MAX_TITLE),
        TranslatedInput(
            "summary",
            lambda language: _l("Summary (%(language)s)", language=language),
            rules.MAX_SUMMARY,
            rows=3,
        ),
        TranslatedInput("description", description_label, rules.MAX_DESCRIPTION, rows=6),
        TranslatedInput(
            "venue",
            lambda language: _l("Venue (%(language)s)", language=language),
            rules.MAX_VENUE,
        ),
    ),
)


class SessionForm(TranslationsMixin, FlaskForm):
    """A session; its title in other languages is added below (title_fr, ...)."""

    title = text_field(
        _l("Title"),
        max_length=rules.MAX_TITLE,
        required_message=session_rules.SESSION_REQUIRED["title"],
    )
    starts_at = _local_datetime(
        _l("Starts"), required_message=session_rules.SESSION_REQUIRED["starts_at"]
    )
    ends_at = _local_datetime(
        _l("Ends"), required_message=session_rules.SESSION_REQUIRED["ends_at"]
    )
    location = text_field(_l("Location"), max_length=rules.MAX_VENUE)

    def validate_ends_at(self, field):
        starts_at = self.starts_at.data
        rule(lambda ends_at: session_rules.session_order_problem(starts_at, ends_at))(self, field)

    @staticmethod
    def initial_data(session, zone: str) -> dict:
        return {
            "title": session.title,
            "starts_at": _naive_local(session.starts_at, zone),
            "ends_at": _naive_local(session.ends_at, zone),
            "location": session.location,
            **SessionForm.translation_data(session),
        }

    def values(self, original: str) -> dict:
        """The session's values, with the translations typed in the languages other than
        original (its programme's)."""
        return {
            "title": self.title.data or "",
            "starts_at": self.starts_at.data,
            "ends_at": self.ends_at.data,
            "location": self.location.data or "",
            "translations": self.translated_values(original),
        }


add_translation_fields(SessionForm, (TranslatedInput("title", title_label, rules.MAX_TITLE),))


class CancelForm(FlaskForm):
    reason = long_text_field(
        _l("Reason for the cancellation"),
        max_length=rules.MAX_REASON,
        required_message=rules.REQUIRED_REASON,
        render_kw={"rows": 4},
    )
    confirm = BooleanField(
        _l("I understand that every registration will be cancelled and each participant emailed."),
        validators=[DataRequired(message=_l("Tick the box to confirm the cancellation."))],
    )


class DuplicateForm(FlaskForm):
    title = text_field(
        _l("Title of the new edition"),
        max_length=rules.MAX_TITLE,
        required_message=rules.REQUIRED_EDITION_TITLE,
    )
    new_starts_on = DateField(
        _l("New first day"), validators=[Optional()], invalid_value_message=_DATE_MESSAGE
    )
    shift_days = IntegerField(
        _l("Or move everything by this many days"),
        validators=[
            Optional(),
            parsed,
            NumberRange(
                min=-rules.MAX_SHIFT_DAYS,
                max=rules.MAX_SHIFT_DAYS,
                message=rules.SHIFT_TOO_FAR,
            ),
        ],
        invalid_value_message=_NUMBER_MESSAGE,
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if (self.new_starts_on.data is None) == (self.shift_days.data is None):
            message = (
                rules.ONE_WAY_TO_MOVE
                if self.new_starts_on.data is not None
                else _l("Give the new first day, or the number of days to move everything by.")
            )
            self.new_starts_on.errors = [*self.new_starts_on.errors, message]
            return False
        return True


class CalendarImportForm(FlaskForm):
    file = FileField(
        _l("Calendar file (.csv or .xlsx)"),
        validators=[
            FileRequired(message=_l("Choose the calendar file to import.")),
            FileAllowed(["csv", "xlsx"], message=_l("Choose a .csv or .xlsx file.")),
        ],
        render_kw={"accept": f".csv,.xlsx,text/csv,{spreadsheets.XLSX_MEDIA_TYPE}"},
    )
