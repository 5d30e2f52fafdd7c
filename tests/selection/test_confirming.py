"""Confirming a selection in one action: the chosen confirmed, the rest waitlisted in rank order
or declined with the reason, each told in their language, and each member city's focal points
told their city's outcome."""

import pytest
from sqlalchemy import select

from miti_training.errors import DomainError, FieldError, ProgrammeFull
from miti_training.extensions import db as _db
from miti_training.models import AuditEntry, FocalPoint, MemberCity, RegistrationStatus
from miti_training.selection import confirming
from miti_training.selection.confirming import Others
from tests.support.factories import make_centre, make_member_city, make_staff, make_user
from tests.support.pages import assert_accessible_page, flashes, follow
from tests.support.selection import add_criteria, apply, make_reviewed_programme, score_sheet

S = RegistrationStatus


@pytest.fixture
def w(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    programme = make_reviewed_programme(centre, capacity=3)
    criteria = add_criteria(programme, 1)
    reviewer = make_staff(centre, "reviewer", member_city=None)
    cairo = make_member_city(name="Cairo", country="Egypt", world_region="africa")
    tehran = make_member_city(name="Tehran", country="Iran", world_region="middle_east")
    people = {}
    for name, city, value, language in [
        ("Amal", cairo, 5, "ar"),
        ("Bahram", tehran, 4, "fa"),
        ("Chloe", tehran, 3, "fr"),
        ("Dina", cairo, 2, "ar"),
        ("Emre", None, 1, "en"),
    ]:
        registration = apply(programme, city, full_name=name, preferred_language=language)
        registration.full_name = name
        score_sheet(registration, reviewer, criteria, [value])
        people[name] = registration
    focal_cairo = make_user(member_city=cairo, full_name="Focal Cairo", preferred_language="ar")
    focal_tehran = make_user(member_city=tehran, full_name="Focal Tehran", preferred_language="fa")
    _db.session.add_all(
        [
            FocalPoint(user_id=focal_cairo.id, member_city_id=cairo.id),
            FocalPoint(user_id=focal_tehran.id, member_city_id=tehran.id),
        ]
    )
    _db.session.flush()
    return {
        "centre": centre,
        "programme": programme,
        "people": people,
        "coordinator": make_staff(centre, "coordinator"),
        "focal_cairo": focal_cairo,
        "focal_tehran": focal_tehran,
        "cairo": cairo,
    }


def _ids(w, *names):
    return [w["people"][name].id for name in names]


def test_chosen_confirmed_the_rest_waitlisted_in_rank_order(db, outbox, w):
    programme, people = w["programme"], w["people"]
    decided = confirming.confirm_selection(
        programme, _ids(w, "Amal", "Chloe"), others=Others.WAITLIST, actor=w["coordinator"]
    )
    db.session.commit()

    assert [r.full_name for r in decided] == ["Amal", "Bahram", "Chloe", "Dina", "Emre"]
    status = {name: (r.status, r.waitlist_position) for name, r in people.items()}
    assert status == {
        "Amal": (S.CONFIRMED, None),
        "Bahram": (S.WAITLISTED, 1),
        "Chloe": (S.CONFIRMED, None),
        "Dina": (S.WAITLISTED, 2),
        "Emre": (S.WAITLISTED, 3),
    }
    assert (programme.seats_taken, programme.waitlist_length) == (2, 3)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions.count("registration.confirm") == 2
    assert actions.count("registration.waitlist") == 3

    by_address = {}
    for message in outbox:
        by_address.setdefault(message.to, []).append(message)
    for name in people:
        assert len(by_address[people[name].email]) == 1
    assert by_address[people["Amal"].email][0].locale == "ar"
    assert by_address[people["Bahram"].email][0].locale == "fa"
    cairo_mail = by_address[w["focal_cairo"].email]
    tehran_mail = by_address[w["focal_tehran"].email]
    assert len(cairo_mail) == len(tehran_mail) == 1
    assert cairo_mail[0].locale == "ar" and tehran_mail[0].locale == "fa"
    assert "Amal" in cairo_mail[0].body and "Dina" in cairo_mail[0].body
    assert "Bahram" not in cairo_mail[0].body and "Chloe" in tehran_mail[0].body
    assert len(outbox) == 7


def test_declining_the_rest_needs_a_reason_which_they_receive(db, outbox, w):
    programme = w["programme"]
    programme.is_waitlist_enabled = False
    with pytest.raises(FieldError):
        confirming.confirm_selection(
            programme, _ids(w, "Amal"), others=Others.DECLINE, actor=w["coordinator"]
        )
    with pytest.raises(FieldError):
        confirming.confirm_selection(
            programme, _ids(w, "Amal"), others=Others.WAITLIST, actor=w["coordinator"]
        )
    confirming.confirm_selection(
        programme,
        _ids(w, "Amal", "Bahram"),
        others=Others.DECLINE,
        reason="The group is complete.",
        actor=w["coordinator"],
    )
    db.session.commit()
    assert [r.status for r in w["people"].values()] == [S.CONFIRMED, S.CONFIRMED] + [S.DECLINED] * 3
    declined = next(m for m in outbox if m.to == w["people"]["Emre"].email)
    assert "The group is complete." in declined.body


def test_too_few_seats_or_a_stale_list_is_refused_and_nothing_changes(db, outbox, w):
    programme = w["programme"]
    db.session.commit()  # what a refusal rolls back to
    with pytest.raises(ProgrammeFull):
        confirming.confirm_selection(
            programme,
            _ids(w, "Amal", "Bahram", "Chloe", "Dina"),
            others=Others.WAITLIST,
            actor=w["coordinator"],
        )
    db.session.rollback()
    w["people"]["Emre"].status = S.WITHDRAWN
    db.session.commit()
    with pytest.raises(DomainError):
        confirming.confirm_selection(
            programme, _ids(w, "Emre"), others=Others.WAITLIST, actor=w["coordinator"]
        )
    with pytest.raises(DomainError):
        confirming.confirm_selection(programme, [], others=Others.WAITLIST, actor=w["coordinator"])
    db.session.rollback()
    assert {r.status for r in w["people"].values()} == {S.APPLIED, S.WITHDRAWN}
    assert programme.seats_taken == 0 and not outbox


def test_a_reviewer_cannot_confirm(db, w):
    with pytest.raises(DomainError):
        confirming.confirm_selection(
            w["programme"],
            _ids(w, "Amal"),
            others=Others.WAITLIST,
            actor=make_staff(w["centre"], "reviewer"),
        )


def test_the_selection_page_proposes_adjusts_and_confirms(client, login, db, outbox, w):
    programme = w["programme"]
    programme.city_selection_cap = 1
    login(w["coordinator"])
    url = f"/manage/seoul/programmes/{programme.id}/selection"
    page = client.get(url).get_data(as_text=True)
    # Amal (Cairo), Bahram (Tehran) taken; Chloe: Tehran's cap; Dina: Cairo's; Emre: 3rd place.
    assert page.count(" checked>") == 3
    assert "Taken: rank 1" in page and "Skipped: city cap of 1 reached" in page
    assert "Taken: rank 5" in page
    two = client.get(url + "?places=2").get_data(as_text=True)
    assert two.count(" checked>") == 2 and "Skipped: the group is full" in two

    # The coordinator adjusts: Chloe instead of Bahram.
    response = client.post(
        url, data={"chosen": [str(i) for i in _ids(w, "Amal", "Chloe")], "others": "waitlist"}
    )
    landing = follow(client, response)
    assert (
        "success",
        "2 applicants are confirmed. 3 others are on the waiting list.",
    ) in flashes(landing)
    db.session.expire_all()
    assert w["people"]["Chloe"].status == S.CONFIRMED
    assert w["people"]["Bahram"].waitlist_position == 1

    refused = client.post(url, data={"chosen": ["999999"], "others": "waitlist"})
    assert refused.status_code == 422
    assert _db.session.scalar(select(MemberCity.id).where(MemberCity.id == w["cairo"].id))


@pytest.mark.parametrize("language", ["ar", "fa", "ko"])
def test_the_selection_pages_render_in_every_direction(client, login, db, w, language):
    coordinator = w["coordinator"]
    coordinator.preferred_language = language
    login(coordinator)
    base = f"/manage/seoul/programmes/{w['programme'].id}"
    first = w["people"]["Amal"].id
    for path in ("/selection", "/selection?places=2", "/rubric", "/scoring", f"/scoring/{first}"):
        response = client.get(base + path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert f'lang="{language}"' in html
        assert_accessible_page(html)
