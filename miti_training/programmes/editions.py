"""New editions: a programme copied as a draft, moved in time on the centre's wall clock."""

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.formatting import zone_name
from miti_training.models import (
    MembershipRole,
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
    SessionTranslation,
)
from miti_training.programmes import editing, rules
from miti_training.slugs import unique_programme_slug
from miti_training.text_translations import translations_of
from miti_training.timezones import NonexistentLocalTime, to_local, to_utc


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
                zone=zone_name(zone),
            )
        ) from None


def _shift_days(programme: Programme, shift_days: int | None, new_starts_on: date | None) -> int:
    """The number of days to move by, from exactly one of shift_days and new_starts_on."""
    if (shift_days is None) == (new_starts_on is None):
        raise FieldError(rules.ONE_WAY_TO_MOVE, field="new_starts_on")
    if new_starts_on is not None:
        if programme.starts_on is None:
            raise FieldError(
                _l("This programme has no first day to move from: give a number of days instead."),
                field="new_starts_on",
            )
        shift_days = (new_starts_on - programme.starts_on).days
    if abs(shift_days) > rules.MAX_SHIFT_DAYS:
        field = "new_starts_on" if new_starts_on is not None else "shift_days"
        raise FieldError(rules.SHIFT_TOO_FAR, field=field)
    return shift_days


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
    editing.require(actor, programme.centre, MembershipRole.DIRECTOR)
    shift_days = _shift_days(programme, shift_days, new_starts_on)
    zone = programme.centre.timezone
    delta = timedelta(days=shift_days)
    new_title = rules.clean_text(title if title is not None else programme.title)
    editing.refuse([rules.text_problem("title", new_title, required=rules.REQUIRED_EDITION_TITLE)])
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
                translations=[
                    SessionTranslation(language=code, **texts)
                    for code, texts in translations_of(session).items()
                ],
            )
        )
    translations = [
        ProgrammeTranslation(language=code, **texts)
        for code, texts in translations_of(programme).items()
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
        sends_reminder=programme.sends_reminder,
        reminder_days=programme.reminder_days,
        offers_expire=programme.offers_expire,
        offer_hours=programme.offer_hours,
        created_by_id=actor.id if actor is not None else None,
        sessions=sessions,
        translations=translations,
    )
    db.session.add(edition)
    editing.flush("title")
    editing.record(
        "programme.duplicate",
        edition,
        actor,
        reason=f"new edition of {programme.slug} (#{programme.id}), moved {shift_days} days",
    )
    return edition


def previous_edition(programme: Programme) -> Programme | None:
    """The programme this one was duplicated from, if any."""
    if programme.edition_of_id is None:
        return None
    return db.session.get(Programme, programme.edition_of_id)
