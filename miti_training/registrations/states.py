"""The registration state machine: the allowed status changes, the refusal of any other, what the
participant and the centre's staff may do now (derived from the table), and the audit record.

The services refuse with these rules; the pages use the allowed actions only to decide what to
show.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from miti_training import audit
from miti_training.errors import DomainError, TransitionNotAllowed
from miti_training.formatting import label, status_words
from miti_training.models import (
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from miti_training.registrations.window import is_window_open

S = RegistrationStatus

#: The allowed status changes. Cancelled is reached only through cancel_for_programme.
TRANSITIONS: dict[RegistrationStatus, frozenset[RegistrationStatus]] = {
    S.APPLIED: frozenset({S.CONFIRMED, S.WAITLISTED, S.DECLINED, S.WITHDRAWN, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.WITHDRAWN, S.DECLINED, S.CANCELLED}),
    S.WAITLISTED: frozenset({S.CONFIRMED, S.OFFERED, S.DECLINED, S.WITHDRAWN, S.CANCELLED}),
    # Offered: the seat is held; accepting confirms, an expired offer is declined.
    S.OFFERED: frozenset({S.CONFIRMED, S.DECLINED, S.WITHDRAWN, S.CANCELLED}),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CANCELLED: frozenset(),
}

#: Statuses reinstate() brings back in (to applied, confirmed or waitlisted by the policy).
REINSTATABLE = frozenset({S.DECLINED, S.WITHDRAWN})
#: Statuses whose answers the participant may still change (while the window is open).
ANSWERS_EDITABLE = frozenset({S.APPLIED, S.CONFIRMED})

#: The status each action leads to; reinstate's depends on the policy, move stays waitlisted.
_TARGETS = {
    "confirm": S.CONFIRMED,
    "waitlist": S.WAITLISTED,
    "decline": S.DECLINED,
    "withdraw": S.WITHDRAWN,
}
STAFF_ACTIONS = ("confirm", "waitlist", "decline", "reinstate", "move")
PARTICIPANT_ACTIONS = ("withdraw", "edit", "accept", "decline_offer")
#: What the participant does with a seat offered to them.
OFFER_ACTIONS = frozenset({"accept", "decline_offer"})


def allows(status: RegistrationStatus, action: str) -> bool:
    """Whether a registration in status may take action, by the table (no other check)."""
    status = RegistrationStatus(status)
    if action == "reinstate":
        return status in REINSTATABLE
    if action == "move":
        return status == S.WAITLISTED
    if action == "edit":
        return status in ANSWERS_EDITABLE
    if action in OFFER_ACTIONS:
        return status == S.OFFERED
    return _TARGETS[action] in TRANSITIONS[status]


def can_change(programme: Programme) -> bool:
    """Only a published programme's registrations change (not a draft, cancelled or completed)."""
    return programme.status == ProgrammeStatus.PUBLISHED


def staff_actions(registration: Registration) -> frozenset[str]:
    """The decisions the centre's staff may take now (their role is checked separately).

    Those the table allows from the status, on a published programme; waitlisting only when
    the programme has a waiting list.
    """
    programme = registration.programme
    if not can_change(programme):
        return frozenset()
    return frozenset(
        action
        for action in STAFF_ACTIONS
        if allows(registration.status, action)
        and (action != "waitlist" or programme.is_waitlist_enabled)
    )


def offer_open(registration: Registration, now: datetime | None = None) -> bool:
    """An offered seat may still be accepted: its deadline has not passed."""
    expires = registration.offer_expires_at
    return registration.status == S.OFFERED and expires is not None and (now or utcnow()) < expires


def participant_actions(registration: Registration, now: datetime | None = None) -> frozenset[str]:
    """What the participant may do now, on a published programme: "withdraw"; "edit" (window
    open); with a seat offered, "decline_offer", and "accept" before its deadline."""
    programme = registration.programme
    actions = set()
    if can_change(programme):
        if allows(registration.status, "withdraw"):
            actions.add("withdraw")
        if allows(registration.status, "decline_offer"):
            actions.add("decline_offer")
            if offer_open(registration, now):
                actions.add("accept")
    if allows(registration.status, "edit") and is_window_open(programme, now):
        actions.add("edit")
    return frozenset(actions)


# Refusals --------------------------------------------------------------------------------

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


def check_transition(registration: Registration, target: RegistrationStatus) -> None:
    """Raise TransitionNotAllowed, saying what is wrong, unless the table allows the change."""
    if target not in TRANSITIONS[registration.status]:
        raise _not_allowed(registration, target)


#: Why reinstate or move is refused, and the status the refused change aimed at.
_ONLY = {
    "reinstate": (
        lambda status: _l(
            "This registration is %(status)s; only a declined or withdrawn registration can be reinstated.",
            status=status,
        ),
        None,
    ),
    "move": (
        lambda status: _l(
            "This registration is %(status)s; only registrations on the waiting list can be moved.",
            status=status,
        ),
        S.WAITLISTED,
    ),
}


def check_action(registration: Registration, action: str) -> None:
    """Raise TransitionNotAllowed unless the status allows action ("reinstate" or "move")."""
    if not allows(registration.status, action):
        message, target = _ONLY[action]
        raise TransitionNotAllowed(
            message(status_words(registration.status)),
            from_status=registration.status,
            to_status=target,
        )


def require_published(programme: Programme) -> None:
    """Registrations of a draft, cancelled or completed programme cannot change."""
    if not can_change(programme):
        raise DomainError(
            _l(
                "This programme is %(status)s; its registrations can no longer be changed.",
                status=label(programme.status).lower(),
            )
        )


# The record ------------------------------------------------------------------------------


def record(action: str, registration: Registration, actor, from_state, to_state, reason):
    """The audit entry "registration.<verb>" of a change (added to the session; returned)."""
    return audit.record(
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
