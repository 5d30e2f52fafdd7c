"""The main journeys once more in Arabic: mirrored, translated, accessible."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from .conftest import check_a11y

pytestmark = pytest.mark.e2e

CATALOG = (
    Path(__file__).resolve().parents[2] / "miti_training/translations/fr/LC_MESSAGES/messages.po"
)


def _english_sentences() -> list[str]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    return [
        m.id
        for m in catalog
        if isinstance(m.id, str)
        and len(m.id.split()) >= 3
        and "%" not in m.id
        and m.id != "Metropolis International Training Institute"
    ]


@pytest.fixture
def arabic_page(browser, browser_context_args, base_url):
    context = browser.new_context(
        **{**browser_context_args, "locale": "ar-EG", "base_url": base_url},
        extra_http_headers={"Accept-Language": "ar"},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _check_arabic(page, name, sentences):
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    text = page.locator("body").inner_text()
    leftovers = [s for s in sentences if s in text]
    assert not leftovers, f"{name}: English left on the page: {leftovers[:5]}"
    check_a11y(page, f"arabic-{name}")


def test_visitor_and_director_journeys_in_arabic(arabic_page):
    page, sentences = arabic_page, _english_sentences()
    page.goto("/")
    _check_arabic(page, "01-home", sentences)

    page.goto("/programmes?theme=urban_governance")
    _check_arabic(page, "02-catalogue-filtered", sentences)
    page.locator(".programme-card a").first.click()
    _check_arabic(page, "03-programme", sentences)

    page.goto("/account/signup")
    page.locator("form.form button[type=submit]").click()
    _check_arabic(page, "04-signup-errors", sentences)

    page.goto("/account/login")
    page.fill("#email", "director.seoul@miti.example")
    page.fill("#password", "demo-staff-peer-review")
    page.locator("form.form button[type=submit]").click()
    # A signed-in user's own language wins over the browser's: choose Arabic, restore after.
    own_language = page.locator("html").get_attribute("lang")
    _choose_language(page, "ar")
    try:
        page.goto("/manage/seoul/")
        _check_arabic(page, "05-manage-centre", sentences)
        page.locator("table a").first.click()
        _check_arabic(page, "06-manage-programme", sentences)
        page.goto("/manage/seoul/programmes/new")
        _check_arabic(page, "07-new-programme", sentences)
        page.goto("/account/profile")
        _check_arabic(page, "08-profile", sentences)
    finally:
        _choose_language(page, own_language)


def _choose_language(page, code):
    page.locator("#footer-language").select_option(code)
    page.locator("footer form.language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)
