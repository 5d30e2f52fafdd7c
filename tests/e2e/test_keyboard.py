"""Keyboard only: skip link, header navigation, logging in without a mouse."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import STAFF_EMAIL, STAFF_NAME, STAFF_PASSWORD, check_a11y, focused, save_screenshot

pytestmark = pytest.mark.e2e


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/")
    check_a11y(page, "keyboard-01-home")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to main content", first
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    save_screenshot(page, "keyboard-02-skip-link-focused")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert focused(page)["id"] == "main"
    # The next Tab continues inside the main content, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    save_screenshot(page, "keyboard-03-focus-in-main")


def test_tab_through_header_and_log_in_with_keyboard_only(page):
    page.goto("/")
    visited = []
    for _ in range(12):
        page.keyboard.press("Tab")
        visited.append(focused(page)["href"])
        if visited[-1] == "/account/login":
            break
    # Skip link, brand, the main navigation, in reading order.
    assert visited == ["#main", "/", "/programmes", "/#centres", "/account/login"], visited
    expect(page.locator(":focus")).to_have_accessible_name("Log in")
    save_screenshot(page, "keyboard-04-log-in-link-focused")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/account/login$"))
    check_a11y(page, "keyboard-05-login-page")

    # Skip the header, then the form fields come first in the main content.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "email"
    page.keyboard.type(STAFF_EMAIL)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "password"
    page.keyboard.type(STAFF_PASSWORD)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "remember"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Log in"
    save_screenshot(page, "keyboard-06-login-form-filled")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(f"Welcome, {STAFF_NAME}")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    check_a11y(page, "keyboard-07-logged-in")


def test_language_select_does_not_navigate_while_arrowing(page):
    """Choosing with the arrow keys must not submit the form (WCAG 3.2.2 On Input)."""
    page.goto("/programmes")
    select = page.get_by_role("contentinfo").get_by_label("Language")
    select.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(select).to_have_value("es")
    page.wait_for_timeout(300)  # an auto-submitting select would be navigating by now
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/programmes$"))
    # The button submits the choice.
    page.keyboard.press("Tab")
    expect(page.get_by_role("contentinfo").get_by_role("button", name="Change")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(r"/programmes$"))
