"""A programme's details and translations: new drafts, changes, translations.

The values are checked against programmes.rules; a published programme must stay publishable.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime

from miti_training.extensions import db
from miti_training.models import (
    Centre,
    EnrolmentPolicy,
    MembershipRole,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeStatus,
    Theme,
)
from miti_training.programmes import editing, offer_rules, rules
from miti_training.registrations import decisions
from miti_training.slugs import unique_programme_slug
from miti_training.text_translations import apply_translations


@dataclass(frozen=True)
class ProgrammeValues:
    """What staff may set on a programme. Status, centre and seats never come from here."""

    title: str
    kind: ProgrammeKind | str
    theme: Theme | str
    format: ProgrammeFormat | str
    summary: str = ""
    description: str = ""
    original_language: str = rules.DEFAULT_LANGUAGE
    venue: str = ""
    languages: tuple[str, ...] = (rules.DEFAULT_LANGUAGE,)
    starts_on: date | None = None
    ends_on: date | None = None
    capacity: int = 0
    #: Naive: wall-clock time in the centre's zone.
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    enrolment_policy: EnrolmentPolicy | str = EnrolmentPolicy.FIRST_COME
    is_waitlist_enabled: bool = True
    completion_threshold: int = rules.DEFAULT_COMPLETION_THRESHOLD
    sends_reminder: bool = True
    reminder_days: int = rules.DEFAULT_REMINDER_DAYS
    offers_expire: bool = False
    offer_hours: int = offer_rules.DEFAULT_OFFER_HOURS


@dataclass(frozen=True)
class TranslationValues:
    """Title, summary, description and venue in one language; all empty means "no translation"."""

    title: str = ""
    summary: str = ""
    description: str = ""
    venue: str = ""


#: The fields set from ProgrammeValues, in the order changes are listed in the audit trail.
_FIELDS = (
    "title",
    "summary",
    "description",
    "venue",
    "kind",
    "theme",
    "format",
    "enrolment_policy",
    "is_waitlist_enabled",
    "original_language",
    "languages",
    "starts_on",
    "ends_on",
    "capacity",
    "completion_threshold",
    "sends_reminder",
    "reminder_days",
    "offers_expire",
    "offer_hours",
    "registration_opens_at",
    "registration_closes_at",
)


def _apply_values(programme: Programme, centre: Centre, values: ProgrammeValues) -> list[str]:
    """Check values and set them on programme; return the names of the fields that changed."""
    new = {name: getattr(values, name) for name in _FIELDS}
    for name in ("title", "summary", "description", "venue"):
        new[name] = rules.clean_text(new[name])
    for name in ("registration_opens_at", "registration_closes_at"):
        new[name] = editing.utc(new[name], centre, name)
    new["is_waitlist_enabled"] = bool(new["is_waitlist_enabled"])
    new["sends_reminder"] = bool(new["sends_reminder"])
    new["offers_expire"] = bool(new["offers_expire"])
    editing.refuse(rules.draft_problems(new, seats_taken=programme.seats_taken or 0))
    editing.refuse([offer_rules.offer_hours_problem(new["offer_hours"])])
    for name, enum_cls in rules.CHOICES.items():
        new[name] = enum_cls(new[name])
    new["languages"] = ",".join(rules.working_languages(new["languages"]))

    changed = []
    for name, value in new.items():
        if getattr(programme, name) != value:
            setattr(programme, name, value)
            changed.append(name)
    return changed


def _apply_translations(programme: Programme, translations: dict[str, TranslationValues]) -> list:
    """Set, replace or remove (all fields empty) translations; return the languages changed."""
    return apply_translations(
        programme,
        {code: asdict(text) for code, text in translations.items()},
        rules.TRANSLATED_FIELDS,
        required_message=rules.ask_for_title,
    )


def create_draft(
    centre: Centre,
    values: ProgrammeValues,
    *,
    actor,
    translations: dict[str, TranslationValues] | None = None,
) -> Programme:
    """A new draft programme of centre, with a unique slug made from its title."""
    editing.require(actor, centre, MembershipRole.COORDINATOR)
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
    editing.flush("title")
    editing.record("programme.create", programme, actor)
    return programme


class Changes(list[str]):
    """The fields an update changed; promoted: who new seats moved from the waiting list."""

    promoted: tuple = ()


def update_programme(
    programme: Programme,
    values: ProgrammeValues,
    *,
    actor,
    translations: dict[str, TranslationValues] | None = None,
) -> Changes:
    """Change a programme's details (and translations); return what changed.

    A published programme must stay publishable (rules.publish_problems: a venue for one
    that is not online, for instance), and its capacity cannot drop below the seats taken.
    """
    editing.require_editor(actor, programme)
    changed = _apply_values(programme, programme.centre, values)
    if translations is not None:
        changed += [f"translation:{code}" for code in _apply_translations(programme, translations)]
    editing.check_still_publishable(programme)
    editing.flush()
    _record_update(programme, changed, actor)
    changes = Changes(changed)
    if "capacity" in changed and programme.status == ProgrammeStatus.PUBLISHED:
        # New seats go to the waiting list first, in order.
        changes.promoted = tuple(decisions.promote_waitlisted(programme, actor=actor))
    return changes


def set_translations(
    programme: Programme, translations: dict[str, TranslationValues], *, actor
) -> list[str]:
    """Set or remove translations only; return the languages changed."""
    editing.require_editor(actor, programme)
    changed = _apply_translations(programme, translations)
    editing.flush("title")
    _record_update(programme, [f"translation:{code}" for code in changed], actor)
    return changed


def _record_update(programme: Programme, changed: list[str], actor) -> None:
    """Audit a change of details, naming what changed; nothing changed, nothing recorded."""
    if changed:
        editing.record(
            "programme.update", programme, actor, before=programme.status, reason=", ".join(changed)
        )
