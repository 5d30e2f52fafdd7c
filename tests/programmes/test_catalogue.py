"""Public pages of programmes and centres: programme page, centre page, home page cards."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask

from miti_training.models import (
    EnrolmentPolicy,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
    utcnow,
)
from tests.support.factories import (
    PASSWORD,
    make_centre,
    make_programme,
    make_staff,
    make_user,
    today,
)
from tests.support.pages import main_of, text_of, translated


def card_slugs(html: str) -> list[str]:
    return re.findall(r'class="card-title"><a href="/programmes/([^"]+)"', html)


# Programme page ------------------------------------------------------------------------------


def test_drafts_are_404_for_the_public_and_for_other_centres_staff(client, db, login):
    own, other = make_centre(), make_centre()
    draft = make_programme(own, status=ProgrammeStatus.DRAFT, title="Secret draft")
    assert client.get(f"/programmes/{draft.slug}").status_code == 404
    assert client.get(f"/programmes/{draft.slug}.ics").status_code == 404
    login(make_staff(other, "director"))
    assert client.get(f"/programmes/{draft.slug}").status_code == 404
    assert client.get(f"/programmes/{draft.slug}.ics").status_code == 404
    assert "Secret draft" not in text_of(client.get("/programmes"))
    assert "Secret draft" not in text_of(client.get(f"/centres/{own.slug}"))


def test_unknown_programme_is_404(client, db):
    assert client.get("/programmes/no-such-programme").status_code == 404
    assert client.get("/programmes/no-such-programme.ics").status_code == 404


def test_programme_page_shows_timetable_in_the_centre_time(client, db):
    centre = make_centre(timezone="Asia/Tehran", name="Mashhad centre")
    programme = make_programme(centre, title="Smart city governance")
    response = client.get(f"/programmes/{programme.slug}")
    assert response.status_code == 200
    html = text_of(response)
    assert "Smart city governance" in html and "Tehran" in html
    # Factory sessions start at 01:00 UTC, which is 04:30 in Tehran (no DST since 2022).
    assert "4:30" in html
    assert "GMT+03:30" in html


def test_programme_page_has_one_h1_and_the_details(client, db):
    centre = make_centre(slug="cairo", name="MITI Regional Centre Cairo", timezone="Africa/Cairo")
    programme = make_programme(
        centre,
        title="Integrated Urban Water Management",
        venue="Garden City, Cairo",
        languages="ar,en",
        capacity=20,
        seats_taken=4,
    )
    html = main_of(client.get(f"/programmes/{programme.slug}"))
    assert html.count("<h1") == 1
    assert 'href="/centres/cairo"' in html
    assert "Garden City, Cairo" in html
    assert "In person" in html
    assert "Arabic and English" in html
    assert "20 seats" in html and "16 seats left" in html
    assert "Registration opens" in html and "Registration closes" in html
    assert f'href="/programmes/{programme.slug}.ics"' in html and "Add to calendar" in html


def test_description_is_plain_text_paragraphs_never_html(client, db):
    programme = make_programme(
        title="<script>alert(1)</script>",
        summary="<b>bold</b>",
        description="First <em>para</em>.\r\n\r\nSecond para,\nwith a line break.\n \nThird.",
    )
    html = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "<script>alert(1)" not in html and "<b>bold</b>" not in html
    assert "<em>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<p dir="auto">First &lt;em&gt;para&lt;/em&gt;.</p>' in html
    assert '<p dir="auto">Second para,<br>with a line break.</p>' in html
    assert '<p dir="auto">Third.</p>' in html


def test_user_text_is_escaped_on_public_pages(client, db):
    programme = make_programme(
        title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"
    )
    for url in (
        f"/programmes/{programme.slug}",
        "/programmes",
        "/",
        "/centres/" + programme.centre.slug,
    ):
        html = text_of(client.get(url))
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _translate(programme, language, title, summary="", description=""):
    programme.translations.append(
        ProgrammeTranslation(
            language=language, title=title, summary=summary, description=description
        )
    )


def test_programme_in_the_viewer_language_when_translated(client, db):
    programme = make_programme(title="Water management", summary="In English.")
    _translate(programme, "fr", "Gestion de l’eau", "En français.", "Description en français.")
    html = main_of(client.get(f"/programmes/{programme.slug}", headers={"Accept-Language": "fr"}))
    assert '<bdi lang="fr">Gestion de l’eau</bdi>' in html
    assert "En français." in html and "Description en français." in html
    assert "Water management" not in html
    assert "Shown in the original language" not in html


def test_programme_falls_back_to_the_original_with_a_note(client, db):
    programme = make_programme(title="Water management", summary="In English.")
    _translate(programme, "fr", "Gestion de l’eau")
    html = main_of(client.get(f"/programmes/{programme.slug}", headers={"Accept-Language": "ko"}))
    assert '<bdi lang="en">Water management</bdi>' in html
    # The note is in the viewer's language, naming the language in it too.
    assert (
        translated("Shown in the original language (%(language)s)", "ko", language="영어") in html
    )
    english = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "Shown in the original language" not in english


def test_programme_in_another_original_language_notes_it_for_english_viewers(client, db):
    programme = make_programme(title="Gouvernance métropolitaine", original_language="fr")
    html = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "Shown in the original language (French)" in html
    assert '<bdi lang="fr">Gouvernance métropolitaine</bdi>' in html


def _programme_with_winter_sessions(centre):
    programme = make_programme(centre, starts_on=date(2027, 1, 12), sessions=0)
    programme.sessions.append(
        ProgrammeSession(
            title="Opening",
            starts_at=datetime(2027, 1, 12, 1, 0, tzinfo=UTC),
            ends_at=datetime(2027, 1, 12, 8, 0, tzinfo=UTC),
        )
    )
    return programme


def test_viewer_time_beside_the_centre_time_for_a_user_in_another_zone(client, db, login):
    programme = _programme_with_winter_sessions(make_centre(timezone="Asia/Seoul"))
    login(make_user(timezone="Europe/Paris"))
    html = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "At the centre (Seoul)" in html and "Your time (Paris)" in html
    # 01:00-08:00 UTC: 10:00-17:00 in Seoul, 02:00-09:00 in Paris (winter time).
    assert "Tue, Jan 12, 2027, 10:00 AM – 5:00 PM" in html
    assert "Tue, Jan 12, 2027, 2:00 – 9:00 AM" in html
    assert "GMT+09:00" in html and "GMT+01:00" in html
    assert 'datetime="2027-01-12T10:00:00+09:00"' in html
    assert 'datetime="2027-01-12T02:00:00+01:00"' in html


def test_no_viewer_column_for_the_same_zone_or_anonymous_visitors(client, db, login):
    programme = _programme_with_winter_sessions(make_centre(timezone="Asia/Seoul"))
    anonymous = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "At the centre (Seoul)" in anonymous and "Your time" not in anonymous
    login(make_user(timezone="Asia/Seoul"))
    same = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "Your time" not in same


def test_viewer_time_can_fall_on_another_day(client, db, login):
    programme = _programme_with_winter_sessions(make_centre(timezone="Asia/Seoul"))
    login(make_user(timezone="America/Mexico_City"))
    html = main_of(client.get(f"/programmes/{programme.slug}"))
    # 01:00 UTC on 12 January is 19:00 on 11 January in Mexico City.
    assert "Mon, Jan 11, 2027, 7:00 PM – Tue, Jan 12, 2027, 2:00 AM" in html


def test_anonymous_visitors_are_invited_to_log_in_and_come_back(client, db):
    programme = make_programme()
    html = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "Log in or create an account to register." in html
    # Both lead on to the registration form.
    assert f'href="/account/login?next=/programmes/{programme.slug}/register"' in html
    assert f'href="/account/signup?next=/programmes/{programme.slug}/register"' in html


def test_no_login_invitation_when_registration_is_over(client, db):
    past_close = utcnow() - timedelta(hours=1)
    programme = make_programme(registration_closes_at=past_close)
    html = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "Closed" in html and "Registration for this programme has closed." in html
    assert "Log in or create an account" not in html


def test_logged_in_users_see_a_register_button_instead_of_the_login_invitation(client, db, login):
    programme = make_programme()
    login(make_user())
    html = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "Log in or create an account" not in html
    assert f'<form method="post" action="/programmes/{programme.slug}/register"' in html


@pytest.fixture
def app_with_registration(app, db):
    """The app, whose registrations blueprint provides 'registrations.register'."""
    assert "registrations.register" in app.view_functions
    return app


def _page_as_participant(application: Flask, db, programme) -> str:
    """The programme page as a logged-in participant, served by application."""
    slug, email = programme.slug, make_user().email
    db.session.commit()  # the other app's requests must see the rows (and get the write lock)
    client = application.test_client()
    login = client.post("/account/login", data={"email": email, "password": PASSWORD})
    assert login.status_code == 302
    return main_of(client.get(f"/programmes/{slug}"))


@pytest.mark.parametrize(
    ("kw", "button"),
    [
        ({}, "Register"),
        ({"enrolment_policy": EnrolmentPolicy.REVIEW}, "Apply"),
        ({"capacity": 2, "seats_taken": 2}, "Join the waiting list"),
    ],
)
def test_register_button_posts_to_the_registration_endpoint(
    app_with_registration: Flask, db, kw, button
):
    html = _page_as_participant(app_with_registration, db, make_programme(**kw))
    assert re.search(r'<form method="post" action="/programmes/[^"]+/register', html)
    assert 'name="csrf_token"' in html
    assert f">{button}</button>" in html


def test_full_programme_without_waiting_list_has_no_button(app_with_registration, db):
    programme = make_programme(capacity=1, seats_taken=1, is_waitlist_enabled=False)
    html = _page_as_participant(app_with_registration, db, programme)
    assert "Full" in html and "All seats are taken." in html
    assert 'method="post" action="/programmes' not in html


def test_cancelled_programme_shows_the_reason_prominently(client, db):
    programme = make_programme(
        status=ProgrammeStatus.CANCELLED,
        cancellation_reason="The venue is closed for repairs.\n\nA new edition follows in May.",
    )
    html = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "This programme has been cancelled" in html
    assert "The venue is closed for repairs." in html and "A new edition follows in May." in html
    assert html.index("This programme has been cancelled") < html.index("Timetable")
    assert "Log in or create an account" not in html
    listing = text_of(client.get("/programmes"))
    assert programme.slug in listing and ">Cancelled<" in listing


def test_completed_programme_is_public_and_says_so(client, db):
    programme = make_programme(
        status=ProgrammeStatus.COMPLETED, starts_on=today() - timedelta(days=30)
    )
    html = main_of(client.get(f"/programmes/{programme.slug}"))
    assert "Completed" in html and "This programme has taken place." in html


# Centre page --------------------------------------------------------------------------------


def test_centre_page_and_unknown_centre(client, db):
    centre = make_centre(
        slug="cairo",
        name="MITI Regional Centre Cairo",
        city="Cairo",
        country="Egypt",
        timezone="Africa/Cairo",
        host_institution="Cairo Governorate",
        contact_email="cairo@miti.example",
    )
    make_programme(centre, title="Water management")
    html = main_of(client.get("/centres/cairo"))
    assert html.count("<h1") == 1
    assert "MITI Regional Centre Cairo" in html and "Water management" in html
    assert "<bdi>Cairo</bdi>, <bdi>Egypt</bdi>" in html
    assert "Cairo Governorate" in html and 'href="mailto:cairo@miti.example"' in html
    assert "Cairo" in html and "Africa/Cairo" not in html
    assert client.get("/centres/atlantis").status_code == 404


def test_centre_page_lists_upcoming_and_past_of_that_centre_only(client, db):
    centre, other = make_centre(slug="paris"), make_centre()
    day = today()
    soon = make_programme(centre, title="Soon", starts_on=day + timedelta(days=5))
    later = make_programme(centre, title="Later", starts_on=day + timedelta(days=50))
    cancelled = make_programme(
        centre,
        title="Called off",
        starts_on=day + timedelta(days=9),
        status=ProgrammeStatus.CANCELLED,
    )
    done = make_programme(
        centre, title="Done", starts_on=day - timedelta(days=40), status=ProgrammeStatus.COMPLETED
    )
    older = make_programme(
        centre,
        title="Older",
        starts_on=day - timedelta(days=400),
        status=ProgrammeStatus.COMPLETED,
    )
    make_programme(centre, title="Hidden draft", status=ProgrammeStatus.DRAFT)
    make_programme(other, title="Elsewhere")
    html = main_of(client.get("/centres/paris"))
    upcoming = html[html.index('id="upcoming-heading"') : html.index('id="past-heading"')]
    past = html[html.index('id="past-heading"') :]
    assert card_slugs(upcoming) == [soon.slug, cancelled.slug, later.slug]
    assert card_slugs(past) == [done.slug, older.slug]
    assert "Hidden draft" not in html and "Elsewhere" not in html
    assert ">Cancelled<" in upcoming and ">Completed<" in past


def test_centre_page_links_to_the_catalogue_when_there_are_many(client, db):
    centre = make_centre(slug="seoul")
    for n in range(14):
        make_programme(centre, title=f"Course {n}", starts_on=today() + timedelta(days=n + 1))
    html = main_of(client.get("/centres/seoul"))
    assert len(card_slugs(html)) == 12
    assert 'href="/programmes?centre=seoul"' in html


def test_centre_page_says_when_there_is_nothing(client, db):
    make_centre(slug="mashhad")
    html = main_of(client.get("/centres/mashhad"))
    assert "No upcoming programmes at this centre." in html
    assert "No past programmes yet." in html


# Home page ----------------------------------------------------------------------------------


def test_home_page_uses_the_programme_cards(client, db):
    programme = make_programme(title="Peer Review Process workshop", capacity=15, seats_taken=4)
    _translate(programme, "es", "Taller del Proceso de Revisión por Pares")
    make_programme(title="Old one", status=ProgrammeStatus.COMPLETED, starts_on=date(2020, 1, 1))
    html = main_of(client.get("/"))
    assert card_slugs(html) == [programme.slug]
    assert "11 seats left" in html and "Open until" in html
    spanish = main_of(client.get("/", headers={"Accept-Language": "es"}))
    assert "Taller del Proceso de Revisión por Pares" in spanish


def test_full_programme_cards_say_so_without_a_seat_count(client, db):
    make_programme(title="Full course", capacity=2, seats_taken=2, is_waitlist_enabled=True)
    make_programme(title="Closed list", capacity=1, seats_taken=1, is_waitlist_enabled=False)
    html = main_of(client.get("/programmes"))
    assert '<span class="badge badge-warn">Waiting list open</span>' in html
    assert '<span class="badge badge-warn">Full</span>' in html
    assert "0 seats left" not in html
