"""The coordinators' registration pages over real HTTP and a real database: the list with its
counts, filters, search, sort and pages (in a constant number of SQL statements), a
registration's detail and every decision, bulk decisions with foreign ids mixed in,
registering on someone's behalf, ids of other centres, hostile input and CSRF.

Which role may use which route is tested for every route in test_authorization_matrix.py.
"""

import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from miti_training.models import (
    AuditEntry,
    EnrolmentPolicy,
    ProgrammeQuestion,
    ProgrammeStatus,
    QuestionKind,
    Registration,
    RegistrationStatus,
    utcnow,
)
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import field_errors, flashes, follow
from tests.support.pages import text_of as _html
from tests.support.sql import statements_for as _statements_for
from tests.support.testdata import hostile_strings

S = RegistrationStatus


def _status(db, registration) -> RegistrationStatus:
    db.session.expire_all()
    return db.session.get(Registration, registration.id).status


def _audit(db, registration) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.from_state, e.to_state)
        for e in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.registration_id == registration.id)
            .order_by(AuditEntry.id)
        )
    ]


@pytest.fixture
def seoul(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    coordinator = make_staff(centre, "coordinator", full_name="Kim Min-ji")
    programme = make_programme(
        centre, title="Sustainable mobility study visit", capacity=3, sessions=2
    )
    return {"centre": centre, "coordinator": coordinator, "programme": programme}


_minutes = iter(range(1, 100_000))


def applicant(programme, status=S.APPLIED, *, name=None, organisation="", **kw) -> Registration:
    """A registration with a distinct registration time (the list's default order)."""
    user = make_user(**({"full_name": name} if name else {}))
    registration = make_registration(
        programme,
        user,
        status=status,
        organisation=organisation,
        created_at=utcnow() - timedelta(days=10) + timedelta(minutes=next(_minutes)),
        **kw,
    )
    if status == S.CONFIRMED:
        programme.seats_taken += 1
    return registration


def _rows(response) -> list[str]:
    """The names in the list, in order."""
    return [
        re.sub(r"<[^>]+>", "", name)
        for name in re.findall(
            r'<th scope="row"><a href="/manage/[^"]+/registrations/\d+">(.*?)</a></th>',
            _html(response),
        )
    ]


# The list ----------------------------------------------------------------------------------


def test_list_shows_counts_seats_and_the_active_registrations(client, sign_in, db, seoul):
    programme = seoul["programme"]
    mona = applicant(programme, S.CONFIRMED, name="Mona El-Sayed", organisation="Cairo Governorate")
    applicant(programme, S.APPLIED, name="Carlos Ruiz", organisation="Mexico City")
    applicant(programme, S.WAITLISTED, name="Reza Ahmadi", waitlist_position=1)
    applicant(programme, S.DECLINED, name="Declined Person")
    applicant(programme, S.WITHDRAWN, name="Withdrawn Person")
    sign_in(seoul["coordinator"])

    overview = _html(client.get("/manage/seoul/"))
    url = f"/manage/seoul/programmes/{programme.id}/registrations"
    assert f'href="{url}"' in overview
    response = client.get(url)
    assert response.status_code == 200
    html = _html(response)
    assert "1 taken of 3, 2 left" in html
    assert _rows(response) == [
        "Mona El-Sayed",
        "Carlos Ruiz",
        "Reza Ahmadi",
    ]  # active, oldest first
    assert ">Active (3)</" in html and ">All (5)</" in html and ">Declined (1)</" in html
    assert "Applied, waiting for review" in html and "On the waiting list" in html
    assert "Cairo Governorate" in html and "<bdi>Mona El-Sayed</bdi>" in html
    assert f'href="/manage/seoul/registrations/{mona.id}"' in html
    assert f'id="select-{mona.id}"' in html and f'for="select-{mona.id}"' in html
    assert "Registered at (Seoul)" in html

    assert _rows(client.get(f"{url}?status=all")) == [
        "Mona El-Sayed",
        "Carlos Ruiz",
        "Reza Ahmadi",
        "Declined Person",
        "Withdrawn Person",
    ]
    assert _rows(client.get(f"{url}?status=declined")) == ["Declined Person"]
    assert _rows(client.get(f"{url}?status=waitlisted")) == ["Reza Ahmadi"]
    # A wrong filter value is the default, not an error.
    assert _rows(client.get(f"{url}?status=everything&sort=salary&dir=up")) == _rows(response)


def test_search_over_name_organisation_and_email(client, sign_in, db, seoul):
    programme = seoul["programme"]
    applicant(programme, name="Mona El-Sayed", organisation="Cairo Governorate")
    applicant(programme, name="Carlos Ruiz", organisation="Mexico City 100%")
    applicant(programme, name="Reza_Ahmadi", organisation="Mashhad Municipality")
    sign_in(seoul["coordinator"])
    url = f"/manage/seoul/programmes/{programme.id}/registrations"

    assert _rows(client.get(f"{url}?q=mona")) == ["Mona El-Sayed"]  # any case
    assert _rows(client.get(f"{url}?q=GOVERNORATE")) == ["Mona El-Sayed"]
    email = db.session.scalar(
        select(Registration.email).where(Registration.full_name == "Carlos Ruiz")
    )
    assert _rows(client.get(f"{url}?q={email.upper()}")) == ["Carlos Ruiz"]
    # Words match, punctuation separates them: % and _ are never wildcards.
    assert _rows(client.get(f"{url}?q=100%25")) == ["Carlos Ruiz"]
    assert _rows(client.get(f"{url}?q=reza_ahm")) == ["Reza_Ahmadi"]
    assert _rows(client.get(f"{url}?q=%25")) == []
    response = client.get(f"{url}?q=nobody")
    assert _rows(response) == [] and "No registrations match your search." in _html(response)
    too_long = client.get(f"{url}?q={'x' * 201}")
    assert too_long.status_code == 200 and "Use at most 200 characters." in _html(too_long)
    assert len(_rows(too_long)) == 3  # the search is ignored, the list still shown


def test_sort_by_name_status_position_and_time_both_ways(client, sign_in, db, seoul):
    programme = seoul["programme"]
    applicant(programme, S.WAITLISTED, name="Bae", waitlist_position=2)
    applicant(programme, S.CONFIRMED, name="anna")
    applicant(programme, S.WAITLISTED, name="Chen", waitlist_position=1)
    applicant(programme, S.APPLIED, name="Diego")
    sign_in(seoul["coordinator"])
    url = f"/manage/seoul/programmes/{programme.id}/registrations"
    assert _rows(client.get(url)) == ["Bae", "anna", "Chen", "Diego"]
    assert _rows(client.get(f"{url}?sort=registered&dir=desc")) == ["Diego", "Chen", "anna", "Bae"]
    assert _rows(client.get(f"{url}?sort=name")) == ["anna", "Bae", "Chen", "Diego"]
    assert _rows(client.get(f"{url}?sort=name&dir=desc")) == ["Diego", "Chen", "Bae", "anna"]
    assert _rows(client.get(f"{url}?sort=status")) == ["Diego", "anna", "Chen", "Bae"]
    # The waiting list in order; those without a position after it, either way.
    assert _rows(client.get(f"{url}?sort=position")) == ["Chen", "Bae", "Diego", "anna"]
    assert _rows(client.get(f"{url}?sort=position&dir=desc"))[:2] == ["Bae", "Chen"]
    html = _html(client.get(f"{url}?sort=name"))
    assert 'aria-sort="ascending"' in html
    assert "sort=name&amp;dir=desc" in html  # the column header turns the order round


def test_fifty_a_page(client, sign_in, db, seoul):
    programme = seoul["programme"]
    for n in range(57):
        applicant(programme, name=f"Official {n:02d}")
    sign_in(seoul["coordinator"])
    url = f"/manage/seoul/programmes/{programme.id}/registrations"
    first = client.get(url)
    assert len(_rows(first)) == 50 and "Page 1 of 2" in _html(first)
    assert 'rel="next"' in _html(first)
    second = client.get(f"{url}?page=2")
    assert _rows(second) == [f"Official {n:02d}" for n in range(50, 57)]
    assert client.get(f"{url}?page=99").status_code == 200
    assert client.get(f"{url}?page=-3").status_code == 200
    assert client.get(f"{url}?page=99999999999999999999999").status_code == 200


def test_the_list_issues_a_constant_number_of_statements(app, client, sign_in, db, seoul):
    programme = seoul["programme"]
    other = make_programme(seoul["centre"], capacity=50)
    for n in range(5):
        applicant(programme, S.APPLIED, name=f"Few {n}", answers={"q1": "x"})
    for n in range(40):
        status = (S.APPLIED, S.CONFIRMED, S.WAITLISTED)[n % 3]
        applicant(
            other,
            status,
            name=f"Many {n}",
            waitlist_position=n + 1 if status == S.WAITLISTED else None,
        )
    sign_in(seoul["coordinator"])
    db.session.commit()
    few = _statements_for(app, client, f"/manage/seoul/programmes/{programme.id}/registrations")
    many = _statements_for(app, client, f"/manage/seoul/programmes/{other.id}/registrations")
    assert few == many, (few, many)
    assert many <= 12
    sorted_many = _statements_for(
        app,
        client,
        f"/manage/seoul/programmes/{other.id}/registrations?sort=name&q=Many&status=all",
    )
    assert sorted_many == many


def test_hostile_search_strings_never_fail_and_are_escaped(client, sign_in, db, seoul):
    programme = seoul["programme"]
    applicant(
        programme, name="<script>alert(1)</script>", organisation='"><img src=x onerror=alert(1)>'
    )
    sign_in(seoul["coordinator"])
    url = f"/manage/seoul/programmes/{programme.id}/registrations"
    for value in hostile_strings():
        response = client.get(url, query_string={"q": value, "sort": value, "status": value})
        assert response.status_code == 200, value
        html = _html(response)
        assert "<script>alert(1)" not in html and "<img src=x" not in html, value
    html = _html(client.get(url, query_string={"q": "<script>"}))
    assert _rows(client.get(url, query_string={"q": "<script>"})) == [
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    ]
    assert 'value="&lt;script&gt;"' in html
    assert str(escape('"><img src=x onerror=alert(1)>')) in html


# The detail and the decisions --------------------------------------------------------------


def test_detail_shows_snapshot_answers_consents_and_history(client, sign_in, db, seoul):
    programme = seoul["programme"]
    role = ProgrammeQuestion(
        programme=programme,
        position=1,
        kind=QuestionKind.MULTIPLE_CHOICE,
        label="Your fields",
        choices=["Transport", "Housing", "Water"],
    )
    presenting = ProgrammeQuestion(
        programme=programme, position=2, kind=QuestionKind.YES_NO, label="Will you present?"
    )
    skipped = ProgrammeQuestion(
        programme=programme, position=3, kind=QuestionKind.SHORT_TEXT, label="Department"
    )
    db.session.add_all([role, presenting, skipped])
    db.session.flush()
    registration = applicant(
        programme,
        name="Mona El-Sayed",
        organisation="Cairo Governorate",
        motivation="Cairo is building a bus rapid transit line.\n\nI lead its design team.",
        dietary_needs="Halal",
        answers={f"q{role.id}": ["Transport", "Water"], f"q{presenting.id}": "yes"},
        consent_listing_at=utcnow(),
    )
    sign_in(seoul["coordinator"])
    url = f"/manage/seoul/registrations/{registration.id}"
    confirmed = client.post(f"{url}/confirm")
    assert flashes(follow(client, confirmed)) == [
        ("success", "Mona El-Sayed is confirmed."),
        ("info", "No application of this programme is left to review."),
    ]

    response = client.get(url)
    assert response.status_code == 200
    html = _html(response)
    assert "<h1><bdi>Mona El-Sayed</bdi></h1>" in html
    assert "Cairo Governorate" in html and "Halal" in html
    assert (
        "Cairo is building a bus rapid transit line." in html and "I lead its design team." in html
    )
    assert html.index("Your fields") < html.index("Will you present?") < html.index("Department")
    assert "<li><bdi>Transport</bdi></li><li><bdi>Water</bdi></li>" in html
    assert "Not answered" in html
    assert html.count("Given on") == 2
    # The photo consent, not given here, is shown beside the other two.
    photos = html.index("Publication of photos in which they appear")
    assert html.index("Not given", photos) < html.index("</dl>", photos)
    assert "Applied, waiting for review → Confirmed" in html
    assert "<bdi>Kim Min-ji</bdi>" in html  # who decided, in the history and the last decision
    assert "When (Seoul)" in html


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [
        (
            S.APPLIED,
            ["Confirm", "Put on the waiting list", "<legend>Decline the application</legend>"],
            ["Reinstate", "Move on", "Cancel registration"],
        ),
        (
            S.CONFIRMED,
            ["<legend>Cancel the registration</legend>", ">Cancel registration</button>"],
            ["Confirm<", "Put on the waiting list", "Reinstate", "Move on", "Decline<"],
        ),
        (
            S.WAITLISTED,
            ["Confirm", "Decline", "Move on the waiting list"],
            ["Put on the", "Reinstate"],
        ),
        (S.DECLINED, ["Reinstate"], ["Confirm<", "Decline<", "Move on"]),
        (S.WITHDRAWN, ["Reinstate"], ["Confirm<", "Decline<", "Move on"]),
        (S.CANCELLED, ["No decision can be taken from this status."], ["Confirm<", "Reinstate"]),
    ],
)
def test_only_the_decisions_allowed_from_the_status_are_offered(
    client, sign_in, db, seoul, status, shown, hidden
):
    registration = applicant(
        seoul["programme"], status, waitlist_position=1 if status == S.WAITLISTED else None
    )
    sign_in(seoul["coordinator"])
    html = _html(client.get(f"/manage/seoul/registrations/{registration.id}"))
    section = html[
        html.index('id="actions-heading"') : html.index(
            "</section>", html.index('id="actions-heading"')
        )
    ]
    for text in shown:
        assert text in section, text
    for text in hidden:
        assert text not in section, text


