"""Messages from a centre to a programme's participants, over real HTTP and a real database:
preview without sending, exactly the chosen audience, placeholders per recipient in the language
of the message, user text never evaluated nor reflected unescaped (page and email), header
injection refused, other centres' staff and participants refused, the audit entry, an empty
audience refused, CSRF and the rate limit. Language versions, Reply-To, the preview's signature
and the history: test_messages_versions.py.

Which role may use which route is tested for every route in test_authorization_matrix.py.
"""

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from miti_training.extensions import limiter
from miti_training.models import (
    AuditEntry,
    ProgrammeStatus,
    ProgrammeTranslation,
    RegistrationStatus,
)
from miti_training.registrations import messages
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
from tests.support.testdata import hostile_strings, officials

S = RegistrationStatus
PEOPLE = {row["full_name"]: row for row in officials()}


@pytest.fixture
def seoul(db):
    centre = make_centre(
        slug="seoul",
        name="MITI Headquarters Seoul",
        timezone="Asia/Seoul",
        contact_email="seoul@miti.example",
    )
    programme = make_programme(centre, sessions=3, title="Smart City Policy Course")
    db.session.add(
        ProgrammeTranslation(programme=programme, language="ko", title="스마트시티 정책 과정")
    )
    db.session.flush()
    return {
        "centre": centre,
        "programme": programme,
        "coordinator": make_staff(centre, "coordinator"),
    }


@pytest.fixture
def group(db, seoul):
    """Three confirmed officials, others in every other status, one in another programme."""
    programme = seoul["programme"]
    for name in ("김지은", "منى السيد", "Lucía Hernández Ortega"):
        register_official(PEOPLE[name], programme)
    register_official(PEOPLE["Karim Haddad"], programme, S.WAITLISTED, waitlist_position=1)
    register_official(PEOPLE["Reza Karimi"], programme, S.APPLIED)
    register_official(PEOPLE["Park Min-jun"], programme, S.WITHDRAWN)
    register_official(PEOPLE["王芳"], programme, S.CANCELLED)
    register_official(PEOPLE["Chloé Lefèvre"], programme, S.DECLINED)
    register_official(PEOPLE["Aminata Diallo"], make_programme(seoul["centre"], title="Another"))
    return programme


def _url(programme, centre="seoul") -> str:
    return f"/manage/{centre}/programmes/{programme.id}/message"


def _form(action="send", **overrides) -> dict:
    data = {
        "audience": "confirmed",
        "reply_to": "centre",
        "language": "en",
        "subject": "Practical information for {programme}",
        "body": "Dear {name},\r\n\r\nWelcome to {programme} ({dates}).\r\nSee you soon.",
        action: "1",
    }
    data.update(overrides)
    return data


def digest_in(html: str) -> str:
    """The signature the preview page's Send button carries."""
    return re.search(r'name="draft_digest" type="hidden" value="([^"]*)"', html).group(1)


def _send(client, programme, centre="seoul", **overrides):
    """What a coordinator does: preview, then press Send on the preview page."""
    preview = client.post(_url(programme, centre), data=_form("preview", **overrides))
    digest = digest_in(_html(preview)) if preview.status_code == 200 else ""
    return client.post(_url(programme, centre), data={**_form(**overrides), "draft_digest": digest})


def _audit(db) -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "programme.message")
            .order_by(AuditEntry.id)
        )
    )


# The form and its preview --------------------------------------------------------------------


def test_the_form_shows_each_audience_with_its_count(client, login, seoul, group):
    login(seoul["coordinator"])
    response = client.get(_url(group))
    assert response.status_code == 200
    html = _html(response)
    assert "Confirmed participants (3)" in html
    assert "People on the waiting list (1)" in html
    assert "Applications waiting for review (1)" in html
    assert re.search(
        r'<input checked id="audience-0" name="audience" type="radio" value="confirmed"', html
    )
    # No Send button before a preview.
    assert 'name="send"' not in html and "Send to" not in html
    assert "{name}" in html and "{programme}" in html and "{dates}" in html
    assert 'action="/manage/seoul/programmes/' in html
    assert_accessible_page(html)


