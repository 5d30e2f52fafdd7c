"""Dates, times, zones, numbers and lists as rendered pages, emails and calendars show them."""

import html as html_lib
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.lists import format_list
from flask_babel import force_locale

from miti_training import audit
from miti_training.extensions import db as _db
from miti_training.formatting import LANGUAGES
from miti_training.models import ProgrammeSession, RegistrationStatus
from miti_training.registrations import enrolment
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import plain_spaces, text_of

D = "[0-9\u0660-\u0669\u06f0-\u06f9]"
WITH_SECONDS = re.compile(rf"{D}:{D}{D}:{D}{D}")
US_SHORT_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2}\b")
LATIN_DIGIT = re.compile(r"[0-9]")


def visible_main(response) -> str:
    """The text a reader sees in <main>: no tags, attributes or scripts, entities decoded."""
    assert response.status_code == 200, response.status_code
    page = text_of(response)
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return plain_spaces(html_lib.unescape(re.sub(r"<[^>]+>", " ", main)))


def _choose(client, language):
    client.post("/language", data={"lang": language, "next": "/"})


@pytest.fixture
def seoul_programme(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    programme = make_programme(centre, title="Peer Review Process", sessions=2)
    for session, title in zip(programme.sessions, ("Opening", "Closing"), strict=True):
        session.title = title
    _db.session.commit()
    return programme


# Main pages in every language ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_show_no_seconds_and_no_zone_ids(client, db, login, seoul_programme, language):
    _choose(client, language)
    public = [
        "/",
        "/programmes",
        f"/programmes/{seoul_programme.slug}",
        "/centres/seoul",
    ]
    for path in public:
        text = visible_main(client.get(path))
        assert not WITH_SECONDS.search(text), (path, WITH_SECONDS.search(text))
        assert "Asia/Seoul" not in text, path
    user = make_user(preferred_language=language, timezone="Europe/Paris")
    registration = make_registration(seoul_programme, user)
    _db.session.commit()
    login(user)
    for path in ["/my/registrations", f"/my/registrations/{registration.id}"]:
        text = visible_main(client.get(path))
        assert not WITH_SECONDS.search(text), (path, WITH_SECONDS.search(text))
        assert "Asia/Seoul" not in text and "Europe/Paris" not in text, path


def test_the_timetable_names_the_zones_by_their_cities(client, db, login, seoul_programme):
    login(make_user(timezone="America/Mexico_City"))
    text = visible_main(client.get(f"/programmes/{seoul_programme.slug}"))
    assert "At the centre (Seoul)" in text and "Your time (Mexico City)" in text
    _choose(client, "fr")
    login(make_user(timezone="America/Mexico_City", preferred_language="fr"))
    text = visible_main(client.get(f"/programmes/{seoul_programme.slug}"))
    assert "(Séoul)" in text and "(Mexico)" in text


def test_a_paris_session_across_the_clock_change_shows_each_end_with_its_offset(client, db, login):
    centre = make_centre(slug="paris", city="Paris", timezone="Europe/Paris")
    programme = make_programme(
        centre,
        sessions=0,
        starts_on=date(2026, 3, 29),
        registration_closes_at=datetime(2026, 3, 27, tzinfo=UTC),
    )
    programme.sessions.append(
        ProgrammeSession(
            title="Night walk",
            starts_at=datetime(2026, 3, 29, 0, 0, tzinfo=UTC),
            ends_at=datetime(2026, 3, 29, 2, 0, tzinfo=UTC),
        )
    )
    _db.session.commit()
    login(make_user(timezone="Asia/Tehran"))
    text = visible_main(client.get(f"/programmes/{programme.slug}"))
    assert "1:00 AM GMT+01:00 – 4:00 AM GMT+02:00" in text
    assert "1:00 – 4:00 AM GMT+01:00" not in text
    assert "3:30 – 5:30 AM" in text and "GMT+03:30" in text  # Tehran has no clock change


# Staff pages ------------------------------------------------------------------------------


def test_staff_pages_use_no_us_short_dates_and_no_seconds(client, db, login, seoul_programme):
    registration = make_registration(seoul_programme, decided_at=datetime.now(UTC))
    director = make_staff(seoul_programme.centre, "director")
    audit.record(
        "registration.confirm",
        actor=director,
        programme=seoul_programme,
        registration=registration,
        to_state="confirmed",
    )
    _db.session.commit()
    login(director)
    base = f"/manage/seoul/programmes/{seoul_programme.id}"
    for path in [
        base,
        f"{base}/registrations",
        f"/manage/seoul/registrations/{registration.id}",
        "/manage/seoul/",
        "/manage/seoul/dashboard",
    ]:
        text = visible_main(client.get(path))
        assert not US_SHORT_DATE.search(text), (path, US_SHORT_DATE.search(text))
        assert not WITH_SECONDS.search(text), (path, WITH_SECONDS.search(text))
        assert "Asia/Seoul" not in text, path
    login(make_admin())
    text = visible_main(client.get(f"/admin/users/{director.id}"))
    assert not US_SHORT_DATE.search(text) and not WITH_SECONDS.search(text)
    assert "Asia/Seoul" not in text


# Persian and Arabic pages ---------------------------------------------------------------------


def test_a_persian_programme_page_writes_persian_digits_and_the_solar_hijri_date(
    client, db, seoul_programme
):
    _choose(client, "fa")
    response = client.get(f"/programmes/{seoul_programme.slug}")
    text = visible_main(response)
    assert not LATIN_DIGIT.search(text), LATIN_DIGIT.findall(text)[:5]
    assert re.search("[\u06f0-\u06f9]", text)
    starts = seoul_programme.starts_on
    with force_locale("fa"):
        from miti_training.formatting import local_calendar_range

        jalali = local_calendar_range(starts, seoul_programme.ends_on)
    assert jalali and jalali in text
    assert re.search("(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند)", jalali)
    # What machines read stays Latin: <time datetime="...">.
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}T', text_of(response))
    assert starts.isoformat()[:4] not in text
    for path in ["/", "/programmes", "/centres/seoul"]:
        other = visible_main(client.get(path))
        assert not LATIN_DIGIT.search(other), (path, LATIN_DIGIT.findall(other)[:5])


