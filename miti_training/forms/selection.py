"""Forms of scored selection: a rubric criterion, a reviewer's score sheet, the number of
places to propose and the confirmation of a selection.

None carries a programme, a reviewer or a status: those come from the address and the signed-in
user. The limits are the selection package's own.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from miti_training.forms.common import (
    MultiCheckboxField,
    QueryForm,
    RadioChoiceField,
    long_text_field,
    parsed,
    text_field,
)
from miti_training.registrations.answers import MAX_REASON
from miti_training.selection import arithmetic, rubric, scoring
from miti_training.selection.confirming import Others

_WEIGHT_RANGE = _l(
    "Enter a weight from %(low)d to %(high)d.", low=rubric.MIN_WEIGHT, high=rubric.MAX_WEIGHT
)


class CriterionForm(FlaskForm):
    name = text_field(
        _l("Criterion"),
        max_length=rubric.MAX_NAME,
        required_message=_l("Enter the criterion's name."),
        render_kw={"dir": "auto"},
    )
    description = long_text_field(
        _l("What reviewers look for (optional)"),
        max_length=rubric.MAX_DESCRIPTION,
        render_kw={"rows": 2, "dir": "auto"},
    )
    weight = IntegerField(
        _l("Weight"),
        default=1,
        validators=[
            InputRequired(message=_WEIGHT_RANGE),
            parsed,
            NumberRange(min=rubric.MIN_WEIGHT, max=rubric.MAX_WEIGHT, message=_WEIGHT_RANGE),
        ],
        invalid_value_message=_WEIGHT_RANGE,
        render_kw={"min": rubric.MIN_WEIGHT, "max": rubric.MAX_WEIGHT},
    )

    def values(self) -> dict:
        """What rubric.add_criterion and rubric.edit_criterion take besides the actor."""
        return {
            "name": self.name.data,
            "description": self.description.data or "",
            "weight": self.weight.data,
        }


SCALE = [SelectChoice(str(v), str(v)) for v in range(arithmetic.LOWEST, arithmetic.HIGHEST + 1)]


class _SheetForm(FlaskForm):
    comment = long_text_field(
        _l("Comment (optional, seen by the other reviewers and the coordinators)"),
        max_length=scoring.MAX_COMMENT,
        render_kw={"rows": 3, "dir": "auto"},
    )

    def values(self, criteria) -> dict:
        """criterion id -> the value chosen (None when none was)."""
        return {c.id: self[f"score_{c.id}"].data or None for c in criteria}


def sheet_form(criteria, sheet=None, **kwargs) -> FlaskForm:
    """A sheet with one 1–5 choice per criterion (score_<id>), filled from sheet."""

    class SheetForm(_SheetForm):
        pass

    for criterion in criteria:
        setattr(
            SheetForm,
            f"score_{criterion.id}",
            RadioChoiceField(
                criterion.name,
                choices=SCALE,
                validators=[Optional()],
                message=_l("Choose a score from 1 to 5."),
            ),
        )
    if sheet is not None and "formdata" not in kwargs:
        data = {f"score_{s.criterion_id}": str(s.value) for s in sheet.scores}
        data["comment"] = sheet.comment
        kwargs["data"] = data
    return SheetForm(**kwargs)


class PlacesForm(QueryForm):
    places = IntegerField(
        _l("Places to fill"),
        validators=[Optional(), NumberRange(min=0, max=100_000)],
        render_kw={"min": 0},
    )


OTHERS_CHOICES = [
    SelectChoice(Others.WAITLIST.value, _l("Put them on the waiting list, in rank order")),
    SelectChoice(Others.DECLINE.value, _l("Decline them, with the reason below")),
]


class SelectionForm(FlaskForm):
    chosen = MultiCheckboxField(
        _l("Selected"), message=_l("Choose applicants from the list."), choices=[]
    )
    others = RadioChoiceField(
        _l("The applicants not selected"),
        choices=OTHERS_CHOICES,
        default=Others.WAITLIST.value,
        message=_l("Choose what happens to the applicants not selected."),
    )
    reason = long_text_field(
        _l("Reason sent to the applicants declined"),
        max_length=MAX_REASON,
        render_kw={"rows": 3, "dir": "auto"},
    )

    def set_applicants(self, ids) -> None:
        self.chosen.choices = [SelectChoice(str(i), str(i)) for i in ids]

    def chosen_ids(self) -> list[int]:
        return [int(value) for value in self.chosen.data or ()]