def test_preview_shows_the_first_recipient_and_sends_nothing(
    client, login, db, seoul, group, outbox
):
    login(seoul["coordinator"])
    response = client.post(_url(group), data=_form("preview"))
    assert response.status_code == 200
    html = _html(response)
    assert "This message goes to 3 people" in html
    assert ">Send to 3 people</button>" in html
    # The first by name: "Lucía ..." sorts before the Arabic and Korean names.
    assert "<bdi>Lucía Hernández Ortega</bdi>" in html
    assert "Dear Lucía Hernández Ortega,</p>" in html
    assert "Welcome to Smart City Policy Course (" in html
    assert "<br>See you soon.</p>" in html
    assert "Practical information for Smart City Policy Course" in html
    # The form keeps what was written.
    assert "Practical information for {programme}" in html
    assert outbox == []
    assert _audit(db) == []
    assert_accessible_page(html)


def test_preview_lists_braces_that_are_not_placeholders(client, login, seoul, group, outbox):
    login(seoul["coordinator"])
    body = "Dear {nmae}, {0.__class__} and {{ 7*7 }} and {name}."
    html = _html(client.post(_url(group), data=_form("preview", body=body)))
    assert "These are not placeholders and will be sent as written:" in html
    assert "<code>{nmae}</code>, <code>{0.__class__}</code>" in html
    assert "<code>{name}</code>" not in html
    assert "Dear {nmae}, {0.__class__} and {{ 7*7 }} and Lucía Hernández Ortega." in html
    assert outbox == []


def test_preview_of_an_empty_audience_says_so(client, login, seoul, outbox):
    login(seoul["coordinator"])
    response = client.post(_url(seoul["programme"]), data=_form("preview"))
    assert response.status_code == 200
    assert ("error", "Nobody would receive this message: choose another audience.") in flashes(
        response
    )
    assert "Nobody is in this audience yet." in _html(response)
    assert 'name="send"' not in _html(response)
    assert outbox == []


# Sending ---------------------------------------------------------------------------------------


def test_send_emails_exactly_the_confirmed_participants(client, login, db, seoul, group, outbox):
    login(seoul["coordinator"])
    response = _send(client, group)
    assert response.status_code == 302
    assert response.location.endswith(f"/manage/seoul/programmes/{group.id}/messages")
    landing = follow(client, response)
    assert ("success", "Message sent to 3 participants.") in flashes(landing)

    by_address = {message.to: message for message in outbox}
    assert set(by_address) == {
        PEOPLE[name]["email"] for name in ("김지은", "منى السيد", "Lucía Hernández Ortega")
    }
    korean = by_address[PEOPLE["김지은"]["email"]]
    arabic = by_address[PEOPLE["منى السيد"]["email"]]
    spanish = by_address[PEOPLE["Lucía Hernández Ortega"]["email"]]
    # Only an English version: everyone reads it in English, title and dates included (the
    # programme's Korean title and Korean dates would not fit an English sentence).
    assert korean.body.startswith("Dear 김지은,\n\nWelcome to Smart City Policy Course (")
    assert korean.subject == "Practical information for Smart City Policy Course"
    assert korean.locale == "en"
    assert "The programme page:" in korean.body  # the fixed part in the message's language
    assert arabic.body.startswith("Dear منى السيد,\n\nWelcome to Smart City Policy Course (")
    assert arabic.locale == "en"
    assert 'dir="ltr"' in arabic.html and 'lang="en"' in arabic.html
    for message in outbox:
        assert message.reply_to == "seoul@miti.example"
    assert spanish.body.startswith("Dear Lucía Hernández Ortega,\n\n")
    assert spanish.subject == "Practical information for Smart City Policy Course"
    # The fixed part: the programme and centre, and the participant's own page.
    for message in outbox:
        assert "{name}" not in message.body and "{dates}" not in message.body
        assert "MITI Headquarters Seoul" in message.body
        assert "http://testserver.example/my/registrations/" in message.body
        assert "\r" not in message.body

    [entry] = _audit(db)
    assert entry.programme_id == group.id
    assert entry.centre_id == seoul["centre"].id
    assert entry.actor_id == seoul["coordinator"].id
    assert entry.to_state == "confirmed"
    assert entry.reason == "confirmed, 3 recipients: Practical information for {programme}"


@pytest.mark.parametrize(
    ("audience", "names"),
    [("waitlisted", ["Karim Haddad"]), ("applied", ["Reza Karimi"])],
)
def test_send_to_the_waiting_list_or_the_applicants(
    client, login, db, seoul, group, outbox, audience, names
):
    login(make_staff(seoul["centre"], "director"))
    response = _send(client, group, audience=audience)
    assert response.status_code == 302
    assert sorted(m.to for m in outbox) == sorted(PEOPLE[n]["email"] for n in names)
    landing = follow(client, response)
    assert ("success", "Message sent to 1 participant.") in flashes(landing)
    assert _audit(db)[0].reason.startswith(f"{audience}, 1 recipients: ")


