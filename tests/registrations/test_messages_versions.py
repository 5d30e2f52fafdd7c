"""Messages people can answer, in their language, sent only from a fresh preview, and kept.

Over real HTTP and a real database: Reply-To to the centre or to the coordinator; the version
of each recipient's language (else the original) with its placeholders written for that
language and the recipient's time zone; Send only on the preview, naming the count, and
refused when the draft or the audience changed since; the history of sent messages.
"""

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from markupsafe import escape

from miti_training.extensions import db as _db
from miti_training.formatting import date_range, moment_in_zone, zone_offset
from miti_training.models import (
    ProgrammeTranslation,
    RegistrationStatus,
    SentMessage,
    SentMessageRecipient,
    utcnow,
)
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
    register_official,
)
from tests.support.pages import assert_accessible_page, field_errors, flashes, follow
from tests.support.pages import text_of as _html
from tests.support.testdata import officials

PEOPLE = {row["full_name"]: row for row in officials()}
ARABIC, FRENCH, SPANISH = "منى السيد", "Chloé Lefèvre", "Lucía Hernández Ortega"

AR_SUBJECT = "معلومات عملية عن {programme}"
AR_BODY = (
    "عزيزتي {name}،\n\nمرحبًا بكم في {programme} ({dates}). تبدأ الجلسة الأولى {first_session}."
)
FR_SUBJECT = "Informations pratiques : {programme}"
FR_BODY = "Bonjour {name},\n\nBienvenue à {programme} ({dates}). Début : {first_session}."
EN_SUBJECT = "Practical information: {programme}"
EN_BODY = "Dear {name},\n\nWelcome to {programme} ({dates}). First session: {first_session}."


@pytest.fixture
def paris(db):
    centre = make_centre(
        slug="paris",
        name="MITI Paris Île-de-France",
        timezone="Europe/Paris",
        contact_email="paris@miti.example",
    )
    programme = make_programme(centre, sessions=2, title="Peer Review Process")
    db.session.add_all(
        [
            ProgrammeTranslation(programme=programme, language="ar", title="عملية مراجعة الأقران"),
            ProgrammeTranslation(programme=programme, language="fr", title="Revue par les pairs"),
        ]
    )
    coordinator = make_staff(centre, "coordinator", email="claire.martin@paris-idf.example")
    people = {
        name: register_official(PEOPLE[name], programme) for name in (ARABIC, FRENCH, SPANISH)
    }
    people[ARABIC].user.timezone = "Africa/Cairo"
    people[FRENCH].user.timezone = "Europe/Paris"
    db.session.flush()
    return {"centre": centre, "programme": programme, "coordinator": coordinator, **people}


def _url(programme, centre="paris", what="message") -> str:
    return f"/manage/{centre}/programmes/{programme.id}/{what}"


def _form(action="preview", **overrides) -> dict:
    data = {
        "audience": "confirmed",
        "reply_to": "centre",
        "language": "en",
        "subject": EN_SUBJECT,
        "body": EN_BODY,
        "subject_ar": AR_SUBJECT,
        "body_ar": AR_BODY,
        "subject_fr": FR_SUBJECT,
        "body_fr": FR_BODY,
        action: "1",
    }
    data.update(overrides)
    return data


def _digest(html: str) -> str:
    return re.search(r'name="draft_digest" type="hidden" value="([^"]*)"', html).group(1)


def _preview_then_send(client, programme, **overrides):
    preview = client.post(_url(programme), data=_form(**overrides))
    assert preview.status_code == 200, _html(preview)[:2000]
    signed = {"draft_digest": _digest(_html(preview))}
    return client.post(_url(programme), data={**_form("send", **overrides), **signed})


def _expected(language: str, programme, zone: str) -> tuple[str, str]:
    first = programme.sessions[0].starts_at
    with force_locale(language):
        dates = date_range(programme.starts_on, programme.ends_on)
        when = f"{moment_in_zone(first, zone)} ({zone_offset(first, zone)})"
    return dates, when


