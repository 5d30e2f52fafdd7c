"""Registrations: the enrolment policies, the seat invariant and the one state machine.

CONTRACT (implemented by this module; views and other services call only these):

- TRANSITIONS: dict[RegistrationStatus, frozenset[RegistrationStatus]] — the allowed table.
- register(programme, user, *, answers, motivation="", accessibility_needs="",
  dietary_needs="", consent_data: bool, consent_listing: bool) -> Registration
- update_answers(registration, user, *, answers, motivation, accessibility_needs,
  dietary_needs, consent_listing) -> None
- confirm(registration, *, actor, reason="") -> Registration
- waitlist(registration, *, actor, reason="") -> Registration
- decline(registration, *, actor, reason="") -> Registration
- withdraw(registration, *, actor) -> Registration          (actor: the participant or staff)
- reinstate(registration, *, actor) -> Registration          (declined/withdrawn -> applied
  under review policy, else confirmed/waitlisted by the first_come rule)
- move_on_waitlist(registration, new_position: int, *, actor) -> None
- cancel_for_programme(programme, *, actor, reason) -> list[Registration]
- register_on_behalf(programme, email: str, *, actor) -> Registration
- validate_answers(programme, answers: dict) -> dict        (raises FieldError per question)
- question_form_key(question) -> str                         ("q<id>")

Additions beyond the contract (optional for callers):

- REINSTATABLE: the statuses reinstate() accepts (declined, withdrawn).
- available_actions(registration) -> set[str]: which of "confirm", "waitlist", "decline",
  "withdraw", "reinstate", "move" the status allows (no permission check).
- attach_invitations(user) -> list[Registration]: give a newly confirmed account the
  registrations staff made for its address before it existed (register_on_behalf).
- promote_waitlisted(programme, *, actor) -> list[Registration]: fill free seats from the
  waiting list (e.g. after the capacity was raised).
- check_window(programme, now=None) -> None: RegistrationClosed saying why, else nothing.
- status_words(status) -> str: the status for sentences ("on the waiting list").
- Errors: TransitionNotAllowed (from_status, to_status) for refused status changes;
  AlreadyRegistered.registration is the existing registration.

Rules: register() refuses (RegistrationClosed) outside opens <= now < closes or on a programme
that is not published; the user must be enabled and have a confirmed address; consent_data
must be true; motivation is required under the review policy. A participant whose earlier
registration is withdrawn may register again (the same row is reused); any other existing
registration raises AlreadyRegistered with `.registration`. first_come takes a seat with one
conditional UPDATE of programmes.seats_taken (zero rows = full -> waiting list if on, else
ProgrammeFull); review records `applied` and tells the centre's coordinators and directors.
Leaving `confirmed` frees the seat and promotes the first waitlisted registration; waiting
list positions are always 1..n. Staff actions (confirm, waitlist, decline, reinstate, move,
on behalf) need a coordinator or director of the centre or an admin (PermissionDenied);
actor=None means the system. Every transition starts by locking the programme row (SELECT ...
FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), writes an
audit entry "registration.<verb>" and notifies the participant after commit; services flush,
never commit; errors are DomainError subclasses with messages a person understands.

Email links try, in order: participant -> "registrations.detail" (registration_id), then
"registrations.mine", plus the programme page; staff -> "manage.registration_detail" (centre_slug, registration_id),
"manage.programme_registrations" (centre_slug, programme_id), "manage.programme_detail".
"""

import re
from datetime import datetime
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from miti_training import audit
from miti_training.errors import (
    AlreadyRegistered,
    DomainError,
    FieldError,
    PermissionDenied,
    ProgrammeFull,
    RegistrationClosed,
    TransitionNotAllowed,
)
from miti_training.extensions import db
from miti_training.formatting import LANGUAGES, date_range, format_in_zone, label
from miti_training.mail import notify
from miti_training.models import (
    ACTIVE_STATUSES,
    EnrolmentPolicy,
    Membership,
    MembershipRole,
    Programme,
    ProgrammeQuestion,
    ProgrammeStatus,
    QuestionKind,
    Registration,
    RegistrationStatus,
    User,
    utcnow,
)
from miti_training.network.roles import can_manage
from miti_training.urls import external_url

S = RegistrationStatus

#: The allowed status changes (issue 4). Cancelled is reached only through cancel_for_programme.
TRANSITIONS: dict[RegistrationStatus, frozenset[RegistrationStatus]] = {
    S.APPLIED: frozenset({S.CONFIRMED, S.WAITLISTED, S.DECLINED, S.WITHDRAWN, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.WITHDRAWN, S.DECLINED, S.CANCELLED}),
    S.WAITLISTED: frozenset({S.CONFIRMED, S.DECLINED, S.WITHDRAWN, S.CANCELLED}),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CANCELLED: frozenset(),
}

#: Statuses reinstate() brings back in (to applied, confirmed or waitlisted by the policy).
REINSTATABLE = frozenset({S.DECLINED, S.WITHDRAWN})

