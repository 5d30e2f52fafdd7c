"""The enrolment service without HTTP: policies, the seat counter, the transition table,
promotion from the waiting list, answers, audit and emails after commit (real database)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from miti_training.errors import (
    AlreadyRegistered,
    DomainError,
    FieldError,
    PermissionDenied,
    ProgrammeFull,
    RegistrationClosed,
    TransitionNotAllowed,
)
from miti_training.models import (
    EnrolmentPolicy,
    Programme,
    ProgrammeQuestion,
    ProgrammeStatus,
    ProgrammeTranslation,
    QuestionKind,
    Registration,
    RegistrationStatus,
    utcnow,
)
from miti_training.programmes import lifecycle
from miti_training.registrations import (
    answers,
    decisions,
    enrolment,
    invitations,
    offers,
    states,
    window,
)
from tests.support.audit import audit_entries
from tests.support.factories import (
    make_centre,
    make_member_city,
    make_programme,
    make_staff,
    make_user,
)

S = RegistrationStatus
FIRST_COME = EnrolmentPolicy.FIRST_COME
REVIEW = EnrolmentPolicy.REVIEW


# Fixtures and helpers ----------------------------------------------------------------------


@pytest.fixture
def paris(db):
    return make_centre(
        slug="paris",
        name="MITI Paris Île-de-France",
        timezone="Europe/Paris",
        contact_email="miti@paris.example",
    )


@pytest.fixture
def coordinator(paris):
    return make_staff(paris, "coordinator", full_name="Omar Coordinator", email="omar@miti.example")


@pytest.fixture
def director(paris):
    return make_staff(
        paris,
        "director",
        full_name="Claire Directrice",
        email="claire@miti.example",
        preferred_language="fr",
    )


@pytest.fixture(autouse=True)
def _invariants_hold_after_each_test(db):
    """After every scenario: counter == confirmed and offered rows <= capacity; positions 1..n."""
    yield
    db.session.rollback()
    assert_invariants(db)


def assert_invariants(db):
    for programme in db.session.scalars(select(Programme)):
        db.session.refresh(programme)
        # An offered seat is held as a confirmed one is.
        confirmed = _count(db, programme, S.CONFIRMED) + _count(db, programme, S.OFFERED)
        assert programme.seats_taken == confirmed, programme
        assert confirmed <= programme.capacity, programme
        positions = sorted(
            db.session.scalars(
                select(Registration.waitlist_position).where(
                    Registration.programme_id == programme.id,
                    Registration.status == S.WAITLISTED,
                )
            )
        )
        assert positions == list(range(1, len(positions) + 1)), (programme, positions)
        assert programme.waitlist_length == len(positions), programme
        stray = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(
                Registration.programme_id == programme.id,
                Registration.status != S.WAITLISTED,
                Registration.waitlist_position.is_not(None),
            )
        )
        assert stray == 0


def _count(db, programme, status) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.programme_id == programme.id, Registration.status == status)
    )


def _programme(centre, **kw):
    kw.setdefault("title", "Peer Review Process workshop")
    kw.setdefault("capacity", 2)
    return make_programme(centre, **kw)


def _register(programme, user=None, **kw):
    kw.setdefault("answers", {})
    kw.setdefault("consent_data", True)
    kw.setdefault("consent_listing", False)
    if programme.enrolment_policy == REVIEW:
        kw.setdefault("motivation", "Our city is starting a peer review of its governance.")
    return enrolment.register(programme, user or make_user(), **kw)


def _mail_to(outbox, address):
    return [m for m in outbox if m.to == address]


# The table ---------------------------------------------------------------------------------


def test_the_transition_table():
    assert {
        S.APPLIED: {S.CONFIRMED, S.WAITLISTED, S.DECLINED, S.WITHDRAWN, S.CANCELLED},
        S.CONFIRMED: {S.WITHDRAWN, S.DECLINED, S.CANCELLED},
        S.WAITLISTED: {S.CONFIRMED, S.OFFERED, S.DECLINED, S.WITHDRAWN, S.CANCELLED},
        S.OFFERED: {S.CONFIRMED, S.DECLINED, S.WITHDRAWN, S.CANCELLED},
        S.DECLINED: set(),
        S.WITHDRAWN: set(),
        S.CANCELLED: set(),
    } == states.TRANSITIONS
    assert {S.DECLINED, S.WITHDRAWN} == states.REINSTATABLE


def _in_state(db, centre, staff, status, policy=REVIEW):
    """A registration brought into status through the service, on a roomy programme."""
    programme = _programme(centre, capacity=3, enrolment_policy=policy)
    registration = _register(programme)
    if status == S.CONFIRMED and registration.status != S.CONFIRMED:
        decisions.confirm(registration, actor=staff)
    elif status == S.WAITLISTED:
        decisions.waitlist(registration, actor=staff)
    elif status == S.OFFERED:
        programme.offers_expire = True
        decisions.waitlist(registration, actor=staff)
        decisions.promote_waitlisted(programme, actor=staff)
    elif status == S.DECLINED:
        decisions.decline(registration, actor=staff)
    elif status == S.WITHDRAWN:
        decisions.withdraw(registration, actor=registration.user)
    elif status == S.CANCELLED:
        lifecycle.cancel_programme(programme, "Budget cut", actor=staff)
    db.session.commit()
    assert registration.status == status
    return registration


_VERBS = {
    "confirm": (S.CONFIRMED, lambda r, staff: decisions.confirm(r, actor=staff)),
    "waitlist": (S.WAITLISTED, lambda r, staff: decisions.waitlist(r, actor=staff)),
    "decline": (S.DECLINED, lambda r, staff: decisions.decline(r, actor=staff)),
    "withdraw": (S.WITHDRAWN, lambda r, staff: decisions.withdraw(r, actor=r.user)),
    "reinstate": (None, lambda r, staff: decisions.reinstate(r, actor=staff)),
}


@pytest.mark.parametrize("verb", list(_VERBS))
@pytest.mark.parametrize("status", list(S))
def test_every_pair_of_the_table(db, paris, director, outbox, status, verb):
    registration = _in_state(db, paris, director, status)
    outbox.clear()
    target, act = _VERBS[verb]
    allowed = (
        status in states.REINSTATABLE
        if verb == "reinstate"
        else target in states.TRANSITIONS[status]
    )
    before = len(audit_entries(registration_id=registration.id))
    if allowed:
        act(registration, director)
        db.session.commit()
        expected = S.APPLIED if verb == "reinstate" else target  # review policy
        assert registration.status == expected
        entries = audit_entries(registration_id=registration.id)
        assert len(entries) == before + 1
        assert (entries[-1].action, entries[-1].from_state, entries[-1].to_state) == (
            f"registration.{verb}",
            status,
            expected,
        )
        assert [m.to for m in outbox] == [registration.email]
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            act(registration, director)
        message = str(refused.value.message)
        assert message.startswith("This registration is ")
        assert "%(" not in message and "RegistrationStatus" not in message
        db.session.rollback()
        assert registration.status == status
        assert len(audit_entries(registration_id=registration.id)) == before
        assert outbox == []


def test_refusals_say_what_is_wrong_and_what_to_do(db, paris, director):
    declined = _in_state(db, paris, director, S.DECLINED)
    with pytest.raises(TransitionNotAllowed) as refused:
        decisions.confirm(declined, actor=director)
    assert str(refused.value.message) == (
        "This registration is declined; it cannot be confirmed. Reinstate it first."
    )
    db.session.rollback()
    confirmed = _in_state(db, paris, director, S.CONFIRMED)
    with pytest.raises(TransitionNotAllowed, match="This registration is already confirmed."):
        decisions.confirm(confirmed, actor=director)
    db.session.rollback()
    with pytest.raises(
        TransitionNotAllowed,
        match="This registration is confirmed; it cannot be put on the waiting list.",
    ):
        decisions.waitlist(confirmed, actor=director)
    db.session.rollback()
    with pytest.raises(TransitionNotAllowed, match="only a declined or withdrawn registration"):
        decisions.reinstate(confirmed, actor=director)
    db.session.rollback()
    cancelled = _in_state(db, paris, director, S.CANCELLED)
    with pytest.raises(
        TransitionNotAllowed, match="cannot be withdrawn. The programme was cancelled"
    ):
        decisions.withdraw(cancelled, actor=cancelled.user)


#: What each status offers on a published programme with a waiting list, its window open.
STAFF_OFFERS = {
    S.APPLIED: {"confirm", "waitlist", "decline"},
    S.CONFIRMED: {"decline"},
    S.WAITLISTED: {"confirm", "decline", "move"},
    S.OFFERED: {"confirm", "decline"},
    S.DECLINED: {"reinstate"},
    S.WITHDRAWN: {"reinstate"},
    S.CANCELLED: set(),
}
PARTICIPANT_OFFERS = {
    S.APPLIED: {"withdraw", "edit"},
    S.CONFIRMED: {"withdraw", "edit"},
    S.WAITLISTED: {"withdraw"},
    S.OFFERED: {"withdraw", "accept", "decline_offer"},
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
    S.CANCELLED: set(),
}


def _service_for(action, registration, staff):
    user = registration.user
    return {
        "confirm": lambda: decisions.confirm(registration, actor=staff),
        "waitlist": lambda: decisions.waitlist(registration, actor=staff),
        "decline": lambda: decisions.decline(registration, actor=staff),
        "reinstate": lambda: decisions.reinstate(registration, actor=staff),
        "move": lambda: decisions.move_on_waitlist(registration, 1, actor=staff),
        "withdraw": lambda: decisions.withdraw(registration, actor=user),
        "accept": lambda: offers.accept(registration, actor=user),
        "decline_offer": lambda: offers.decline(registration, actor=user),
        "edit": lambda: enrolment.update_answers(
            registration,
            user,
            answers={},
            motivation="Changed my mind about why.",
            accessibility_needs="",
            dietary_needs="",
            consent_listing=True,
        ),
    }[action]


def _accepted(db, action, registration, staff) -> bool:
    """Whether the service takes the action now; nothing it does is kept."""
    savepoint = db.session.begin_nested()
    try:
        _service_for(action, registration, staff)()
    except DomainError:
        return False
    else:
        return True
    finally:
        savepoint.rollback()


@pytest.mark.parametrize("variant", ["usual", "completed", "window-closed", "no-waiting-list"])
@pytest.mark.parametrize("status", list(S))
def test_the_actions_offered_are_the_ones_the_services_accept(db, paris, director, status, variant):
    registration = _in_state(db, paris, director, status)
    programme = registration.programme
    if variant == "completed" and programme.status == ProgrammeStatus.PUBLISHED:
        programme.status = ProgrammeStatus.COMPLETED
    elif variant == "window-closed":
        programme.registration_closes_at = utcnow() - timedelta(minutes=1)
    elif variant == "no-waiting-list":
        programme.is_waitlist_enabled = False
    db.session.commit()
    offered_to_staff = states.staff_actions(registration)
    offered_to_participant = states.participant_actions(registration)
    if variant == "usual":
        assert offered_to_staff == STAFF_OFFERS[status]
        assert offered_to_participant == PARTICIPANT_OFFERS[status]
    for action in states.STAFF_ACTIONS:
        accepted = _accepted(db, action, registration, director)
        assert (action in offered_to_staff) == accepted, action
    for action in states.PARTICIPANT_ACTIONS:
        accepted = _accepted(db, action, registration, director)
        assert (action in offered_to_participant) == accepted, action


def test_allows_reads_the_transition_table():
    for status in S:
        allowed = states.TRANSITIONS[status]
        assert states.allows(status, "confirm") == (S.CONFIRMED in allowed)
        assert states.allows(status, "waitlist") == (S.WAITLISTED in allowed)
        assert states.allows(status, "decline") == (S.DECLINED in allowed)
        assert states.allows(status, "withdraw") == (S.WITHDRAWN in allowed)
        assert states.allows(status, "reinstate") == (status in states.REINSTATABLE)
        assert states.allows(status, "move") == (status == S.WAITLISTED)
        assert states.allows(status, "edit") == (status in {S.APPLIED, S.CONFIRMED})


# Policies ----------------------------------------------------------------------------------


def test_first_come_confirms_while_seats_are_free_then_waitlists(db, paris, outbox):
    programme = _programme(paris, capacity=2)
    people = [make_user() for _ in range(4)]
    registrations = [_register(programme, person) for person in people]
    assert outbox == []  # nothing leaves before the commit
    db.session.commit()
    assert [r.status for r in registrations] == [
        S.CONFIRMED,
        S.CONFIRMED,
        S.WAITLISTED,
        S.WAITLISTED,
    ]
    assert [r.waitlist_position for r in registrations] == [None, None, 1, 2]
    assert programme.seats_taken == 2
    subjects = {m.to: m.subject for m in outbox}
    assert subjects[people[0].email] == "Your place is confirmed: Peer Review Process workshop"
    assert subjects[people[2].email] == "You are on the waiting list: Peer Review Process workshop"
    assert "in position 2" in _mail_to(outbox, people[3].email)[0].body


def test_first_come_without_waiting_list_refuses_when_full(db, paris, outbox):
    programme = _programme(paris, capacity=1, is_waitlist_enabled=False)
    _register(programme)
    late = make_user()
    with pytest.raises(ProgrammeFull, match="This programme is full and has no waiting list."):
        _register(programme, late)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
    assert _mail_to(outbox, late.email) == []


def test_review_records_an_application_that_takes_no_seat_and_tells_the_centre(
    db, paris, coordinator, director, outbox
):
    other_centre = make_centre()
    make_staff(other_centre, "coordinator", email="elsewhere@miti.example")
    make_staff(paris, "coordinator", email="disabled@miti.example", is_enabled=False)
    programme = _programme(paris, enrolment_policy=REVIEW)
    programme.translations.append(ProgrammeTranslation(language="fr", title="Atelier Peer Review"))
    city = make_member_city(name="Guangzhou", country="China")
    applicant = make_user(full_name="Li Wei", member_city=city, job_title="Transport planner")
    registration = _register(programme, applicant, motivation="We plan a BRT line.")
    db.session.commit()
    assert registration.status == S.APPLIED and programme.seats_taken == 0
    assert (registration.full_name, registration.organisation, registration.country) == (
        "Li Wei",
        "Guangzhou",
        "China",
    )
    assert registration.job_title == "Transport planner" and registration.email == applicant.email
    assert registration.consent_data_at is not None and registration.consent_listing_at is None
    assert sorted(m.to for m in outbox) == sorted(
        [applicant.email, "claire@miti.example", "omar@miti.example"]
    )
    [mine] = _mail_to(outbox, applicant.email)
    assert mine.subject == "Application received: Peer Review Process workshop"
    [english] = _mail_to(outbox, "omar@miti.example")
    assert english.subject == "New application: Peer Review Process workshop"
    assert "Li Wei (Guangzhou) has applied" in english.body
    [french] = _mail_to(outbox, "claire@miti.example")
    assert french.locale == "fr" and "Atelier Peer Review" in french.subject


def test_review_needs_a_motivation(db, paris):
    programme = _programme(paris, enrolment_policy=REVIEW)
    with pytest.raises(FieldError) as refused:
        _register(programme, motivation="   ")
    assert refused.value.field == "motivation"


def test_emails_show_the_dates_in_the_centre_zone_and_the_recipients_language(db, paris, outbox):
    programme = _programme(paris)
    programme.translations.append(ProgrammeTranslation(language="fr", title="Atelier Peer Review"))
    user = make_user(preferred_language="fr", full_name="Amélie Durand")
    _register(programme, user)
    db.session.commit()
    [message] = outbox
    assert message.locale == "fr"
    assert "Atelier Peer Review" in message.subject and "Bonjour" not in message.subject
    assert "(Paris)" in message.body and "Europe/Paris" not in message.body
    assert str(programme.starts_on.year) in message.body
    assert "MITI Paris Île-de-France" in message.body


# Who may register, and when ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": ProgrammeStatus.DRAFT}, "not published yet"),
        ({"status": ProgrammeStatus.CANCELLED}, "has been cancelled"),
        ({"status": ProgrammeStatus.COMPLETED}, "already taken place"),
        ({"registration_opens_at": utcnow() + timedelta(days=2)}, "not open yet: it opens on"),
        ({"registration_closes_at": utcnow() - timedelta(minutes=1)}, "Registration closed on"),
    ],
)
def test_outside_the_window_or_unpublished_is_refused_with_the_reason(
    db, paris, outbox, change, message
):
    programme = _programme(paris)
    for name, value in change.items():
        setattr(programme, name, value)
    db.session.flush()
    with pytest.raises(RegistrationClosed, match=message):
        _register(programme)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert outbox == []


def test_the_window_is_opens_inclusive_closes_exclusive(db, paris):
    programme = _programme(paris)
    now = utcnow()
    programme.registration_opens_at = now
    programme.registration_closes_at = now + timedelta(hours=1)
    window.check_window(programme, now)
    with pytest.raises(RegistrationClosed):
        window.check_window(programme, now + timedelta(hours=1))
    with pytest.raises(RegistrationClosed):
        window.check_window(programme, now - timedelta(seconds=1))


def test_deactivated_accounts_and_missing_consent_are_refused(db, paris):
    programme = _programme(paris)
    with pytest.raises(DomainError, match="Your account is deactivated"):
        _register(programme, make_user(is_enabled=False))
    with pytest.raises(FieldError) as refused:
        _register(programme, consent_data=False)
    assert refused.value.field == "consent_data"
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_consent_to_the_listing_is_recorded_with_its_time(db, paris):
    registration = _register(_programme(paris), consent_listing=True)
    assert registration.consent_listing_at is not None
    assert registration.consent_data_at is not None


# One registration per person ---------------------------------------------------------------


def test_a_second_registration_gets_the_existing_one(db, paris):
    programme = _programme(paris, capacity=1)
    user = make_user()
    first = _register(programme, user)
    db.session.commit()
    with pytest.raises(AlreadyRegistered, match="your place is confirmed") as refused:
        _register(programme, user)
    assert refused.value.registration.id == first.id
    waiting = make_user()
    _register(programme, waiting)
    with pytest.raises(AlreadyRegistered, match=r"waiting list of this programme \(position 1\)"):
        _register(programme, waiting)


def test_the_unique_constraint_is_translated_when_the_check_misses(db, paris, monkeypatch):
    """Two requests of one person: the second passed the check before the first inserted."""
    programme = _programme(paris)
    user = make_user()
    first = _register(programme, user)
    db.session.commit()
    real_existing = enrolment.existing_registration
    calls = []

    def missed_once(programme, user):
        calls.append(1)
        return None if len(calls) == 1 else real_existing(programme, user)

    monkeypatch.setattr(enrolment, "existing_registration", missed_once)
    with pytest.raises(AlreadyRegistered) as refused:
        _register(programme, user)
    assert refused.value.registration.id == first.id
    # The savepoint kept the transaction usable and nothing leaked: no second seat taken.
    db.session.commit()
    assert programme.seats_taken == 1
    assert _count(db, programme, S.CONFIRMED) == 1


def test_withdrawn_participant_may_register_again(db, paris, outbox):
    programme = _programme(paris)
    user = make_user()
    registration = _register(programme, user)
    decisions.withdraw(registration, actor=user)
    again = _register(programme, user, dietary_needs="Vegetarian")
    db.session.commit()
    assert again.id == registration.id and again.status == S.CONFIRMED
    assert again.dietary_needs == "Vegetarian"
    [entry] = audit_entries("registration.register", from_state="withdrawn")
    assert entry.reason == "registered again after withdrawing"


def test_declined_participant_cannot_register_again(db, paris, director):
    programme = _programme(paris, enrolment_policy=REVIEW)
    user = make_user()
    decisions.decline(_register(programme, user), actor=director)
    with pytest.raises(AlreadyRegistered, match="was declined; contact the centre"):
        _register(programme, user)


# Answers -----------------------------------------------------------------------------------


def _questions(programme):
    spec = [
        (QuestionKind.SHORT_TEXT, "Your department", True, []),
        (QuestionKind.LONG_TEXT, "A policy of your city you will present", False, []),
        (QuestionKind.SINGLE_CHOICE, "Arrival", True, ["Sunday", "Monday"]),
        (QuestionKind.MULTIPLE_CHOICE, "Site visits", False, ["Metro", "Water plant", "City hall"]),
        (QuestionKind.YES_NO, "Do you need a visa letter?", True, []),
    ]
    questions = []
    for position, (kind, label, required, choices) in enumerate(spec):
        question = ProgrammeQuestion(
            kind=kind, label=label, is_required=required, choices=choices, position=position
        )
        programme.questions.append(question)
        questions.append(question)
    db_flush()
    return [answers.answer_key(q) for q in questions]


def db_flush():
    from miti_training.extensions import db

    db.session.flush()


def test_answers_are_checked_and_cleaned(db, paris):
    programme = _programme(paris)
    dept, policy, arrival, visits, visa = _questions(programme)
    cleaned = answers.validate_answers(
        programme,
        {
            dept: "  Mobility\r\nand transport ",
            policy: "",
            arrival: "Monday",
            visits: ["City hall", "Metro"],
            visa: "yes",
            "q999999": "ignored",
        },
    )
    assert cleaned == {
        dept: "Mobility and transport",
        arrival: "Monday",
        visits: ["Metro", "City hall"],
        visa: "yes",
    }
    registration = _register(programme, answers={dept: "Planning", arrival: "Sunday", visa: False})
    assert registration.answers == {dept: "Planning", arrival: "Sunday", visa: "no"}


@pytest.mark.parametrize(
    ("which", "value", "message"),
    [
        (0, "", "required"),
        (0, "x" * 301, "at most 300"),
        (2, "Tuesday", "Choose one of the options"),
        (3, ["Metro", "Zoo"], "only among the options"),
        (4, "maybe", "yes or no"),
        (4, None, "required"),
    ],
)
def test_wrong_answers_name_the_question(db, paris, which, value, message):
    programme = _programme(paris)
    keys = _questions(programme)
    answers = {keys[0]: "Planning", keys[2]: "Sunday", keys[4]: "no"}
    answers[keys[which]] = value
    with pytest.raises(FieldError, match=message) as refused:
        _register(programme, answers=answers)
    assert refused.value.field == keys[which]


def test_participant_changes_answers_while_applied_or_confirmed(db, paris, director):
    programme = _programme(paris, enrolment_policy=REVIEW)
    user = make_user()
    registration = _register(programme, user)
    enrolment.update_answers(
        registration,
        user,
        answers={},
        motivation="A better reason.",
        accessibility_needs="Step-free access",
        dietary_needs="",
        consent_listing=True,
    )
    db.session.commit()
    assert registration.motivation == "A better reason."
    assert registration.consent_listing_at is not None
    [entry] = audit_entries("registration.update")
    assert "motivation" in entry.reason and "consent_listing" in entry.reason
    with pytest.raises(PermissionDenied):
        enrolment.update_answers(
            registration,
            make_user(),
            answers={},
            motivation="x",
            accessibility_needs="",
            dietary_needs="",
            consent_listing=False,
        )
    decisions.waitlist(registration, actor=director)
    with pytest.raises(DomainError, match="only while it is applied or confirmed"):
        enrolment.update_answers(
            registration,
            user,
            answers={},
            motivation="x",
            accessibility_needs="",
            dietary_needs="",
            consent_listing=False,
        )


def test_answers_cannot_change_after_the_window(db, paris):
    programme = _programme(paris)
    user = make_user()
    registration = _register(programme, user)
    programme.registration_closes_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(RegistrationClosed, match="can no longer be changed"):
        enrolment.update_answers(
            registration,
            user,
            answers={},
            motivation="",
            accessibility_needs="",
            dietary_needs="",
            consent_listing=False,
        )


# Seats, promotion, positions --------------------------------------------------------------


def _full_programme_with_waiting_list(db, paris, waiting=3, policy=FIRST_COME):
    programme = _programme(paris, capacity=2, enrolment_policy=policy)
    people = [make_user(full_name=f"Official {i}") for i in range(2 + waiting)]
    registrations = [_register(programme, p) for p in people]
    db.session.commit()
    return programme, registrations


@pytest.mark.parametrize("how", ["withdraw", "decline"])
def test_a_freed_seat_goes_to_the_first_waitlisted_and_both_get_an_email(
    db, paris, coordinator, outbox, how
):
    programme, regs = _full_programme_with_waiting_list(db, paris)
    outbox.clear()
    leaving, first, second, third = regs[0], regs[2], regs[3], regs[4]
    if how == "withdraw":
        decisions.withdraw(leaving, actor=leaving.user)
    else:
        decisions.decline(leaving, actor=coordinator, reason="Not a city official.")
    assert outbox == []
    db.session.commit()
    assert leaving.status == (S.WITHDRAWN if how == "withdraw" else S.DECLINED)
    assert first.status == S.CONFIRMED and first.waitlist_position is None
    assert (second.waitlist_position, third.waitlist_position) == (1, 2)
    assert programme.seats_taken == 2
    assert sorted(m.to for m in outbox) == sorted([leaving.email, first.email])
    [promoted] = _mail_to(outbox, first.email)
    assert promoted.subject == "A place is yours: Peer Review Process workshop"
    assert "first on the waiting list" in promoted.body
    [left] = _mail_to(outbox, leaving.email)
    if how == "decline":
        assert "Not a city official." in left.body
    [entry] = audit_entries("registration.promote")
    assert (entry.registration_id, entry.from_state, entry.to_state) == (
        first.id,
        "waitlisted",
        "confirmed",
    )


def test_leaving_the_waiting_list_closes_the_gap(db, paris, coordinator):
    programme, regs = _full_programme_with_waiting_list(db, paris, waiting=4)
    waiting = regs[2:]
    decisions.withdraw(waiting[1], actor=waiting[1].user)
    decisions.decline(waiting[0], actor=coordinator)
    db.session.commit()
    assert [r.waitlist_position for r in waiting] == [None, None, 1, 2]
    assert programme.seats_taken == 2


def test_move_on_the_waiting_list(db, paris, coordinator):
    programme, regs = _full_programme_with_waiting_list(db, paris, waiting=4)
    a, b, c, d = regs[2:]
    decisions.move_on_waitlist(d, 1, actor=coordinator)
    db.session.commit()
    assert [r.waitlist_position for r in (a, b, c, d)] == [2, 3, 4, 1]
    decisions.move_on_waitlist(d, 99, actor=coordinator)  # past the end: the end
    db.session.commit()
    assert [r.waitlist_position for r in (a, b, c, d)] == [1, 2, 3, 4]
    decisions.move_on_waitlist(a, 3, actor=coordinator)
    db.session.commit()
    assert [r.waitlist_position for r in (a, b, c, d)] == [3, 1, 2, 4]
    [entry, *_] = audit_entries("registration.move")
    assert entry.reason == "position 4 -> 1"
    with pytest.raises(TransitionNotAllowed, match="only registrations on the waiting list"):
        decisions.move_on_waitlist(regs[0], 1, actor=coordinator)
    # The next freed seat follows the new order.
    decisions.withdraw(regs[0], actor=regs[0].user)
    db.session.commit()
    assert b.status == S.CONFIRMED


def test_confirm_takes_a_seat_or_says_none_is_free(db, paris, coordinator, outbox):
    programme = _programme(paris, capacity=1, enrolment_policy=REVIEW)
    first, second = _register(programme), _register(programme)
    db.session.commit()
    outbox.clear()
    decisions.confirm(first, actor=coordinator, reason="Welcome!")
    db.session.commit()
    assert first.status == S.CONFIRMED and programme.seats_taken == 1
    assert first.decided_by_id == coordinator.id and first.decided_at is not None
    assert "Welcome!" in _mail_to(outbox, first.email)[0].body
    with pytest.raises(
        ProgrammeFull, match="No seat is free; waitlist the application or free a seat first."
    ):
        decisions.confirm(second, actor=coordinator)
    db.session.rollback()
    decisions.waitlist(second, actor=coordinator)
    db.session.commit()
    assert second.waitlist_position == 1
    # Under review too, a freed seat goes to the first waitlisted.
    decisions.decline(first, actor=coordinator)
    db.session.commit()
    assert second.status == S.CONFIRMED and programme.seats_taken == 1


def test_confirming_from_the_waiting_list_closes_the_gap(db, paris, coordinator):
    programme = _programme(paris, capacity=1, enrolment_policy=REVIEW)
    regs = [_register(programme) for _ in range(3)]
    for r in regs:
        decisions.waitlist(r, actor=coordinator)
    decisions.confirm(regs[1], actor=coordinator)
    db.session.commit()
    assert [r.waitlist_position for r in regs] == [1, None, 2]
    assert regs[1].status == S.CONFIRMED


def test_waitlisting_needs_a_waiting_list(db, paris, coordinator):
    programme = _programme(paris, enrolment_policy=REVIEW, is_waitlist_enabled=False)
    with pytest.raises(DomainError, match="has no waiting list"):
        decisions.waitlist(_register(programme), actor=coordinator)


@pytest.mark.parametrize("policy", [FIRST_COME, REVIEW])
def test_reinstate_follows_the_policy(db, paris, coordinator, outbox, policy):
    programme = _programme(paris, capacity=1, enrolment_policy=policy)
    first, second = _register(programme), _register(programme)
    if policy == REVIEW:
        decisions.confirm(first, actor=coordinator)
    decisions.decline(second, actor=coordinator)
    db.session.commit()
    decisions.reinstate(second, actor=coordinator)
    db.session.commit()
    if policy == REVIEW:
        assert second.status == S.APPLIED
        assert "reinstated" in _mail_to(outbox, second.email)[-1].body
        return
    assert second.status == S.WAITLISTED and second.waitlist_position == 1
    decisions.withdraw(first, actor=first.user)
    decisions.decline(second, actor=coordinator)  # the promoted one leaves again
    db.session.commit()
    assert programme.seats_taken == 0
    decisions.reinstate(second, actor=coordinator)
    db.session.commit()
    assert second.status == S.CONFIRMED and programme.seats_taken == 1


def test_reinstate_when_full_without_waiting_list(db, paris, coordinator):
    programme = _programme(paris, capacity=1, is_waitlist_enabled=False)
    first = _register(programme)
    decisions.withdraw(first, actor=first.user)
    _register(programme)
    with pytest.raises(ProgrammeFull, match="full and has no waiting list"):
        decisions.reinstate(first, actor=coordinator)


def test_raising_the_capacity_then_promote_fills_the_seats(db, paris, coordinator):
    programme, regs = _full_programme_with_waiting_list(db, paris, waiting=3)
    programme.capacity = 4
    promoted = decisions.promote_waitlisted(programme, actor=coordinator)
    db.session.commit()
    assert [r.id for r in promoted] == [regs[2].id, regs[3].id]
    assert regs[4].waitlist_position == 1 and programme.seats_taken == 4


# Permissions -------------------------------------------------------------------------------


def test_staff_actions_need_a_role_in_the_centre(db, paris):
    programme = _programme(paris, enrolment_policy=REVIEW)
    registration = _register(programme)
    other_centre_staff = make_staff(make_centre(), "director")
    actions = (
        lambda actor: decisions.confirm(registration, actor=actor),
        lambda actor: decisions.waitlist(registration, actor=actor),
        lambda actor: decisions.decline(registration, actor=actor),
        lambda actor: invitations.register_on_behalf(programme, "x@y.example", actor=actor),
    )
    for actor in (registration.user, make_user(), other_centre_staff):
        for act in actions:
            with pytest.raises(PermissionDenied):
                act(actor)
    with pytest.raises(PermissionDenied):
        decisions.withdraw(registration, actor=make_user())
    admin = make_user(is_admin=True)
    decisions.confirm(registration, actor=admin)


def test_staff_may_withdraw_for_the_participant(db, paris, coordinator, outbox):
    registration = _register(_programme(paris))
    decisions.withdraw(registration, actor=coordinator)
    db.session.commit()
    assert registration.decided_by_id == coordinator.id
    [entry] = audit_entries("registration.withdraw")
    assert entry.actor_id == coordinator.id and entry.reason == "withdrawn by staff"
    assert "The centre has withdrawn" in _mail_to(outbox, registration.email)[-1].body


def test_a_completed_programme_keeps_its_registrations(db, paris, coordinator):
    programme = _programme(paris)
    registration = _register(programme)
    programme.status = ProgrammeStatus.COMPLETED
    with pytest.raises(DomainError, match="completed; its registrations can no longer be changed"):
        decisions.withdraw(registration, actor=registration.user)


# Audit and mail after commit -------------------------------------------------------------


def test_every_change_is_audited_with_who_from_to_and_reason(db, paris, coordinator):
    programme = _programme(paris, enrolment_policy=REVIEW)
    registration = _register(programme)
    decisions.waitlist(registration, actor=coordinator, reason="Waiting for the budget.")
    decisions.confirm(registration, actor=coordinator)
    decisions.withdraw(registration, actor=registration.user)
    db.session.commit()
    entries = audit_entries(registration_id=registration.id)
    assert [(e.action, e.from_state, e.to_state) for e in entries] == [
        ("registration.register", "", "applied"),
        ("registration.waitlist", "applied", "waitlisted"),
        ("registration.confirm", "waitlisted", "confirmed"),
        ("registration.withdraw", "confirmed", "withdrawn"),
    ]
    assert entries[1].reason == "Waiting for the budget."
    assert [e.actor_id for e in entries] == [
        registration.user_id,
        coordinator.id,
        coordinator.id,
        registration.user_id,
    ]
    assert all(
        e.centre_id == paris.id
        and e.programme_id == programme.id
        and e.subject_user_id == registration.user_id
        for e in entries
    )


def test_no_mail_and_no_change_when_the_transaction_rolls_back(db, paris, coordinator, outbox):
    programme, regs = _full_programme_with_waiting_list(db, paris, waiting=1)
    outbox.clear()
    _register(programme)
    decisions.withdraw(regs[0], actor=regs[0].user)  # would promote regs[2] and email both
    db.session.rollback()
    db.session.commit()
    assert outbox == []
    assert regs[0].status == S.CONFIRMED and regs[2].status == S.WAITLISTED
    assert audit_entries("registration.withdraw") == []


# Cancellation and staff registrations -------------------------------------------------------


def test_cancel_for_programme_only_after_the_programme_is_cancelled(db, paris, director):
    programme = _programme(paris)
    _register(programme)
    with pytest.raises(DomainError, match="only when the programme is cancelled"):
        decisions.cancel_for_programme(programme, actor=director, reason="x")
    cancelled = lifecycle.cancel_programme(programme, "The venue is closed.", actor=director)
    db.session.commit()
    assert [r.status for r in cancelled] == [S.CANCELLED]
    assert programme.seats_taken == 0


def test_an_invited_address_hears_of_the_cancellation_in_a_language_of_the_programme(
    db, paris, coordinator, director, outbox
):
    """The same language rule as every other email: the programme's first working language."""
    programme = _programme(paris, languages="fr,en")
    programme.translations.append(ProgrammeTranslation(language="fr", title="Atelier Peer Review"))
    invitations.register_on_behalf(programme, "budi@surabaya.example", actor=coordinator)
    db.session.commit()
    [invitation] = outbox
    outbox.clear()
    lifecycle.cancel_programme(programme, "The venue is closed.", actor=director)
    db.session.commit()
    [cancelled] = _mail_to(outbox, "budi@surabaya.example")
    assert cancelled.locale == invitation.locale == "fr"
    assert cancelled.subject.endswith("Atelier Peer Review")
    assert "The venue is closed." in cancelled.body


