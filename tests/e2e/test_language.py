"""The interface language switcher in the footer, right-to-left included."""

import pytest
from playwright.sync_api import expect

from .conftest import check_a11y

pytestmark = pytest.mark.e2e


def test_arabic_interface_is_right_to_left(page):
    page.goto("/programmes")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")

    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Language").select_option(label="العربية")
    footer.locator("form.language-form button[type=submit]").click()

    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    # The form sends the visitor back to the page they were on.
    assert page.url.endswith("/programmes")
    check_a11y(page, "language-01-arabic-rtl")

    page.goto("/")
    expect(html).to_have_attribute("dir", "rtl")
    check_a11y(page, "language-02-arabic-home")