#: Text limits, checked here so no backend truncates or refuses a value.
MAX_MOTIVATION = 5_000
MAX_NEEDS = 2_000
MAX_REASON = 2_000
MAX_SHORT_ANSWER = 300
MAX_LONG_ANSWER = 5_000
MAX_EMAIL = 254

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_YES = {"yes", "y", "true", "1", "on"}
_NO = {"no", "n", "false", "0", "off"}

# Messages --------------------------------------------------------------------------------

#: "it cannot be <done>", by target status, given the current status in words.
_CANNOT = {
    S.CONFIRMED: lambda status: _l(
        "This registration is %(status)s; it cannot be confirmed.", status=status
    ),
    S.WAITLISTED: lambda status: _l(
        "This registration is %(status)s; it cannot be put on the waiting list.", status=status
    ),
    S.DECLINED: lambda status: _l(
        "This registration is %(status)s; it cannot be declined.", status=status
    ),
    S.WITHDRAWN: lambda status: _l(
        "This registration is %(status)s; it cannot be withdrawn.", status=status
    ),
    S.CANCELLED: lambda status: _l(
        "This registration is %(status)s; registrations are cancelled only by cancelling the programme.",
        status=status,
    ),
}
_ALREADY = {
    S.CONFIRMED: _l("This registration is already confirmed."),
    S.WAITLISTED: _l("This registration is already on the waiting list."),
    S.DECLINED: _l("This registration is already declined."),
    S.WITHDRAWN: _l("This registration is already withdrawn."),
    S.CANCELLED: _l("This registration is already cancelled."),
}
_STATUS_WORDS = {
    S.APPLIED: _l("applied (waiting for review)"),
    S.CONFIRMED: _l("confirmed"),
    S.WAITLISTED: _l("on the waiting list"),
    S.DECLINED: _l("declined"),
    S.WITHDRAWN: _l("withdrawn"),
    S.CANCELLED: _l("cancelled"),
}
_FULL_NO_WAITLIST = _l("This programme is full and has no waiting list.")


def status_words(status: RegistrationStatus) -> str:
    """The status as words for sentences ("on the waiting list")."""
    return str(_STATUS_WORDS[RegistrationStatus(status)])


def _not_allowed(registration: Registration, target: RegistrationStatus) -> TransitionNotAllowed:
    current = registration.status
    if current == target:
        message = _ALREADY[target]
    else:
        message = _CANNOT[target](status_words(current))
        if current in REINSTATABLE:
            message = _l("%(problem)s Reinstate it first.", problem=message)
        elif current == S.CANCELLED:
            message = _l("%(problem)s The programme was cancelled.", problem=message)
    return TransitionNotAllowed(message, from_status=current, to_status=target)


def _check(registration: Registration, target: RegistrationStatus) -> None:
    if target not in TRANSITIONS[registration.status]:
        raise _not_allowed(registration, target)


def available_actions(registration: Registration) -> set[str]:
    """Actions the registration's status allows now (permissions are checked separately)."""
    allowed = TRANSITIONS[registration.status]
    actions = set()
    if S.CONFIRMED in allowed:
        actions.add("confirm")
    if S.WAITLISTED in allowed:
        actions.add("waitlist")
    if S.DECLINED in allowed:
        actions.add("decline")
    if S.WITHDRAWN in allowed:
        actions.add("withdraw")
    if registration.status in REINSTATABLE:
        actions.add("reinstate")
    if registration.status == S.WAITLISTED:
        actions.add("move")
    return actions


# Authorization ---------------------------------------------------------------------------


def _is_staff(actor, programme: Programme) -> bool:
    return actor is None or can_manage(actor, programme.centre, MembershipRole.COORDINATOR)


def _require_staff(actor, programme: Programme) -> None:
    if not _is_staff(actor, programme):
        raise PermissionDenied()


def _is_owner(actor, registration: Registration) -> bool:
    return (
        actor is not None
        and registration.user_id is not None
        and getattr(actor, "id", None) == registration.user_id
    )


# Locking and the seat counter ------------------------------------------------------------


def lock_programme(programme: Programme) -> Programme:
    """Lock the programme row for this transaction and refresh its columns.

    PostgreSQL: SELECT ... FOR UPDATE serialises every registration change of the programme
    (positions, promotion). SQLite drops FOR UPDATE; BEGIN IMMEDIATE (db_setup) serialises.
    Only the columns are refreshed: relationships already loaded (centre, sessions,
    questions) stay loaded, so no statement is repeated.
    """
    db.session.flush()
    keys = [attr.key for attr in sa_inspect(Programme).column_attrs]
    row = db.session.execute(
        select(*(getattr(Programme, key) for key in keys))
        .where(Programme.id == programme.id)
        .with_for_update()
    ).one()
    for key, value in zip(keys, row, strict=True):
        set_committed_value(programme, key, value)
    return programme


def _reload(registration: Registration) -> Registration:
    """The registration as committed by whoever held the lock before us."""
    return db.session.scalars(
        select(Registration)
        .where(Registration.id == registration.id)
        .execution_options(populate_existing=True)
    ).one()