# Language versions ------------------------------------------------------------------------------


def test_each_recipient_reads_their_languages_version_written_for_it(client, login, paris, outbox):
    programme = paris["programme"]
    login(paris["coordinator"])
    response = _preview_then_send(client, programme)
    assert response.status_code == 302
    by_address = {message.to: message for message in outbox}
    assert len(by_address) == 3

    arabic = by_address[PEOPLE[ARABIC]["email"]]
    dates, when = _expected("ar", programme, "Africa/Cairo")
    assert arabic.locale == "ar"
    assert arabic.subject == "معلومات عملية عن عملية مراجعة الأقران"
    assert arabic.body.startswith(
        f"عزيزتي {ARABIC}،\n\nمرحبًا بكم في عملية مراجعة الأقران ({dates})."
        f" تبدأ الجلسة الأولى {when}."
    )
    assert re.search(r"[\u0600-\u06ff]", dates)  # Arabic month names, not English ones
    assert 'dir="rtl"' in arabic.html and 'lang="ar"' in arabic.html
    assert arabic.reply_to == "paris@miti.example"

    french = by_address[PEOPLE[FRENCH]["email"]]
    dates, when = _expected("fr", programme, "Europe/Paris")
    assert french.locale == "fr"
    assert french.subject == "Informations pratiques : Revue par les pairs"
    assert french.body.startswith(
        f"Bonjour {FRENCH},\n\nBienvenue à Revue par les pairs ({dates}). Début : {when}."
    )
    assert "Programme Peer Review" not in french.body
    assert french.reply_to == "paris@miti.example"

    # Spanish has no version: the English original, with English title and dates.
    spanish = by_address[PEOPLE[SPANISH]["email"]]
    dates, when = _expected("en", programme, "UTC")
    assert spanish.locale == "en"
    assert spanish.subject == "Practical information: Peer Review Process"
    assert spanish.body.startswith(
        f"Dear {SPANISH},\n\nWelcome to Peer Review Process ({dates}). First session: {when}."
    )
    assert "The programme page:" in spanish.body


def test_the_preview_shows_each_version_and_who_reads_it(client, login, paris, outbox):
    login(paris["coordinator"])
    html = _html(client.post(_url(paris["programme"]), data=_form()))
    assert "This message goes to 3 people." in html
    assert "replies go to paris@miti.example" in html
    assert html.count(': <span lang="en">1 recipient</span>') == 3
    assert "Dear Lucía Hernández Ortega," in html
    assert f"عزيزتي {ARABIC}،" in html
    assert f"Bonjour {FRENCH}," in html
    assert outbox == []
    assert_accessible_page(html)


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"subject_fr": "Bonjour", "body_fr": ""},
            {"body_fr": "Write the message."},
        ),
        (
            {"subject_ar": "", "body_ar": "نص"},
            {"subject_ar": "Write a subject."},
        ),
        (
            {"subject_en": "Hello", "body_en": "Again"},
            {"subject_en": "The message is already in this language: leave this version empty."},
        ),
        (
            {"subject_fr": "Bonjour\r\nBcc: x@attacker.example"},
            {"subject_fr": "Write the subject on one line."},
        ),
    ],
)
def test_an_incomplete_version_is_refused_beside_its_field(
    client, login, paris, outbox, overrides, errors
):
    login(paris["coordinator"])
    for action in ("preview", "send"):
        response = client.post(_url(paris["programme"]), data=_form(action, **overrides))
        assert response.status_code == 422
        assert field_errors(response) == errors
    assert outbox == []


# Reply-To ---------------------------------------------------------------------------------------


def test_replies_can_go_to_the_coordinator_instead(client, login, paris, outbox):
    login(paris["coordinator"])
    html = _html(client.post(_url(paris["programme"]), data=_form(reply_to="sender")))
    assert "replies go to claire.martin@paris-idf.example" in html
    response = _preview_then_send(client, paris["programme"], reply_to="sender")
    assert response.status_code == 302
    assert {m.reply_to for m in outbox} == {"claire.martin@paris-idf.example"}