def test_every_decision_through_http_with_status_audit_and_email(
    client, sign_in, db, seoul, outbox
):
    programme = seoul["programme"]
    programme.capacity = 2  # first come
    staff = sign_in(seoul["coordinator"])
    a = applicant(programme, name="Ana")
    b = applicant(programme, name="Bo")
    c = applicant(programme, name="Cy")
    d = applicant(programme, name="Di")
    e = applicant(programme, name="Ed")

    def post(registration, action, then=None, **data):
        """Post a decision; the coordinator lands on `then` (default: the same registration)."""
        response = client.post(f"/manage/seoul/registrations/{registration.id}/{action}", data=data)
        assert response.status_code == 302, _html(response)[:2000]
        landing = then or f"/manage/seoul/registrations/{(registration).id}"
        assert response.location.endswith(landing), response.location
        return flashes(follow(client, response))

    def next_one(name):
        return ("info", f"Next application to review: {name}.")

    # A decision on an application goes on to the programme's next pending one.
    assert post(a, "confirm", f"/registrations/{b.id}") == [
        ("success", "Ana is confirmed."),
        next_one("Bo"),
    ]
    assert post(b, "confirm", f"/registrations/{c.id}") == [
        ("success", "Bo is confirmed."),
        next_one("Cy"),
    ]
    assert post(c, "waitlist", f"/registrations/{d.id}") == [
        ("success", "Cy is on the waiting list at position 1."),
        next_one("Di"),
    ]
    assert post(d, "waitlist", f"/registrations/{e.id}") == [
        ("success", "Di is on the waiting list at position 2."),
        next_one("Ed"),
    ]
    assert post(d, "move", position="1") == [
        ("success", "Di is on the waiting list at position 1.")
    ]
    db.session.expire_all()
    assert (c.waitlist_position, d.waitlist_position) == (2, 1)
    # The last application decided: back to the list, saying so.
    assert post(
        e,
        "decline",
        f"/manage/seoul/programmes/{programme.id}/registrations",
        reason="The group is complete.",
    ) == [
        ("success", "The registration of Ed is declined; your reason was sent with the email."),
        ("info", "No application of this programme is left to review."),
    ]
    assert any(m.to == e.email and "The group is complete." in m.body for m in outbox)

    # Cancelling a confirmed registration gives the seat to the first on the waiting list, and
    # the coordinator is told who got it.
    assert post(a, "decline") == [
        ("success", "The registration of Ana is cancelled."),
        ("success", "Di moved from the waiting list to confirmed."),
    ]
    assert _status(db, d) == S.CONFIRMED and _status(db, c) == S.WAITLISTED
    assert db.session.get(Registration, c.id).waitlist_position == 1
    cancelled = [m for m in outbox if m.to == a.email][-1]
    assert cancelled.subject.startswith("Your registration was cancelled:")
    assert "has cancelled your registration for" in cancelled.body
    # Reinstating under first come: a seat if free, else the waiting list.
    assert post(e, "reinstate") == [("success", "Ed is on the waiting list at position 2.")]

    assert _audit(db, a) == [
        ("registration.confirm", "applied", "confirmed"),
        ("registration.decline", "confirmed", "declined"),
    ]
    assert _audit(db, d)[-1] == ("registration.promote", "waitlisted", "confirmed")
    assert ("registration.move", "waitlisted", "waitlisted") in _audit(db, d)
    assert _audit(db, e) == [
        ("registration.decline", "applied", "declined"),
        ("registration.reinstate", "declined", "waitlisted"),
    ]
    decline = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.registration_id == e.id, AuditEntry.action == "registration.decline"
        )
    )
    assert decline.actor_id == staff.id and decline.reason == "The group is complete."
    db.session.refresh(programme)
    assert programme.seats_taken == 2
    assert {m.to for m in outbox} >= {a.email, b.email, c.email, d.email, e.email}


