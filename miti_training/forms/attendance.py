"""Attendance forms: a participant's check-in code, a certificate's revocation, the roll call."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from miti_training.attendance import certificates
from miti_training.attendance import check_in as self_check_in
from miti_training.db_setup import MAX_ID
from miti_training.forms.common import NoControlCharacters, long_text_field, strip
from miti_training.models import AttendanceStatus

#: The roll-call form names each row's radio group "status-<registration id>".
FIELD_PREFIX = "status-"
#: More rows than any programme's capacity: a bigger form is not one of ours.
MAX_ROWS = 5000


class CheckInForm(FlaskForm):
    code = StringField(
        _l("Check-in code"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the code shown in the room.")),
            Length(
                max=self_check_in.MAX_CODE_INPUT,
                message=_l("A check-in code has 8 letters and digits, like 7K3M-QX9P."),
            ),
            NoControlCharacters(),
        ],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "maxlength": self_check_in.MAX_CODE_INPUT,
        },
    )


class RevokeForm(FlaskForm):
    reason = long_text_field(
        _l("Reason (kept in the history, never shown publicly)"),
        max_length=certificates.MAX_REASON,
        required_message=_l("Say why the certificate is revoked."),
        render_kw={"rows": 3, "dir": "auto"},
    )


def roll_call_statuses(formdata) -> dict[int, AttendanceStatus] | None:
    """The roll call as posted, by registration id; None when a row is malformed (our form
    never sends one)."""
    statuses = {}
    for key, value in formdata.items(multi=False):
        if not key.startswith(FIELD_PREFIX):
            continue
        raw_id = key.removeprefix(FIELD_PREFIX)
        if not raw_id.isascii() or not raw_id.isdigit() or len(raw_id) > 18:
            return None
        if int(raw_id) > MAX_ID:
            return None
        try:
            statuses[int(raw_id)] = AttendanceStatus(value)
        except ValueError:
            return None
        if len(statuses) > MAX_ROWS:
            return None
    return statuses