def test_format_strings_and_template_syntax_stay_literal(client, login, seoul, group, outbox):
    login(seoul["coordinator"])
    body = "{0.__class__} {name.__class__} {{ 7*7 }} ${7*7} %(name)s {name}"
    subject = "{0.__class__} {{ 7*7 }}"
    assert _send(client, group, subject=subject, body=body).status_code == 302
    for message in outbox:
        assert message.subject == subject
        assert message.body.startswith("{0.__class__} {name.__class__} {{ 7*7 }} ${7*7} %(name)s ")
        # Dates and links further down may hold a 49 of their own.
        first_line = message.body.split("\n", 1)[0]
        assert "49" not in first_line and "<class" not in message.body


def test_a_name_holding_a_placeholder_is_not_replaced_again(client, login, seoul, outbox):
    programme = seoul["programme"]
    make_registration(programme, make_user(full_name="Mr {programme} {dates}"))
    login(seoul["coordinator"])
    _send(client, programme, body="Dear {name}, about {programme}.")
    [message] = outbox
    assert message.body.startswith("Dear Mr {programme} {dates}, about Smart City Policy Course.")


def test_hostile_text_is_escaped_in_the_preview_and_in_the_email(
    client, login, db, seoul, group, outbox
):
    group.title = "<b>Bold</b> programme"
    login(seoul["coordinator"])
    subject = '"><img src=x onerror=alert(1)>'
    body = "<script>alert(1)</script>\n{{ 7*7 }}\njavascript:alert(1) {programme}"

    preview = _html(client.post(_url(group), data=_form("preview", subject=subject, body=body)))
    assert "<script>alert(1)" not in preview and "<img src=x" not in preview
    assert str(escape("<script>alert(1)</script>")) in preview
    assert str(escape(subject)) in preview
    assert "<b>Bold</b>" not in preview and str(escape("<b>Bold</b> programme")) in preview

    assert _send(client, group, subject=subject, body=body).status_code == 302
    assert len(outbox) == 3
    for message in outbox:
        assert message.subject == subject
        assert message.body.startswith(body.replace("{programme}", "<b>Bold</b> programme"))
        assert "<script>alert(1)" not in message.html and "<img src=x" not in message.html
        assert "<b>Bold</b>" not in message.html
        assert str(escape("<script>alert(1)</script>")) in message.html
        assert f"<title>{escape(subject)}</title>" in message.html
        assert 'href="javascript:' not in message.html


def test_every_hostile_string_is_answered_without_a_500(client, login, seoul, group, outbox):
    login(seoul["coordinator"])
    for text in hostile_strings():
        response = client.post(_url(group), data=_form("preview", subject=text, body=text))
        assert response.status_code in (200, 422), text
        html = _html(response)
        if "<" in text:
            assert text not in html
    assert outbox == []


@pytest.mark.parametrize(
    "subject", ["Hello\r\nBcc: everyone@attacker.example", "Hello\nBcc: x@attacker.example", "A\rB"]
)
def test_line_breaks_in_the_subject_are_refused(client, login, db, seoul, group, outbox, subject):
    login(seoul["coordinator"])
    for action in ("send", "preview"):
        response = client.post(_url(group), data=_form(action, subject=subject))
        assert response.status_code == 422
        assert field_errors(response) == {"subject": "Write the subject on one line."}
    assert outbox == []
    assert _audit(db) == []


def test_the_service_refuses_a_subject_with_a_line_break_too(db, seoul, group):
    with pytest.raises(messages.FieldError) as refused:
        messages.send(
            group,
            messages.Draft(
                messages.Audience.CONFIRMED,
                messages.ReplyTo.CENTRE,
                messages.Version("en", "Hello\u2028Bcc: x@attacker.example", "Body"),
            ),
            actor=seoul["coordinator"],
            signed=None,
        )
    assert refused.value.field == "subject"


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"subject": "", "body": ""},
            {"subject": "Write a subject.", "body": "Write the message."},
        ),
        ({"subject": "x" * 201}, {"subject": "Use at most 200 characters."}),
        ({"body": "x" * 10_001}, {"body": "Use at most 10000 characters."}),
        ({"audience": "declined"}, {"audience": "Choose who receives the message."}),
        ({"audience": ""}, {"audience": "Choose who receives the message."}),
    ],
)
def test_wrong_values_get_clear_messages(client, login, db, seoul, group, outbox, data, errors):
    login(seoul["coordinator"])
    response = client.post(_url(group), data=_form(**data))
    assert response.status_code == 422
    assert field_errors(response) == errors
    assert outbox == []
    assert _audit(db) == []


