"""Participants in the browser: register for an open programme, subscribe to the calendar feed,
withdraw from the full Mexico City workshop and see the first official on its waiting list get
the seat; axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import STAFF_EMAIL, STAFF_PASSWORD, check_a11y, newest_email

pytestmark = pytest.mark.e2e

#: Published demo password of every demo participant (development only).
PARTICIPANT_PASSWORD = "demo-participant-seoul"  # noqa: S105
PARTICIPANT = "participant@miti.example"

WATER = "Integrated Urban Water Management"
WATER_SLUG = "integrated-urban-water-management"
SEISMIC = "Seismic Resilience: Preparing a Metropolis for Earthquakes"
#: Confirmed in the Mexico City workshop; reads the interface in English.
CONFIRMED_IN_MEXICO = "jp.goncalves@saopaulo.example"
FIRST_WAITLISTED = "c.okonkwo@lagos.example"
SECOND_WAITLISTED = "s.obrien@dublin.example"


def _log_in(page, email: str, password: str = PARTICIPANT_PASSWORD) -> None:
    page.goto("/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")
    ).to_be_visible()


def _my_registrations(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My registrations").click()
    expect(page).to_have_url(re.compile(r"/my/registrations$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My registrations")


def _row(page, title: str):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=title))


def test_participant_registers_for_an_open_programme(page, live_server):
    _log_in(page, PARTICIPANT)
    page.goto(f"/programmes/{WATER_SLUG}")
    page.get_by_role("region", name="Registration").get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Register for “{WATER}”")
    details = page.get_by_role("group", name="Your details")
    expect(details).to_contain_text("Omar Nabil")
    expect(details).to_contain_text(PARTICIPANT)
    expect(details.get_by_role("link", name="Change these details in your profile")).to_be_visible()
    check_a11y(page, "participant-01-registration-form")

    # Without consent to the processing of personal data, nothing is registered.
    page.get_by_label("Motivation").fill(
        "Cairo is extending its wastewater network; I want to learn from other cities."
    )
    page.get_by_label("Dietary needs").fill("Halal")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the highlighted fields.")
    expect(page.get_by_label("Motivation")).to_have_value(re.compile("wastewater network"))
    check_a11y(page, "participant-02-consent-missing")

    page.get_by_label("I agree to the processing of my personal data for this programme").check()
    page.get_by_label(
        "I agree that my name, organisation and city appear on the participant list"
    ).check()
    page.get_by_role("button", name="Register").click()

    expect(page).to_have_url(re.compile(r"/my/registrations/\d+$"))
    expect(page.get_by_role("status")).to_contain_text(
        f"You are registered for “{WATER}”. Your seat is confirmed."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(WATER)
    status = page.get_by_role("region", name="Status")
    expect(status).to_contain_text("Confirmed")
    expect(status.get_by_role("link", name="Change my answers")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Halal")
    check_a11y(page, "participant-03-registration-confirmed")

    message = newest_email(live_server.outbox, to=PARTICIPANT)
    assert WATER in message["Subject"]

    # Change an answer.
    status.get_by_role("link", name="Change my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Change your answers for “{WATER}”")
    check_a11y(page, "participant-04-edit-answers")
    page.get_by_label("Accessibility needs").fill("Step-free access, please.")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers have been saved.")
    expect(page.get_by_role("main")).to_contain_text("Step-free access, please.")

    # The list of registrations, and the personal calendar feed.
    _my_registrations(page)
    expect(_row(page, WATER)).to_contain_text("Confirmed")
    check_a11y(page, "participant-05-my-registrations")
    page.get_by_role("button", name="Create my calendar link").click()
    expect(page.get_by_role("status")).to_contain_text("Your calendar link is ready.")
    link = page.get_by_label("Your secret calendar link")
    feed_url = link.input_value()
    assert feed_url.startswith(f"{live_server.url}/calendar/") and feed_url.endswith(".ics")
    check_a11y(page, "participant-06-calendar-link")

    response = page.request.get(feed_url)
    assert response.ok
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    body = response.text()
    assert "SUMMARY:Integrated Urban Water Management" in body
    assert "TZID=Africa/Cairo" in body

    page.get_by_role("button", name="Revoke this link").click()
    expect(page.get_by_role("status")).to_contain_text("The old calendar link no longer works.")
    assert page.get_by_label("Your secret calendar link").input_value() != feed_url
    assert page.request.get(feed_url).status == 404


def test_withdrawal_gives_the_seat_to_the_first_on_the_waiting_list(page, live_server):
    _log_in(page, CONFIRMED_IN_MEXICO)
    _my_registrations(page)
    expect(_row(page, SEISMIC)).to_contain_text("Confirmed")
    _row(page, SEISMIC).get_by_role("link", name=SEISMIC).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEISMIC)
    expect(page.get_by_role("table", name="Timetable")).to_be_visible()
    check_a11y(page, "withdraw-01-registration")

    page.get_by_role("region", name="Status").get_by_role("link", name="Withdraw").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Withdraw from “{SEISMIC}”?")
    expect(page.get_by_role("main")).to_contain_text(
        "Your seat will be freed and offered to the first person on the waiting list"
    )
    check_a11y(page, "withdraw-02-confirmation")
    page.get_by_role("button", name="Withdraw my registration").click()

    expect(page.get_by_role("status")).to_contain_text(f"You have withdrawn from “{SEISMIC}”.")
    expect(page.get_by_role("region", name="Status")).to_contain_text("Withdrawn")
    expect(page.get_by_role("link", name="Withdraw", exact=True)).to_have_count(0)
    check_a11y(page, "withdraw-03-withdrawn")
    _log_out(page)

    # The first official on the waiting list now has the seat...
    _log_in(page, FIRST_WAITLISTED)
    _my_registrations(page)
    expect(_row(page, SEISMIC)).to_contain_text("Confirmed")
    check_a11y(page, "withdraw-04-promoted-my-registrations")
    _row(page, SEISMIC).get_by_role("link", name=SEISMIC).click()
    expect(page.get_by_role("region", name="Status")).to_contain_text("Your seat is confirmed.")
    check_a11y(page, "withdraw-05-promoted-registration")
    assert SEISMIC in newest_email(live_server.outbox, to=FIRST_WAITLISTED)["Subject"]
    _log_out(page)

    # ...and the second is now first in line.
    _log_in(page, SECOND_WAITLISTED)
    _my_registrations(page)
    row = _row(page, SEISMIC)
    expect(row).to_contain_text("On the waiting list")
    expect(row).to_contain_text("Position 1")
    row.get_by_role("link", name=SEISMIC).click()
    expect(page.get_by_role("main")).to_contain_text("You are number 1 on the waiting list.")
    check_a11y(page, "withdraw-06-waiting-list")
    _log_out(page)

    # The centre's list agrees: the promoted official is confirmed, the next one is first.
    _log_in(page, STAFF_EMAIL, STAFF_PASSWORD)
    page.goto("/manage/mexico-city/")
    page.get_by_role("link", name=f"Registrations {SEISMIC}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Registrations for “{SEISMIC}”")
    promoted = page.get_by_role("row").filter(has_text=FIRST_WAITLISTED)
    expect(promoted).to_contain_text("Confirmed")
    waiting = page.get_by_role("row").filter(has_text=SECOND_WAITLISTED)
    expect(waiting).to_contain_text("On the waiting list")
    expect(waiting.get_by_role("cell").nth(5)).to_have_text("1")  # the position column
    check_a11y(page, "withdraw-07-coordinator-list")
