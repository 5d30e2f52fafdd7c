"""The Seoul director takes a programme from draft to published through the management pages,
then finds it in the public catalogue; axe-core checks every management page on the way."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from .conftest import check_a11y, save_screenshot

pytestmark = pytest.mark.e2e

DIRECTOR_EMAIL = "director.seoul@miti.example"
DIRECTOR_PASSWORD = "demo-staff-peer-review"  # published demo password (development only)
TITLE = "Smart city data governance workshop"


def _day(days_ahead: int) -> str:
    return (date.today() + timedelta(days=days_ahead)).isoformat()


def _log_in(page) -> None:
    page.goto("/account/login")
    page.get_by_label("Email address").fill(DIRECTOR_EMAIL)
    page.get_by_label("Password", exact=True).fill(DIRECTOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Manage")
    ).to_be_visible()


def _add_session(page, title: str, day: str, start: str, end: str, shot: str) -> None:
    page.get_by_role("link", name="Add a session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a session")
    check_a11y(page, shot)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Starts").fill(f"{day}T{start}")
    page.get_by_label("Ends").fill(f"{day}T{end}")
    page.get_by_role("button", name="Add the session").click()
    expect(page.get_by_role("status")).to_contain_text(f"The session “{title}” has been added.")


def test_director_creates_and_publishes_a_programme(page, live_server):
    _log_in(page)
    # The director of one centre goes straight to it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Manage").click()
    expect(page).to_have_url(re.compile(r"/manage/seoul/$"))
    check_a11y(page, "director-02-centre")

    page.get_by_role("link", name="New programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New programme")
    check_a11y(page, "director-03-new-programme")

    # Submitting without a title shows the error summary and the field error.
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the highlighted fields.")
    expect(page.get_by_text("Enter the programme's title.").first).to_be_visible()
    check_a11y(page, "director-04-new-programme-errors")

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary", exact=True).fill(
        "How Metropolis cities share and govern urban data, with the Seoul smart city platform."
    )
    page.get_by_label("Description", exact=True).fill(
        "Day one: lectures on data governance and each participant's city policy.\n\n"
        "Day two: site visit to the Seoul digital mayor's office and a closing action plan."
    )
    page.get_by_label("Kind of programme").select_option(label="Workshop")
    page.get_by_label("Theme").select_option(label="Smart city")
    page.get_by_label("Format", exact=True).select_option(label="In person")
    page.get_by_label("Venue", exact=True).fill("Seoul Human Resources Development Centre")
    page.get_by_label("한국어").check()
    page.get_by_label("First day").fill(_day(40))
    page.get_by_label("Last day").fill(_day(41))
    page.get_by_label("Capacity (seats)").fill("15")
    page.get_by_label("Registration opens").fill(f"{_day(0)}T00:00")
    page.get_by_label("Registration closes").fill(f"{_day(30)}T18:00")
    page.get_by_label("Enrolment policy").select_option("review")
    page.locator("summary", has_text="한국어").click()
    page.get_by_label("Title (Korean)").fill("스마트시티 데이터 거버넌스 워크숍")
    save_screenshot(page, "director-05-new-programme-filled")
    page.get_by_role("button", name="Create the draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text(f"The draft “{TITLE}” has been created.")
    expect(page.get_by_text("Add at least one session to the timetable.")).to_be_visible()
    check_a11y(page, "director-06-draft")

    _add_session(
        page, "Day 1: data governance lectures", _day(40), "09:00", "17:00", "director-07-session"
    )
    _add_session(
        page, "Day 2: site visit and action plan", _day(41), "09:30", "16:00", "director-08-session"
    )
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Starts (Seoul)")).to_be_visible()
    expect(table.get_by_role("rowheader")).to_have_count(2)
    expect(page.get_by_text("Everything a participant needs is in place.")).to_be_visible()
    check_a11y(page, "director-09-ready")

    page.get_by_role("button", name="Publish the programme").click()
    expect(page.get_by_role("status")).to_contain_text(f"“{TITLE}” is published")
    expect(page.locator(".meta .badge").first).to_have_text("Published")
    check_a11y(page, "director-10-published")

    # The public catalogue lists it (searched for, or found page by page).
    page.goto(f"/programmes?q={TITLE.replace(' ', '+')}")
    link = page.get_by_role("link", name=TITLE)
    for _ in range(30):
        if link.count():
            break
        next_page = page.get_by_role("link", name="Next")
        if not next_page.count():
            break
        next_page.click()
    expect(link.first).to_be_visible()
    save_screenshot(page, "director-11-catalogue")
    link.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Day 1: data governance lectures")).to_be_visible()
    expect(page.get_by_text("Day 2: site visit and action plan")).to_be_visible()
    save_screenshot(page, "director-12-programme-page")
