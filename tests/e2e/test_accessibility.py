"""axe-core (WCAG 2.1 A and AA) on every page state of page_states.PAGE_STATES: public,
participant and staff pages, with their error states."""

import pytest
from playwright.sync_api import expect

from .conftest import check_a11y, save_screenshot
from .page_states import PAGE_STATES, log_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("state", PAGE_STATES, ids=[s.name for s in PAGE_STATES])
def test_page_state_is_accessible(page, state):
    if state.account is not None:
        log_in(page, state.account)
    state.open(page)
    check_a11y(page, f"a11y-{state.name}")


def test_error_summary_links_move_focus_to_the_field(page):
    page.goto("/account/signup")
    page.locator("main").get_by_role("button", name="Send me the link").click()
    summary = page.get_by_role("alert")
    first_error = summary.get_by_role("link").first
    expect(first_error).to_contain_text("Email address")
    first_error.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email address")).to_be_focused()
    save_screenshot(page, "a11y-signup-error-link-followed")


@pytest.mark.parametrize(("name", "path"), [("home", "/"), ("signup", "/account/signup")])
def test_pages_reflow_at_320_css_pixels(page, name, path):
    """WCAG 1.4.10: no horizontal scrolling at 320 px wide (400% zoom of 1280 px)."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    save_screenshot(page, f"reflow-320px-{name}")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
