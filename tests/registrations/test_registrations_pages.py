"""Participant pages: register (every policy, question kind and refusal), see, edit, withdraw."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from miti_training.extensions import db as _db
from miti_training.models import (
    EnrolmentPolicy,
    Programme,
    ProgrammeQuestion,
    ProgrammeStatus,
    QuestionKind,
    Registration,
    RegistrationStatus,
    utcnow,
)
from tests.support.factories import (
    PASSWORD,
    make_centre,
    make_programme,
    make_registration,
    make_user,
)
from tests.support.pages import field_errors, flashes, follow, main_of, plain_spaces, text_of
from tests.support.races import at_once
from tests.support.sql import statements_for
from tests.support.testdata import hostile_strings


def registration_of(programme, user) -> Registration | None:
    _db.session.expire_all()
    return _db.session.scalar(
        select(Registration).where(
            Registration.programme_id == programme.id, Registration.user_id == user.id
        )
    )


def registration_count(programme) -> int:
    return _db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.programme_id == programme.id)
    )


def add_question(programme, kind, label, *, required=False, choices=(), help_text="", position=0):
    question = ProgrammeQuestion(
        programme=programme,
        kind=kind,
        label=label,
        is_required=required,
        choices=list(choices),
        help_text=help_text,
        position=position,
    )
    _db.session.add(question)
    _db.session.flush()
    return question


def form_data(**extra) -> dict:
    """A filled-in registration form: the marker field and consent to data processing."""
    data = {"submitted": "1", "consent_data": "y"}
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def register_url(programme) -> str:
    return f"/programmes/{programme.slug}/register"


def detail_url(registration) -> str:
    return f"/my/registrations/{registration.id}"


def sign_in(login, client, user):
    """Log in and read the welcome message, so a test sees only the flashes it causes."""
    login(user, target_client=client)
    client.get("/")
    return user


@pytest.fixture
def participant(login, client):
    return sign_in(login, client, make_user(timezone="Europe/Paris"))


def errors_flashed(response) -> list[str]:
    return [message for category, message in flashes(response) if category == "error"]


# Access ---------------------------------------------------------------------------------------


def test_every_route_but_the_feed_sends_anonymous_visitors_to_log_in(client, db):
    programme = make_programme()
    registration = make_registration(programme)
    routes = [
        ("get", register_url(programme)),
        ("post", register_url(programme)),
        ("get", "/my/registrations"),
        ("get", detail_url(registration)),
        ("get", detail_url(registration) + "/edit"),
        ("post", detail_url(registration) + "/edit"),
        ("get", detail_url(registration) + "/withdraw"),
        ("post", detail_url(registration) + "/withdraw"),
        ("post", "/my/calendar-link"),
        ("post", "/my/calendar-link/revoke"),
    ]
    for method, url in routes:
        response = getattr(client, method)(url, data=form_data() if method == "post" else None)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/account/login?next="), (method, url)
    assert registration_of(programme, registration.user).status == RegistrationStatus.CONFIRMED
    assert registration_count(programme) == 1


def test_another_users_registration_is_404_everywhere(client, db, participant):
    programme = make_programme()
    theirs = make_registration(programme)
    for method, suffix in [
        ("get", ""),
        ("get", "/edit"),
        ("post", "/edit"),
        ("get", "/withdraw"),
        ("post", "/withdraw"),
    ]:
        response = getattr(client, method)(
            detail_url(theirs) + suffix, data={"motivation": "mine now"}
        )
        assert response.status_code == 404, (method, suffix)
    assert client.get("/my/registrations/999999").status_code == 404
    _db.session.expire_all()
    assert theirs.status == RegistrationStatus.CONFIRMED
    assert theirs.motivation == ""


def test_draft_programme_is_404_and_unknown_slugs_too(client, db, participant):
    draft = make_programme(status=ProgrammeStatus.DRAFT)
    assert client.get(register_url(draft)).status_code == 404
    assert client.post(register_url(draft), data=form_data()).status_code == 404
    assert client.get("/programmes/no-such-programme/register").status_code == 404
    assert client.get("/programmes/bad%20slug%00/register").status_code == 404
    assert registration_count(draft) == 0


# The form ---------------------------------------------------------------------------------


def test_form_shows_the_profile_read_only_and_asks_the_rest(client, db, participant):
    programme = make_programme(title="Peer Review Process Workshop")
    html = main_of(client.get(register_url(programme)))
    assert html.count("<h1") == 1
    assert "Register for “<bdi>Peer Review Process Workshop</bdi>”" in html
    assert participant.full_name in html and participant.email in html
    assert participant.member_city.name in html and participant.job_title in html
    assert 'href="/account/profile"' in html
    # The profile is shown, never editable here (no mass assignment of name or email).
    assert 'name="full_name"' not in html and 'name="email"' not in html
    for name in ("motivation", "accessibility_needs", "dietary_needs"):
        assert f'<label for="{name}">' in html
    assert 'id="consent_data"' in html and 'id="consent_listing"' in html
    assert 'id="consent_data-help"' in html  # the explanation, tied to the box
    assert "<legend>Consent</legend>" in html


def test_the_catalogue_button_post_shows_the_form_without_errors(client, db, participant):
    programme = make_programme()
    response = client.post(register_url(programme), data={})
    assert response.status_code == 200
    assert 'name="submitted"' in text_of(response)
    assert field_errors(response) == {}
    assert "form-error-summary" not in text_of(response)
    assert registration_count(programme) == 0


def test_catalogue_button_leads_to_the_form(client, db, participant):
    programme = make_programme()
    page = text_of(client.get(f"/programmes/{programme.slug}"))
    assert f'<form method="post" action="{register_url(programme)}"' in page


# Policies -----------------------------------------------------------------------------------


def test_first_come_registration_is_confirmed_at_once(client, db, participant, outbox):
    programme = make_programme(title="Urban Mobility", capacity=5)
    response = client.post(
        register_url(programme),
        data=form_data(motivation="To learn.", dietary_needs="Vegetarian", consent_listing="y"),
    )
    registration = registration_of(programme, participant)
    assert response.status_code == 302
    assert response.headers["Location"] == detail_url(registration)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.full_name == participant.full_name
    assert registration.email == participant.email
    assert registration.organisation == participant.member_city.name
    assert registration.dietary_needs == "Vegetarian"
    assert registration.consent_data_at is not None
    assert registration.consent_listing_at is not None
    _db.session.refresh(programme)
    assert programme.seats_taken == 1

    page = follow(client, response)
    assert (
        "success",
        "You are registered for “Urban Mobility”. Your seat is confirmed.",
    ) in flashes(page)
    html = main_of(page)
    assert ">Confirmed</span>" in html
    assert [message.to for message in outbox] == [participant.email]
    assert f"http://testserver.example{detail_url(registration)}" in outbox[0].body


def test_full_programme_puts_people_on_the_waiting_list_in_order(app, client, db, login):
    programme = make_programme(title="Seismic Resilience", capacity=1)
    make_registration(programme)
    programme.seats_taken = 1
    first, second = make_user(), make_user()

    sign_in(login, client, first)
    response = client.post(register_url(programme), data=form_data())
    assert registration_of(programme, first).status == RegistrationStatus.WAITLISTED
    assert registration_of(programme, first).waitlist_position == 1
    page = follow(client, response)
    assert (
        "success",
        "“Seismic Resilience” is full: you are on the waiting list at position 1. "
        "If a seat becomes free, it is offered to the first person on the list.",
    ) in flashes(page)
    assert "You are number 1 on the waiting list." in main_of(page)

    other_client = app.test_client()
    login(second, target_client=other_client)
    other_client.post(register_url(programme), data=form_data())
    assert registration_of(programme, second).waitlist_position == 2
    _db.session.refresh(programme)
    assert programme.seats_taken == 1


def test_waiting_list_form_says_so(client, db, participant):
    programme = make_programme(title="Small Workshop", capacity=1, seats_taken=1)
    html = main_of(client.get(register_url(programme)))
    assert "Join the waiting list for “<bdi>Small Workshop</bdi>”" in html
    assert ">Join the waiting list</button>" in html


def test_review_policy_needs_a_motivation_and_takes_no_seat(client, db, participant, outbox):
    programme = make_programme(title="Water Management", enrolment_policy=EnrolmentPolicy.REVIEW)
    form_html = main_of(client.get(register_url(programme)))
    assert "Apply for “<bdi>Water Management</bdi>”" in form_html
    assert re.search(
        r'<label for="motivation">Motivation</label> <span class="required"', form_html
    )

    response = client.post(register_url(programme), data=form_data(motivation="   "))
    assert response.status_code == 200
    assert "motivation" in field_errors(response)
    assert registration_count(programme) == 0

    response = client.post(
        register_url(programme), data=form_data(motivation="Our city is rebuilding its network.")
    )
    registration = registration_of(programme, participant)
    assert registration.status == RegistrationStatus.APPLIED
    assert registration.motivation == "Our city is rebuilding its network."
    _db.session.refresh(programme)
    assert programme.seats_taken == 0
    assert (
        "success",
        "Your application for “Water Management” has been received. The centre will review it "
        "and let you know by email.",
    ) in flashes(follow(client, response))


def test_first_come_motivation_is_optional(client, db, participant):
    programme = make_programme()
    client.post(register_url(programme), data=form_data())
    assert registration_of(programme, participant).motivation == ""


# Custom questions ---------------------------------------------------------------------------


@pytest.fixture
def questionnaire(db):
    programme = make_programme()
    questions = {
        "short": add_question(
            programme,
            QuestionKind.SHORT_TEXT,
            "Your department",
            required=True,
            help_text="As on your business card.",
            position=1,
        ),
        "long": add_question(programme, QuestionKind.LONG_TEXT, "A project to share", position=2),
        "single": add_question(
            programme,
            QuestionKind.SINGLE_CHOICE,
            "Arrival day",
            required=True,
            choices=["Sunday", "Monday"],
            position=3,
        ),
        "multi": add_question(
            programme,
            QuestionKind.MULTIPLE_CHOICE,
            "Site visits",
            choices=["Metro depot", "Water plant", "City hall"],
            position=4,
        ),
        "yes_no": add_question(
            programme, QuestionKind.YES_NO, "Will you present your city?", required=True, position=5
        ),
    }
    return programme, questions


def key(question) -> str:
    return f"q{question.id}"


def test_every_kind_of_question_is_asked_in_order_with_help_and_required_marks(
    client, db, participant, questionnaire
):
    programme, q = questionnaire
    html = main_of(client.get(register_url(programme)))
    assert "<legend>Questions from the centre</legend>" in html
    positions = [
        html.index(label)
        for label in (
            "Your department",
            "A project to share",
            "Arrival day",
            "Site visits",
            "Will you present your city?",
        )
    ]
    assert positions == sorted(positions)
    assert re.search(rf'<input [^>]*id="{key(q["short"])}"[^>]*type="text"', html)
    assert re.search(rf'<textarea [^>]*id="{key(q["long"])}"', html)
    assert "As on your business card." in html
    assert f'aria-describedby="{key(q["short"])}-help"' in html
    # Choices are fieldsets: the question is the legend, each option has its label.
    for question in (q["single"], q["multi"], q["yes_no"]):
        assert f'<fieldset class="field choice-group" id="{key(question)}"' in html
    assert f'name="{key(q["single"])}" required type="radio" value="Sunday"' in html
    assert (
        f'<label for="{key(q["multi"])}-0"><span lang="en" dir="auto">Metro depot</span></label>'
        in html
    )
    assert 'type="checkbox"' in html
    assert f'<label for="{key(q["yes_no"])}-0">Yes</label>' in html
    required_legends = re.findall(
        r'<legend><bdi><span lang="en" dir="auto">([^<]+)</span></bdi> <span class="required"', html
    )
    assert required_legends == ["Arrival day", "Will you present your city?"]


def test_required_questions_unanswered_are_errors_beside_each_field(
    client, db, participant, questionnaire
):
    programme, q = questionnaire
    response = client.post(register_url(programme), data=form_data())
    assert response.status_code == 200
    errors = field_errors(response)
    assert set(errors) == {key(q["short"]), key(q["single"]), key(q["yes_no"])}
    assert registration_count(programme) == 0
    html = text_of(response)
    assert f'href="#{key(q["single"])}"' in html  # the summary links to the fieldset


def test_invalid_choices_are_refused(client, db, participant, questionnaire):
    programme, q = questionnaire
    response = client.post(
        register_url(programme),
        data=form_data(
            **{
                key(q["short"]): "Transport",
                key(q["single"]): "Saturday",
                key(q["multi"]): ["Metro depot", "Casino"],
                key(q["yes_no"]): "perhaps",
            }
        ),
    )
    assert response.status_code == 200
    errors = field_errors(response)
    assert errors[key(q["single"])] == "Choose one of the options."
    assert errors[key(q["multi"])] == "Choose only among the options shown."
    assert errors[key(q["yes_no"])] == "Choose one of the options."
    assert registration_count(programme) == 0


def test_answers_are_stored_and_shown(client, db, participant, questionnaire):
    programme, q = questionnaire
    response = client.post(
        register_url(programme),
        data=form_data(
            **{
                key(q["short"]): "  Transport planning  ",
                key(q["long"]): "Bus rapid transit.\nSecond line.",
                key(q["single"]): "Monday",
                key(q["multi"]): ["City hall", "Metro depot"],
                key(q["yes_no"]): "yes",
            }
        ),
    )
    assert response.status_code == 302
    registration = registration_of(programme, participant)
    assert registration.answers == {
        key(q["short"]): "Transport planning",
        key(q["long"]): "Bus rapid transit.\nSecond line.",
        key(q["single"]): "Monday",
        key(q["multi"]): ["Metro depot", "City hall"],
        key(q["yes_no"]): "yes",
    }
    html = main_of(follow(client, response))
    assert "Transport planning" in html
    assert "Bus rapid transit.<br>Second line." in html
    assert "Metro depot, City hall" in html
    assert re.search(r"Will you present your city\?</bdi></dt>\s*<dd><p dir=\"auto\">Yes", html)


def test_optional_questions_may_stay_unanswered(client, db, participant):
    programme = make_programme()
    add_question(programme, QuestionKind.SINGLE_CHOICE, "Room", choices=["Single", "Shared"])
    add_question(programme, QuestionKind.YES_NO, "Vegetarian?")
    add_question(programme, QuestionKind.MULTIPLE_CHOICE, "Visits", choices=["A", "B"])
    response = client.post(register_url(programme), data=form_data())
    assert response.status_code == 302
    assert registration_of(programme, participant).answers == {}


def test_a_choice_may_be_called_none(client, db, participant):
    programme = make_programme()
    question = add_question(
        programme, QuestionKind.SINGLE_CHOICE, "Dietary restriction", choices=["None", "Halal"]
    )
    client.post(register_url(programme), data=form_data(**{key(question): "None"}))
    assert registration_of(programme, participant).answers == {key(question): "None"}


# Refusals -----------------------------------------------------------------------------------


def test_consent_to_data_processing_is_required(client, db, participant):
    programme = make_programme()
    response = client.post(register_url(programme), data=form_data(consent_data=None))
    assert response.status_code == 200
    assert "consent_data" in field_errors(response)
    assert registration_count(programme) == 0


def test_consent_to_the_participant_list_is_optional_and_separate(client, db, participant):
    programme = make_programme()
    client.post(register_url(programme), data=form_data())
    registration = registration_of(programme, participant)
    assert registration.consent_data_at is not None
    assert registration.consent_listing_at is None


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (
            {"registration_opens_at": utcnow() + timedelta(days=3)},
            "Registration is not open yet: it opens on",
        ),
        ({"registration_closes_at": utcnow() - timedelta(minutes=1)}, "Registration closed on"),
        (
            {"capacity": 1, "seats_taken": 1, "is_waitlist_enabled": False},
            "This programme is full and has no waiting list.",
        ),
        (
            {"status": ProgrammeStatus.CANCELLED},
            "This programme has been cancelled; registration is closed.",
        ),
        (
            {"status": ProgrammeStatus.COMPLETED},
            "This programme has already taken place; registration is closed.",
        ),
    ],
    ids=["not-open-yet", "closed", "full-no-waitlist", "cancelled", "completed"],
)
def test_refused_registrations_go_back_to_the_programme_with_the_reason(
    client, db, participant, kw, message
):
    programme = make_programme(**kw)
    back = f"/programmes/{programme.slug}"
    # The form is not offered...
    response = client.get(register_url(programme))
    assert response.status_code == 302 and response.headers["Location"] == back
    assert len(errors_flashed(follow(client, response))) == 1
    # ...and a form sent anyway (an old tab) is refused by the service, with its reason.
    response = client.post(register_url(programme), data=form_data())
    assert response.status_code == 302 and response.headers["Location"] == back
    messages = errors_flashed(follow(client, response))
    assert len(messages) == 1 and message in messages[0]
    assert registration_count(programme) == 0


def test_already_registered_goes_to_the_existing_registration(client, db, participant):
    programme = make_programme(title="Forum")
    existing = make_registration(programme, participant)
    for send in (
        lambda: client.get(register_url(programme)),
        lambda: client.post(register_url(programme), data=form_data()),
        lambda: client.post(register_url(programme), data={}),
    ):
        response = send()
        assert response.status_code == 302
        assert response.headers["Location"] == detail_url(existing)
        page = follow(client, response)
        html = text_of(page)
        assert "You already have a registration for “Forum”." in html
        assert f'<a href="{detail_url(existing)}">See your registration</a>' in html
    assert registration_count(programme) == 1


def test_double_submission_makes_one_registration(client, db, participant):
    programme = make_programme(capacity=10)
    first = client.post(register_url(programme), data=form_data())
    second = client.post(register_url(programme), data=form_data())
    registration = registration_of(programme, participant)
    assert first.headers["Location"] == second.headers["Location"] == detail_url(registration)
    assert registration_count(programme) == 1
    _db.session.refresh(programme)
    assert programme.seats_taken == 1


def test_two_tabs_submitting_at_once_make_one_registration(app, db):
    """Two requests of one person at the same moment, past the page's own check: one row."""
    programme = make_programme(capacity=10)
    user = make_user()
    url = register_url(programme)
    _db.session.commit()
    clients = [app.test_client(), app.test_client()]
    for c in clients:
        c.post("/account/login", data={"email": user.email, "password": PASSWORD})
    race = at_once([lambda c=c: c.post(url, data=form_data()).status_code for c in clients])
    assert race.leaks == []
    assert race.outcomes == [302, 302]
    assert registration_count(programme) == 1
    _db.session.expire_all()
    assert _db.session.get(Programme, programme.id).seats_taken == 1


