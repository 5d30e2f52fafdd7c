"""The Cairo coordinator reads the catering and access summary, chooses the columns of the
attendee list (the needs among them), downloads the workbook and finds real date cells and the
needs in it; the choice is there again next time. axe-core checks the export page."""

import re
from datetime import datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from miti_training.bidi import isolate

from .conftest import check_a11y, save_screenshot

pytestmark = pytest.mark.e2e

COORDINATOR_EMAIL = "coordinator.cairo@miti.example"
COORDINATOR_PASSWORD = "demo-staff-peer-review"  # published demo password (development only)
PROGRAMME = "Integrated Urban Water Management"
CHOSEN = ["Name", "Time of registration", "Accessibility needs", "Dietary needs"]


def _log_in(page) -> None:
    page.goto("/account/login")
    page.get_by_label("Email address").fill(COORDINATOR_EMAIL)
    page.get_by_label("Password", exact=True).fill(COORDINATOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _open_export_page(page) -> None:
    page.goto("/manage/cairo/")
    page.get_by_role("link", name=PROGRAMME, exact=True).first.click()
    page.get_by_role("link", name="Export the attendee list").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROGRAMME)


def _columns(page):
    return page.get_by_role("group", name="Columns")


def test_coordinator_chooses_the_needs_columns_and_downloads_the_workbook(page, live_server):
    _log_in(page)
    _open_export_page(page)

    # The summary counts needs without names: three spellings of "halal" are one need.
    needs = page.get_by_role("region", name="Catering and access")
    dietary = needs.get_by_role("table", name="Dietary needs")
    expect(dietary.get_by_role("row", name=re.compile(r"^halal 3$"))).to_be_visible()
    expect(needs.get_by_role("table", name="Accessibility needs")).to_contain_text("wheelchair")
    expect(needs).not_to_contain_text("Reza Karimi")
    check_a11y(page, "export-01-page")

    # "Clear all" (a script's shortcut; without it each box is unticked by hand), then
    # nothing chosen: the page says so beside the columns, and nothing is downloaded.
    _columns(page).get_by_role("button", name="Clear all").click()
    for box in _columns(page).get_by_role("checkbox").all():
        expect(box).not_to_be_checked()
    page.get_by_role("button", name="Excel workbook (.xlsx)").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one column.")
    check_a11y(page, "export-02-no-column")

    for label in CHOSEN:
        _columns(page).get_by_label(label, exact=True).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Excel workbook (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as workbook:  # the saved file has no extension
        sheet = load_workbook(workbook).active
        header = [cell.value for cell in sheet[1]]
        body = list(sheet.iter_rows(min_row=2))

    assert header == [
        "Name",
        "Registered at (Cairo)",
        "Accessibility needs",
        "Dietary needs",
    ]
    by_name = {row[0].value: row for row in body}
    assert len(by_name) == 4  # the confirmed participants
    for row in body:
        registered = row[1]
        assert registered.is_date and isinstance(registered.value, datetime), registered.value
        assert registered.number_format == "yyyy-mm-dd hh:mm"
    reza = by_name[isolate("Reza Karimi")]
    assert reza[2].value == isolate("Step-free access, please: I use a wheelchair.")
    assert reza[3].value == isolate("Halal")
    assert by_name[isolate("Aminata Diallo")][3].value == isolate("Vegetarian")

    # Next time the page is filled with the same choice.
    _open_export_page(page)
    checked = [
        label
        for label in ["Email address", "Motivation", *CHOSEN]
        if _columns(page).get_by_label(label, exact=True).is_checked()
    ]
    assert checked == CHOSEN
    check_a11y(page, "export-03-choice-remembered")


def test_export_page_reflows_at_360_css_pixels(page, live_server):
    _log_in(page)
    _open_export_page(page)
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    save_screenshot(page, "export-04-360px")
    assert overflow <= 0, f"the export page scrolls sideways by {overflow}px at 360px"
