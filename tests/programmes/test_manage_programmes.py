"""Programme management over real HTTP: the draft -> published -> cancelled/completed life
cycle, sessions in the centre's time across daylight-saving changes, new editions, ids of
other programmes, hostile input and CSRF.

Who may use which /manage route: tests/web/test_authorization_matrix.py.
"""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from miti_training.models import (
    AuditEntry,
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    RegistrationStatus,
)
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.forms import in_days, programme_form, session_form
from tests.support.hostile import one_line
from tests.support.pages import assert_accessible_page, field_errors, flashes, follow
from tests.support.pages import endpoint_url as _url
from tests.support.pages import text_of as _html
from tests.support.routes import (
    COORDINATOR_ROUTES,
    make_manage_world,
    manage_request,
    manage_snapshot,
)
from tests.support.sql import count_rows
from tests.support.testdata import hostile_strings

# Ids of other programmes, published programmes, unknown ids ---------------------------------


@pytest.fixture
def world(db):
    """The world of the /manage access matrix: a centre with three programmes, another centre."""
    return make_manage_world()


@pytest.mark.parametrize(
    ("method", "endpoint"),
    [r for r in COORDINATOR_ROUTES if r[1] in ("manage.edit_session", "manage.delete_session")],
)
def test_session_of_another_programme_is_404(app, db, client, login, world, method, endpoint):
    login(make_staff(world["centre"], "director"))
    values, data = manage_request(endpoint, world)
    values["session_id"] = world["published"].sessions[0].id  # same centre, other programme
    before = manage_snapshot()
    response = client.open(_url(app, endpoint, **values), method=method, data=data or None)
    assert response.status_code == 404
    assert manage_snapshot() == before


@pytest.mark.parametrize(
    ("method", "endpoint"),
    [
        r
        for r in COORDINATOR_ROUTES
        if r[1] in ("manage.edit_programme", "manage.add_session", "manage.edit_session")
        or r[1] == "manage.delete_session"
    ],
)
def test_coordinators_cannot_change_a_published_programme(
    app, db, client, login, world, method, endpoint
):
    login(make_staff(world["centre"], "coordinator"))
    published = world["published"]
    values, data = manage_request(endpoint, world)
    values["programme_id"] = published.id
    if "session_id" in values:
        values["session_id"] = published.sessions[0].id
    before = manage_snapshot()
    response = client.open(_url(app, endpoint, **values), method=method, data=data or None)
    assert response.status_code == 403
    assert manage_snapshot() == before
    # ...but they see it, without the buttons that would change it.
    detail = client.get(f"/manage/seoul/programmes/{published.id}")
    assert detail.status_code == 200
    html = _html(detail)
    assert "Edit the details" not in html and "Add a session" not in html
    assert "Cancel the programme" not in html and "Duplicate" not in html


def test_unknown_centre_and_ids_are_404(client, login, world):
    login(make_admin())
    assert client.get("/manage/nowhere/programmes/new").status_code == 404
    assert client.get("/manage/seoul/programmes/999999").status_code == 404
    assert client.post("/manage/seoul/programmes/999999/publish").status_code == 404
    draft = world["draft"]
    assert (
        client.get(f"/manage/seoul/programmes/{draft.id}/sessions/999999/edit").status_code == 404
    )


# The director's journey --------------------------------------------------------------------


def test_director_creates_schedules_and_publishes_a_programme(client, sign_in, db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    director = make_staff(centre, "director")
    sign_in(director)

    response = client.post("/manage/seoul/programmes/new", data=programme_form())
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme))
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.slug == "sustainable-mobility-study-visit"
    assert programme.languages == "en,ko" and programme.enrolment_policy == "review"
    # Registration opens at 09:00 in Seoul (UTC+9): 00:00 UTC.
    assert programme.registration_opens_at == datetime.combine(in_days(1), datetime.min.time(), UTC)
    detail = follow(client, response)
    assert flashes(detail) == [
        (
            "success",
            "The draft “Sustainable mobility study visit” has been created. Add its sessions next.",
        )
    ]
    assert "Add at least one session to the timetable." in _html(detail)
    assert "Publish the programme" not in _html(detail)

    base = f"/manage/seoul/programmes/{programme.id}"
    for n, day in enumerate((in_days(40), in_days(41)), start=1):
        response = client.post(f"{base}/sessions/new", data=session_form(day, title=f"Day {n}"))
        assert response.status_code == 302, _html(response)
    page = client.get(base)
    html = _html(page)
    assert "Everything a participant needs is in place." in html
    assert "Starts (Seoul)" in html
    db.session.refresh(programme)
    assert programme.sessions[0].starts_at == datetime.combine(
        in_days(40), datetime.min.time(), UTC
    )  # 09:00 in Seoul

    response = client.post(f"{base}/publish")
    assert response.status_code == 302
    assert flashes(follow(client, response))[0][0] == "success"
    db.session.refresh(programme)
    assert programme.status == ProgrammeStatus.PUBLISHED
    public = client.get(f"/programmes/{programme.slug}")
    assert public.status_code == 200
    assert "Sustainable mobility study visit" in _html(public)
    overview = _html(client.get("/manage/seoul/"))
    assert f'href="{base}"' in overview and "Published" in overview