def test_withdrawn_participants_may_register_again(client, db, participant):
    programme = make_programme()
    make_registration(programme, participant, status=RegistrationStatus.WITHDRAWN)
    assert client.get(register_url(programme)).status_code == 200
    client.post(register_url(programme), data=form_data())
    assert registration_of(programme, participant).status == RegistrationStatus.CONFIRMED
    assert registration_count(programme) == 1


# Detail, edit, withdraw -----------------------------------------------------------------------


def test_detail_shows_sessions_in_both_zones_answers_and_consents(client, db, login):
    centre = make_centre(timezone="Asia/Seoul")
    programme = make_programme(centre, sessions=2, title="Smart City")
    user = make_user(timezone="America/Mexico_City")
    registration = make_registration(
        programme, user, motivation="<b>bold</b> plans", consent_listing_at=utcnow()
    )
    sign_in(login, client, user)
    html = main_of(client.get(detail_url(registration)))
    assert html.count("<h1") == 1 and "Smart City" in html
    assert "At the centre (Seoul)" in html and "Your time (Mexico City)" in html
    assert "Day 1" in html and "Day 2" in html
    assert "GMT+09:00" in html
    assert "&lt;b&gt;bold&lt;/b&gt; plans" in html
    assert "Processing of your personal data" in html
    assert html.count("Given on") == 2
    assert f'href="{detail_url(registration)}/edit"' in html
    assert f'href="{detail_url(registration)}/withdraw"' in html


