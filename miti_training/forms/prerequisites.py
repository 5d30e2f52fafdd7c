"""The form that adds a required programme to a programme."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired


class PrerequisiteForm(FlaskForm):
    """Choices are set by the page: the programmes of the network the programme may require."""

    required = SelectField(
        _l("Programme to complete first"),
        coerce=int,
        validate_choice=True,
        validators=[DataRequired(message=_l("Choose a programme from the list."))],
    )

    def set_choices(self, programmes, name_of) -> None:
        self.required.choices = [(0, _l("Choose a programme…"))] + [
            (p.id, name_of(p)) for p in programmes
        ]