def _take_seat(programme: Programme) -> bool:
    """One conditional UPDATE: True if a seat was free and is now taken."""
    result = db.session.execute(
        update(Programme)
        .where(
            Programme.id == programme.id,
            Programme.seats_taken < Programme.capacity,
            Programme.status == ProgrammeStatus.PUBLISHED,
        )
        .values(seats_taken=Programme.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(programme, ["seats_taken", "updated_at"])
    return result.rowcount == 1


def _free_seat(programme: Programme) -> None:
    db.session.execute(
        update(Programme)
        .where(Programme.id == programme.id, Programme.seats_taken > 0)
        .values(seats_taken=Programme.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(programme, ["seats_taken", "updated_at"])


def _next_position(programme: Programme) -> int:
    db.session.flush()
    last = db.session.scalar(
        select(func.max(Registration.waitlist_position)).where(
            Registration.programme_id == programme.id,
            Registration.status == S.WAITLISTED,
        )
    )
    return (last or 0) + 1


def _waitlist_length(programme: Programme) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.programme_id == programme.id, Registration.status == S.WAITLISTED)
    )


def _shift_positions(programme: Programme, first: int, last: int | None, delta: int) -> None:
    """Add delta to the positions first..last (last None: to the end) of the waiting list."""
    db.session.flush()
    condition = [
        Registration.programme_id == programme.id,
        Registration.status == S.WAITLISTED,
        Registration.waitlist_position >= first,
    ]
    if last is not None:
        condition.append(Registration.waitlist_position <= last)
    db.session.execute(
        update(Registration)
        .where(*condition)
        .values(waitlist_position=Registration.waitlist_position + delta)
        .execution_options(synchronize_session="fetch")
    )


def _leave_waitlist(registration: Registration, new_status: RegistrationStatus) -> None:
    """Change a waitlisted registration's status and close the gap it leaves."""
    old = registration.waitlist_position
    registration.status = new_status
    registration.waitlist_position = None
    db.session.flush()
    if old is not None:
        _shift_positions(registration.programme, old + 1, None, -1)


def _place(programme: Programme, registration: Registration, *, refuse_full) -> None:
    """The first_come rule: a seat if one is free, else the waiting list if on, else refuse."""
    if _take_seat(programme):
        registration.status = S.CONFIRMED
        registration.waitlist_position = None
    elif programme.is_waitlist_enabled:
        registration.status = S.WAITLISTED
        registration.waitlist_position = _next_position(programme)
    else:
        raise ProgrammeFull(refuse_full)
    db.session.flush()


def _fill_from_waitlist(programme: Programme, actor) -> list[Registration]:
    """Confirm waitlisted registrations, first in line first, while seats are free."""
    promoted = []
    if programme.status != ProgrammeStatus.PUBLISHED:
        return promoted
    while True:
        db.session.flush()
        first = db.session.scalars(
            select(Registration)
            .where(Registration.programme_id == programme.id, Registration.status == S.WAITLISTED)
            .order_by(Registration.waitlist_position, Registration.id)
            .limit(1)
        ).first()
        if first is None or not _take_seat(programme):
            return promoted
        _leave_waitlist(first, S.CONFIRMED)
        first.decided_by_id = None
        first.decided_at = utcnow()
        db.session.flush()
        _audit(
            "registration.promote",
            first,
            actor,
            S.WAITLISTED,
            S.CONFIRMED,
            "A seat became free; first on the waiting list.",
        )
        _notify_participant(
            first,
            "registration_promoted",
            lambda title: _l("A place is yours: %(title)s", title=title),
        )
        promoted.append(first)


# Checks ----------------------------------------------------------------------------------


def _text(value, field: str, max_length: int) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > max_length:
        raise FieldError(_l("Use at most %(max)d characters.", max=max_length), field=field)
    return text


def _reason(value) -> str:
    return _text(value, "reason", MAX_REASON)


def _require_published(programme: Programme) -> None:
    """Registrations of a draft, cancelled or completed programme cannot change."""
    if programme.status != ProgrammeStatus.PUBLISHED:
        raise DomainError(
            _l(
                "This programme is %(status)s; its registrations can no longer be changed.",
                status=label(programme.status).lower(),
            )
        )


def check_window(programme: Programme, now: datetime | None = None) -> None:
    """Raise RegistrationClosed, saying why, unless programme takes registrations at now."""
    now = now or utcnow()
    zone = programme.centre.timezone
    if programme.status == ProgrammeStatus.DRAFT:
        raise RegistrationClosed(
            _l("This programme is not published yet; registration is not open.")
        )
    if programme.status == ProgrammeStatus.CANCELLED:
        raise RegistrationClosed(_l("This programme has been cancelled; registration is closed."))
    if programme.status == ProgrammeStatus.COMPLETED:
        raise RegistrationClosed(
            _l("This programme has already taken place; registration is closed.")
        )
    opens, closes = programme.registration_opens_at, programme.registration_closes_at
    if opens is not None and now < opens:
        raise RegistrationClosed(
            _l(
                "Registration is not open yet: it opens on %(when)s (%(zone)s).",
                when=format_in_zone(opens, zone),
                zone=zone,
            )
        )
    if closes is None:
        raise RegistrationClosed(_l("Registration for this programme is closed."))
    if now >= closes:
        raise RegistrationClosed(
            _l(
                "Registration closed on %(when)s (%(zone)s).",
                when=format_in_zone(closes, zone),
                zone=zone,
            )
        )


def _check_user(user: User) -> None:
    if not user.is_enabled:
        raise DomainError(
            _l("Your account is deactivated; contact the centre to register for a programme.")
        )
    if not user.is_confirmed:
        raise DomainError(
            _l(
                "Confirm your email address before registering: open the link we emailed you, or ask for a new link on your profile page."
            )
        )


def question_form_key(question: ProgrammeQuestion) -> str:
    """The key of a question's answer in forms and in Registration.answers."""
    return f"q{question.id}"


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def validate_answers(programme: Programme, answers: dict) -> dict:
    """Check the answers to the programme's questions; return them cleaned, keyed "q<id>".

    Unknown keys are dropped; unanswered optional questions are left out. Raises FieldError
    (field = the question's key) for the first question, in form order, that is not right.
    """
    answers = answers or {}
    cleaned = {}
    for question in programme.questions:
        key = question_form_key(question)
        raw = answers.get(key)
        kind = QuestionKind(question.kind)
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            if raw is not None and not isinstance(raw, str):
                raise FieldError(_l("Answer this question with text."), field=key)
            limit = MAX_SHORT_ANSWER if kind == QuestionKind.SHORT_TEXT else MAX_LONG_ANSWER
            value = _text(raw, key, limit)
            if kind == QuestionKind.SHORT_TEXT and "\n" in value:
                value = " ".join(value.split())
            empty = not value
        elif kind == QuestionKind.SINGLE_CHOICE:
            value = raw.strip() if isinstance(raw, str) else raw
            empty = value in (None, "")
            if not empty and value not in question.choices:
                raise FieldError(_l("Choose one of the options given."), field=key)
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            chosen = [v.strip() if isinstance(v, str) else v for v in _as_list(raw)]
            chosen = [v for v in chosen if v not in (None, "")]
            if any(v not in question.choices for v in chosen):
                raise FieldError(_l("Choose only among the options given."), field=key)
            value = [choice for choice in question.choices if choice in chosen]
            empty = not value
        else:  # yes / no
            if isinstance(raw, bool):
                value = "yes" if raw else "no"
            else:
                word = (raw or "").strip().lower() if isinstance(raw, str) else raw
                if word in (None, ""):
                    value = ""
                elif word in _YES:
                    value = "yes"
                elif word in _NO:
                    value = "no"
                else:
                    raise FieldError(_l("Answer yes or no."), field=key)
            empty = not value
        if empty:
            if question.is_required:
                raise FieldError(_l("Answer this question: it is required."), field=key)
            continue
        cleaned[key] = value
    return cleaned


def _snapshot(registration: Registration, user: User) -> None:
    """Copy the profile as it is now: the registration keeps what the centre was told."""
    city = user.member_city
    registration.full_name = user.full_name
    registration.email = user.email
    registration.member_city_id = city.id if city is not None else None
    registration.organisation = city.name if city is not None else ""
    registration.country = city.country if city is not None else ""
    registration.job_title = user.job_title or ""


def _existing(programme: Programme, user: User) -> Registration | None:
    return db.session.scalars(
        select(Registration).where(
            Registration.programme_id == programme.id, Registration.user_id == user.id
        )
    ).first()


def _already(existing: Registration) -> AlreadyRegistered:
    status = existing.status
    if status == S.APPLIED:
        message = _l(
            "You have already applied for this programme; your application is waiting for review."
        )
    elif status == S.CONFIRMED:
        message = _l("You are already registered for this programme; your place is confirmed.")
    elif status == S.WAITLISTED:
        message = _l(
            "You are already on the waiting list of this programme (position %(position)d).",
            position=existing.waitlist_position or 0,
        )
    elif status == S.DECLINED:
        message = _l(
            "Your application for this programme was declined; contact the centre if you think this is a mistake."
        )
    else:
        message = _l("You already have a registration for this programme.")
    return AlreadyRegistered(message, registration=existing)


# Registering -----------------------------------------------------------------------------


def register(
    programme: Programme,
    user: User,
    *,
    answers: dict,
    motivation: str = "",
    accessibility_needs: str = "",
    dietary_needs: str = "",
    consent_data: bool,
    consent_listing: bool,
) -> Registration:
    """Register user for programme by its enrolment policy; see the module docstring."""
    _check_user(user)
    programme = lock_programme(programme)
    check_window(programme)
    existing = _existing(programme, user)
    if existing is not None and existing.status != S.WITHDRAWN:
        raise _already(existing)
    if consent_data is not True:
        raise FieldError(
            _l(
                "Agree to the processing of your personal data: the centre needs it to register you."
            ),
            field="consent_data",
        )
    review = programme.enrolment_policy == EnrolmentPolicy.REVIEW
    motivation = _text(motivation, "motivation", MAX_MOTIVATION)
    if review and not motivation:
        raise FieldError(
            _l("Tell the centre why you want to take part: applications are reviewed."),
            field="motivation",
        )
    values = {
        "motivation": motivation,
        "accessibility_needs": _text(accessibility_needs, "accessibility_needs", MAX_NEEDS),
        "dietary_needs": _text(dietary_needs, "dietary_needs", MAX_NEEDS),
        "answers": validate_answers(programme, answers),
    }
    now = utcnow()
    registration = existing or Registration(programme=programme, user=user)
    previous = existing.status if existing is not None else ""
    for name, value in values.items():
        setattr(registration, name, value)
    _snapshot(registration, user)
    registration.consent_data_at = now
    registration.consent_listing_at = now if consent_listing else None
    registration.status = S.APPLIED
    registration.waitlist_position = None
    registration.decided_by_id = None
    registration.decided_at = None
    try:
        with db.session.begin_nested():
            if not review:  # the seat first: the row is then inserted with its final status
                _place(programme, registration, refuse_full=_FULL_NO_WAITLIST)
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        # Another request of the same person got in between the check and the insert.
        other = _existing(programme, user)
        if other is not None:
            raise _already(other) from None
        raise
    _audit(
        "registration.register",
        registration,
        user,
        previous,
        registration.status,
        "registered again after withdrawing" if existing is not None else "",
    )
    _notify_outcome(registration)
    if review:
        _notify_staff_of_application(programme, registration)
    return registration


def update_answers(
    registration: Registration,
    user: User,
    *,
    answers: dict,
    motivation: str,
    accessibility_needs: str,
    dietary_needs: str,
    consent_listing: bool,
) -> None:
    """The participant changes their answers while applied/confirmed and the window is open."""
    if not _is_owner(user, registration):
        raise PermissionDenied()
    _check_user(user)
    programme = lock_programme(registration.programme)
    registration = _reload(registration)
    if registration.status not in (S.APPLIED, S.CONFIRMED):
        raise DomainError(
            _l(
                "Your registration is %(status)s; answers can be changed only while it is applied or confirmed.",
                status=status_words(registration.status),
            )
        )
    try:
        check_window(programme)
    except RegistrationClosed as closed:
        raise RegistrationClosed(
            _l("%(why)s Your answers can no longer be changed.", why=closed.message)
        ) from None
    motivation = _text(motivation, "motivation", MAX_MOTIVATION)
    if programme.enrolment_policy == EnrolmentPolicy.REVIEW and not motivation:
        raise FieldError(
            _l("Tell the centre why you want to take part: applications are reviewed."),
            field="motivation",
        )
    new = {
        "motivation": motivation,
        "accessibility_needs": _text(accessibility_needs, "accessibility_needs", MAX_NEEDS),
        "dietary_needs": _text(dietary_needs, "dietary_needs", MAX_NEEDS),
        "answers": validate_answers(programme, answers),
    }
    changed = [name for name, value in new.items() if getattr(registration, name) != value]
    for name in changed:
        setattr(registration, name, new[name])
    if bool(consent_listing) != (registration.consent_listing_at is not None):
        registration.consent_listing_at = utcnow() if consent_listing else None
        changed.append("consent_listing")
    if not changed:
        return
    db.session.flush()
    _audit(
        "registration.update",
        registration,
        user,
        registration.status,
        registration.status,
        "changed: " + ", ".join(changed),
    )


# Staff decisions and withdrawal ----------------------------------------------------------


def _begin(registration: Registration, actor, *, staff_only: bool) -> Registration:
    """Lock, reload and check who may act; returns the fresh registration."""
    programme = lock_programme(registration.programme)
    registration = _reload(registration)
    if staff_only:
        _require_staff(actor, programme)
    elif not (_is_owner(actor, registration) or _is_staff(actor, programme)):
        raise PermissionDenied()
    return registration


def _decided(registration: Registration, actor) -> None:
    registration.decided_by_id = actor.id if actor is not None else None
    registration.decided_at = utcnow()


def confirm(registration: Registration, *, actor, reason: str = "") -> Registration:
    """Staff confirm an applied or waitlisted registration: it takes a free seat."""
    registration = _begin(registration, actor, staff_only=True)
    reason = _reason(reason)
    programme = registration.programme
    _check(registration, S.CONFIRMED)
    _require_published(programme)
    previous = registration.status
    if not _take_seat(programme):
        raise ProgrammeFull(_l("No seat is free; waitlist the application or free a seat first."))
    if previous == S.WAITLISTED:
        _leave_waitlist(registration, S.CONFIRMED)
    else:
        registration.status = S.CONFIRMED
    _decided(registration, actor)
    db.session.flush()
    _audit("registration.confirm", registration, actor, previous, S.CONFIRMED, reason)
    _notify_outcome(registration, reason=reason)
    return registration


def waitlist(registration: Registration, *, actor, reason: str = "") -> Registration:
    """Staff put an applied registration at the end of the waiting list."""
    registration = _begin(registration, actor, staff_only=True)
    reason = _reason(reason)
    programme = registration.programme
    _check(registration, S.WAITLISTED)
    _require_published(programme)
    if not programme.is_waitlist_enabled:
        raise DomainError(
            _l("This programme has no waiting list; confirm or decline the application.")
        )
    previous = registration.status
    registration.status = S.WAITLISTED
    registration.waitlist_position = _next_position(programme)
    _decided(registration, actor)
    db.session.flush()
    _audit("registration.waitlist", registration, actor, previous, S.WAITLISTED, reason)
    _notify_outcome(registration, reason=reason)
    return registration


def decline(registration: Registration, *, actor, reason: str = "") -> Registration:
    """Staff decline; a confirmed seat goes to the first on the waiting list."""
    registration = _begin(registration, actor, staff_only=True)
    reason = _reason(reason)
    programme = registration.programme
    _check(registration, S.DECLINED)
    _require_published(programme)
    previous = _leave(registration, S.DECLINED)
    _decided(registration, actor)
    db.session.flush()
    _audit("registration.decline", registration, actor, previous, S.DECLINED, reason)
    _notify_participant(
        registration,
        "registration_declined",
        lambda title: _l("Your registration was declined: %(title)s", title=title),
        reason=reason,
        was_confirmed=previous == S.CONFIRMED,
    )
    if previous == S.CONFIRMED:
        _fill_from_waitlist(programme, actor)
    return registration


def withdraw(registration: Registration, *, actor) -> Registration:
    """The participant (or staff for them) withdraws; a confirmed seat is offered on."""
    registration = _begin(registration, actor, staff_only=False)
    programme = registration.programme
    _check(registration, S.WITHDRAWN)
    _require_published(programme)
    previous = _leave(registration, S.WITHDRAWN)
    by_staff = not _is_owner(actor, registration)
    if by_staff:
        _decided(registration, actor)
    db.session.flush()
    _audit(
        "registration.withdraw",
        registration,
        actor,
        previous,
        S.WITHDRAWN,
        "withdrawn by staff" if by_staff else "",
    )
    _notify_participant(
        registration,
        "registration_withdrawn",
        lambda title: _l("Your registration is withdrawn: %(title)s", title=title),
        by_staff=by_staff,
    )
    if previous == S.CONFIRMED:
        _fill_from_waitlist(programme, actor)
    return registration


def _leave(registration: Registration, new_status: RegistrationStatus) -> RegistrationStatus:
    """Move an active registration out (declined/withdrawn), keeping seats and positions right."""
    previous = registration.status
    if previous == S.CONFIRMED:
        registration.status = new_status
        registration.waitlist_position = None
        db.session.flush()
        _free_seat(registration.programme)
    elif previous == S.WAITLISTED:
        _leave_waitlist(registration, new_status)
    else:
        registration.status = new_status
        registration.waitlist_position = None
    return previous


def reinstate(registration: Registration, *, actor) -> Registration:
    """Declined or withdrawn -> back in: applied (review), else a seat or the waiting list."""
    registration = _begin(registration, actor, staff_only=True)
    programme = registration.programme
    if registration.status not in REINSTATABLE:
        raise TransitionNotAllowed(
            _l(
                "This registration is %(status)s; only a declined or withdrawn registration can be reinstated.",
                status=status_words(registration.status),
            ),
            from_status=registration.status,
            to_status=None,
        )
    _require_published(programme)
    previous = registration.status
    if programme.enrolment_policy == EnrolmentPolicy.REVIEW:
        registration.status = S.APPLIED
    else:
        _place(programme, registration, refuse_full=_FULL_NO_WAITLIST)
    _decided(registration, actor)
    db.session.flush()
    _audit("registration.reinstate", registration, actor, previous, registration.status, "")
    _notify_outcome(registration, reinstated=True)
    return registration


def move_on_waitlist(registration: Registration, new_position: int, *, actor) -> None:
    """Put a waitlisted registration at new_position (clamped to 1..n); others close up."""
    registration = _begin(registration, actor, staff_only=True)
    programme = registration.programme
    if registration.status != S.WAITLISTED:
        raise TransitionNotAllowed(
            _l(
                "This registration is %(status)s; only registrations on the waiting list can be moved.",
                status=status_words(registration.status),
            ),
            from_status=registration.status,
            to_status=S.WAITLISTED,
        )
    _require_published(programme)
    try:
        new_position = int(new_position)
    except (TypeError, ValueError):
        raise FieldError(_l("Enter a position as a whole number."), field="position") from None
    length = _waitlist_length(programme)
    new_position = min(max(new_position, 1), length)
    old = registration.waitlist_position
    if old == new_position:
        return
    registration.waitlist_position = None
    db.session.flush()
    if new_position < old:
        _shift_positions(programme, new_position, old - 1, +1)
    else:
        _shift_positions(programme, old + 1, new_position, -1)
    registration.waitlist_position = new_position
    db.session.flush()
    _audit(
        "registration.move",
        registration,
        actor,
        S.WAITLISTED,
        S.WAITLISTED,
        f"position {old} -> {new_position}",
    )


def promote_waitlisted(programme: Programme, *, actor) -> list[Registration]:
    """Fill free seats from the waiting list, in order (call after raising the capacity)."""
    _require_staff(actor, programme)
    programme = lock_programme(programme)
    return _fill_from_waitlist(programme, actor)


def cancel_for_programme(programme: Programme, *, actor, reason) -> list[Registration]:
    """The programme is cancelled: every active registration is cancelled and notified.

    Positions are cleared, the seat counter returns to zero; returns the registrations.
    Only for a programme already marked cancelled (publishing.cancel_programme does that).
    """
    programme = lock_programme(programme)
    if programme.status != ProgrammeStatus.CANCELLED:
        raise DomainError(_l("Registrations are cancelled only when the programme is cancelled."))
    registrations = list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.programme_id == programme.id,
                Registration.status.in_(ACTIVE_STATUSES),
            )
            .options(selectinload(Registration.user))
            .order_by(Registration.id)
        )
    )
    for registration in registrations:
        previous = registration.status
        registration.status = S.CANCELLED
        registration.waitlist_position = None
        _audit("registration.cancel", registration, actor, previous, S.CANCELLED, reason)
        _notify_cancelled(programme, registration, reason)
    programme.seats_taken = 0
    db.session.flush()
    return registrations