def test_edit_answers_while_open(client, db, participant):
    programme = make_programme()
    question = add_question(programme, QuestionKind.SHORT_TEXT, "Department", required=True)
    registration = make_registration(
        programme, participant, motivation="Old", answers={key(question): "Roads"}
    )
    page = client.get(detail_url(registration) + "/edit")
    html = main_of(page)
    assert html.count("<h1") == 1
    assert "Old</textarea>" in html and 'value="Roads"' in html
    assert 'id="consent_data"' not in html  # already given; only the listing can change

    response = client.post(
        detail_url(registration) + "/edit",
        data={"motivation": "New reasons", key(question): "Water", "consent_listing": "y"},
    )
    assert response.status_code == 302 and response.headers["Location"] == detail_url(registration)
    assert ("success", "Your answers have been saved.") in flashes(follow(client, response))
    _db.session.expire_all()
    assert registration.motivation == "New reasons"
    assert registration.answers == {key(question): "Water"}
    assert registration.consent_listing_at is not None
    assert registration.status == RegistrationStatus.CONFIRMED

    response = client.post(
        detail_url(registration) + "/edit", data={"motivation": "x", key(question): " "}
    )
    assert response.status_code == 200
    assert key(question) in field_errors(response)


@pytest.mark.parametrize(
    ("status", "kw"),
    [
        (RegistrationStatus.WAITLISTED, {}),
        (RegistrationStatus.WITHDRAWN, {}),
        (RegistrationStatus.CONFIRMED, {"registration_closes_at": utcnow() - timedelta(hours=1)}),
    ],
    ids=["waitlisted", "withdrawn", "window-closed"],
)
def test_answers_cannot_change_outside_applied_confirmed_and_the_window(
    client, db, participant, status, kw
):
    programme = make_programme(**kw)
    registration = make_registration(
        programme,
        participant,
        status=status,
        motivation="Kept",
        waitlist_position=1 if status == RegistrationStatus.WAITLISTED else None,
    )
    assert "/edit" not in main_of(client.get(detail_url(registration)))
    for method in ("get", "post"):
        response = getattr(client, method)(
            detail_url(registration) + "/edit", data={"motivation": "Changed"}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == detail_url(registration)
    _db.session.expire_all()
    assert registration.motivation == "Kept"


def test_withdraw_asks_first_then_offers_the_seat_to_the_waiting_list(
    client, db, participant, outbox
):
    programme = make_programme(title="Seismic Resilience", capacity=1, seats_taken=1)
    mine = make_registration(programme, participant)
    first = make_registration(programme, status=RegistrationStatus.WAITLISTED, waitlist_position=1)
    second = make_registration(programme, status=RegistrationStatus.WAITLISTED, waitlist_position=2)

    page = client.get(detail_url(mine) + "/withdraw")
    html = main_of(page)
    assert page.status_code == 200 and html.count("<h1") == 1
    assert "Withdraw from “<bdi>Seismic Resilience</bdi>”?" in html
    assert "Your seat will be freed and offered to the first person on the waiting list" in html
    _db.session.expire_all()
    assert mine.status == RegistrationStatus.CONFIRMED  # asking changed nothing

    response = client.post(detail_url(mine) + "/withdraw")
    assert response.status_code == 302 and response.headers["Location"] == detail_url(mine)
    page = follow(client, response)
    assert ("success", "You have withdrawn from “Seismic Resilience”.") in flashes(page)
    assert ">Withdrawn</span>" in main_of(page)
    assert "/withdraw" not in main_of(page)

    _db.session.expire_all()
    assert mine.status == RegistrationStatus.WITHDRAWN
    assert first.status == RegistrationStatus.CONFIRMED and first.waitlist_position is None
    assert second.status == RegistrationStatus.WAITLISTED and second.waitlist_position == 1
    assert _db.session.get(Programme, programme.id).seats_taken == 1
    assert {m.to for m in outbox} == {participant.email, first.email}

    again = client.post(detail_url(mine) + "/withdraw")
    assert again.status_code == 302
    assert errors_flashed(follow(client, again)) == ["This registration cannot be withdrawn."]


def test_withdrawing_from_the_waiting_list(client, db, participant):
    programme = make_programme(capacity=1, seats_taken=1)
    make_registration(programme)
    mine = make_registration(
        programme, participant, status=RegistrationStatus.WAITLISTED, waitlist_position=1
    )
    behind = make_registration(programme, status=RegistrationStatus.WAITLISTED, waitlist_position=2)
    html = main_of(client.get(detail_url(mine) + "/withdraw"))
    assert "You will leave the waiting list and lose your position." in html
    client.post(detail_url(mine) + "/withdraw")
    _db.session.expire_all()
    assert mine.status == RegistrationStatus.WITHDRAWN
    assert behind.waitlist_position == 1


# My registrations ---------------------------------------------------------------------------


def test_my_registrations_newest_programme_first_with_status_in_words(client, db, participant):
    centre = make_centre(timezone="Asia/Seoul")
    today = utcnow().date()
    soon = make_programme(centre, title="Soon", starts_on=today + timedelta(days=10))
    later = make_programme(centre, title="Later", starts_on=today + timedelta(days=90))
    applied = make_programme(centre, title="Applied one", starts_on=today + timedelta(days=50))
    make_registration(soon, participant)
    make_registration(later, participant, status=RegistrationStatus.WAITLISTED, waitlist_position=3)
    make_registration(applied, participant, status=RegistrationStatus.APPLIED)
    other = make_programme(centre, title="Somebody else's")
    make_registration(other)

    html = main_of(client.get("/my/registrations"))
    assert html.count("<h1") == 1
    assert html.index("Later") < html.index("Applied one") < html.index("Soon")
    assert "Somebody else" not in html
    assert ">Confirmed</span>" in html
    assert ">On the waiting list</span>" in html and "Position 3" in html
    assert ">Applied, waiting for review</span>" in html
    assert "(<bdi>Seoul</bdi>)" in html and "Paris" in html


def test_my_registrations_empty_state_links_to_the_catalogue(client, db, participant):
    html = main_of(client.get("/my/registrations"))
    assert "You have not registered for any programme yet." in html
    assert 'href="/programmes"' in html


def test_my_registrations_page_issues_a_constant_number_of_statements(client, db, participant):
    def count_for(n):
        for _ in range(n):
            make_registration(make_programme(sessions=2), participant)
        return statements_for(None, client, "/my/registrations")

    assert count_for(1) == count_for(5)


def test_header_links_to_my_registrations_when_logged_in(client, db, participant):
    assert 'href="/my/registrations"' in text_of(client.get("/"))


# Hostile input and CSRF ---------------------------------------------------------------------


def test_hostile_text_is_stored_verbatim_and_shown_escaped(client, db, participant):
    programme = make_programme(capacity=100)
    question = add_question(programme, QuestionKind.LONG_TEXT, "Anything else?")
    values = list(hostile_strings())
    response = client.post(
        register_url(programme),
        data=form_data(motivation=values[6], **{key(question): values[7]}),
    )
    assert response.status_code == 302
    registration = registration_of(programme, participant)
    edit = detail_url(registration) + "/edit"
    for value in values:
        response = client.post(edit, data={"motivation": value, key(question): value})
        assert response.status_code in (200, 302), (value, response.status_code)
        body = text_of(response)
        assert "<script>alert" not in body and "<img src=x" not in body
        if response.status_code == 200:
            assert field_errors(response), value  # refused with a message, never silently
            continue
        _db.session.expire_all()
        assert registration.motivation == value.strip()
        assert registration.answers[key(question)] == value.strip()
        page = client.get(detail_url(registration))
        assert page.status_code == 200
        shown = html_lib.unescape(main_of(page))
        assert "<script>alert(1)</script>" not in main_of(page)
        for line in value.strip().split("\n"):
            assert plain_spaces(line.strip()) in shown, value


def test_registration_post_needs_a_csrf_token(client, app, db, participant, monkeypatch):
    programme = make_programme()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(register_url(programme), data=form_data()).status_code == 400
    assert client.post(register_url(programme), data={}).status_code == 400
    assert registration_count(programme) == 0

    page = client.get(register_url(programme))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text_of(page)).group(1)
    response = client.post(register_url(programme), data=form_data(csrf_token=token))
    assert response.status_code == 302
    assert registration_of(programme, participant).status == RegistrationStatus.CONFIRMED


def test_registration_posts_are_rate_limited_per_account(client, app, db, participant, monkeypatch):
    from miti_training.extensions import limiter

    monkeypatch.setitem(app.config, "REGISTRATION_RATE_LIMIT", "3 per minute")
    limiter.reset()
    try:
        programmes = [make_programme() for _ in range(4)]
        statuses = [client.post(register_url(p), data=form_data()).status_code for p in programmes]
        assert statuses == [302, 302, 302, 429]
        assert registration_count(programmes[3]) == 0
        assert client.get(register_url(programmes[3])).status_code == 200  # reading is fine
    finally:
        limiter.reset()
