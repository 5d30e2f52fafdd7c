"""Phones, in every direction: no page scrolls sideways at 360 px in English, Arabic and Persian
(tables scroll inside their own labelled region), the register button is near the top of a long
programme page, and the catalogue's filters fold away."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import (
    ARTIFACTS,
    OVERFLOWING,
    PHONE,
    STAFF_EMAIL,
    STAFF_PASSWORD,
    narrow_layout_violations,
    save_screenshot,
)
from .page_states import (
    ADMIN,
    ALBUM_PROGRAMME_SLUG,
    LONG_PROGRAMME_SLUG,
    PAGE_STATES,
    PARTICIPANT,
    Account,
    choose_language,
    log_in,
    log_out,
)

pytestmark = pytest.mark.e2e

LOCALES = {"en": "en-GB", "ar": "ar-EG", "fa": "fa-IR"}


def _states_by_account() -> dict[Account | None, list]:
    grouped: dict[Account | None, list] = {}
    for state in PAGE_STATES:
        grouped.setdefault(state.account, []).append(state)
    return grouped


@pytest.fixture
def phone_context(browser, browser_context_args, base_url, request):
    """One browser context per language: 360 x 740, the browser asking for that language."""
    language = request.param
    context = browser.new_context(
        **{
            **browser_context_args,
            "viewport": PHONE,
            "locale": LOCALES[language],
            "base_url": base_url,
        },
        extra_http_headers={"Accept-Language": language},
    )
    context.set_default_timeout(10_000)
    yield context, language
    context.close()


@pytest.mark.parametrize("phone_context", list(LOCALES), indirect=True)
def test_no_page_scrolls_sideways_on_a_phone(phone_context):
    context, language = phone_context
    page = context.new_page()
    overflowing: dict[str, str] = {}
    for account, states in _states_by_account().items():
        own_language = None
        if account is not None:
            log_in(page, account)
            # A logged-in user's own language wins over the browser's: use it, restore it after.
            own_language = page.locator("html").get_attribute("lang")
            if own_language != language:
                choose_language(page, language)
        try:
            for state in states:
                state.open(page)
                expect(page.locator("html")).to_have_attribute("lang", language)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if language == "en":
                    problems = narrow_layout_violations(page)
                    if problems:
                        overflowing[state.name] = f"axe-core: {problems}"
                if overflow > 0:
                    save_screenshot(page, f"phone-{language}-{state.name}")
                    culprits = ", ".join(page.evaluate(OVERFLOWING))
                    overflowing[state.name] = f"{overflow}px wider ({culprits})"
        finally:
            if account is not None:
                if own_language and own_language != language:
                    choose_language(page, own_language)
                log_out(page)
    assert not overflowing, (
        f"At 360px in {language!r}, pages scroll sideways (or hide a table from the keyboard):\n"
        + "\n".join(f"  {name}: {detail}" for name, detail in overflowing.items())
    )


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_register_button_is_near_the_top_of_a_long_programme_on_a_phone(phone):
    page = phone
    log_in(page, Account(STAFF_EMAIL, STAFF_PASSWORD))
    page.goto(f"/programmes/{LONG_PROGRAMME_SLUG}")
    summary = page.locator(".registration-summary")
    apply = summary.get_by_role("button", name="Apply")
    expect(apply).to_be_visible()
    box = apply.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], f"Apply button at {box}, below the fold"
    # It says what the registration box further down says, in the same words.
    registration = page.get_by_role("region", name="Registration")
    expect(summary.locator(".badge")).to_have_text(registration.locator(".badge").inner_text())
    expect(registration.get_by_role("button", name="Apply")).to_be_visible()
    description = page.locator("main [lang] p").first
    assert description.bounding_box()["y"] > box["y"], "the button comes before the description"

    # Wide screens keep the registration box beside the text, and no second box.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(summary).to_be_hidden()
    expect(page.get_by_role("button", name="Apply")).to_have_count(1)


def test_visitors_see_how_to_register_at_the_top_of_a_programme_on_a_phone(phone):
    page = phone
    page.goto(f"/programmes/{LONG_PROGRAMME_SLUG}")
    summary = page.locator(".registration-summary")
    expect(summary).to_contain_text("Log in or create an account to register.")
    log_in_link = summary.get_by_role("link", name="Log in")
    assert log_in_link.bounding_box()["y"] < PHONE["height"]
    expect(log_in_link).to_have_attribute(
        "href", f"/account/login?next=/programmes/{LONG_PROGRAMME_SLUG}/register"
    )


def test_my_registrations_show_their_status_without_scrolling_on_a_phone(phone):
    page = phone
    log_in(page, PARTICIPANT)
    page.goto("/my/registrations")
    table = page.get_by_role("table", name="Your registrations, newest programme first")
    status = table.get_by_role("columnheader", name="Status")
    box = status.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"], f"Status column off-screen at {box}"
    # The rest of the table scrolls inside its own region, which the keyboard can reach.
    region = page.get_by_role("region", name="Your registrations, newest programme first")
    region.focus()
    expect(region).to_be_focused()
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => Math.abs(el.scrollLeft) > 0", arg=region.element_handle())


@pytest.fixture
def phone_without_javascript(browser, browser_context_args, base_url):
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "base_url": base_url},
        java_script_enabled=False,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_catalogue_filters_fold_away_on_a_phone_and_work_without_javascript(
    phone_without_javascript,
):
    page = phone_without_javascript
    page.goto("/programmes")
    disclosure = page.locator("details.catalogue-filters")
    summary = disclosure.locator("summary")
    expect(summary).to_have_text("Filters")
    expect(page.get_by_role("search")).to_be_hidden()
    first_card = page.get_by_role("article").first
    assert first_card.bounding_box()["y"] < PHONE["height"], "no programme on the first screen"

    summary.click()
    search = page.get_by_role("search")
    expect(search).to_be_visible()
    search.get_by_label("Kind").select_option(label="Workshop")
    search.get_by_label("Open for registration now").check()
    search.get_by_role("button", name="Show programmes").click()

    expect(page).to_have_url(re.compile(r"kind=workshop"))
    expect(summary).to_have_text("Filters (2 active)")
    expect(page.get_by_role("search")).to_be_hidden()
    expect(page.get_by_role("article").first).to_contain_text("Workshop")

    # A filter that needs a correction opens the disclosure, so its message is seen.
    page.goto("/programmes?kind=spaceship")
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.get_by_text("Choose a kind from the list; this filter is ignored.")).to_be_visible()


def test_catalogue_filters_stay_in_view_on_a_wide_screen(page):
    page.goto("/programmes")
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.locator("details.catalogue-filters summary")).to_be_hidden()
    expect(page.get_by_role("search").get_by_label("Kind")).to_be_visible()


#: `MITI_WRITE_SCREENSHOTS=1 make test` (or this file alone) refreshes the README's pictures.
WRITE_SCREENSHOTS = os.environ.get("MITI_WRITE_SCREENSHOTS") == "1"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
#: Reads the interface in Arabic (demo data); no registration for the form's programme.
ARABIC_PARTICIPANT = Account("mona.s@giza.example", PARTICIPANT.password)


def _picture(page, name: str, *, height: int | None = None) -> None:
    """Into docs/screenshots when asked, else beside the other test artifacts; the whole page,
    or its first height pixels."""
    folder = DOCS_SCREENSHOTS if WRITE_SCREENSHOTS else ARTIFACTS
    width = page.viewport_size["width"]
    clip = {"x": 0, "y": 0, "width": width, "height": height} if height else None
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True, clip=clip)


def test_screenshots_of_the_arabic_form_on_a_phone_and_the_staff_list(
    browser, browser_context_args, base_url
):
    context = browser.new_context(
        **{
            **browser_context_args,
            "viewport": {"width": 390, "height": 844},
            "locale": "ar-EG",
            "base_url": base_url,
        },
        extra_http_headers={"Accept-Language": "ar"},
    )
    page = context.new_page()
    try:
        log_in(page, ARABIC_PARTICIPANT)
        form_state = next(s for s in PAGE_STATES if s.name == "registration-form-errors")
        form_state.open(page)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # The top of the form: the error summary and "Your details" with the email address.
        _picture(page, "phone-registration-form-ar", height=1300)
        log_out(page)

        page.set_viewport_size({"width": 1280, "height": 900})
        log_in(page, ADMIN)
        own_language = page.locator("html").get_attribute("lang")
        if own_language != "en":
            choose_language(page, "en")
        try:
            next(s for s in PAGE_STATES if s.name == "staff-registrations").open(page)
            _picture(page, "staff-registrations")
        finally:
            if own_language != "en":
                choose_language(page, own_language)
    finally:
        context.close()


def test_screenshot_of_a_past_forums_news_and_photos(page):
    """The demo forum's news post and its Day 1 and Day 2 albums, every thumbnail loaded once
    scrolled to (they are lazy) and drawn from a real image."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/programmes/{ALBUM_PROGRAMME_SLUG}")
    news = page.locator("section[aria-labelledby=news-heading]")
    albums = page.locator("section[aria-labelledby=albums-heading]")
    expect(albums.locator(".photo-grid")).to_have_count(2)
    albums.scroll_into_view_if_needed()
    for image in albums.locator("img").all():
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0, image.get_attribute("src")
    page.evaluate("window.scrollTo(0, 0)")
    top = news.bounding_box()
    bottom = albums.bounding_box()
    folder = DOCS_SCREENSHOTS if WRITE_SCREENSHOTS else ARTIFACTS
    page.screenshot(
        path=str(folder / "programme-news-and-photos.png"),
        full_page=True,
        clip={
            "x": max(0, top["x"] - 16),
            "y": max(0, top["y"] - 16),
            "width": max(top["width"], bottom["width"]) + 32,
            "height": bottom["y"] + bottom["height"] - top["y"] + 32,
        },
    )
