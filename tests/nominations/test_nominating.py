"""Nominating and withdrawing through the services: the window, the city, the allocation,
the emails, and applying on a nomination."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from miti_training.errors import (
    AllocationUsedUp,
    DomainError,
    FieldError,
    NominationClosed,
    NotNominated,
    PermissionDenied,
)
from miti_training.extensions import db as _db
from miti_training.models import (
    CityAllocation,
    Nomination,
    NominationStatus,
    ProgrammeStatus,
    RegistrationStatus,
    utcnow,
)
from miti_training.nominations import nominating, withdrawing
from miti_training.nominations.window import NominationState, nomination_state
from miti_training.registrations import decisions, enrolment
from tests.support.factories import make_staff, make_user


def _allocation(programme, city) -> CityAllocation:
    _db.session.expire_all()
    return _db.session.scalar(
        select(CityAllocation).where(
            CityAllocation.programme_id == programme.id, CityAllocation.member_city_id == city.id
        )
    )


def _apply(programme, user):
    return enrolment.register(
        programme,
        user,
        answers={},
        motivation="Our city is reforming its peer reviews.",
        consent_data=True,
        consent_listing=False,
    )


def test_a_focal_point_nominates_an_official_of_their_city(programme, focal, cairo, outbox):
    official = make_user(member_city=cairo, preferred_language="fr")
    nominated = nominating.nominate(programme, official.email.upper(), actor=focal)
    _db.session.commit()
    nomination = nominated.nomination
    assert not nominated.invited
    assert nomination.status == NominationStatus.NOMINATED
    assert nomination.user_id == official.id and nomination.token_hash is None
    assert (_allocation(programme, cairo).places, _allocation(programme, cairo).taken) == (2, 1)
    (message,) = outbox
    assert message.to == official.email and message.locale == "fr"
    assert f"/programmes/{programme.slug}/register" in message.body


def test_only_officials_of_the_own_city(programme, focal, tehran):
    stranger = make_user(member_city=tehran)
    with pytest.raises(FieldError, match="not an official of your city"):
        nominating.nominate(programme, stranger.email, actor=focal)


def test_someone_who_is_not_a_focal_point_cannot_nominate(programme, cairo):
    with pytest.raises(PermissionDenied):
        nominating.nominate(programme, make_user(member_city=cairo).email, actor=make_user())


@pytest.mark.parametrize(
    ("opens", "closes", "state", "words"),
    [
        (1, 5, NominationState.NOT_OPEN_YET, "not open yet"),
        (-5, -1, NominationState.CLOSED, "closed on"),
        (-1, 1, NominationState.OPEN, ""),
        (None, None, NominationState.OPEN, ""),
    ],
)
def test_the_window(programme, focal, cairo, opens, closes, state, words):
    now = utcnow()
    programme.nomination_opens_at = now + timedelta(days=opens) if opens is not None else None
    programme.nomination_closes_at = now + timedelta(days=closes) if closes is not None else None
    assert nomination_state(programme) == state
    official = make_user(member_city=cairo)
    if state == NominationState.OPEN:
        nominating.nominate(programme, official.email, actor=focal)
    else:
        with pytest.raises(NominationClosed, match=words):
            nominating.nominate(programme, official.email, actor=focal)
        assert _allocation(programme, cairo) is None


def test_a_closing_time_is_said_in_the_centres_zone(programme, focal, cairo):
    programme.nomination_opens_at = utcnow() - timedelta(days=3)
    programme.nomination_closes_at = utcnow().replace(hour=3, minute=0) - timedelta(days=1)
    with pytest.raises(NominationClosed) as closed:
        nominating.nominate(programme, make_user(member_city=cairo).email, actor=focal)
    assert "12:00" in str(closed.value.message)  # 03:00 UTC is noon in Seoul
    assert "Seoul" in str(closed.value.message) or "Korea" in str(closed.value.message)


def test_a_draft_or_another_policy_takes_no_nomination(programme, focal, cairo):
    programme.status = ProgrammeStatus.DRAFT
    with pytest.raises(NominationClosed):
        nominating.nominate(programme, make_user(member_city=cairo).email, actor=focal)


def test_the_allocation_is_used_up_with_a_clear_message(programme, focal, cairo):
    for _ in range(2):
        nominating.nominate(programme, make_user(member_city=cairo).email, actor=focal)
    _db.session.commit()
    with pytest.raises(AllocationUsedUp, match="used all its 2 places"):
        nominating.nominate(programme, make_user(member_city=cairo).email, actor=focal)
    _db.session.rollback()
    assert _allocation(programme, cairo).taken == 2


def test_an_address_is_nominated_once(programme, focal, cairo):
    official = make_user(member_city=cairo)
    nominating.nominate(programme, official.email, actor=focal)
    with pytest.raises(FieldError, match="already been nominated"):
        nominating.nominate(programme, official.email, actor=focal)


def test_withdrawing_gives_the_place_back_exactly_once(programme, focal, cairo, outbox):
    official = make_user(member_city=cairo)
    nomination = nominating.nominate(programme, official.email, actor=focal).nomination
    _db.session.commit()
    withdrawing.withdraw(nomination, actor=focal)
    _db.session.commit()
    assert _allocation(programme, cairo).taken == 0
    with pytest.raises(DomainError, match="already been withdrawn"):
        withdrawing.withdraw(nomination, actor=focal)
    _db.session.rollback()
    assert _allocation(programme, cairo).taken == 0
    assert [m.subject for m in outbox][-1].startswith("Your nomination for")


def test_another_citys_focal_point_cannot_withdraw(programme, focal, other_focal, cairo):
    nomination = nominating.nominate(
        programme, make_user(member_city=cairo).email, actor=focal
    ).nomination
    with pytest.raises(PermissionDenied):
        withdrawing.withdraw(nomination, actor=other_focal)


def test_a_withdrawn_address_is_nominated_again_on_the_same_row(programme, focal, cairo):
    official = make_user(member_city=cairo)
    first = nominating.nominate(programme, official.email, actor=focal).nomination
    withdrawing.withdraw(first, actor=focal)
    again = nominating.nominate(programme, official.email, actor=focal).nomination
    assert again.id == first.id and again.status == NominationStatus.NOMINATED
    assert again.withdrawn_at is None
    assert _allocation(programme, cairo).taken == 1
    assert _db.session.query(Nomination).count() == 1


def test_only_nominated_officials_apply(programme, focal, cairo):
    official = make_user(member_city=cairo)
    _db.session.commit()
    with pytest.raises(NotNominated, match="nomination of member cities"):
        _apply(programme, official)
    _db.session.rollback()
    nomination = nominating.nominate(programme, official.email, actor=focal).nomination
    registration = _apply(programme, official)
    _db.session.commit()
    assert registration.status == RegistrationStatus.APPLIED  # as under review: staff decide
    _db.session.refresh(nomination)
    assert nomination.status == NominationStatus.APPLIED
    assert nomination.registration_id == registration.id
    assert registration.programme.seats_taken == 0


def test_withdrawing_an_applied_nomination_withdraws_the_application(programme, focal, cairo):
    official = make_user(member_city=cairo)
    nomination = nominating.nominate(programme, official.email, actor=focal).nomination
    registration = _apply(programme, official)
    _db.session.commit()
    withdrawing.withdraw(nomination, actor=focal)
    _db.session.commit()
    _db.session.refresh(registration)
    assert registration.status == RegistrationStatus.WITHDRAWN
    assert _allocation(programme, cairo).taken == 0


def test_after_selection_a_nomination_stays(programme, centre, focal, cairo):
    official = make_user(member_city=cairo)
    nomination = nominating.nominate(programme, official.email, actor=focal).nomination
    registration = _apply(programme, official)
    decisions.confirm(registration, actor=make_staff(centre, "coordinator"))
    _db.session.commit()
    with pytest.raises(DomainError, match="already decided"):
        withdrawing.withdraw(nomination, actor=focal)
    _db.session.rollback()
    assert _allocation(programme, cairo).taken == 1


def test_an_address_without_account_gets_an_invitation(programme, focal, outbox):
    nominated = nominating.nominate(
        programme, "new.official@cairo.example", actor=focal, full_name="Nour", language="ar"
    )
    _db.session.commit()
    assert nominated.invited and nominated.nomination.user_id is None
    assert len(nominated.nomination.token_hash) == 64
    (message,) = outbox
    assert message.locale == "ar" and "/nominations/invitation/" in message.body
    token = message.body.split("/nominations/invitation/")[1].split()[0]
    assert token not in nominated.nomination.token_hash  # only the digest is kept
    assert nominating.nomination_by_token(token).id == nominated.nomination.id


def test_an_invitation_needs_the_name(programme, focal):
    with pytest.raises(FieldError, match="name"):
        nominating.nominate(programme, "new.official@cairo.example", actor=focal)


def test_an_official_must_have_completed_what_the_programme_requires(programme, focal, cairo):
    """Nominating asks the same prerequisite rule as applying: a valid certificate of each."""
    from miti_training.models import ProgrammePrerequisite
    from tests.registrations.test_prerequisites import certify
    from tests.support.factories import make_programme

    module = make_programme(
        programme.centre, title="Self-paced peer review module", slug="prp-online"
    )
    _db.session.add(ProgrammePrerequisite(programme=programme, required_programme=module))
    official = make_user(member_city=cairo)
    with pytest.raises(FieldError, match="Self-paced peer review module"):
        nominating.nominate(programme, official.email, actor=focal)
    with pytest.raises(FieldError, match="Self-paced peer review module"):
        nominating.nominate(programme, "new.official@cairo.example", actor=focal, full_name="New")
    assert _allocation(programme, cairo) is None or _allocation(programme, cairo).taken == 0

    certify(module, official)
    nominating.nominate(programme, official.email, actor=focal)
    _db.session.commit()
    assert _allocation(programme, cairo).taken == 1
