"""Translated texts in the browser: a Persian official's application asks the demo
workshop's questions in Persian, right to left; the translation fieldsets of a staff form are
accessible and open from the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import check_a11y

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo-participant-seoul"  # noqa: S105 (development demo account)


def _log_in(page, email: str, password: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/account/login"))


def test_persian_official_gets_the_workshop_questions_in_persian(page):
    # Nominated by Tehran's focal point, he has applied; he prefers Persian.
    _log_in(page, "r.karimi@tehran.example", DEMO_PASSWORD)
    # The registration form sends him to his application, where he can change his answers.
    page.goto("/programmes/peer-review-process-workshop/register")
    expect(page).to_have_url(re.compile(r"/my/registrations/\d+$"))
    page.get_by_role("link", name="تغییر پاسخ‌های من").click()  # "Change my answers"
    expect(page).to_have_url(re.compile(r"/my/registrations/\d+/edit$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    question = page.get_by_text("کدام سیاست شهرتان را می‌خواهید برای داوری همتا پیشنهاد کنید؟")
    expect(question).to_be_visible()
    # The question is isolated with its own direction: its question mark ends the line on the left.
    assert question.evaluate("e => getComputedStyle(e).direction") == "rtl"
    expect(question).to_have_attribute("dir", "auto")
    expect(page.get_by_text("بله، در نقش داور")).to_be_visible()
    check_a11y(page, "translations-persian-registration-form")


def test_translation_fieldsets_open_from_the_keyboard_and_are_accessible(page):
    _log_in(page, "admin@miti.example", "demo-admin-sharing-cities")  # development demo account
    page.goto("/admin/centres")
    page.locator('a[href$="/edit"]').first.click()
    persian = page.locator("details.translation", has=page.locator('summary span[lang="fa"]'))
    expect(persian).to_have_attribute("open", "")  # the demo centres are translated
    korean_summary = page.locator('details.translation summary:has(span[lang="ko"])')
    korean_summary.focus()
    korean = page.locator("details.translation", has=page.locator('summary span[lang="ko"]'))
    korean.evaluate("e => e.removeAttribute('open')")
    korean_summary.press("Enter")
    expect(korean).to_have_attribute("open", "")
    expect(korean.locator('input[name="name_ko"]')).to_have_attribute("lang", "ko")
    check_a11y(page, "translations-centre-form")
