"""A visitor narrows the catalogue down to the Peer Review Process workshop and opens it."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import STAFF_EMAIL, STAFF_PASSWORD, check_a11y, save_screenshot

pytestmark = pytest.mark.e2e

TITLE = "Peer Review Process workshop"


def _filters(page):
    return page.get_by_role("search")


def test_visitor_filters_the_catalogue_and_opens_the_workshop(page, live_server):
    page.goto("/programmes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")
    form = _filters(page)
    form.get_by_label("Centre").select_option(label="MITI Headquarters Seoul")
    form.get_by_label("Kind").select_option(label="Workshop")
    form.get_by_label("Theme").select_option(label="Urban governance")
    form.get_by_label("Search").fill("peer review")
    form.get_by_label("Open for registration now").check()
    save_screenshot(page, "catalogue-01-filters-filled")
    form.get_by_role("button", name="Show programmes").click()

    expect(page).to_have_url(re.compile(r"centre=seoul.*kind=workshop"))
    results = page.get_by_role("region", name=re.compile(r"^\d+ programmes?$"))
    expect(results.get_by_role("heading", level=2)).to_have_text("1 programme")
    card = results.get_by_role("article")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(card).to_contain_text("MITI Headquarters Seoul")
    expect(card).to_contain_text(re.compile(r"Open until|Waiting list open"))
    # The choices stay selected after the page reloads with the results.
    expect(_filters(page).get_by_label("Kind")).to_have_value("workshop")
    expect(_filters(page).get_by_label("Open for registration now")).to_be_checked()
    check_a11y(page, "catalogue-02-filtered")

    card.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(r"/programmes/peer-review-process-workshop$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    timetable = page.get_by_role("table", name="Timetable")
    expect(timetable.get_by_role("columnheader", name="At the centre (Seoul)")).to_be_visible()
    expect(timetable.get_by_role("row")).to_have_count(3)  # header and two days
    registration = page.get_by_role("region", name="Registration")
    # The workshop is by nomination: visitors are told how to be nominated, not to sign up.
    expect(registration).to_contain_text(
        "This programme is by nomination of member cities: only officials nominated by their "
        "city can apply. Ask the focal point of your city to nominate you."
    )
    expect(registration).to_contain_text("Nominated? Log in to apply.")
    expect(registration.get_by_role("link", name="Log in")).to_have_attribute(
        "href", "/account/login?next=/programmes/peer-review-process-workshop/register"
    )
    expect(registration.get_by_role("link", name="Create an account")).to_have_count(0)
    check_a11y(page, "catalogue-03-programme")

    calendar_link = page.get_by_role("link", name="Add to calendar")
    response = page.request.get(calendar_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    body = response.text()
    assert body.startswith("BEGIN:VCALENDAR") and body.count("BEGIN:VEVENT") == 2
    assert "TZID=Asia/Seoul" in body

    page.get_by_role("link", name="MITI Headquarters Seoul").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MITI Headquarters Seoul")
    upcoming = page.get_by_role("region", name="Upcoming programmes")
    expect(upcoming.get_by_role("link", name=TITLE)).to_be_visible()
    check_a11y(page, "catalogue-04-centre")


def test_logged_in_user_sees_their_own_time_beside_the_centre_time(page, live_server):
    page.goto("/account/login?next=/programmes/peer-review-process-workshop")
    page.get_by_label("Email address").fill(STAFF_EMAIL)
    page.get_by_label("Password", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Back on the programme after logging in (the next= address).
    expect(page).to_have_url(re.compile(r"/programmes/peer-review-process-workshop$"))
    timetable = page.get_by_role("table", name="Timetable")
    # The account created by `flask create-admin` keeps the default zone, UTC.
    expect(timetable.get_by_role("columnheader", name="Your time (UTC)")).to_be_visible()
    expect(timetable).to_contain_text("GMT+09:00")
    check_a11y(page, "catalogue-05-programme-logged-in")


def test_no_results_and_invalid_filters_explain_themselves(page, live_server):
    page.goto("/programmes?kind=spaceship&date_from=2026-02-30")
    form = _filters(page)
    expect(form.get_by_text("Choose a kind from the list; this filter is ignored.")).to_be_visible()
    expect(form.get_by_label("Kind")).to_have_attribute("aria-invalid", "true")
    check_a11y(page, "catalogue-06-invalid-filters")

    form = _filters(page)
    form.get_by_label("Kind").select_option(label="Any kind")
    form.get_by_label("From").fill("")
    form.get_by_label("Search").fill("no such programme anywhere")
    form.get_by_role("button", name="Show programmes").click()
    expect(page.get_by_text("No programmes match these filters.")).to_be_visible()
    check_a11y(page, "catalogue-07-no-results")
    page.get_by_role("main").get_by_role("link", name="Clear all filters").last.click()
    expect(page).to_have_url(re.compile(r"/programmes$"))
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()


def test_catalogue_in_arabic_is_right_to_left_and_accessible(page, live_server):
    page.goto("/programmes?centre=seoul")
    page.locator("footer").get_by_label("Language").select_option("ar")
    page.locator("footer").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page).to_have_url(re.compile(r"/programmes\?centre=seoul$"))
    check_a11y(page, "catalogue-08-arabic")
    page.goto("/programmes/peer-review-process-workshop")
    check_a11y(page, "catalogue-09-programme-arabic")
