"""What makes a session of a programme valid, for the session form, the services and the import.

Sessions are checked like programmes (programmes.rules): each problem names its field.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from miti_training.programmes.rules import Problem, Rule, found_problems, text_problem

#: What to say when a required field of a session is empty.
SESSION_REQUIRED = {
    "title": _l("Enter a title for the session."),
    "starts_at": _l("Enter when the session starts."),
    "ends_at": _l("Enter when the session ends."),
}


def session_order_problem(starts_at: datetime | None, ends_at: datetime | None) -> Problem | None:
    """A session ends strictly after it starts."""
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        return Problem("ends_at", _l("The session must end after it starts."), Rule.SESSION_ORDER)
    return None


def session_problems(
    title: str, location: str, starts_at: datetime | None, ends_at: datetime | None
) -> list[Problem]:
    """What keeps a session (texts cleaned, times in UTC) from being saved."""
    return found_problems(
        [
            text_problem("title", title, required=SESSION_REQUIRED["title"]),
            text_problem("location", location),
            *(
                Problem(field, SESSION_REQUIRED[field], Rule.REQUIRED)
                for field, value in (("starts_at", starts_at), ("ends_at", ends_at))
                if value is None
            ),
            session_order_problem(starts_at, ends_at),
        ]
    )
