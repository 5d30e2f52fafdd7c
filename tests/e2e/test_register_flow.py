"""A visitor on a programme's page creates an account and is registered in one flow: Register →
create an account → the emailed link → the rest of the form → back on that programme's form."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import check_a11y, link_in, newest_email, save_screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "lighthouse-saffron-meadow-3"
#: Open to first-come registration (the demo's Seoul workshop is by nomination, no sign-up).
PROGRAMME = "/programmes/climate-adaptation-study-visit"
TITLE = "Climate Adaptation in the Paris Region: Study Visit"


@pytest.fixture
def kolkata_page(browser, browser_context_args):
    """A browser in India: Chromium may name its zone by the old alias Asia/Calcutta."""
    context = browser.new_context(**{**browser_context_args, "timezone_id": "Asia/Kolkata"})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_visitor_signs_up_from_a_programme_and_lands_on_its_form(kolkata_page, live_server):
    page = kolkata_page
    page.goto(PROGRAMME)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    registration = page.get_by_role("region", name="Registration")
    check_a11y(page, "register-flow-01-programme")
    registration.get_by_role("link", name="Create an account").click()

    expect(page).to_have_url(re.compile(r"/account/signup\?next=.*register$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    check_a11y(page, "register-flow-02-address")
    address = "ravi.menon@kolkata.example"
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_a11y(page, "register-flow-03-check-your-email")

    page.goto(
        link_in(newest_email(live_server.outbox, to=address), live_server.url, "/account/signup/")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    zone = page.get_by_label("Time zone")
    # The script chose the browser's zone, mapped to the list's name for it.
    expect(zone).to_have_value("Asia/Kolkata")
    expect(zone.locator("optgroup[label='Asia']")).to_have_count(1)
    check_a11y(page, "register-flow-04-form")

    page.get_by_label("Full name").fill("Ravi Menon")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("Member city or organisation").select_option(index=1)
    page.get_by_label("Job title").fill("Urban resilience officer")
    page.get_by_label("Preferred language").select_option(label="English")
    save_screenshot(page, "register-flow-05-form-filled")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(PROGRAMME + r"/register$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Register for “{TITLE}”")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Welcome, Ravi Menon")
    expect(status).to_contain_text("Now complete the form below and send it")
    check_a11y(page, "register-flow-06-registration-form")

    page.get_by_label("I agree to the processing of my personal data for this programme").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"You are registered for “{TITLE}”")
    check_a11y(page, "register-flow-07-registered")

    page.get_by_role("link", name="My account").click()
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Kolkata")


def test_without_javascript_the_zone_is_the_member_citys(
    browser, browser_context_args, live_server
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/account/signup")
        address = "nour.khalil@giza.example"
        page.get_by_label("Email address").fill(address)
        page.get_by_role("button", name="Send me the link").click()
        page.goto(
            link_in(
                newest_email(live_server.outbox, to=address), live_server.url, "/account/signup/"
            )
        )
        zone = page.get_by_label("Time zone")
        expect(zone).to_have_value("")
        page.get_by_label("Full name").fill("Nour Khalil")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Repeat the password").fill(PASSWORD)
        page.get_by_label("Member city or organisation").select_option(label="Giza (Egypt)")
        page.get_by_label("Job title").fill("Housing officer")
        page.get_by_label("Preferred language").select_option(label="English")
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_role("status")).to_contain_text("Welcome, Nour Khalil")
        page.goto("/account/profile")
        expect(page.get_by_label("Time zone")).to_have_value("Africa/Cairo")
    finally:
        context.close()
