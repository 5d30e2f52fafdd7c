"""Programme publishing: drafts, translations, sessions, publication, cancellation, editions.

Times given to these functions as naive datetimes are wall-clock times in the centre's time
zone (what staff type); aware datetimes are taken as they are. Everything is stored in UTC.
`actor=None` means the system itself (command-line imports); otherwise the actor's role in the
programme's centre is checked here too, not only in the views.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from miti_training import audit
from miti_training.errors import DomainError, FieldError, PermissionDenied
from miti_training.extensions import db
from miti_training.formatting import LANGUAGES, format_in_zone, label, language_name
from miti_training.models import (
    ACTIVE_STATUSES,
    Attendance,
    AuditEntry,
    Centre,
    EnrolmentPolicy,
    MembershipRole,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
    Registration,
    Theme,
    utcnow,
)
from miti_training.network.roles import can_manage
from miti_training.registrations import decisions
from miti_training.slugs import unique_programme_slug
from miti_training.timezones import NonexistentLocalTime, to_local, to_utc

#: Column sizes, checked here so no backend ever truncates or refuses a value.
MAX_TITLE = 200
MAX_SUMMARY = 500
MAX_DESCRIPTION = 20_000
MAX_VENUE = 300
MAX_REASON = 2_000
MAX_CAPACITY = 10_000
#: How far a new edition may be moved (about ten years either way).
MAX_SHIFT_DAYS = 3_660

_FINAL_STATUSES = (ProgrammeStatus.CANCELLED, ProgrammeStatus.COMPLETED)


class PublishRefused(DomainError):
    """The programme is not ready to publish (or an edit would make a published one incomplete).

    `problems` lists every problem, each saying what to fix.
    """

    def __init__(self, message, problems: list):
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class ProgrammeValues:
    """What staff may set on a programme. Status, centre and seats never come from here."""

    title: str
    kind: ProgrammeKind | str
    theme: Theme | str
    format: ProgrammeFormat | str
    summary: str = ""
    description: str = ""
    original_language: str = "en"
    venue: str = ""
    languages: tuple[str, ...] = ("en",)
    starts_on: date | None = None
    ends_on: date | None = None
    capacity: int = 0
    #: Naive: wall-clock time in the centre's zone.
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    enrolment_policy: EnrolmentPolicy | str = EnrolmentPolicy.FIRST_COME
    is_waitlist_enabled: bool = True
    completion_threshold: int = 80


@dataclass(frozen=True)
class TranslationValues:
    """Title, summary and description in one language; all empty means "no translation"."""

    title: str = ""
    summary: str = ""
    description: str = ""

    def is_empty(self) -> bool:
        return not (self.title.strip() or self.summary.strip() or self.description.strip())


# Authorization ---------------------------------------------------------------------------


def _require(actor, centre: Centre, role: MembershipRole) -> None:
    if actor is not None and not can_manage(actor, centre, role):
        raise PermissionDenied()


def _require_editor(actor, programme: Programme) -> None:
    """Drafts: coordinators and up; published programmes: directors; final ones: nobody."""
    if programme.status in _FINAL_STATUSES:
        raise DomainError(
            _l(
                "This programme is %(status)s; it can no longer be changed.",
                status=label(programme.status).lower(),
            )
        )
    role = (
        MembershipRole.COORDINATOR
        if programme.status == ProgrammeStatus.DRAFT
        else MembershipRole.DIRECTOR
    )
    _require(actor, programme.centre, role)


def can_edit(user, programme: Programme) -> bool:
    """Whether user may change the programme's details and sessions now."""
    if programme.status in _FINAL_STATUSES:
        return False
    role = (
        MembershipRole.COORDINATOR
        if programme.status == ProgrammeStatus.DRAFT
        else MembershipRole.DIRECTOR
    )
    return can_manage(user, programme.centre, role)


# Values ----------------------------------------------------------------------------------


def _languages() -> list[str]:
    return list(LANGUAGES)


def _text(value: str | None, field: str, max_length: int, *, required_message=None) -> str:
    # Browsers send CRLF from text areas; paragraphs are split on blank lines.
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if required_message is not None and not text:
        raise FieldError(required_message, field=field)
    if len(text) > max_length:
        raise FieldError(_l("Use at most %(max)d characters.", max=max_length), field=field)
    return text