def test_publishing_an_incomplete_draft_flashes_every_problem(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    draft = make_programme(
        centre,
        status=ProgrammeStatus.DRAFT,
        sessions=0,
        capacity=0,
        registration_opens_at=None,
        registration_closes_at=None,
    )
    response = client.post(f"/manage/seoul/programmes/{draft.id}/publish")
    assert response.status_code == 302
    assert flashes(follow(client, response)) == [
        ("error", "The programme cannot be published yet:"),
        ("error", "Set the capacity to at least one seat."),
        ("error", "Add at least one session to the timetable."),
        ("error", "Set when registration opens."),
        ("error", "Set when registration closes."),
    ]
    db.session.refresh(draft)
    assert draft.status == ProgrammeStatus.DRAFT


def test_form_errors_are_shown_beside_their_fields(client, sign_in, db):
    centre = make_centre(slug="paris", timezone="Europe/Paris")
    sign_in(make_staff(centre, "coordinator"))
    response = client.post(
        "/manage/paris/programmes/new",
        data=programme_form(
            title="",
            languages=[],
            kind="party",
            capacity="many",
            starts_on="2026-02-30",
            ends_on="2026-03-31",
            registration_opens_at="2026-03-29T02:30",
            registration_closes_at="2026-13-01T25:61",
            completion_threshold="101",
        ),
    )
    assert response.status_code == 200
    errors = field_errors(response)
    assert errors == {
        "title": "Enter the programme's title.",
        "kind": "Choose a kind of programme from the list.",
        "languages": "Choose at least one working language from the list.",
        "starts_on": "Enter a date like 2026-05-12.",
        "capacity": "Enter a whole number, like 15.",
        "registration_closes_at": "Enter a date and time like 2026-05-12 09:30.",
        "completion_threshold": "Enter a percentage from 0 to 100.",
    }
    assert "Please correct the highlighted fields." in _html(response)
    assert_accessible_page(_html(response))
    assert count_rows(Programme) == 0

    # A time skipped by the spring change is refused once the rest is right.
    response = client.post(
        "/manage/paris/programmes/new",
        data=programme_form(
            starts_on="2026-04-13",
            ends_on="2026-04-14",
            registration_opens_at="2026-03-29T02:30",
            registration_closes_at="2026-04-01T18:00",
        ),
    )
    assert response.status_code == 200
    assert "does not exist in Paris" in field_errors(response)["registration_opens_at"]
    assert count_rows(Programme) == 0


@pytest.mark.parametrize(
    ("language", "help_text"),
    [
        ("en", "Registration must close no later than the first session starts."),
        ("fr", "Les inscriptions doivent être closes au plus tard au début de la première séance."),
    ],
)
def test_closing_time_help_allows_the_first_sessions_start(
    client, sign_in, db, language, help_text
):
    """Registration may close when the first session starts (programmes.rules); the help agrees."""
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    director = make_staff(centre, "director")
    director.preferred_language = language
    db.session.commit()
    sign_in(director)
    html = _html(client.get("/manage/seoul/programmes/new"))
    assert escape(help_text) in html
    assert "before the first session starts" not in html


@pytest.mark.parametrize(
    ("zone", "local", "expected_utc"),
    [
        ("Europe/Paris", "2026-10-25T02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("America/Mexico_City", "2026-07-01T09:00", datetime(2026, 7, 1, 15, 0, tzinfo=UTC)),
        ("Asia/Tehran", "2026-06-01T09:00", datetime(2026, 6, 1, 5, 30, tzinfo=UTC)),
    ],
)
def test_session_times_are_entered_in_the_centre_zone(
    client, sign_in, db, zone, local, expected_utc
):
    centre = make_centre(slug="here", timezone=zone)
    sign_in(make_staff(centre, "coordinator"))
    day = date.fromisoformat(local[:10])
    draft = make_programme(centre, status=ProgrammeStatus.DRAFT, sessions=0, starts_on=day)
    response = client.post(
        f"/manage/here/programmes/{draft.id}/sessions/new",
        data={"title": "Opening", "starts_at": local, "ends_at": f"{local[:10]}T11:45"},
    )
    assert response.status_code == 302, field_errors(response)
    session = db.session.scalar(select(ProgrammeSession))
    assert session.starts_at == expected_utc
    # Shown back as the wall-clock time typed, with the zone's name.
    html = _html(client.get(f"/manage/here/programmes/{draft.id}"))
    assert zone.split("/")[-1].replace("_", " ") in html
    hour = int(local[11:13])
    assert f"{hour % 12 or 12}:{local[14:16]}" in html
    edit = _html(client.get(f"/manage/here/programmes/{draft.id}/sessions/{session.id}/edit"))
    assert f'value="{local}"' in edit


def test_session_in_the_paris_spring_gap_is_refused(client, sign_in, db):
    centre = make_centre(slug="paris", timezone="Europe/Paris")
    sign_in(make_staff(centre, "director"))
    draft = make_programme(
        centre, status=ProgrammeStatus.DRAFT, sessions=0, starts_on=date(2026, 3, 29)
    )
    response = client.post(
        f"/manage/paris/programmes/{draft.id}/sessions/new",
        data={"title": "Night", "starts_at": "2026-03-29T02:30", "ends_at": "2026-03-29T04:00"},
    )
    assert response.status_code == 200
    assert field_errors(response)["starts_at"].startswith(
        "This time does not exist in Paris: the clocks go forward then."
    )
    response = client.post(
        f"/manage/paris/programmes/{draft.id}/sessions/new",
        data={"title": "Night", "starts_at": "2026-03-29T05:00", "ends_at": "2026-03-29T04:00"},
    )
    assert field_errors(response) == {"ends_at": "The session must end after it starts."}
    assert count_rows(ProgrammeSession) == 0


def test_translations_are_saved_and_removed_through_the_form(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "coordinator"))
    draft = make_programme(
        centre, status=ProgrammeStatus.DRAFT, starts_on=in_days(40), title="Smart city course"
    )
    url = f"/manage/seoul/programmes/{draft.id}/edit"
    page = _html(client.get(url))
    assert 'id="title_ko"' in page and 'id="title_en"' not in page  # English is the original
    assert 'lang="ko"' in page

    form = programme_form(
        title="Smart city course",
        starts_on=draft.starts_on.isoformat(),
        ends_on=draft.ends_on.isoformat(),
        title_ko="스마트시티 과정",
        summary_ko="서울의 스마트시티 정책",
        title_fr="",
        summary_fr="Résumé sans titre",
    )
    response = client.post(url, data=form)
    assert response.status_code == 200
    assert field_errors(response) == {
        "title_fr": "Enter the title in French too, or empty all the fields of this translation to remove it."
    }
    form["summary_fr"] = ""
    response = client.post(url, data=form)
    assert response.status_code == 302
    db.session.refresh(draft)
    assert [(t.language, t.title) for t in draft.translations] == [("ko", "스마트시티 과정")]
    assert draft.text_in("ko").summary == "서울의 스마트시티 정책"
    assert 'value="스마트시티 과정"' in _html(client.get(url))

    form.update(title_ko="", summary_ko="")
    assert client.post(url, data=form).status_code == 302
    db.session.refresh(draft)
    assert draft.translations == []


def test_capacity_of_a_published_programme_cannot_drop_below_seats_taken(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    programme = make_programme(centre, capacity=15, starts_on=in_days(40), sessions=2)
    for _ in range(3):
        make_registration(programme)
    programme.seats_taken = 3
    form = programme_form(
        title=programme.title,
        starts_on=programme.starts_on.isoformat(),
        ends_on=programme.ends_on.isoformat(),
        registration_opens_at="",
        registration_closes_at=f"{in_days(35).isoformat()}T18:00",
        capacity="2",
    )
    url = f"/manage/seoul/programmes/{programme.id}/edit"
    response = client.post(url, data=form)
    assert response.status_code == 200
    assert field_errors(response) == {
        "capacity": "3 seats are already taken, so the capacity cannot be lower than 3."
    }
    # Leaving the published programme incomplete is refused as a whole.
    form.update(capacity="3", registration_closes_at="")
    response = client.post(url, data=form)
    assert response.status_code == 200
    assert (
        "error",
        "The programme is published, so it must stay complete. Nothing was saved:",
    ) in flashes(response)
    assert ("error", "Set when registration closes.") in flashes(response)
    db.session.refresh(programme)
    assert programme.capacity == 15 and programme.registration_closes_at is not None


def test_more_seats_go_to_the_waiting_list_and_the_director_is_told_who(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    programme = make_programme(centre, capacity=1, starts_on=in_days(40), sessions=2)
    make_registration(programme)
    programme.seats_taken = 1
    waiting = make_registration(
        programme,
        make_user(full_name="Omar Nabil"),
        status=RegistrationStatus.WAITLISTED,
        waitlist_position=1,
    )
    db.session.commit()
    form = programme_form(
        title=programme.title,
        starts_on=programme.starts_on.isoformat(),
        ends_on=programme.ends_on.isoformat(),
        registration_opens_at=f"{in_days(1).isoformat()}T09:00",
        registration_closes_at=f"{in_days(35).isoformat()}T18:00",
        capacity="2",
    )
    response = client.post(f"/manage/seoul/programmes/{programme.id}/edit", data=form)
    assert response.status_code == 302, (field_errors(response), flashes(response))
    page = follow(client, response)
    assert ("success", "Omar Nabil moved from the waiting list to confirmed.") in flashes(page)
    db.session.refresh(waiting)
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_cancelling_asks_for_a_reason_and_confirmation_then_notifies(client, sign_in, db, outbox):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    programme = make_programme(centre, title="Water management course", sessions=2)
    participants = [make_user(), make_user()]
    for user in participants:
        make_registration(programme, user, status=RegistrationStatus.CONFIRMED)
    make_registration(programme, status=RegistrationStatus.WITHDRAWN)
    programme.seats_taken = 2
    url = f"/manage/seoul/programmes/{programme.id}/cancel"

    page = client.get(url)
    assert page.status_code == 200
    assert "2 participants are registered" in _html(page)
    assert_accessible_page(_html(page))

    response = client.post(url, data={"reason": "Typhoon warning"})
    assert response.status_code == 200
    assert field_errors(response) == {"confirm": "Tick the box to confirm the cancellation."}
    response = client.post(url, data={"reason": "  ", "confirm": "y"})
    assert field_errors(response) == {
        "reason": "Give the reason for the cancellation: participants will read it."
    }
    db.session.refresh(programme)
    assert programme.status == ProgrammeStatus.PUBLISHED and outbox == []

    response = client.post(url, data={"reason": "Typhoon warning", "confirm": "y"})
    assert response.status_code == 302
    detail = follow(client, response)
    assert flashes(detail) == [
        (
            "success",
            "“Water management course” has been cancelled. 2 participants have been emailed.",
        )
    ]
    assert "Typhoon warning" in _html(detail)
    db.session.refresh(programme)
    assert programme.status == ProgrammeStatus.CANCELLED and programme.seats_taken == 0
    assert sorted(m.to for m in outbox) == sorted(u.email for u in participants)
    assert all("Typhoon warning" in m.body for m in outbox)
    # Cancelled programmes cannot be cancelled again or edited.
    again = client.get(url)
    assert flashes(follow(client, again)) == [
        ("info", "Only a published programme can be cancelled.")
    ]
    edit = client.get(f"/manage/seoul/programmes/{programme.id}/edit")
    assert edit.status_code == 302
    assert flashes(follow(client, edit)) == [
        ("info", "This programme is cancelled; it can no longer be changed.")
    ]


def test_completing_before_the_end_is_refused(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    programme = make_programme(centre, starts_on=in_days(10))
    response = client.post(f"/manage/seoul/programmes/{programme.id}/complete")
    assert response.status_code == 302
    [(category, message)] = flashes(follow(client, response))
    assert category == "error"
    assert message.startswith(
        "The programme can be marked completed once its last session has ended"
    )
    db.session.refresh(programme)
    assert programme.status == ProgrammeStatus.PUBLISHED


def test_duplicating_makes_a_draft_with_moved_sessions(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    programme = make_programme(centre, title="Climate forum", starts_on=in_days(20), sessions=2)
    url = f"/manage/seoul/programmes/{programme.id}/duplicate"
    assert 'value="Climate forum"' in _html(client.get(url))

    response = client.post(url, data={"title": "Climate forum"})
    assert field_errors(response) == {
        "new_starts_on": "Give the new first day, or the number of days to move everything by."
    }
    response = client.post(
        url,
        data={
            "title": "Climate forum",
            "new_starts_on": in_days(90).isoformat(),
            "shift_days": "3",
        },
    )
    assert field_errors(response) == {
        "new_starts_on": "Give either the new first day or a number of days, not both."
    }
    response = client.post(
        url, data={"title": "Climate forum 2", "new_starts_on": in_days(90).isoformat()}
    )
    assert response.status_code == 302
    edition = db.session.scalar(select(Programme).where(Programme.edition_of_id == programme.id))
    assert response.location.endswith(f"/manage/seoul/programmes/{edition.id}")
    assert edition.status == ProgrammeStatus.DRAFT and edition.title == "Climate forum 2"
    assert edition.starts_on == in_days(90)
    assert [
        s.starts_at - o.starts_at for s, o in zip(edition.sessions, programme.sessions, strict=True)
    ] == [
        timedelta(days=70),
        timedelta(days=70),
    ]
    page = _html(follow(client, response))
    assert "New edition of" in page and "Climate forum" in page


def test_removing_a_session(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "coordinator"))
    draft = make_programme(centre, status=ProgrammeStatus.DRAFT, sessions=2)
    first = draft.sessions[0]
    response = client.post(f"/manage/seoul/programmes/{draft.id}/sessions/{first.id}/delete")
    assert response.status_code == 302
    assert flashes(follow(client, response)) == [
        ("success", "The session “Day 1” has been removed.")
    ]
    assert count_rows(ProgrammeSession) == 1
    assert db.session.scalar(select(AuditEntry.action)) == "session.remove"


# Hostile input and CSRF --------------------------------------------------------------------


def test_hostile_titles_venues_and_descriptions(client, sign_in, db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    stored = []
    for value in hostile_strings():
        before = count_rows(Programme)
        response = client.post(
            "/manage/seoul/programmes/new",
            data=programme_form(title=value, venue=value, description=value),
        )
        assert response.status_code in (200, 302), value
        if response.status_code == 200:
            errors = field_errors(response)
            assert errors and set(errors) <= {"title", "venue", "description"}, (value, errors)
            assert count_rows(Programme) == before
            continue
        programme = db.session.scalar(select(Programme).order_by(Programme.id.desc()))
        assert programme.title == one_line(value), value
        assert programme.venue == one_line(value), value
        assert programme.description == value.strip(), value
        stored.append(programme)
        detail = client.get(response.location)
        assert detail.status_code == 200, value
        html = _html(detail)
        assert str(escape(value.strip())) in html, value
        edit = client.get(f"/manage/seoul/programmes/{programme.id}/edit")
        assert edit.status_code == 200, value
        assert "<script>alert(1)" not in _html(edit) and "<img src=x" not in _html(edit)
        assert "<script>alert(1)" not in html and "<img src=x" not in html
    titles = {p.title for p in stored}
    assert {"<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}"} <= titles
    overview = _html(client.get("/manage/seoul/"))
    for programme in stored:
        assert str(escape(programme.title)) in overview
    assert "<script>alert(1)" not in overview and "<img src=x" not in overview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overview
    assert "{{ 7*7 }}" in overview and ">49<" not in overview


def test_control_characters_and_overlong_values_are_refused(client, sign_in, db):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    response = client.post(
        "/manage/seoul/programmes/new",
        data=programme_form(title="Bad\x1b[31m title", venue="v" * 301),
    )
    assert field_errors(response) == {
        "title": "Remove the control characters from this field.",
        "venue": "Use at most 300 characters.",
    }
    assert count_rows(Programme) == 0


def test_manage_posts_need_a_csrf_token(app, client, sign_in, db, monkeypatch):
    centre = make_centre(slug="seoul", timezone="Asia/Seoul")
    sign_in(make_staff(centre, "director"))
    draft = make_programme(centre, status=ProgrammeStatus.DRAFT, sessions=2)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = manage_snapshot()
    base = f"/manage/seoul/programmes/{draft.id}"
    for url, data in (
        (f"{base}/publish", {}),
        ("/manage/seoul/programmes/new", programme_form()),
        (f"{base}/sessions/{draft.sessions[0].id}/delete", {}),
        (f"{base}/duplicate", {"title": "Copy", "shift_days": "7"}),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
    assert manage_snapshot() == before

    page = _html(client.get(base))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"{base}/publish", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.status == ProgrammeStatus.PUBLISHED