def test_refused_decisions_are_flashed_in_words(client, sign_in, db, seoul):
    programme = seoul["programme"]
    programme.capacity = 1
    applicant(programme, S.CONFIRMED)
    waiting = applicant(programme, S.APPLIED, name="Wu")
    declined = applicant(programme, S.DECLINED, name="Dee")
    sign_in(seoul["coordinator"])

    def post(registration, action, **data):
        response = client.post(f"/manage/seoul/registrations/{registration.id}/{action}", data=data)
        assert response.status_code == 302
        return flashes(follow(client, response))

    assert post(waiting, "confirm") == [
        ("error", "No seat is free; waitlist the application or free a seat first.")
    ]
    assert post(declined, "confirm") == [
        ("error", "This registration is declined; it cannot be confirmed. Reinstate it first.")
    ]
    assert post(waiting, "move", position="1") == [
        (
            "error",
            "This registration is applied (waiting for review); only registrations on the waiting list can be moved.",
        )
    ]
    assert post(waiting, "reinstate")[0][0] == "error"
    assert _status(db, waiting) == S.APPLIED and _status(db, declined) == S.DECLINED

    # Form errors stay on the page, with the text typed.
    response = client.post(
        f"/manage/seoul/registrations/{waiting.id}/decline", data={"reason": "x" * 2001}
    )
    assert response.status_code == 422
    assert field_errors(response) == {"reason": "Use at most 2000 characters."}
    listed = applicant(programme, S.WAITLISTED, name="Lee", waitlist_position=1)
    response = client.post(
        f"/manage/seoul/registrations/{listed.id}/move", data={"position": "first"}
    )
    assert response.status_code == 422
    assert field_errors(response) == {"position": "Enter a whole number, like 1."}
    assert _status(db, waiting) == S.APPLIED and _audit(db, listed) == []

    # A cancelled programme's registrations can no longer change.
    programme.status = ProgrammeStatus.CANCELLED
    db.session.commit()
    html = _html(client.get(f"/manage/seoul/registrations/{waiting.id}"))
    assert "its registrations can no longer be changed" in html
    assert post(waiting, "decline") == [
        ("error", "This programme is cancelled; its registrations can no longer be changed.")
    ]