def _enum(enum_cls, value, field: str, message):
    try:
        return enum_cls(value)
    except ValueError:
        raise FieldError(message, field=field) from None


def _utc(value: datetime | None, centre: Centre, field: str) -> datetime | None:
    """A wall-clock time in the centre's zone (or an aware time) as UTC."""
    if value is None:
        return None
    try:
        return to_utc(value, centre.timezone)
    except NonexistentLocalTime:
        raise FieldError(
            _l(
                "This time does not exist in %(zone)s: the clocks go forward then. Choose a time outside the skipped hour.",
                zone=centre.timezone,
            ),
            field=field,
        ) from None


def _apply_values(programme: Programme, centre: Centre, values: ProgrammeValues) -> list[str]:
    """Check values and set them on programme; return the names of the fields that changed."""
    languages = _languages()
    new = {
        "title": _text(
            values.title, "title", MAX_TITLE, required_message=_l("Enter the programme's title.")
        ),
        "summary": _text(values.summary, "summary", MAX_SUMMARY),
        "description": _text(values.description, "description", MAX_DESCRIPTION),
        "venue": _text(values.venue, "venue", MAX_VENUE),
        "kind": _enum(
            ProgrammeKind, values.kind, "kind", _l("Choose a kind of programme from the list.")
        ),
        "theme": _enum(Theme, values.theme, "theme", _l("Choose a theme from the list.")),
        "format": _enum(
            ProgrammeFormat, values.format, "format", _l("Choose a format from the list.")
        ),
        "enrolment_policy": _enum(
            EnrolmentPolicy,
            values.enrolment_policy,
            "enrolment_policy",
            _l("Choose an enrolment policy from the list."),
        ),
        "is_waitlist_enabled": bool(values.is_waitlist_enabled),
    }
    if values.original_language not in languages:
        raise FieldError(
            _l("Choose the language the texts are written in from the list."),
            field="original_language",
        )
    new["original_language"] = values.original_language
    unknown = [code for code in values.languages if code not in languages]
    if unknown:
        raise FieldError(_l("Choose working languages from the list."), field="languages")
    chosen = [code for code in languages if code in values.languages]
    if not chosen:
        raise FieldError(_l("Choose at least one working language."), field="languages")
    new["languages"] = ",".join(chosen)

    if values.starts_on and values.ends_on and values.ends_on < values.starts_on:
        raise FieldError(_l("The last day cannot be before the first day."), field="ends_on")
    new["starts_on"], new["ends_on"] = values.starts_on, values.ends_on

    capacity = values.capacity
    if capacity is None or capacity < 0 or capacity > MAX_CAPACITY:
        raise FieldError(
            _l("Enter a number of seats from 0 to %(max)d.", max=MAX_CAPACITY), field="capacity"
        )
    if capacity < (programme.seats_taken or 0):
        raise FieldError(
            _l(
                "%(taken)d seats are already taken, so the capacity cannot be lower than %(taken)d.",
                taken=programme.seats_taken,
            ),
            field="capacity",
        )
    new["capacity"] = capacity
    threshold = values.completion_threshold
    if threshold is None or not 0 <= threshold <= 100:
        raise FieldError(_l("Enter a percentage from 0 to 100."), field="completion_threshold")
    new["completion_threshold"] = threshold

    opens = _utc(values.registration_opens_at, centre, "registration_opens_at")
    closes = _utc(values.registration_closes_at, centre, "registration_closes_at")
    if opens is not None and closes is not None and closes <= opens:
        raise FieldError(
            _l("Registration must close after it opens."), field="registration_closes_at"
        )
    new["registration_opens_at"], new["registration_closes_at"] = opens, closes

    changed = []
    for name, value in new.items():
        if getattr(programme, name) != value:
            setattr(programme, name, value)
            changed.append(name)
    return changed