def test_a_body_of_ten_thousand_characters_with_line_breaks_is_accepted(
    client, login, seoul, group, outbox
):
    login(seoul["coordinator"])
    body = ("x" * 99 + "\r\n") * 100  # 10,100 characters as sent, 10,000 once CRLF is LF
    assert _send(client, group, body=body).status_code == 302
    assert len(outbox) == 3


def test_nobody_to_send_to_is_refused_and_nothing_is_sent(client, login, db, seoul, outbox):
    programme = seoul["programme"]
    make_registration(programme, status=S.WITHDRAWN)
    login(seoul["coordinator"])
    response = _send(client, programme)
    assert response.status_code == 422
    assert ("error", "No participant of this programme is confirmed; nothing was sent.") in (
        flashes(response)
    )
    assert 'name="send"' not in _html(response)
    assert outbox == []
    assert _audit(db) == []


def test_a_cancelled_programme_has_nobody_left_to_message(client, login, db, seoul, outbox):
    programme = seoul["programme"]
    make_registration(programme, status=S.CANCELLED)
    programme.status = ProgrammeStatus.CANCELLED
    login(seoul["coordinator"])
    assert _send(client, programme).status_code == 422
    assert outbox == []


# Who may send ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["participant", "other_coordinator", "other_director"])
def test_others_are_refused(client, login, db, seoul, group, outbox, role):
    if role == "participant":
        # Even a confirmed participant of the programme.
        login(group_member := make_user())
        make_registration(group, group_member)
    else:
        login(make_staff(make_centre(slug="paris"), role.removeprefix("other_")))
    assert client.get(_url(group)).status_code == 403
    assert _send(client, group).status_code == 403
    assert client.post(_url(group), data=_form("preview")).status_code == 403
    assert outbox == []
    assert _audit(db) == []


def test_another_centres_programme_is_404(client, login, db, seoul, outbox):
    paris = make_centre(slug="paris")
    foreign = make_programme(paris)
    make_registration(foreign)
    login(seoul["coordinator"])
    assert client.get(_url(foreign)).status_code == 404
    assert client.post(_url(foreign), data=_form()).status_code == 404
    assert client.post(_url(foreign, "paris"), data=_form()).status_code == 403
    assert outbox == []
    assert _audit(db) == []


def test_anonymous_visitors_are_sent_to_log_in(client, seoul, group, outbox):
    response = _send(client, group)
    assert response.status_code == 302
    assert response.location.startswith("/account/login")
    assert outbox == []


def test_sending_needs_a_csrf_token(app, client, login, db, seoul, group, outbox, monkeypatch):
    login(seoul["coordinator"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert _send(client, group).status_code == 400
    assert outbox == []
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', _html(client.get(_url(group)))
    )
    preview = client.post(_url(group), data={**_form("preview"), "csrf_token": token.group(1)})
    signed = {"csrf_token": token.group(1), "draft_digest": digest_in(_html(preview))}
    response = client.post(_url(group), data={**_form(), **signed})
    assert response.status_code == 302
    assert len(outbox) == 3


# Rate limit ------------------------------------------------------------------------------------


@pytest.fixture
def fresh_limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "MESSAGE_RATE_LIMIT", "2 per hour")
    limiter.reset()
    yield
    limiter.reset()


def test_sending_is_rate_limited_per_account(client, login, db, seoul, group, outbox, fresh_limits):
    login(seoul["coordinator"])
    for _ in range(3):  # previews and refused sends do not count
        assert client.post(_url(group), data=_form("preview")).status_code == 200
    assert client.post(_url(group), data=_form(subject="")).status_code == 422
    for _ in range(2):
        assert _send(client, group).status_code == 302
    response = _send(client, group)
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert len(outbox) == 6
    assert len(_audit(db)) == 2
    # The page and its preview stay usable.
    assert client.get(_url(group)).status_code == 200
    assert client.post(_url(group), data=_form("preview")).status_code == 200


def test_the_default_limit_is_ten_messages_an_hour(client, login, db, seoul, group, outbox):
    limiter.reset()
    try:
        login(seoul["coordinator"])
        for _ in range(10):
            assert _send(client, group).status_code == 302
        assert _send(client, group).status_code == 429
        # Another coordinator has their own allowance.
        client.post("/account/logout")
        login(make_staff(seoul["centre"], "coordinator"))
        assert _send(client, group).status_code == 302
    finally:
        limiter.reset()