def test_review_policy_reinstates_to_applied(client, sign_in, db, seoul):
    programme = make_programme(seoul["centre"], enrolment_policy=EnrolmentPolicy.REVIEW)
    withdrawn = applicant(programme, S.WITHDRAWN, name="Wan")
    sign_in(seoul["coordinator"])
    response = client.post(f"/manage/seoul/registrations/{withdrawn.id}/reinstate")
    assert flashes(follow(client, response)) == [
        ("success", "Wan has applied; the application waits for review.")
    ]
    assert _status(db, withdrawn) == S.APPLIED


# Bulk decisions ----------------------------------------------------------------------------


def test_bulk_confirm_with_foreign_ids_mixed_in(client, sign_in, db, seoul, outbox):
    programme = seoul["programme"]  # 3 seats
    mine = [applicant(programme, name=name) for name in ("Ana", "Bo", "Cy", "Di")]
    declined = applicant(programme, S.DECLINED, name="Dee")
    sibling = make_programme(seoul["centre"])
    other_programme = applicant(sibling, name="Sib")
    paris = make_centre(slug="paris", timezone="Europe/Paris")
    foreign = applicant(make_programme(paris), name="Far")
    sign_in(seoul["coordinator"])

    url = f"/manage/seoul/programmes/{programme.id}/registrations"
    ids = [r.id for r in mine] + [declined.id, other_programme.id, foreign.id]
    response = client.post(
        f"{url}/bulk",
        data={
            "action": "confirm",
            "registration_ids": [str(i) for i in ids] + ["abc", "-1", str(mine[0].id)],
            "status": "all",
            "q": "",
            "sort": "name",
        },
    )
    assert response.status_code == 302
    assert response.location == f"{url}?status=all&sort=name"
    assert flashes(follow(client, response)) == [
        ("success", "3 confirmed."),
        ("error", "2 could not be confirmed:"),
        ("error", "Di: No seat is free; waitlist the application or free a seat first."),
        (
            "error",
            "Dee: This registration is declined; it cannot be confirmed. Reinstate it first.",
        ),
        (
            "error",
            "2 selected registrations are not registrations of this programme and were left alone.",
        ),
    ]
    assert [_status(db, r) for r in mine] == [S.CONFIRMED, S.CONFIRMED, S.CONFIRMED, S.APPLIED]
    assert _status(db, other_programme) == S.APPLIED and _status(db, foreign) == S.APPLIED
    assert _audit(db, other_programme) == [] and _audit(db, foreign) == []
    assert _audit(db, mine[0]) == [("registration.confirm", "applied", "confirmed")]
    assert {m.to for m in outbox} == {r.email for r in mine[:3]}


