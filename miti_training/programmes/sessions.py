"""A programme's timetable: adding, changing and removing sessions.

Times are wall-clock times of the centre (see programmes.editing); a published programme must
stay publishable after every change.
"""

from collections.abc import Mapping
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from miti_training import audit
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.models import Attendance, Programme, ProgrammeSession
from miti_training.programmes import editing, rules, session_rules
from miti_training.text_translations import apply_translations


def _session_values(
    programme: Programme, title: str, starts_at: datetime, ends_at: datetime, location: str
) -> dict:
    centre = programme.centre
    values = {
        "title": rules.clean_text(title),
        "location": rules.clean_text(location),
        "starts_at": editing.utc(starts_at, centre, "starts_at"),
        "ends_at": editing.utc(ends_at, centre, "ends_at"),
    }
    editing.refuse(session_rules.session_problems(**values))
    return values


def _apply_translations(session: ProgrammeSession, translations) -> list[str]:
    """Set the session's title in other languages; return the languages changed."""
    return apply_translations(
        session,
        translations or {},
        rules.SESSION_TRANSLATED_FIELDS,
        required_message=rules.ask_for_title,
    )


def _session_summary(session: ProgrammeSession) -> str:
    """For the audit trail: title and UTC times."""
    return f"{session.title} ({session.starts_at.isoformat()} – {session.ends_at.isoformat()})"


def _timetable_saved(programme: Programme, action: str, actor, reason: str) -> None:
    """A published programme must stay publishable; flushed (a conflict is shown beside the
    start time) and audited."""
    editing.check_still_publishable(programme)
    editing.flush("starts_at")
    audit.record(action, actor=actor, programme=programme, reason=reason)


def add_session(
    programme: Programme,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    translations: Mapping[str, Mapping[str, str]] | None = None,
    actor,
) -> ProgrammeSession:
    """Add a session to the timetable (with its title in other languages: code -> values)."""
    editing.require_editor(actor, programme)
    session = ProgrammeSession(**_session_values(programme, title, starts_at, ends_at, location))
    programme.sessions.append(session)
    _apply_translations(session, translations)
    _timetable_saved(programme, "session.add", actor, _session_summary(session))
    return session


def update_session(
    session: ProgrammeSession,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    translations: Mapping[str, Mapping[str, str]] | None = None,
    actor,
) -> bool:
    """Change a session (and its translations); False when nothing changed."""
    programme = session.programme
    editing.require_editor(actor, programme)
    before = _session_summary(session)
    changed = bool(_apply_translations(session, translations))
    for name, value in _session_values(programme, title, starts_at, ends_at, location).items():
        if getattr(session, name) != value:
            setattr(session, name, value)
            changed = True
    if not changed:
        return False
    programme.sessions.sort(key=lambda s: s.starts_at)
    _timetable_saved(programme, "session.update", actor, f"{before} -> {_session_summary(session)}")
    return True


def remove_session(session: ProgrammeSession, *, actor) -> None:
    """Take a session off the timetable; not once attendance has been recorded for it."""
    programme = session.programme
    editing.require_editor(actor, programme)
    recorded = db.session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.session_id == session.id)
    )
    if recorded:
        raise DomainError(
            _l(
                "Attendance has been recorded for the session “%(title)s”, so it cannot be removed.",
                title=session.title,
            )
        )
    summary = _session_summary(session)
    programme.sessions.remove(session)
    editing.check_still_publishable(programme)
    db.session.flush()
    audit.record("session.remove", actor=actor, programme=programme, reason=summary)
