"""The registration window gives the same verdict on cards, in the catalogue's SQL filter, in
the service and on the register page, at every edge of the window."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from miti_training.errors import DomainError
from miti_training.extensions import db as _db
from miti_training.models import (
    EnrolmentPolicy,
    ProgrammeStatus,
    Registration,
    utcnow,
)
from miti_training.programmes import catalogue
from miti_training.registrations import enrolment, window
from miti_training.registrations.window import RegistrationState
from tests.support.factories import make_centre, make_programme, make_user
from tests.support.nominations import make_nomination
from tests.support.pages import flashes, follow, text_of

SECOND = timedelta(seconds=1)


@pytest.fixture
def now(monkeypatch):
    """The moment every verdict is asked about; the window's clock reads it, for the service
    and the page as for the other two (whole seconds: every database keeps them)."""
    moment = utcnow().replace(microsecond=0) + timedelta(minutes=5)
    monkeypatch.setattr(window, "utcnow", lambda: moment)
    return moment


#: Each case: how the programme differs at now, and its state then.
WINDOW_CASES = {
    "before-opening": (lambda now: {"registration_opens_at": now + SECOND}, "not_open_yet"),
    "opening-instant": (lambda now: {"registration_opens_at": now}, "open"),
    "open-with-seats": (lambda now: {}, "open"),
    "full-with-waiting-list": (
        lambda now: {"capacity": 1, "seats_taken": 1, "is_waitlist_enabled": True},
        "waitlist",
    ),
    "full-without": (
        lambda now: {"capacity": 1, "seats_taken": 1, "is_waitlist_enabled": False},
        "full",
    ),
    "closing-instant": (lambda now: {"registration_closes_at": now}, "closed"),
    "after-closing": (lambda now: {"registration_closes_at": now - SECOND}, "closed"),
    "draft": (lambda now: {"status": ProgrammeStatus.DRAFT}, "draft"),
    "cancelled": (lambda now: {"status": ProgrammeStatus.CANCELLED}, "cancelled"),
    "completed": (lambda now: {"status": ProgrammeStatus.COMPLETED}, "completed"),
}


def _in_open_now_filter(programme, now) -> bool:
    query = catalogue.filtered_programmes(catalogue.CatalogueFilters(open_now=True), now=now)
    return programme.id in {p.id for p in _db.session.scalars(query)}


def _page_verdict(client, programme) -> tuple[bool, str]:
    """(the form is shown, the refusal flashed otherwise) for a GET of the register page."""
    response = client.get(f"/programmes/{programme.slug}/register")
    if response.status_code == 404:  # a draft has no public page at all
        return False, ""
    if response.status_code == 200:
        assert 'name="submitted"' in text_of(response)
        return True, ""
    assert response.headers["Location"] == f"/programmes/{programme.slug}"
    [(category, message)] = flashes(follow(client, response))
    assert category == "error"
    return False, message


def _service_verdict(programme, user) -> tuple[bool, str]:
    try:
        enrolment.register(
            programme,
            user,
            answers={},
            motivation="Our city needs this.",
            consent_data=True,
            consent_listing=False,
        )
    except DomainError as refused:
        _db.session.rollback()
        return False, str(refused.message)
    _db.session.commit()
    return True, ""


@pytest.mark.parametrize("policy", list(EnrolmentPolicy))
@pytest.mark.parametrize("case", list(WINDOW_CASES))
def test_every_place_gives_the_same_verdict(now, client, login, db, case, policy):
    change, expected = WINDOW_CASES[case]
    kw = {
        "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": now + timedelta(days=1),
        "enrolment_policy": policy,
    }
    programme = make_programme(make_centre(timezone="Asia/Seoul"), **(kw | change(now)))
    user = make_user()
    if policy == EnrolmentPolicy.NOMINATION:
        make_nomination(programme, user)  # only nominated officials apply
    login(user)
    client.get("/")  # the welcome message, so the page's flash is the only one

    state, _moment = window.registration_state(programme, now)
    assert state == RegistrationState(expected)
    takes = state.takes_registrations
    assert window.registration_state(programme)[0] == state  # the pinned clock is the one read

    assert _in_open_now_filter(programme, now) == takes
    shown, page_refusal = _page_verdict(client, programme)
    assert shown == takes
    accepted, service_refusal = _service_verdict(programme, user)
    assert accepted == takes
    if page_refusal:  # the page's early refusal is the service's, word for word
        assert page_refusal == service_refusal


def test_check_window_lets_a_full_programme_through_and_check_open_does_not(db):
    now = utcnow()
    full = make_programme(
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=1),
        capacity=1,
        seats_taken=1,
        is_waitlist_enabled=False,
    )
    window.check_window(full, now)  # answers can still be changed
    with pytest.raises(DomainError, match="full and has no waiting list"):
        window.check_open(full, now)
    with pytest.raises(DomainError, match="Registration closed on"):
        window.check_window(full, now + timedelta(days=1))


def test_a_full_review_programme_without_waiting_list_takes_no_application(db):
    """Cards say "Full" and the page refuses: the service now refuses the same way."""
    programme = make_programme(
        enrolment_policy=EnrolmentPolicy.REVIEW,
        capacity=1,
        seats_taken=1,
        is_waitlist_enabled=False,
    )
    accepted, refusal = _service_verdict(programme, make_user())
    assert not accepted and refusal == "This programme is full and has no waiting list."
    assert db.session.scalars(select(Registration)).all() == []