def test_bulk_decline_and_empty_selection(client, sign_in, db, seoul):
    programme = seoul["programme"]
    a = applicant(programme, S.CONFIRMED, name="Ana")
    b = applicant(programme, S.APPLIED, name="Bo")
    c = applicant(programme, S.WAITLISTED, name="Cy", waitlist_position=1)
    sign_in(seoul["coordinator"])
    url = f"/manage/seoul/programmes/{programme.id}/registrations/bulk"
    response = client.post(
        url, data={"action": "decline", "registration_ids": [str(a.id), str(b.id)]}
    )
    assert flashes(follow(client, response)) == [
        ("success", "2 declined."),
        ("success", "Cy moved from the waiting list to confirmed."),
    ]
    assert _status(db, a) == S.DECLINED and _status(db, b) == S.DECLINED
    assert _status(db, c) == S.CONFIRMED  # promoted into the freed seat

    response = client.post(url, data={"action": "decline"})
    assert flashes(follow(client, response)) == [("info", "Tick at least one registration first.")]
    assert (
        client.post(url, data={"action": "withdraw", "registration_ids": [str(c.id)]}).status_code
        == 400
    )
    assert client.post(url, data={"registration_ids": [str(c.id)]}).status_code == 400
    assert _status(db, c) == S.CONFIRMED


