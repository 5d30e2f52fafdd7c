"""Seats offered from the waiting list for a limited time: the offer, accepting in time and too
late, declining, the expiry passing the seat on once, staff acting on offers, and the seat
invariant throughout (real database, the services without HTTP)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from miti_training.cli.offers import expire_due_offers
from miti_training.errors import OfferExpired, PermissionDenied, TransitionNotAllowed
from miti_training.models import Programme, Registration, RegistrationStatus, utcnow
from miti_training.programmes import lifecycle
from miti_training.registrations import decisions, enrolment, offers, states
from tests.support.audit import audit_entries
from tests.support.factories import make_centre, make_programme, make_staff, make_user

S = RegistrationStatus
HOURS = 48


@pytest.fixture
def paris(db):
    return make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")


@pytest.fixture
def coordinator(paris):
    return make_staff(paris, "coordinator", full_name="Omar Coordinator")


@pytest.fixture(autouse=True)
def _seats_held_never_exceed_capacity(db):
    """After every scenario: seats_taken == confirmed + offered <= capacity; positions 1..n."""
    yield
    db.session.rollback()
    for programme in db.session.scalars(select(Programme)):
        db.session.refresh(programme)
        held = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(
                Registration.programme_id == programme.id,
                Registration.status.in_((S.CONFIRMED, S.OFFERED)),
            )
        )
        assert programme.seats_taken == held <= programme.capacity
        positions = sorted(
            db.session.scalars(
                select(Registration.waitlist_position).where(
                    Registration.programme_id == programme.id,
                    Registration.status == S.WAITLISTED,
                )
            )
        )
        assert positions == list(range(1, len(positions) + 1))
        assert programme.waitlist_length == len(positions)
        stray_deadlines = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.status != S.OFFERED, Registration.offer_expires_at.is_not(None))
        )
        assert stray_deadlines == 0


def _full(db, centre, *, waiting=3, offers_expire=True):
    """Two seats taken, `waiting` officials on the waiting list, in order."""
    programme = make_programme(
        centre,
        title="Peer Review Process workshop",
        capacity=2,
        offers_expire=offers_expire,
        offer_hours=HOURS,
    )
    people = [
        make_user(full_name=f"Official {i}", timezone="Asia/Seoul") for i in range(2 + waiting)
    ]
    registrations = [
        enrolment.register(programme, person, answers={}, consent_data=True, consent_listing=False)
        for person in people
    ]
    db.session.commit()
    assert [r.status for r in registrations] == [S.CONFIRMED] * 2 + [S.WAITLISTED] * waiting
    return programme, registrations


def _mail_to(outbox, address):
    return [m for m in outbox if m.to == address]


def test_a_freed_seat_is_offered_to_the_first_in_line_and_held_for_them(
    db, paris, outbox, coordinator
):
    programme, regs = _full(db, paris)
    leaving, first, second = regs[0], regs[2], regs[3]
    outbox.clear()
    before = utcnow()
    outcome = decisions.withdraw(leaving, actor=leaving.user)
    db.session.commit()
    assert [r.id for r in outcome.promoted] == [first.id]
    assert first.status == S.OFFERED and first.waitlist_position is None
    assert second.waitlist_position == 1 and programme.waitlist_length == 2
    assert programme.seats_taken == 2  # the offered seat is held
    deadline = first.offer_expires_at
    assert before + timedelta(hours=HOURS) <= deadline <= utcnow() + timedelta(hours=HOURS)
    [offer] = _mail_to(outbox, first.email)
    assert offer.subject == "A seat is offered to you: Peer Review Process workshop"
    assert "(Paris)" in offer.body and "(Seoul)" in offer.body  # the centre's time and theirs
    assert f"/my/registrations/{first.id}" in offer.body
    [entry] = audit_entries("registration.offer")
    assert (entry.registration_id, entry.from_state, entry.to_state) == (
        first.id,
        "waitlisted",
        "offered",
    )
    # Nobody else takes the held seat: a newcomer joins the end of the waiting list.
    newcomer = enrolment.register(
        programme, make_user(), answers={}, consent_data=True, consent_listing=False
    )
    db.session.commit()
    assert (newcomer.status, newcomer.waitlist_position) == (S.WAITLISTED, 3)


def test_accepting_in_time_confirms_with_an_email_and_an_audit_entry(db, paris, outbox):
    programme, regs = _full(db, paris)
    decisions.withdraw(regs[0], actor=regs[0].user)
    db.session.commit()
    first = regs[2]
    outbox.clear()
    almost = first.offer_expires_at - timedelta(minutes=1)
    assert states.participant_actions(first, almost) >= {"accept", "decline_offer"}
    offers.accept(first, actor=first.user, now=almost)
    assert outbox == []  # after the commit only
    db.session.commit()
    assert first.status == S.CONFIRMED and first.offer_expires_at is None
    assert programme.seats_taken == 2
    [mail] = outbox
    assert (mail.to, mail.subject) == (
        first.email,
        "Your place is confirmed: Peer Review Process workshop",
    )
    [entry] = audit_entries("registration.accept_offer")
    assert (entry.actor_id, entry.from_state, entry.to_state) == (
        first.user_id,
        "offered",
        "confirmed",
    )
    # Nothing left to expire.
    assert expire_due_offers(utcnow() + timedelta(days=30)) == 0


def test_accepting_after_the_deadline_is_refused_clearly(db, paris, outbox):
    _programme, regs = _full(db, paris)
    decisions.withdraw(regs[0], actor=regs[0].user)
    db.session.commit()
    first = regs[2]
    outbox.clear()
    late = first.offer_expires_at + timedelta(seconds=1)
    assert "accept" not in states.participant_actions(first, late)
    with pytest.raises(OfferExpired) as refused:
        offers.accept(first, actor=first.user, now=late)
    assert "expired" in str(refused.value.message)
    db.session.rollback()
    assert first.status == S.OFFERED
    # At the very deadline it has expired too.
    with pytest.raises(OfferExpired):
        offers.accept(first, actor=first.user, now=first.offer_expires_at)
    db.session.rollback()
    assert outbox == [] and audit_entries("registration.accept_offer") == []


def test_an_offer_not_accepted_passes_to_the_next_person_once(db, paris, outbox):
    programme, regs = _full(db, paris)
    decisions.withdraw(regs[0], actor=regs[0].user)
    db.session.commit()
    first, second, third = regs[2], regs[3], regs[4]
    outbox.clear()
    assert expire_due_offers(first.offer_expires_at - timedelta(seconds=1)) == 0
    later = first.offer_expires_at + timedelta(minutes=5)
    assert expire_due_offers(later) == 1
    db.session.expire_all()
    assert first.status == S.DECLINED and first.offer_expires_at is None
    assert second.status == S.OFFERED
    assert second.offer_expires_at == later + timedelta(hours=HOURS)
    assert third.waitlist_position == 1
    assert programme.seats_taken == 2
    [expired] = audit_entries("registration.offer_expire")
    assert (expired.registration_id, expired.from_state, expired.to_state, expired.reason) == (
        first.id,
        "offered",
        "declined",
        "offer expired",
    )
    assert expired.actor_id is None
    assert [m.subject for m in _mail_to(outbox, first.email)] == [
        "The seat offered to you has passed on: Peer Review Process workshop"
    ]
    assert len(_mail_to(outbox, second.email)) == 1
    # A second run at the same moment finds nothing; the new offer is not yet due.
    assert expire_due_offers(later) == 0
    assert offers.expire(first.id, later) is False
    db.session.rollback()
    assert len(audit_entries("registration.offer_expire")) == 1
    assert len(outbox) == 2
    # Accepting the expired offer is refused: it is declined now.
    with pytest.raises(TransitionNotAllowed, match="no seat is offered to you"):
        offers.accept(first, actor=first.user, now=later)
    db.session.rollback()


def test_the_last_offer_expiring_leaves_the_seat_free(db, paris):
    programme, regs = _full(db, paris, waiting=1)
    decisions.withdraw(regs[0], actor=regs[0].user)
    db.session.commit()
    assert expire_due_offers(regs[2].offer_expires_at) == 1
    db.session.expire_all()
    assert regs[2].status == S.DECLINED
    assert programme.seats_taken == 1 and programme.waitlist_length == 0


def test_declining_an_offer_passes_the_seat_on(db, paris, outbox):
    programme, regs = _full(db, paris)
    decisions.withdraw(regs[0], actor=regs[0].user)
    db.session.commit()
    first, second = regs[2], regs[3]
    outbox.clear()
    passed_to = offers.decline(first, actor=first.user)
    db.session.commit()
    assert [r.id for r in passed_to] == [second.id]
    assert first.status == S.WITHDRAWN and second.status == S.OFFERED
    assert programme.seats_taken == 2
    assert {m.to for m in outbox} == {first.email, second.email}
    [entry] = audit_entries("registration.decline_offer")
    assert (entry.from_state, entry.to_state) == ("offered", "withdrawn")


def test_only_the_participant_may_accept_or_decline_their_offer(db, paris, coordinator):
    _programme, regs = _full(db, paris)
    decisions.withdraw(regs[0], actor=regs[0].user)
    db.session.commit()
    first, other = regs[2], regs[3]
    for act in (offers.accept, offers.decline):
        for actor in (other.user, coordinator, None):
            with pytest.raises(PermissionDenied):
                act(first, actor=actor)
            db.session.rollback()
    assert first.status == S.OFFERED


def test_staff_may_confirm_or_decline_an_offered_registration(db, paris, coordinator, outbox):
    programme, regs = _full(db, paris)
    decisions.withdraw(regs[0], actor=regs[0].user)
    decisions.withdraw(regs[1], actor=regs[1].user)
    db.session.commit()
    first, second, third = regs[2], regs[3], regs[4]
    assert (first.status, second.status) == (S.OFFERED, S.OFFERED)
    decisions.confirm(first, actor=coordinator)
    db.session.commit()
    assert first.status == S.CONFIRMED and first.offer_expires_at is None
    assert programme.seats_taken == 2  # the held seat, not another one
    outcome = decisions.decline(second, actor=coordinator, reason="Not a city official.")
    db.session.commit()
    assert second.status == S.DECLINED
    assert [r.id for r in outcome.promoted] == [third.id] and third.status == S.OFFERED


def test_raising_the_capacity_offers_the_new_seats_in_order(db, paris, coordinator):
    programme, regs = _full(db, paris)
    programme.capacity = 4
    offered = decisions.promote_waitlisted(programme, actor=coordinator)
    db.session.commit()
    assert [r.id for r in offered] == [regs[2].id, regs[3].id]
    assert [r.status for r in regs[2:]] == [S.OFFERED, S.OFFERED, S.WAITLISTED]
    assert regs[4].waitlist_position == 1 and programme.seats_taken == 4


def test_without_expiring_offers_a_freed_seat_is_confirmed_at_once(db, paris):
    programme, regs = _full(db, paris, offers_expire=False)
    decisions.withdraw(regs[0], actor=regs[0].user)
    db.session.commit()
    assert regs[2].status == S.CONFIRMED and regs[2].offer_expires_at is None
    assert audit_entries("registration.offer") == []


def test_cancelling_the_programme_cancels_open_offers(db, paris, outbox):
    programme, regs = _full(db, paris)
    decisions.withdraw(regs[0], actor=regs[0].user)
    db.session.commit()
    director = make_staff(paris, "director")
    lifecycle.cancel_programme(programme, "Budget cut", actor=director)
    db.session.commit()
    assert regs[2].status == S.CANCELLED
    assert programme.seats_taken == 0
    assert offers.due(utcnow() + timedelta(days=30)) == []


@pytest.mark.parametrize("command", [["offers", "expire"], ["worker", "--burst"]])
def test_the_command_and_the_worker_pass_expired_offers_on(app, db, paris, outbox, command):
    programme, regs = _full(db, paris)
    decisions.withdraw(regs[0], actor=regs[0].user)
    db.session.commit()
    first, second = regs[2], regs[3]
    first.offer_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 0, result.output
    if command[0] == "offers":
        assert "Expired 1 offer(s)." in result.output
    db.session.expire_all()
    assert (first.status, second.status) == (S.DECLINED, S.OFFERED)
    assert len(audit_entries("registration.offer_expire")) == 1
    assert programme.seats_taken == 2