def test_a_centre_without_a_contact_address_offers_the_coordinators(client, login, paris, outbox):
    paris["centre"].contact_email = ""
    login(paris["coordinator"])
    page = _html(client.get(_url(paris["programme"])))
    assert re.search(
        r'<input checked id="reply_to-1" name="reply_to" type="radio" value="sender"', page
    )
    response = client.post(_url(paris["programme"]), data=_form())
    assert response.status_code == 422
    assert field_errors(response) == {
        "reply_to": "This centre has no contact address yet: choose your own address, or ask an "
        "administrator to add the centre's."
    }
    assert _preview_then_send(client, paris["programme"], reply_to="sender").status_code == 302
    assert len(outbox) == 3


def test_the_reply_to_header_is_in_the_stored_message(app, client, login, paris, tmp_path):
    """Through the outbox table and the .eml backend: the header a mail client reads."""
    import email
    from email import policy

    app.config.update(MAIL_BACKEND="outbox", MAIL_OUTBOX_DIR=str(tmp_path))
    try:
        login(paris["coordinator"])
        assert _preview_then_send(client, paris["programme"]).status_code == 302
    finally:
        app.config["MAIL_BACKEND"] = "memory"
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 3
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert message["Reply-To"] == "paris@miti.example"


# Send only from a fresh preview -------------------------------------------------------------------


def test_send_without_a_preview_is_refused_and_shows_one(client, login, paris, outbox):
    login(paris["coordinator"])
    response = client.post(_url(paris["programme"]), data=_form("send"))
    assert response.status_code == 422
    assert (
        "error",
        "The message or its recipients changed since the preview. Check this new preview, "
        "then send.",
    ) in flashes(response)
    html = _html(response)
    assert ">Send to 3 people</button>" in html
    assert outbox == []
    assert _db.session.query(SentMessage).count() == 0
    # The preview shown now carries a signature that sends.
    signed = {"draft_digest": _digest(html)}
    response = client.post(_url(paris["programme"]), data={**_form("send"), **signed})
    assert response.status_code == 302
    assert len(outbox) == 3


@pytest.mark.parametrize(
    "change",
    [
        {"body": EN_BODY + " P.S."},
        {"subject_fr": "Autre sujet"},
        {"body_ar": ""},
        {"subject_ar": "", "body_ar": ""},
        {"reply_to": "sender"},
        {"audience": "waitlisted"},
        {"draft_digest": "0" * 64},
        {"draft_digest": "\x80é"},  # not ASCII: refused like any other, not a 500
    ],
)
def test_a_draft_changed_after_its_preview_needs_a_new_one(client, login, paris, outbox, change):
    login(paris["coordinator"])
    html = _html(client.post(_url(paris["programme"]), data=_form()))
    data = {**_form("send"), "draft_digest": _digest(html), **change}
    response = client.post(_url(paris["programme"]), data=data)
    assert response.status_code == 422
    assert outbox == []


def test_an_audience_that_changed_since_the_preview_needs_a_new_one(
    client, login, db, paris, outbox
):
    login(paris["coordinator"])
    html = _html(client.post(_url(paris["programme"]), data=_form()))
    assert ">Send to 3 people</button>" in html
    make_registration(paris["programme"], make_user(full_name="Latecomer"))
    response = client.post(
        _url(paris["programme"]), data={**_form("send"), "draft_digest": _digest(html)}
    )
    assert response.status_code == 422
    assert ">Send to 4 people</button>" in _html(response)
    assert outbox == []


def test_the_send_button_names_one_person(client, login, db, seoul_single, outbox):
    login(seoul_single["coordinator"])
    html = _html(
        client.post(
            _url(seoul_single["programme"], "seoul"),
            data={**_form(), "subject_ar": "", "body_ar": "", "subject_fr": "", "body_fr": ""},
        )
    )
    assert ">Send to 1 person</button>" in html
    assert "This message goes to 1 person." in html