# Registering on someone's behalf -----------------------------------------------------------


def test_register_an_official_with_an_account_or_by_invitation(client, sign_in, db, seoul, outbox):
    programme = seoul["programme"]
    mona = make_user(full_name="Mona El-Sayed", email="mona@cairo.example")
    sign_in(seoul["coordinator"])
    url = f"/manage/seoul/programmes/{programme.id}/registrations/add"
    page = client.get(url)
    assert page.status_code == 200 and 'type="email"' in _html(page)

    response = client.post(url, data={"email": "  Mona@Cairo.example "})
    assert response.status_code == 302
    assert flashes(follow(client, response)) == [
        ("success", "Mona El-Sayed is registered and confirmed.")
    ]
    registration = db.session.scalar(select(Registration).where(Registration.user_id == mona.id))
    assert (
        registration.status == S.CONFIRMED and registration.decided_by_id == seoul["coordinator"].id
    )
    assert registration.consent_data_at is None  # only the participant consents

    response = client.post(url, data={"email": "new.official@warsaw.example"})
    assert flashes(follow(client, response)) == [
        (
            "success",
            "An invitation was sent to new.official@warsaw.example: the registration is theirs once they create their account.",
        )
    ]
    assert any(m.to == "new.official@warsaw.example" for m in outbox)
    invited = db.session.scalar(
        select(Registration).where(Registration.email == "new.official@warsaw.example")
    )
    assert invited.user_id is None and invited.status == S.APPLIED
    assert _audit(db, invited) == [("registration.invite", "", "applied")]

    # Again: refused beside the field, with a link to the registration already there.
    response = client.post(url, data={"email": "mona@cairo.example"})
    assert response.status_code == 200
    assert field_errors(response) == {
        "email": "mona@cairo.example already has a registration for this programme (confirmed)."
    }
    assert f'href="/manage/seoul/registrations/{registration.id}"' in _html(response)
    response = client.post(url, data={"email": "not an address"})
    assert field_errors(response) == {"email": "Enter a valid email address, like name@city.gov."}