# Staff registering someone ---------------------------------------------------------------


def register_on_behalf(programme: Programme, email: str, *, actor) -> Registration:
    """Staff register an official by address: an account is registered by the policy (no
    consents recorded: only the participant can give them); an unknown address gets an
    applied registration without account and an invitation to sign up."""
    _require_staff(actor, programme)
    email = (email or "").strip().lower()
    if not _EMAIL.fullmatch(email) or len(email) > MAX_EMAIL:
        raise FieldError(_l("Enter a valid email address."), field="email")
    programme = lock_programme(programme)
    check_window(programme)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        if not user.is_enabled:
            raise DomainError(_l("This account is deactivated; it cannot be registered."))
        existing = _existing(programme, user)
        if existing is not None and existing.status != S.WITHDRAWN:
            raise AlreadyRegistered(
                _l(
                    "%(email)s already has a registration for this programme (%(status)s).",
                    email=email,
                    status=status_words(existing.status),
                ),
                registration=existing,
            )
        registration = existing or Registration(programme=programme, user=user)
        previous = existing.status if existing is not None else ""
        _snapshot(registration, user)
        registration.status = S.APPLIED
        registration.waitlist_position = None
        _decided(registration, actor)
        try:
            with db.session.begin_nested():
                db.session.add(registration)
                db.session.flush()
                if programme.enrolment_policy == EnrolmentPolicy.FIRST_COME:
                    _place(programme, registration, refuse_full=_FULL_NO_WAITLIST)
        except IntegrityError:
            other = _existing(programme, user)
            if other is not None:
                raise AlreadyRegistered(registration=other) from None
            raise
        _audit(
            "registration.register",
            registration,
            actor,
            previous,
            registration.status,
            "registered by staff",
        )
        _notify_outcome(registration, by_staff=True)
        return registration

    invited = _invitation_for(programme, email)
    if invited is not None:
        raise AlreadyRegistered(
            _l("%(email)s has already been invited to this programme.", email=email),
            registration=invited,
        )
    registration = Registration(programme=programme, user_id=None, email=email)
    registration.status = S.APPLIED
    _decided(registration, actor)
    db.session.add(registration)
    db.session.flush()
    _audit(
        "registration.invite",
        registration,
        actor,
        "",
        S.APPLIED,
        "registered by staff; invited to create an account",
    )
    _notify_participant(
        registration,
        "registration_invitation",
        lambda title: _l(
            "You are registered for %(title)s: create your MITI Training account", title=title
        ),
        signup_link=external_url("auth.signup"),
    )
    return registration


