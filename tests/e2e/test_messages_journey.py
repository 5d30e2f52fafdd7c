"""A coordinator writes a message in English with Arabic and French versions, previews it, sees
"Send to 4 people" and sends it; the Arabic and the French participant each receive their
language's version with the centre's Reply-To. Then a director asks for reminders 30 days
ahead, and `flask send-reminders`, run twice, sends each participant one reminder with the
programme's calendar attached."""

import email
import re
from email import policy

import pytest
from playwright.sync_api import expect

from .conftest import STAFF_EMAIL, STAFF_PASSWORD, check_a11y, newest_email, run_cli

pytestmark = pytest.mark.e2e

COORDINATOR_EMAIL = "coordinator.cairo@miti.example"
DEMO_PASSWORD = "demo-staff-peer-review"  # published demo password (development only)
COURSE = "Integrated Urban Water Management"
WEBINARS = "Smart City Governance"
ARABIC_PARTICIPANT = "mona.s@giza.example"
FRENCH_PARTICIPANT = "a.diallo@dakar.example"
MASHHAD_PARTICIPANTS = {
    "z.ahmadi@mashhad.example",
    "r.karimi@tehran.example",
    "k.haddad@beirut.example",
    "huong.nguyen@hanoi.example",
    "priya.r@bengaluru.example",
    "siti.n@kualalumpur.example",
}


def _log_in(page, address: str, password: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Manage")
    ).to_be_visible()


def _open_programme(page, centre: str, title: str) -> None:
    page.goto(f"/manage/{centre}/")
    page.get_by_role("link", name=title, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def _version(page, code: str, language: str, subject: str, body: str) -> None:
    page.locator("summary", has_text=language).click()
    page.locator(f'[name="subject_{code}"]').fill(subject)
    page.locator(f'[name="body_{code}"]').fill(body)


def test_a_message_in_three_languages_reaches_each_reader_in_theirs(page, live_server):
    _log_in(page, COORDINATOR_EMAIL, DEMO_PASSWORD)
    _open_programme(page, "cairo", COURSE)
    page.get_by_role("link", name="Message participants").click()
    expect(page.get_by_role("button", name=re.compile("^Send"))).to_have_count(0)
    check_a11y(page, "messages-01-form")

    page.get_by_label("The centre’s contact address").check()
    page.get_by_label("Language of the message").select_option("en")
    page.locator('[name="subject"]').fill("Practical information: {programme}")
    page.locator('[name="body"]').fill("Dear {name},\n\nWelcome to {programme} ({dates}).")
    _version(
        page,
        "ar",
        "العربية",
        "معلومات عملية: {programme}",
        "عزيزتي/عزيزي {name}،\n\nمرحبًا بكم في {programme} ({dates}).",
    )
    _version(
        page,
        "fr",
        "Français",
        "Informations pratiques : {programme}",
        "Bonjour {name},\n\nBienvenue à {programme} ({dates}).",
    )
    page.get_by_role("button", name="Preview").click()
    send = page.get_by_role("button", name="Send to 4 people")
    expect(send).to_be_visible()
    expect(page.get_by_text("replies go to cairo@miti.example")).to_be_visible()
    check_a11y(page, "messages-02-preview")

    send.click()
    expect(page.get_by_role("status")).to_contain_text("Message sent to 4 participants.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Messages sent about")
    expect(page.get_by_text("Confirmed participants: 4 people")).to_be_visible()
    check_a11y(page, "messages-03-history")

    arabic = newest_email(live_server.outbox, to=ARABIC_PARTICIPANT)
    assert arabic["Subject"] == f"معلومات عملية: {COURSE}"
    assert arabic["Reply-To"] == "cairo@miti.example"
    assert arabic["Content-Language"] == "ar"
    text = arabic.get_body(preferencelist=("plain",)).get_content()
    assert text.startswith("عزيزتي/عزيزي منى السيد،\n\nمرحبًا بكم في Integrated Urban Water")
    assert re.search(r"\([^)]*[\u0600-\u06ff][^)]*\)\.", text)  # the dates written in Arabic

    french = newest_email(live_server.outbox, to=FRENCH_PARTICIPANT)
    assert french["Subject"] == f"Informations pratiques : {COURSE}"
    assert french["Reply-To"] == "cairo@miti.example"
    body = french.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith(f"Bonjour Aminata Diallo,\n\nBienvenue à {COURSE} (")


def _reminders(outbox) -> list[str]:
    """Who received an email with a calendar attached."""
    found = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if any(p.get_content_type() == "text/calendar" for p in message.iter_attachments()):
            found.append(message["To"])
    return found


def test_reminders_go_out_once_however_often_the_command_runs(page, live_server):
    _log_in(page, STAFF_EMAIL, STAFF_PASSWORD)
    _open_programme(page, "mashhad", WEBINARS)
    page.get_by_role("link", name="Edit the details").click()
    expect(page.get_by_label("Email confirmed participants a reminder")).to_be_checked()
    page.get_by_label("Days before the first session").fill("30")
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_role("status")).to_be_visible()

    before = _reminders(live_server.outbox)
    first = run_cli(live_server, "send-reminders")
    second = run_cli(live_server, "send-reminders")
    assert "Sent 6 reminder(s)" in first, first
    assert "Sent 0 reminder(s)" in second, second
    sent = _reminders(live_server.outbox)[len(before) :]
    assert sorted(sent) == sorted(MASHHAD_PARTICIPANTS)

    french = newest_email(live_server.outbox, to="k.haddad@beirut.example")
    assert french["Content-Language"] == "fr"
    assert french["Reply-To"] == "mashhad@miti.example"
    [calendar] = list(french.iter_attachments())
    assert calendar.get_filename() == "smart-city-governance-webinars.ics"
    assert b"BEGIN:VEVENT" in calendar.get_payload(decode=True)
