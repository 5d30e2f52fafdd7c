"""Only links the app builds are links in an email; participant text never becomes one."""

import html
import re

import pytest

from miti_training.extensions import db
from miti_training.models import RegistrationStatus
from miti_training.registrations.notifications import notify_staff_of_application
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.testdata import hostile_strings

SPOOF = "http://attacker.example/miti-login"
#: What mail clients link in text: a scheme, "www.", a bare domain, an address.
LINKIFIERS = [
    re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://\S+"),
    re.compile(r"(?i)\bwww\.\S+"),
    re.compile(r"(?i)\b[\w-]+(?:[.\u3002\uff0e\uff61][\w-]+)*[.\u3002\uff0e\uff61][a-z]{2,}\b"),
    re.compile(r"(?i)\b[\w.+-]+@[\w-]+\.[\w.-]+"),
]


def _text_outside_links(message_html: str) -> str:
    body = message_html.split("<body>", 1)[1]
    body = re.sub(r"<a href=[^>]*>.*?</a>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _application_mail(outbox, name: str, organisation: str = "Ville de Paris"):
    centre = make_centre(slug="paris-idf", name="Paris centre")
    make_staff(centre, "coordinator", full_name="Claire Dubois")
    programme = make_programme(centre, title="Climate adaptation")
    applicant = make_user(full_name=name)
    registration = make_registration(
        programme, applicant, status=RegistrationStatus.APPLIED, organisation=organisation
    )
    notify_staff_of_application(registration)
    db.session.commit()
    (message,) = outbox
    return message, registration


@pytest.mark.parametrize("name", [SPOOF, "www.attacker.example", *hostile_strings()])
def test_participant_text_is_never_a_link_in_the_new_application_email(outbox, name):
    name = name[:200]  # the longest name the column holds (PostgreSQL enforces it)
    message, registration = _application_mail(outbox, name, organisation=f"see {SPOOF}")
    link = f"http://testserver.example/manage/paris-idf/registrations/{registration.id}"
    assert re.findall(r'<a href="([^"]*)"', message.html) == [link]
    outside = _text_outside_links(message.html)
    for linkifier in LINKIFIERS:
        assert linkifier.search(outside) is None, (linkifier.pattern, outside)
    # The text reads the same: only invisible word joiners were added.
    shown = outside.replace("\u2060", "")
    assert html.unescape(html.escape(name.strip())) in shown
    assert SPOOF in shown
    assert SPOOF in message.body  # the text part is the text, as typed


def test_unlinkable_text_displays_the_same():
    from miti_training.mail.render import unlinkable

    for text in [
        SPOOF,
        "a.b@c.example",
        "ｅｘａｍｐｌｅ．ｃｏｍ",
        "http://例え。テスト",
        "1.5 days",
    ]:
        defused = unlinkable(text)
        assert defused.replace("\u2060", "") == text
        for linkifier in LINKIFIERS:
            assert linkifier.search(defused) is None, (linkifier.pattern, defused)