def _invitation_for(programme: Programme, email: str) -> Registration | None:
    return db.session.scalars(
        select(Registration).where(
            Registration.programme_id == programme.id,
            Registration.user_id.is_(None),
            func.lower(Registration.email) == email,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    ).first()


def attach_invitations(user: User) -> list[Registration]:
    """Give a confirmed account the registrations staff made for its address.

    Only once the address is confirmed (anyone can sign up with any address). A first_come
    programme then seats or waitlists the registration; under review it stays applied. If the
    person registered by themselves meanwhile, the invitation is removed.
    """
    if not user.is_confirmed or not user.is_enabled:
        return []
    invitations = list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.user_id.is_(None),
                func.lower(Registration.email) == user.email.lower(),
                Registration.status.in_(ACTIVE_STATUSES),
            )
            .order_by(Registration.id)
        )
    )
    attached = []
    for invitation in invitations:
        programme = lock_programme(invitation.programme)
        invitation = _reload(invitation)
        if invitation.user_id is not None or invitation.status not in ACTIVE_STATUSES:
            continue
        if _existing(programme, user) is not None:
            _audit("registration.invitation_merged", invitation, user, invitation.status, "", "")
            db.session.delete(invitation)
            db.session.flush()
            continue
        invitation.user_id = user.id
        _snapshot(invitation, user)
        previous = invitation.status
        if (
            previous == S.APPLIED
            and programme.enrolment_policy == EnrolmentPolicy.FIRST_COME
            and programme.status == ProgrammeStatus.PUBLISHED
        ):
            try:
                with db.session.begin_nested():
                    _place(programme, invitation, refuse_full=_FULL_NO_WAITLIST)
            except ProgrammeFull:
                invitation.status = S.APPLIED  # staff decide when the programme is full
        db.session.flush()
        _audit(
            "registration.attach",
            invitation,
            user,
            previous,
            invitation.status,
            "invitation taken up by the new account",
        )
        if invitation.status != previous:
            _notify_outcome(invitation)
        attached.append(invitation)
    return attached