# Ids of other centres ----------------------------------------------------------------------

REGISTRATION_ACTIONS = [
    ("GET", ""),
    ("POST", "/confirm"),
    ("POST", "/waitlist"),
    ("POST", "/decline"),
    ("POST", "/move"),
    ("POST", "/reinstate"),
]


@pytest.mark.parametrize("role", ["coordinator", "director", "admin"])
def test_registrations_of_another_centre_are_404_under_your_centre(
    client, sign_in, db, seoul, role
):
    paris = make_centre(slug="paris", timezone="Europe/Paris")
    foreign = applicant(make_programme(paris), S.WAITLISTED, waitlist_position=1)
    sign_in(make_admin() if role == "admin" else make_staff(seoul["centre"], role))
    for method, suffix in REGISTRATION_ACTIONS:
        for registration_id in (foreign.id, 999_999):
            response = client.open(
                f"/manage/seoul/registrations/{registration_id}{suffix}",
                method=method,
                data={"position": "1"},
            )
            assert response.status_code == 404, (method, suffix)
    # ...and under its own centre's address, this centre's staff are refused.
    if role != "admin":
        response = client.get(f"/manage/paris/registrations/{foreign.id}")
        assert response.status_code == 403
    assert _status(db, foreign) == S.WAITLISTED and _audit(db, foreign) == []


def test_programme_routes_with_another_centres_programme_are_404(client, sign_in, db, seoul):
    paris = make_centre(slug="paris", timezone="Europe/Paris")
    foreign = make_programme(paris)
    registration = applicant(foreign)
    sign_in(seoul["coordinator"])
    base = f"/manage/seoul/programmes/{foreign.id}/registrations"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/add").status_code == 404
    assert client.post(f"{base}/add", data={"email": make_user().email}).status_code == 404
    response = client.post(
        f"{base}/bulk", data={"action": "confirm", "registration_ids": [str(registration.id)]}
    )
    assert response.status_code == 404
    assert _status(db, registration) == S.APPLIED
    assert (
        db.session.scalar(select(Registration).where(Registration.programme_id == foreign.id))
        == registration
    )


def test_staff_of_another_centre_and_participants_are_refused(client, sign_in, db, seoul):
    registration = applicant(seoul["programme"])
    paris = make_centre(slug="paris", timezone="Europe/Paris")
    for user in (make_staff(paris, "director"), make_user(), registration.user):
        sign_in(user)
        for method, suffix in REGISTRATION_ACTIONS:
            response = client.open(
                f"/manage/seoul/registrations/{registration.id}{suffix}", method=method
            )
            assert response.status_code == 403
        client.post("/account/logout")
    assert _status(db, registration) == S.APPLIED


# CSRF --------------------------------------------------------------------------------------


def test_decisions_need_a_csrf_token(app, client, sign_in, db, seoul, monkeypatch):
    programme = seoul["programme"]
    registration = applicant(programme)
    sign_in(seoul["coordinator"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/manage/seoul/registrations/{registration.id}"
    assert client.post(f"{url}/confirm").status_code == 400
    assert client.post(f"{url}/decline", data={"reason": "No"}).status_code == 400
    response = client.post(
        f"/manage/seoul/programmes/{programme.id}/registrations/bulk",
        data={"action": "confirm", "registration_ids": [str(registration.id)]},
    )
    assert response.status_code == 400
    assert _status(db, registration) == S.APPLIED

    token = re.search(r'name="csrf_token" value="([^"]+)"', _html(client.get(url))).group(1)
    response = client.post(f"{url}/confirm", data={"csrf_token": token})
    assert response.status_code == 302
    assert _status(db, registration) == S.CONFIRMED
