"""The Seoul coordinator reviews an application, downloads the attendee list as a workbook,
takes the roll call and opens every coordinator tool; axe-core checks each page."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from miti_training.bidi import isolate

from .conftest import check_a11y, save_screenshot

pytestmark = pytest.mark.e2e

COORDINATOR_EMAIL = "coordinator.seoul@miti.example"
COORDINATOR_PASSWORD = "demo-staff-peer-review"  # published demo password (development only)
COURSE = "Urban Transportation and Sustainable Mobility"
APPLICANT = "Priya Raghunathan"


def _log_in(page) -> None:
    page.goto("/account/login")
    page.get_by_label("Email address").fill(COORDINATOR_EMAIL)
    page.get_by_label("Password", exact=True).fill(COORDINATOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Manage")
    ).to_be_visible()


def _open_programme(page, title: str) -> None:
    page.goto("/manage/seoul/")
    page.get_by_role("link", name=title, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_coordinator_confirms_an_application_and_downloads_the_workbook(page, live_server):
    _log_in(page)
    page.goto("/manage/seoul/")
    page.get_by_role("link", name=re.compile("^Dashboard")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dashboard of MITI Headquarters Seoul"
    )
    check_a11y(page, "coordinator-01-dashboard")

    _open_programme(page, COURSE)
    check_a11y(page, "coordinator-02-programme")
    page.get_by_role("link", name="Registrations", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Applied \(\d+\)")).click()
    check_a11y(page, "coordinator-03-applications")
    page.get_by_role("link", name=APPLICANT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(APPLICANT)
    check_a11y(page, "coordinator-04-application")

    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"{APPLICANT} is confirmed.")
    save_screenshot(page, "coordinator-05-confirmed")

    _open_programme(page, COURSE)
    page.get_by_role("link", name="Export the attendee list").click()
    check_a11y(page, "coordinator-06-export")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Excel workbook (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as workbook:  # the saved file has no extension
        sheet = load_workbook(workbook, read_only=True).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert header[0] == "Name" and "Email address" in header
    names = {row[0] for row in body}
    assert isolate(APPLICANT) in names  # participant text is isolated from its neighbours
    assert {row[header.index("Status")] for row in body} == {"Confirmed"}


def test_coordinator_takes_the_roll_call_and_opens_every_tool(page, live_server):
    _log_in(page)
    # The course has confirmed participants and sessions ahead (the workshop only applications).
    _open_programme(page, COURSE)

    page.get_by_role("link", name=re.compile("^Attendance")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance:")
    check_a11y(page, "coordinator-07-roll-call")
    rows = page.get_by_role("group", name=re.compile("^Attendance of "))
    rows.first.get_by_label("Present").check()
    rows.nth(1).get_by_label("Excused").check()
    page.get_by_role("button", name="Save the roll call").click()
    # The course's sessions are weeks away: recording this early asks first.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record attendance before the session?"
    )
    check_a11y(page, "coordinator-07b-early-roll-call")
    page.get_by_role("button", name="Yes, record the attendance now").click()
    expect(page.get_by_role("status")).to_contain_text("1 present, 0 absent, 1 excused")
    check_a11y(page, "coordinator-08-roll-call-saved")

    page.get_by_role("link", name="Show the check-in code").click()
    expect(page.get_by_role("img", name=re.compile("^QR code"))).to_be_visible()
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(1)
    # The page reloads itself for each new code and offers to stop (WCAG 2.2.1); axe flags
    # every timed refresh, stoppable or not, so the check runs on the page with it stopped.
    page.get_by_role("link", name="Stop refreshing").click()
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    check_a11y(page, "coordinator-09-check-in-code")

    for link, shot in (
        ("Message participants", "coordinator-10-message"),
        ("Name badges", "coordinator-11-badges"),
        ("Certificates", "coordinator-12-certificates"),
    ):
        _open_programme(page, COURSE)
        page.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_a11y(page, shot)

    _open_programme(page, COURSE)
    page.get_by_role("link", name=re.compile("^Sign-in sheet")).first.click()
    check_a11y(page, "coordinator-13-sign-in-sheet")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    save_screenshot(page, "coordinator-14-sign-in-sheet-print")