# Audit and notifications -----------------------------------------------------------------


def _audit(action, registration: Registration, actor, from_state, to_state, reason) -> None:
    audit.record(
        action,
        actor=actor,
        centre=registration.programme.centre,
        programme=registration.programme,
        registration=registration,
        subject_user=registration.user,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )


def participant_links(registration: Registration) -> dict:
    """The links every email to a participant ends with: their registration, the programme."""
    programme = registration.programme
    return {
        "registrations_link": (
            external_url("registrations.detail", registration_id=registration.id)
            if registration.user_id is not None
            else external_url("registrations.mine")
        ),
        # A draft has no public page yet.
        "programme_link": (
            external_url("catalogue.programme_detail", slug=programme.slug)
            if programme.status != ProgrammeStatus.DRAFT
            else ""
        ),
    }


def _recipient_language(user) -> str:
    language = getattr(user, "preferred_language", None)
    return language if language in LANGUAGES else "en"


def _notify_participant(registration: Registration, template: str, subject, **context) -> None:
    """Email the participant (or the invited address) in their language, after commit.

    subject is a function of the programme's title in the recipient's language.
    """
    programme = registration.programme
    user = registration.user
    address = user.email if user is not None else registration.email
    if not address:
        return  # anonymised: nobody left to tell
    if user is None:
        # Not an account yet: the programme's first working language is one they read.
        codes = [c for c in programme.language_codes if c in LANGUAGES]
        recipient = SimpleNamespace(
            preferred_language=codes[0] if codes else "en",
            full_name=registration.full_name,
            email=address,
        )
    else:
        recipient = user
    title = programme.text_in(_recipient_language(recipient)).title
    notify(
        recipient,
        template,
        subject(title),
        email=address,
        name=recipient.full_name or address,
        title=title,
        programme=programme,
        centre=programme.centre,
        registration=registration,
        first_session=programme.sessions[0] if programme.sessions else None,
        date_range=date_range,
        **participant_links(registration),
        **context,
    )