def test_staff_register_an_existing_account_without_recording_consent(
    db, paris, coordinator, outbox
):
    programme = _programme(paris, capacity=1)
    user = make_user(email="li.wei@guangzhou.example")
    registration = invitations.register_on_behalf(
        programme, " Li.Wei@Guangzhou.example ", actor=coordinator
    )
    db.session.commit()
    assert registration.user_id == user.id and registration.status == S.CONFIRMED
    assert registration.consent_data_at is None and registration.consent_listing_at is None
    assert registration.decided_by_id == coordinator.id
    [entry] = audit_entries("registration.register")
    assert entry.reason == "registered by staff" and entry.actor_id == coordinator.id
    assert "The centre has registered you" in _mail_to(outbox, user.email)[0].body
    with pytest.raises(AlreadyRegistered) as refused:
        invitations.register_on_behalf(programme, user.email, actor=coordinator)
    assert refused.value.registration.id == registration.id
    with pytest.raises(FieldError):
        invitations.register_on_behalf(programme, "not an address", actor=coordinator)


def test_unknown_address_gets_an_invitation_and_sign_up_attaches_it(db, paris, coordinator, outbox):
    programme = _programme(paris, capacity=1)
    registration = invitations.register_on_behalf(
        programme, "budi@surabaya.example", actor=coordinator
    )
    db.session.commit()
    assert registration.user_id is None and registration.status == S.APPLIED
    assert registration.email == "budi@surabaya.example" and programme.seats_taken == 0
    [invitation] = outbox
    assert invitation.to == "budi@surabaya.example"
    assert "/account/signup" in invitation.body
    assert audit_entries("registration.invite")[0].reason.startswith("registered by staff")
    with pytest.raises(AlreadyRegistered, match="already been invited"):
        invitations.register_on_behalf(programme, "BUDI@surabaya.example", actor=coordinator)
    db.session.rollback()

    # Every account is confirmed: none exists before its address is proven.
    budi = make_user(email="budi@surabaya.example", full_name="Budi Santoso")
    [attached] = invitations.attach_invitations(budi)
    db.session.commit()
    assert attached.id == registration.id and attached.user_id == budi.id
    assert attached.full_name == "Budi Santoso"
    assert attached.status == S.CONFIRMED and programme.seats_taken == 1  # first_come: seated
    assert audit_entries("registration.attach")[0].to_state == "confirmed"


def test_an_invitation_for_someone_who_registered_meanwhile_is_merged(db, paris, coordinator):
    programme = _programme(paris)
    invitations.register_on_behalf(programme, "amelie@lyon.example", actor=coordinator)
    amelie = make_user(email="amelie@lyon.example")
    own = _register(programme, amelie)
    assert invitations.attach_invitations(amelie) == []
    db.session.commit()
    assert db.session.scalars(select(Registration.id)).all() == [own.id]


def test_staff_registration_respects_the_window(db, paris, coordinator):
    programme = _programme(paris, registration_closes_at=utcnow() - timedelta(hours=1))
    with pytest.raises(RegistrationClosed):
        invitations.register_on_behalf(programme, "late@city.example", actor=coordinator)


def test_the_seat_counter_cannot_be_pushed_past_capacity(db, paris):
    """The database's CHECK is the last line of defence behind the conditional UPDATE."""
    programme = _programme(paris, capacity=1)
    db.session.commit()
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        db.session.execute(
            update(Programme).where(Programme.id == programme.id).values(seats_taken=2)
        )
    db.session.rollback()