def _apply_translations(programme: Programme, translations: dict[str, TranslationValues]) -> list:
    """Set, replace or remove (all fields empty) translations; return the languages changed."""
    languages = _languages()
    existing = {t.language: t for t in programme.translations}
    changed = []
    for code, text in translations.items():
        if code not in languages:
            raise DomainError(_l("Translations can only be in the interface languages."))
        current = existing.get(code)
        if text.is_empty():
            if current is not None:
                programme.translations.remove(current)
                changed.append(code)
            continue
        if code == programme.original_language:
            raise FieldError(
                _l(
                    "The texts are written in %(language)s already: empty this translation or choose another original language.",
                    language=language_name(code),
                ),
                field=f"title_{code}",
            )
        title = _text(
            text.title,
            f"title_{code}",
            MAX_TITLE,
            required_message=_l(
                "Enter the title in %(language)s too, or empty all the fields of this translation to remove it.",
                language=language_name(code),
            ),
        )
        summary = _text(text.summary, f"summary_{code}", MAX_SUMMARY)
        description = _text(text.description, f"description_{code}", MAX_DESCRIPTION)
        if current is None:
            programme.translations.append(
                ProgrammeTranslation(
                    language=code, title=title, summary=summary, description=description
                )
            )
            changed.append(code)
        elif (current.title, current.summary, current.description) != (
            title,
            summary,
            description,
        ):
            current.title, current.summary, current.description = title, summary, description
            changed.append(code)
    return changed


