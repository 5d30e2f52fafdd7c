"""axe-core (WCAG 2.1 A and AA) on the public pages, including their error states."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import check_a11y, save_screenshot

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = [
    ("home", "/"),
    ("programmes", "/programmes"),
    ("login", "/account/login"),
    ("signup", "/account/signup"),
    ("forgot-password", "/account/forgot-password"),
]


@pytest.mark.parametrize(("name", "path"), PUBLIC_PAGES, ids=[n for n, _ in PUBLIC_PAGES])
def test_public_page_is_accessible(page, name, path):
    response = page.goto(path)
    assert response.status == 200
    check_a11y(page, f"a11y-{name}")


def test_not_found_page_is_accessible(page):
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_a11y(page, "a11y-404")


def _first_link(page, pattern: str) -> str | None:
    hrefs = page.locator("main a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return next((h for h in hrefs if re.fullmatch(pattern, h)), None)


def test_programme_page_is_accessible(page):
    page.goto("/programmes")
    href = _first_link(page, r"/programmes/[^/?#]+")
    if href is None:
        pytest.skip("no published programme to open: `flask demo-data` created none yet")
    page.goto(href)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page, "a11y-programme")


def test_centre_page_is_accessible(page):
    page.goto("/")
    href = _first_link(page, r"/centres/[^/?#]+")
    if href is None:
        pytest.skip("no centre to open: `flask demo-data` created none yet")
    page.goto(href)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page, "a11y-centre")


@pytest.mark.parametrize(
    ("name", "path", "button"),
    [
        ("signup", "/account/signup", "Send me the link"),
        ("login", "/account/login", "Log in"),
        ("forgot-password", "/account/forgot-password", "Send the link"),
    ],
)
def test_form_errors_are_accessible(page, name, path, button):
    page.goto(path)
    page.locator("main").get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the highlighted fields.")
    invalid = page.locator("main [aria-invalid=true]")
    expect(invalid.first).to_be_visible()
    check_a11y(page, f"a11y-{name}-errors")


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


def _log_in(page, email: str, password: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_network_dashboard_is_accessible(page):
    _log_in(page, "admin@miti.example", "demo-admin-sharing-cities")  # development demo account
    page.goto("/admin/dashboard")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page, "a11y-network-dashboard")


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("my-registrations", "/my/registrations"),
        ("check-in", "/check-in?code=7K3M-QX9P"),
        ("profile", "/account/profile"),
        ("delete-account", "/account/delete"),
    ],
)
def test_participant_page_is_accessible(page, name, path):
    _log_in(page, "participant@miti.example", "demo-participant-seoul")  # development demo
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page, f"a11y-participant-{name}")


def test_certificate_lookup_and_unknown_code_are_accessible(page):
    page.goto("/certificates/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page, "a11y-certificate-lookup")
    response = page.goto("/certificates/ABCD-EFGH-JKMN")
    assert response.status == 404
    check_a11y(page, "a11y-certificate-unknown")
