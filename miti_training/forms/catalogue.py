"""The catalogue's filter form: read from the query string, every wrong value ignored."""

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SearchField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from miti_training.formatting.locales import per_locale
from miti_training.forms.common import (
    ListChoiceField,
    QueryForm,
    enum_choices,
    language_choices,
    strip,
)
from miti_training.models import Centre, ProgrammeFormat, ProgrammeKind, Theme
from miti_training.programmes.catalogue import CatalogueFilters

#: Longest search text accepted (longer text is refused with a message, not truncated).
MAX_QUERY_LENGTH = 200


def _filter_list(label, any_label, choices, message) -> ListChoiceField:
    """A select list whose first option, any_label, leaves the filter out; message answers a
    value not in the list. Its choices are translated once per language (_choices)."""
    return ListChoiceField(
        label, default="", choices=[SelectChoice("", any_label), *choices], message=message
    )


@per_locale
def _choices(field: str) -> list[SelectChoice]:
    """The options of a filter list in the viewer's language, built once per language and
    shared by every request (a form reads its choices, never changes them)."""
    return [
        SelectChoice(c.value, str(c.label), render_kw=c.render_kw)
        for c in CatalogueFilterForm.choice_lists[field]
    ]


@per_locale
def _centre_choices(centres: tuple[tuple[str, str], ...]) -> list[SelectChoice]:
    return [SelectChoice("", str(_l("Any centre")))] + [
        SelectChoice(slug, name) for slug, name in centres
    ]


def _date_filter(label) -> DateField:
    """An optional date, typed as 2026-05-12 (a four-digit year at most)."""
    return DateField(
        label, validators=[Optional()], format="%Y-%m-%d", render_kw={"max": "9999-12-31"}
    )


def _no_control_characters(form, field):
    if any(unicodedata.category(char) == "Cc" for char in field.data or ""):
        raise ValidationError(_l("Remove the control characters; this search is ignored."))


class FlagField(BooleanField):
    """A checkbox sent as "1"; "0", "no", "off" and "false" count as unticked too."""

    false_values = (False, "false", "", "0", "no", "off")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "BooleanField"  # rendered like every checkbox by the field macro

    def _value(self):
        return "1"


class CatalogueFilterForm(QueryForm):
    """Filters of /programmes; field names are the query parameters."""

    q = SearchField(
        _l("Search"),
        validators=[
            Optional(),
            Length(
                max=MAX_QUERY_LENGTH,
                message=_l("Use at most %(max)d characters; this search is ignored."),
            ),
            _no_control_characters,
        ],
        filters=[strip],
    )
    centre = ListChoiceField(
        _l("Centre"),
        default="",
        message=_l("Choose a centre from the list; this filter is ignored."),
    )
    kind = _filter_list(
        _l("Kind"),
        _l("Any kind"),
        enum_choices(ProgrammeKind),
        _l("Choose a kind from the list; this filter is ignored."),
    )
    theme = _filter_list(
        _l("Theme"),
        _l("Any theme"),
        enum_choices(Theme),
        _l("Choose a theme from the list; this filter is ignored."),
    )
    format = _filter_list(
        _l("Format"),
        _l("Any format"),
        enum_choices(ProgrammeFormat),
        _l("Choose a format from the list; this filter is ignored."),
    )
    language = _filter_list(
        _l("Working language"),
        _l("Any language"),
        language_choices(),
        _l("Choose a language from the list; this filter is ignored."),
    )
    #: The lists whose options are the same for every visitor of a language.
    choice_lists = {
        name: field.kwargs["choices"]
        for name, field in (
            ("kind", kind),
            ("theme", theme),
            ("format", format),
            ("language", language),
        )
    }
    date_from = _date_filter(_l("From"))
    date_to = _date_filter(_l("To"))
    open = FlagField(_l("Open for registration now"))
    past = FlagField(_l("Include past programmes"))

    def __init__(self, *args, centres: list[Centre], **kwargs):
        super().__init__(*args, **kwargs)
        self.centre.choices = _centre_choices(tuple((c.slug, c.name) for c in centres))
        for name in self.choice_lists:
            self[name].choices = _choices(name)
        for field in (self.date_from, self.date_to):
            # WTForms' "Not a valid date value." does not say what to type.
            field.process_errors = [
                _l("Enter a date like 2026-05-12; this filter is ignored.")
                for _error in field.process_errors
            ]

    def validate_date_to(self, field):
        start = self.date_from.data if not self.date_from.errors else None
        if field.data and start and field.data < start:
            raise ValidationError(_l("The end date is before the start date; it is ignored."))

    def filters(self) -> CatalogueFilters:
        """The filters that passed validation (call validate() first); the rest are ignored."""

        def ok(field):
            return field.data if not field.errors and field.data else None

        return CatalogueFilters(
            centre=ok(self.centre),
            kind=ProgrammeKind(self.kind.data) if ok(self.kind) else None,
            theme=Theme(self.theme.data) if ok(self.theme) else None,
            format=ProgrammeFormat(self.format.data) if ok(self.format) else None,
            language=ok(self.language),
            date_from=ok(self.date_from),
            date_to=ok(self.date_to),
            open_now=bool(self.open.data),
            include_past=bool(self.past.data),
            q=ok(self.q) or "",
        )

    @property
    def active_filters(self) -> int:
        """How many filters the visitor set (valid or not)."""
        return sum(1 for f in self if f.raw_data and any(str(v).strip() for v in f.raw_data))

    @property
    def is_filtered(self) -> bool:
        """Whether the visitor set any filter (valid or not)."""
        return self.active_filters > 0