def _flush(field: str = "capacity") -> None:
    """Flush; a constraint refusing the values (a seat taken meanwhile) becomes a FieldError."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise FieldError(
            _l("Someone changed this programme at the same time. Check the values and try again."),
            field=field,
        ) from None


# Drafts ----------------------------------------------------------------------------------


def create_draft(
    centre: Centre,
    values: ProgrammeValues,
    *,
    actor,
    translations: dict[str, TranslationValues] | None = None,
) -> Programme:
    """A new draft programme of centre, with a unique slug made from its title."""
    _require(actor, centre, MembershipRole.COORDINATOR)
    programme = Programme(
        centre=centre,
        status=ProgrammeStatus.DRAFT,
        seats_taken=0,
        created_by_id=actor.id if actor is not None else None,
    )
    _apply_values(programme, centre, values)
    if translations:
        _apply_translations(programme, translations)
    with db.session.no_autoflush:  # the new programme is not ready to be inserted yet
        programme.slug = unique_programme_slug(programme.title)
    db.session.add(programme)
    _flush("title")
    audit.record(
        "programme.create",
        actor=actor,
        centre=centre,
        programme=programme,
        to_state=ProgrammeStatus.DRAFT,
    )
    return programme


def update_programme(
    programme: Programme,
    values: ProgrammeValues,
    *,
    actor,
    translations: dict[str, TranslationValues] | None = None,
) -> list[str]:
    """Change a programme's details (and translations); return what changed.

    A published programme must stay publishable, and its capacity cannot drop below the seats
    already taken.
    """
    _require_editor(actor, programme)
    changed = _apply_values(programme, programme.centre, values)
    if translations is not None:
        changed += [f"translation:{code}" for code in _apply_translations(programme, translations)]
    if programme.status == ProgrammeStatus.PUBLISHED:
        _check_still_publishable(programme)
    _flush()
    if changed:
        audit.record(
            "programme.update",
            actor=actor,
            programme=programme,
            from_state=programme.status,
            to_state=programme.status,
            reason=", ".join(changed),
        )
    if "capacity" in changed and programme.status == ProgrammeStatus.PUBLISHED:
        # New seats go to the waiting list first, in order.
        decisions.promote_waitlisted(programme, actor=actor)
    return changed


def set_translations(
    programme: Programme, translations: dict[str, TranslationValues], *, actor
) -> list[str]:
    """Set or remove translations only; return the languages changed."""
    _require_editor(actor, programme)
    changed = _apply_translations(programme, translations)
    _flush("title")
    if changed:
        audit.record(
            "programme.update",
            actor=actor,
            programme=programme,
            from_state=programme.status,
            to_state=programme.status,
            reason=", ".join(f"translation:{code}" for code in changed),
        )
    return changed


# Sessions --------------------------------------------------------------------------------


def _session_values(
    programme: Programme, title: str, starts_at: datetime, ends_at: datetime, location: str
) -> dict:
    centre = programme.centre
    values = {
        "title": _text(
            title, "title", MAX_TITLE, required_message=_l("Enter a title for the session.")
        ),
        "location": _text(location, "location", MAX_VENUE),
    }
    if starts_at is None:
        raise FieldError(_l("Enter when the session starts."), field="starts_at")
    if ends_at is None:
        raise FieldError(_l("Enter when the session ends."), field="ends_at")
    values["starts_at"] = _utc(starts_at, centre, "starts_at")
    values["ends_at"] = _utc(ends_at, centre, "ends_at")
    if values["ends_at"] <= values["starts_at"]:
        raise FieldError(_l("The session must end after it starts."), field="ends_at")
    return values


def _session_summary(session: ProgrammeSession) -> str:
    """For the audit trail: title and UTC times."""
    return f"{session.title} ({session.starts_at.isoformat()} – {session.ends_at.isoformat()})"


def add_session(
    programme: Programme,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    actor,
) -> ProgrammeSession:
    """Add a session to the timetable."""
    _require_editor(actor, programme)
    session = ProgrammeSession(**_session_values(programme, title, starts_at, ends_at, location))
    programme.sessions.append(session)
    if programme.status == ProgrammeStatus.PUBLISHED:
        _check_still_publishable(programme)
    _flush("starts_at")
    audit.record(
        "session.add",
        actor=actor,
        programme=programme,
        reason=_session_summary(session),
    )
    return session


def update_session(
    session: ProgrammeSession,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    actor,
) -> bool:
    """Change a session; False when nothing changed."""
    programme = session.programme
    _require_editor(actor, programme)
    before = _session_summary(session)
    changed = False
    for name, value in _session_values(programme, title, starts_at, ends_at, location).items():
        if getattr(session, name) != value:
            setattr(session, name, value)
            changed = True
    if not changed:
        return False
    programme.sessions.sort(key=lambda s: s.starts_at)
    if programme.status == ProgrammeStatus.PUBLISHED:
        _check_still_publishable(programme)
    _flush("starts_at")
    audit.record(
        "session.update",
        actor=actor,
        programme=programme,
        reason=f"{before} -> {_session_summary(session)}",
    )
    return True


def remove_session(session: ProgrammeSession, *, actor) -> None:
    """Take a session off the timetable; not once attendance has been recorded for it."""
    programme = session.programme
    _require_editor(actor, programme)
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
    if programme.status == ProgrammeStatus.PUBLISHED:
        _check_still_publishable(programme)
    db.session.flush()
    audit.record(
        "session.remove",
        actor=actor,
        programme=programme,
        reason=summary,
    )


# Publishing ------------------------------------------------------------------------------


def _local_date(moment: datetime, zone: str) -> date:
    return to_local(moment, zone).date()


def publish_problems(programme: Programme) -> list:
    """Everything that keeps programme from being published, each saying what to fix."""
    zone = programme.centre.timezone
    problems = []
    if not (programme.title or "").strip():
        problems.append(_l("Give the programme a title."))
    if not programme.starts_on or not programme.ends_on:
        problems.append(_l("Set the first and the last day of the programme."))
    elif programme.ends_on < programme.starts_on:
        problems.append(
            _l("The last day of the programme is before its first day: correct the dates.")
        )
    if (programme.capacity or 0) <= 0:
        problems.append(_l("Set the capacity to at least one seat."))
    sessions = sorted(programme.sessions, key=lambda s: s.starts_at)
    if not sessions:
        problems.append(_l("Add at least one session to the timetable."))
    opens, closes = programme.registration_opens_at, programme.registration_closes_at
    if opens is None:
        problems.append(_l("Set when registration opens."))
    if closes is None:
        problems.append(_l("Set when registration closes."))
    if opens is not None and closes is not None and opens >= closes:
        problems.append(
            _l("Registration opens after it closes: set the opening before the closing time.")
        )
    if closes is not None and sessions and closes > sessions[0].starts_at:
        problems.append(
            _l(
                "Registration must close before the first session starts (%(start)s, %(zone)s): set an earlier closing time or move the session.",
                start=format_in_zone(sessions[0].starts_at, zone),
                zone=zone,
            )
        )
    if programme.starts_on and programme.ends_on:
        for session in sessions:
            first_day = _local_date(session.starts_at, zone)
            last_day = _local_date(session.ends_at, zone)
            if first_day < programme.starts_on or last_day > programme.ends_on:
                problems.append(
                    _l(
                        "The session “%(title)s” (%(start)s) is outside the programme dates: move the session or change the first and last day.",
                        title=session.title,
                        start=format_in_zone(session.starts_at, zone),
                    )
                )
    return problems


def _transition(programme: Programme, expected, new, **values) -> None:
    """Change the status with one conditional UPDATE, so two people acting at once cannot both
    succeed (two cancellations would email every participant twice)."""
    db.session.flush()
    result = db.session.execute(
        update(Programme)
        .where(Programme.id == programme.id, Programme.status == expected)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(programme)
        raise DomainError(
            _l(
                "Someone else changed this programme meanwhile; it is now %(status)s.",
                status=label(programme.status).lower(),
            )
        )
    for name, value in {"status": new, **values}.items():
        set_committed_value(programme, name, value)


def _check_still_publishable(programme: Programme) -> None:
    problems = publish_problems(programme)
    if problems:
        raise PublishRefused(
            _l("The programme is published, so it must stay complete. Nothing was saved:"),
            problems,
        )


def publish(programme: Programme, *, actor) -> None:
    """Make a draft public, after checking everything a participant needs is there."""
    _require(actor, programme.centre, MembershipRole.DIRECTOR)
    if programme.status != ProgrammeStatus.DRAFT:
        raise DomainError(
            _l(
                "Only a draft can be published; this programme is %(status)s.",
                status=label(programme.status).lower(),
            )
        )
    problems = publish_problems(programme)
    if problems:
        raise PublishRefused(_l("The programme cannot be published yet:"), problems)
    _transition(programme, ProgrammeStatus.DRAFT, ProgrammeStatus.PUBLISHED, published_at=utcnow())
    db.session.flush()
    audit.record(
        "programme.publish",
        actor=actor,
        programme=programme,
        from_state=ProgrammeStatus.DRAFT,
        to_state=ProgrammeStatus.PUBLISHED,
    )


def active_registration_count(programme: Programme) -> int:
    """Registrations still in play: those a cancellation would cancel and notify."""
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.programme_id == programme.id, Registration.status.in_(ACTIVE_STATUSES))
    )


def cancel_programme(programme: Programme, reason: str, *, actor) -> list[Registration]:
    """Cancel a published programme with a reason; every active registration is cancelled.

    Each active registration (applied, confirmed, waitlisted) becomes cancelled and leaves the
    waiting list, the seat counter returns to zero, every change is audited and every
    participant gets an email in their language. Returns the registrations cancelled.
    """
    _require(actor, programme.centre, MembershipRole.DIRECTOR)
    reason = _text(
        reason,
        "reason",
        MAX_REASON,
        required_message=_l("Give the reason for the cancellation: participants will read it."),
    )
    if programme.status != ProgrammeStatus.PUBLISHED:
        raise DomainError(
            _l(
                "Only a published programme can be cancelled; this one is %(status)s.",
                status=label(programme.status).lower(),
            )
        )
    before = programme.status
    _transition(
        programme,
        ProgrammeStatus.PUBLISHED,
        ProgrammeStatus.CANCELLED,
        cancelled_at=utcnow(),
        cancellation_reason=reason,
    )
    registrations = decisions.cancel_for_programme(programme, actor=actor, reason=reason)
    audit.record(
        "programme.cancel",
        actor=actor,
        programme=programme,
        from_state=before,
        to_state=ProgrammeStatus.CANCELLED,
        reason=reason,
    )
    return registrations


def mark_completed(programme: Programme, *, actor, now: datetime | None = None) -> None:
    """Close a published programme whose last session has ended."""
    _require(actor, programme.centre, MembershipRole.DIRECTOR)
    if programme.status != ProgrammeStatus.PUBLISHED:
        raise DomainError(
            _l(
                "Only a published programme can be marked completed; this one is %(status)s.",
                status=label(programme.status).lower(),
            )
        )
    now = now or utcnow()
    last_end = max((s.ends_at for s in programme.sessions), default=None)
    if last_end is None or last_end > now:
        raise DomainError(
            _l(
                "The programme can be marked completed once its last session has ended (%(end)s, %(zone)s).",
                end=format_in_zone(last_end, programme.centre.timezone) if last_end else "—",
                zone=programme.centre.timezone,
            )
        )
    _transition(programme, ProgrammeStatus.PUBLISHED, ProgrammeStatus.COMPLETED)
    db.session.flush()
    audit.record(
        "programme.complete",
        actor=actor,
        programme=programme,
        from_state=ProgrammeStatus.PUBLISHED,
        to_state=ProgrammeStatus.COMPLETED,
    )


# Editions --------------------------------------------------------------------------------


def _shift_local(moment: datetime | None, zone: str, days: int, what: str) -> datetime | None:
    """Move moment by whole days on the centre's wall clock (09:00 stays 09:00 across DST)."""
    if moment is None:
        return None
    local = to_local(moment, zone).replace(tzinfo=None) + timedelta(days=days)
    try:
        return to_utc(local, zone)
    except NonexistentLocalTime:
        raise DomainError(
            _l(
                "%(what)s would fall in the hour skipped when the clocks go forward in %(zone)s. Choose another date.",
                what=what,
                zone=zone,
            )
        ) from None