@pytest.fixture
def seoul_single(db):
    centre = make_centre(slug="seoul", contact_email="seoul@miti.example")
    programme = make_programme(centre)
    make_registration(programme)
    return {"programme": programme, "coordinator": make_staff(centre, "coordinator")}


# History ------------------------------------------------------------------------------------------


def test_the_history_starts_empty(client, login, paris):
    login(paris["coordinator"])
    response = client.get(_url(paris["programme"], what="messages"))
    assert response.status_code == 200
    html = _html(response)
    assert "No message has been sent about this programme yet." in html
    assert_accessible_page(html)


def test_a_sent_message_is_in_the_history_with_its_recipients(client, login, paris, outbox):
    programme = paris["programme"]
    login(paris["coordinator"])
    response = _preview_then_send(
        client, programme, subject="<img src=x onerror=alert(1)> {programme}"
    )
    landing = follow(client, response)
    assert ("success", "Message sent to 3 participants.") in flashes(landing)
    html = _html(landing)
    assert str(escape("<img src=x onerror=alert(1)> {programme}")) in html
    assert "<img src=x" not in html
    assert paris["coordinator"].full_name in html
    assert "Confirmed participants: 3 people" in html
    assert (
        '<span lang="en">English</span> (original), <span lang="fr">Français</span>, <span lang="ar">العربية</span>'
        in html
    )
    for name in (ARABIC, FRENCH, SPANISH):
        assert f"<bdi>{name}</bdi>" in html
    assert "paris@miti.example" in html
    assert_accessible_page(html)

    [record] = _db.session.query(SentMessage).all()
    assert record.recipient_count == 3 and record.languages == "en,fr,ar"
    languages = {r.registration.full_name: r.language for r in record.recipients}
    assert languages == {ARABIC: "ar", FRENCH: "fr", SPANISH: "en"}
    assert record.sender_id == paris["coordinator"].id


def test_the_history_is_paginated_newest_first(client, login, db, paris):
    programme = paris["programme"]
    registration = paris[ARABIC]
    for n in range(23):
        db.session.add(
            SentMessage(
                programme=programme,
                sender=paris["coordinator"],
                sender_name="x",
                audience="confirmed",
                reply_to="paris@miti.example",
                languages="en",
                subject=f"Message number {n}",
                recipient_count=1,
                sent_at=utcnow() - timedelta(hours=100 - n),
                recipients=[SentMessageRecipient(registration=registration, language="ar")],
            )
        )
    login(paris["coordinator"])
    first = _html(client.get(_url(programme, what="messages")))
    assert "Message number 22" in first and "Message number 3<" in first
    assert "Message number 2<" not in first
    assert "Page 1 of 2" in first
    second = _html(client.get(_url(programme, what="messages") + "?page=2"))
    assert "Message number 2<" in second and "Message number 0<" in second
    assert "Message number 22" not in second


def test_an_anonymised_recipient_stays_anonymous_in_the_history(client, login, db, paris, outbox):
    login(paris["coordinator"])
    _preview_then_send(client, paris["programme"])
    registration = paris[ARABIC]
    registration.user_id, registration.full_name, registration.email = None, "", ""
    registration.status = RegistrationStatus.WITHDRAWN
    html = _html(client.get(_url(paris["programme"], what="messages")))
    assert ARABIC not in html
    assert "Anonymised participant" in html


@pytest.mark.parametrize("role", ["participant", "other_coordinator"])
def test_others_cannot_read_the_history(client, login, paris, role):
    if role == "participant":
        login(paris[ARABIC].user)
    else:
        login(make_staff(make_centre(slug="cairo"), "coordinator"))
    assert client.get(_url(paris["programme"], what="messages")).status_code == 403