def test_an_arabic_programme_page_adds_the_hijri_date_and_joins_lists_in_arabic(
    client, db, seoul_programme
):
    seoul_programme.languages = "ar,en,fr"
    _db.session.commit()
    _choose(client, "ar")
    text = visible_main(client.get(f"/programmes/{seoul_programme.slug}"))
    names = ["العربية", "الإنجليزية", "الفرنسية"]
    assert format_list(names, locale="ar") in text
    assert "العربية, " not in text and "الإنجليزية, " not in text
    assert "هـ" in text  # the Hijri date beside the Gregorian one


# Emails and calendars ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "fa", "ko"])
def test_the_confirmation_email_shows_the_first_session_without_seconds(
    db, outbox, seoul_programme, language
):
    user = make_user(preferred_language=language)
    enrolment.register(seoul_programme, user, answers={}, consent_data=True, consent_listing=False)
    _db.session.commit()
    [message] = [m for m in outbox if m.to == user.email]
    assert message.locale == language
    assert not WITH_SECONDS.search(message.body), message.body
    assert "Asia/Seoul" not in message.body
    with force_locale(language):
        from miti_training.formatting import format_in_zone, zone_name

        first = format_in_zone(seoul_programme.sessions[0].starts_at, "Asia/Seoul")
        assert f"{first} ({zone_name('Asia/Seoul')})" in message.body
    if language == "fa":
        assert not LATIN_DIGIT.search(first)


def test_the_calendar_file_stays_machine_readable_in_any_language(client, db, seoul_programme):
    _choose(client, "fa")
    body = client.get(f"/programmes/{seoul_programme.slug}.ics").get_data(as_text=True)
    start = seoul_programme.sessions[0].starts_at.astimezone().astimezone(UTC)
    local = (start + timedelta(hours=9)).strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID=Asia/Seoul:{local}" in body
    assert not re.search("[\u06f0-\u06f9]", body)


def test_staff_counts_follow_the_locale_digits(client, db, login, seoul_programme):
    for _ in range(3):
        make_registration(seoul_programme, status=RegistrationStatus.CONFIRMED)
    director = make_staff(seoul_programme.centre, "director", preferred_language="fa")
    _db.session.commit()
    login(director)
    response = client.get(f"/manage/seoul/programmes/{seoul_programme.id}/registrations")
    text = visible_main(response)
    assert "<dd>۳</dd>" in text_of(response) and "(۳)" in text and "(3)" not in text
    # The dashboard holds nothing typed by people: every figure is in Persian digits.
    text = visible_main(client.get("/manage/seoul/dashboard"))
    assert "۱۵" in text and not LATIN_DIGIT.search(text), LATIN_DIGIT.findall(text)