def duplicate_as_new_edition(
    programme: Programme,
    *,
    actor,
    shift_days: int | None = None,
    new_starts_on: date | None = None,
    title: str | None = None,
) -> Programme:
    """A new draft edition: same details, translations and sessions, moved in time.

    Give either shift_days or new_starts_on (the new first day). Times keep their wall-clock
    hour in the centre's zone; the new edition points back with edition_of_id.
    """
    _require(actor, programme.centre, MembershipRole.DIRECTOR)
    if (shift_days is None) == (new_starts_on is None):
        raise FieldError(
            _l("Give either the new first day or a number of days, not both."),
            field="new_starts_on",
        )
    if new_starts_on is not None:
        if programme.starts_on is None:
            raise FieldError(
                _l("This programme has no first day to move from: give a number of days instead."),
                field="new_starts_on",
            )
        shift_days = (new_starts_on - programme.starts_on).days
    if abs(shift_days) > MAX_SHIFT_DAYS:
        field = "new_starts_on" if new_starts_on is not None else "shift_days"
        raise FieldError(
            _l("Move the new edition by at most %(max)d days.", max=MAX_SHIFT_DAYS), field=field
        )
    zone = programme.centre.timezone
    delta = timedelta(days=shift_days)
    new_title = _text(
        title if title is not None else programme.title,
        "title",
        MAX_TITLE,
        required_message=_l("Enter the title of the new edition."),
    )
    # Everything that can be refused is worked out before any new row exists.
    sessions = []
    for session in sorted(programme.sessions, key=lambda s: s.starts_at):
        what = _l("The session “%(title)s”", title=session.title)
        sessions.append(
            ProgrammeSession(
                title=session.title,
                starts_at=_shift_local(session.starts_at, zone, shift_days, what),
                ends_at=_shift_local(session.ends_at, zone, shift_days, what),
                location=session.location,
            )
        )
    translations = [
        ProgrammeTranslation(
            language=t.language, title=t.title, summary=t.summary, description=t.description
        )
        for t in programme.translations
    ]
    opens = _shift_local(
        programme.registration_opens_at, zone, shift_days, _l("The registration opening")
    )
    closes = _shift_local(
        programme.registration_closes_at, zone, shift_days, _l("The registration closing")
    )
    edition = Programme(
        centre=programme.centre,
        slug=unique_programme_slug(new_title),
        title=new_title,
        summary=programme.summary,
        description=programme.description,
        original_language=programme.original_language,
        edition_of_id=programme.id,
        kind=programme.kind,
        theme=programme.theme,
        format=programme.format,
        venue=programme.venue,
        languages=programme.languages,
        starts_on=programme.starts_on + delta if programme.starts_on else None,
        ends_on=programme.ends_on + delta if programme.ends_on else None,
        capacity=programme.capacity,
        seats_taken=0,
        registration_opens_at=opens,
        registration_closes_at=closes,
        enrolment_policy=programme.enrolment_policy,
        is_waitlist_enabled=programme.is_waitlist_enabled,
        status=ProgrammeStatus.DRAFT,
        completion_threshold=programme.completion_threshold,
        created_by_id=actor.id if actor is not None else None,
        sessions=sessions,
        translations=translations,
    )
    db.session.add(edition)
    _flush("title")
    audit.record(
        "programme.duplicate",
        actor=actor,
        centre=programme.centre,
        programme=edition,
        to_state=ProgrammeStatus.DRAFT,
        reason=f"new edition of {programme.slug} (#{programme.id}), moved {shift_days} days",
    )
    return edition


# Reading ---------------------------------------------------------------------------------


def programme_history(programme: Programme, limit: int = 20) -> list[AuditEntry]:
    """The latest audit entries about the programme itself (not each registration)."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.programme_id == programme.id,
                AuditEntry.registration_id.is_(None),
                AuditEntry.action != audit.LIST_DOWNLOAD,  # listed on the export page
            )
            .options(selectinload(AuditEntry.actor))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )
