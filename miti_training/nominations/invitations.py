"""How long a nomination's invitation link works, and sending it again.

An invitation expires at whichever comes first:

- NOMINATION_INVITATION_DAYS (at least one) after it was last sent, so a link forwarded or
  left in a mailbox does not open an account months later;
- the close of the programme's nomination window (or the programme leaving publication):
  after that nobody may be put forward, so no link may bring in someone new either.

The nomination itself stands: an expired link makes no account, and the focal point may send
a new one while the window is open. Sending again replaces the secret (the old link is dead
at once), starts the days over, is audited, and mails after the commit. Only an expired
invitation is sent again, which bounds the mail a focal point can cause to one message per
address and NOMINATION_INVITATION_DAYS.
"""

import enum
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from miti_training import audit
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.models import Nomination, NominationStatus, utcnow
from miti_training.nominations import notifications, window
from miti_training.nominations.nominating import (
    refuse_unless_city,
    require_focal_point,
    token_hash,
)
from miti_training.nominations.window import NominationState, nomination_state


class InvitationState(enum.StrEnum):
    #: Not an invitation waiting to be taken up (an account was nominated, or it was).
    NONE = "none"
    VALID = "valid"
    EXPIRED = "expired"


def invitation_days() -> int:
    return max(1, int(current_app.config["NOMINATION_INVITATION_DAYS"]))


def is_pending(nomination: Nomination) -> bool:
    """An emailed invitation whose link has not yet made the account."""
    return (
        nomination.status == NominationStatus.NOMINATED
        and nomination.user_id is None
        and nomination.token_hash is not None
    )


def expires_at(nomination: Nomination) -> datetime | None:
    """When the pending invitation's link stops working by the rules above (None: not
    pending). A window already closed for another reason is said by invitation_state."""
    if not is_pending(nomination):
        return None
    sent = nomination.invitation_sent_at or nomination.created_at
    until = sent + timedelta(days=invitation_days())
    closes = nomination.programme.nomination_closes_at
    return min(until, closes) if closes is not None else until


def invitation_state(nomination: Nomination, now: datetime | None = None) -> InvitationState:
    now = now or utcnow()
    until = expires_at(nomination)
    if until is None:
        return InvitationState.NONE
    if now >= until or nomination_state(nomination.programme, now) == NominationState.CLOSED:
        return InvitationState.EXPIRED
    return InvitationState.VALID


def resend(nomination: Nomination, *, actor) -> Nomination:
    """actor (a focal point of the nomination's city) sends the expired invitation again.

    Refused: not a pending invitation; still valid; the nomination window not open."""
    focal_point = require_focal_point(actor)
    refuse_unless_city(nomination, focal_point)
    state = invitation_state(nomination)
    if state == InvitationState.NONE:
        raise DomainError(_l("This nomination has no invitation waiting to be taken up."))
    if state == InvitationState.VALID:
        raise DomainError(
            _l("The invitation still works: it can be sent again once it has expired.")
        )
    window.check_open(nomination.programme)
    token = secrets.token_urlsafe(32)
    # Conditional on the old secret: of two focal points sending again at once, one does.
    sent = db.session.execute(
        update(Nomination)
        .where(
            Nomination.id == nomination.id,
            Nomination.token_hash == nomination.token_hash,
            Nomination.status == NominationStatus.NOMINATED,
            Nomination.user_id.is_(None),
        )
        .values(token_hash=token_hash(token), invitation_sent_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if sent.rowcount != 1:
        raise DomainError(_l("This invitation has just been sent again or taken up."))
    db.session.expire(nomination)
    audit.record(
        "nomination.resend_invitation",
        actor=actor,
        programme=nomination.programme,
        to_state=focal_point.member_city.name,
    )
    notifications.notify_nominated(nomination, token=token)
    return nomination