_OUTCOME = {
    S.CONFIRMED: (
        "registration_confirmed",
        lambda title: _l("Your place is confirmed: %(title)s", title=title),
    ),
    S.WAITLISTED: (
        "registration_waitlisted",
        lambda title: _l("You are on the waiting list: %(title)s", title=title),
    ),
    S.APPLIED: (
        "registration_applied",
        lambda title: _l("Application received: %(title)s", title=title),
    ),
}


def _notify_outcome(registration: Registration, **context) -> None:
    template, subject = _OUTCOME[registration.status]
    context.setdefault("reason", "")
    context.setdefault("by_staff", False)
    context.setdefault("reinstated", False)
    _notify_participant(registration, template, subject, **context)


def _staff_to_tell(programme: Programme) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.centre_id == programme.centre_id,
                Membership.role.in_([MembershipRole.COORDINATOR, MembershipRole.DIRECTOR]),
                User.is_enabled.is_(True),
            )
            .distinct()
            .order_by(User.id)
        )
    )


def _notify_staff_of_application(programme: Programme, registration: Registration) -> None:
    centre = programme.centre
    link = external_url(
        "manage.registration_detail", centre_slug=centre.slug, registration_id=registration.id
    )
    for member in _staff_to_tell(programme):
        title = programme.text_in(_recipient_language(member)).title
        notify(
            member,
            "new_application",
            _l("New application: %(title)s", title=title),
            name=member.full_name,
            title=title,
            programme=programme,
            centre=centre,
            registration=registration,
            link=link,
        )


def _notify_cancelled(programme: Programme, registration: Registration, reason: str) -> None:
    user = registration.user
    address = user.email if user is not None else registration.email
    if not address:
        return  # an anonymised registration: nobody left to tell
    language = user.preferred_language if user is not None else programme.original_language
    title = programme.text_in(language).title
    notify(
        user,
        "programme_cancelled",
        _l("Cancelled: %(title)s", title=title),
        email=address,
        name=(user.full_name if user is not None else registration.full_name),
        title=title,
        centre=programme.centre,
        reason=reason,
        programme_link=external_url("catalogue.programme_detail", slug=programme.slug),
    )
