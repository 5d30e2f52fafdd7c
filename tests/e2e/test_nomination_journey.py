"""Selection by nomination, end to end in the browser: the focal point of Cairo (reading Arabic)
nominates an official, who applies from the email's link in French; two reviewers score every
application (one is recused from his own city's applicant); the coordinator proposes a balanced
group, swaps one place and confirms; every decision email is in its recipient's language, and
the focal points hear their city's outcome. A withdrawal then offers the freed seat to the first
on the waiting list, who accepts it. A second journey invites an address without an account
(in Persian), which signs up from the link and applies, and the focal point withdraws it.
axe-core checks every step, and every step is also looked at 360 px wide for sideways scrolling.
The world is made with the test factories (nomination_world).
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import (
    OVERFLOWING,
    PHONE,
    check_a11y,
    link_in,
    narrow_layout_violations,
    newest_email,
    save_screenshot,
)
from .nomination_world import (
    CAIRO_OTHER,
    CENTRE_SLUG,
    MEXICO,
    NOMINEE,
    PROGRAMME_SLUG,
    PROGRAMME_TITLE,
    SCORES,
    STUDY_VISIT_TITLE,
    TEHRAN,
    World,
    build_world,
)
from .page_states import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def world(live_server) -> World:
    return build_world(live_server)


@pytest.fixture
def new_page(browser, browser_context_args, base_url):
    """A page in a browser context of its own (one person each: own cookies)."""
    contexts = []

    def make(locale: str | None = None):
        """locale: the browser's language (a visitor's pages follow it), else English."""
        options = {**browser_context_args, "base_url": base_url}
        if locale:
            options.update(locale=locale, extra_http_headers={"Accept-Language": locale})
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def check_step(page, name: str, *, direction: str = "ltr") -> None:
    """axe-core on the page at desktop width, then no sideways scrolling at 360 px (and the
    narrow layout's own axe rules); the page is left at its width before."""
    expect(page.locator("html")).to_have_attribute("dir", direction)
    check_a11y(page, f"nomination-{name}")
    width = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            save_screenshot(page, f"nomination-{name}-phone")
        assert overflow <= 0, (
            f"{name} ({page.url}) scrolls sideways by {overflow}px at 360px: "
            + ", ".join(page.evaluate(OVERFLOWING))
        )
        problems = narrow_layout_violations(page)
        assert not problems, f"{name} at 360px: {problems}"
    finally:
        page.set_viewport_size(width)


def _submit(page) -> None:
    page.locator("main form.form button[type=submit]").first.click()


def _score(page, world: World, applicant: str, values: tuple[int, int]) -> None:
    page.get_by_role("link", name=applicant, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(applicant)
    for criterion_id, value in zip(world.criteria, values, strict=True):
        page.locator(f"input[name=score_{criterion_id}][value='{value}']").check()
    page.get_by_role("button", name="Submit the sheet (final)").click()
    expect(page.get_by_role("status")).to_contain_text("Your sheet is submitted")


def _email(outbox, to: str, language: str):
    message = newest_email(outbox, to=to)
    assert message["Content-Language"] == language, (to, message["Subject"])
    return message, message.get_body(preferencelist=("plain",)).get_content()


def test_focal_point_nominates_and_the_coordinator_selects_a_balanced_group(
    world, live_server, new_page
):
    outbox = live_server.outbox
    programme = world.programme_id

    # 1. The focal point of Cairo, reading Arabic, nominates an official of the city.
    focal = new_page()
    log_in(focal, world.focal_point)
    expect(focal.locator("html")).to_have_attribute("lang", "ar")
    focal.goto("/nominations")
    check_step(focal, "01-focal-point-nominations", direction="rtl")
    focal.locator(f"main a[href='/nominations/programmes/{programme}']").first.click()
    check_step(focal, "02-nominate-form", direction="rtl")
    focal.locator("#email").fill("not an address")
    _submit(focal)
    expect(focal.locator(".form-error-summary[role=alert]")).to_be_visible()
    check_step(focal, "03-nominate-errors", direction="rtl")
    focal.locator("#email").fill(world.nominee.email.upper())
    _submit(focal)
    expect(focal.get_by_role("status")).to_contain_text(NOMINEE[0])
    # Both of Cairo's places are taken now: the form gives way to a notice.
    expect(focal.locator("#email")).to_have_count(0)
    expect(focal.locator("main table")).to_contain_text(NOMINEE[0])
    check_step(focal, "04-nominated", direction="rtl")

    # 2. The official opens the link of the nomination email (in French) and applies.
    message, body = _email(outbox, world.nominee.email, "fr")
    assert PROGRAMME_TITLE in body
    link = link_in(message, live_server.url, "/programmes/")
    official = new_page()
    official.goto(link)
    expect(official).to_have_url(re.compile(r"/account/login\?next="))
    official.locator("#email").fill(world.nominee.email)
    official.locator("#password").fill(world.nominee.password)
    official.locator("main form.form button[type=submit]").click()
    expect(official).to_have_url(re.compile(f"/programmes/{PROGRAMME_SLUG}/register$"))
    expect(official.locator("html")).to_have_attribute("lang", "fr")
    check_step(official, "05-application-form")
    official.locator("#motivation").fill(
        "J'ai réduit les pertes du réseau de Nasr City de 12 % en deux ans."
    )
    official.locator("#consent_data").check()
    official.locator("main form.form button[type=submit]").click()
    expect(official.get_by_role("status")).to_be_visible()
    check_step(official, "06-applied")
    official.goto("/my/registrations")
    expect(official.locator("main")).to_contain_text(PROGRAMME_TITLE)
    check_step(official, "07-my-registrations")

    # The focal point sees the application on the city's list.
    focal.goto("/nominations")
    expect(focal.locator("main table")).to_contain_text(NOMINEE[0])
    check_step(focal, "08-focal-point-after-application", direction="rtl")

    # 3. Two reviewers score every application; the one from Mexico City is recused from
    # Lucía's and sees no sheet of others before submitting their own.
    scoring = f"/manage/{CENTRE_SLUG}/programmes/{programme}/scoring"
    for key, scores in SCORES.items():
        reviewer = new_page()
        log_in(reviewer, world.reviewers[key])
        reviewer.goto("/manage/scoring")  # a reviewer of one centre lands on its list
        expect(reviewer).to_have_url(re.compile(f"/manage/{CENTRE_SLUG}/scoring$"))
        check_step(reviewer, f"09-{key}-reviewer-programmes")
        reviewer.get_by_role("link", name=PROGRAMME_TITLE).click()
        expect(reviewer).to_have_url(re.compile(f"{scoring}$"))
        check_step(reviewer, f"10-{key}-reviewer-list")
        if key == "second":
            row = reviewer.get_by_role("row", name=re.compile(MEXICO[0]))
            expect(row).to_contain_text("Recused")
            expect(row.get_by_role("link")).to_have_count(0)
        for index, (applicant, values) in enumerate(scores.items()):
            if index == 0:
                reviewer.get_by_role("link", name=applicant, exact=True).click()
                expect(reviewer.get_by_text("shown once you have submitted")).to_be_visible()
                check_step(reviewer, f"11-{key}-score-sheet")
                reviewer.goto(scoring)
            _score(reviewer, world, applicant, values)
            if index == 0:
                check_step(reviewer, f"12-{key}-sheet-submitted")
            reviewer.goto(scoring)
        expect(reviewer.locator("main table .badge-warn")).to_have_count(0)

    # 4. The coordinator proposes a balanced group of three: one per city, so Yasmine (second)
    # gives way to Parisa and Lucía; the coordinator swaps Omar for Yasmine and confirms.
    coordinator = new_page()
    log_in(coordinator, world.coordinator)
    manage = f"/manage/{CENTRE_SLUG}/programmes/{programme}"
    coordinator.goto(f"{manage}/nominations")  # places per city, as the focal points took them
    expect(coordinator.get_by_role("row", name=re.compile("Cairo"))).to_contain_text("2")
    check_step(coordinator, "13-nomination-settings")
    coordinator.goto(f"{manage}/rubric")
    check_step(coordinator, "13-rubric")
    coordinator.goto(f"{manage}/selection")
    check_step(coordinator, "13-selection")
    coordinator.get_by_label("Places to fill").fill("3")
    coordinator.get_by_role("button", name="Propose a balanced group").click()
    expect(coordinator).to_have_url(re.compile(r"places=3"))
    ranking = coordinator.get_by_role("table")
    names = [
        re.sub(r"\s+", " ", text).strip()
        for text in ranking.locator("tbody th[scope=row]").all_inner_texts()
    ]
    assert names == [CAIRO_OTHER[0], NOMINEE[0], TEHRAN[0], MEXICO[0]]
    for name in (CAIRO_OTHER[0], TEHRAN[0], MEXICO[0]):
        expect(coordinator.get_by_label(f"Select {name}")).to_be_checked()
    expect(coordinator.get_by_label(f"Select {NOMINEE[0]}")).not_to_be_checked()
    expect(coordinator.get_by_role("row", name=re.compile(NOMINEE[0]))).to_contain_text(
        "Skipped: city cap of 1 reached"
    )
    check_step(coordinator, "14-proposal")
    coordinator.get_by_label(f"Select {CAIRO_OTHER[0]}").uncheck()
    coordinator.get_by_label(f"Select {NOMINEE[0]}").check()
    coordinator.get_by_role("radio", name=re.compile("waiting list", re.I)).check()
    coordinator.get_by_role("button", name="Confirm the selection").click()
    expect(coordinator.get_by_role("status")).to_contain_text(
        "3 applicants are confirmed. 1 other is on the waiting list."
    )
    check_step(coordinator, "15-confirmed")

    # 5. Decision emails in each recipient's language; the focal points hear their city's.
    greetings = {"fr": "Bonjour", "fa": "گرامی", "es": "Estimado/a", "en": "Hello"}
    for name, email, language in (NOMINEE, TEHRAN, MEXICO, CAIRO_OTHER):
        _, body = _email(outbox, email, language)
        assert name in body and PROGRAMME_TITLE in body, (email, body)
        assert greetings[language] in body.splitlines()[0], (email, body)
    _, body = _email(outbox, CAIRO_OTHER[1], "en")
    assert "waiting list" in body
    _, body = _email(outbox, world.focal_point.email, "ar")
    assert NOMINEE[0] in body and CAIRO_OTHER[0] in body
    assert TEHRAN[0] not in body and MEXICO[0] not in body
    assert re.search("[\u0600-\u06ff]", body), body
    _, body = _email(outbox, world.tehran_focal_point.email, "fa")
    assert TEHRAN[0] in body and NOMINEE[0] not in body

    # The focal points' pages show the outcome too, in Arabic and in Persian.
    focal.goto("/nominations")
    check_step(focal, "16-focal-point-outcome", direction="rtl")
    tehran = new_page()
    log_in(tehran, world.tehran_focal_point)
    expect(tehran.locator("html")).to_have_attribute("lang", "fa")
    tehran.goto("/nominations")
    expect(tehran.locator("main table")).to_contain_text(TEHRAN[0])
    expect(tehran.locator("main table")).not_to_contain_text(NOMINEE[0])
    check_step(tehran, "17-tehran-focal-point-outcome", direction="rtl")
    official.goto("/my/registrations")
    check_step(official, "18-official-confirmed")
    official.goto("/my/record")
    check_step(official, "18-training-record")

    # 6. Lucía withdraws (in Spanish): her seat is offered to Omar, first on the waiting list,
    # for 48 hours; the coordinator sees the open offer, and Omar accepts it.
    lucia = new_page()
    log_in(lucia, world.mexico)
    expect(lucia.locator("html")).to_have_attribute("lang", "es")
    lucia.goto("/my/registrations")
    lucia.locator("main a[href^='/my/registrations/']").first.click()
    lucia.locator("main a[href$='/withdraw']").click()
    check_step(lucia, "19-withdraw")
    lucia.locator("main form.form button[type=submit]").click()
    expect(lucia.get_by_role("status")).to_be_visible()

    message, body = _email(outbox, CAIRO_OTHER[1], "en")
    assert "offered to you" in message["Subject"], message["Subject"]
    coordinator.goto(f"/manage/{CENTRE_SLUG}/programmes/{programme}/registrations?status=offered")
    offered = coordinator.get_by_role("row", name=re.compile(CAIRO_OTHER[0]))
    expect(offered).to_contain_text("Until")
    check_step(coordinator, "20-open-offers")

    omar = new_page()
    log_in(omar, world.waitlisted)
    omar.goto(link_in(message, live_server.url, "/my/registrations"))
    expect(omar).to_have_url(re.compile(r"/my/registrations/\d+$"))
    check_step(omar, "21-seat-offered")
    omar.get_by_role("button", name="Accept the seat").click()
    expect(omar.get_by_role("status")).to_be_visible()
    check_step(omar, "22-offer-accepted")
    accepted, body = _email(outbox, CAIRO_OTHER[1], "en")
    assert accepted["Subject"] != message["Subject"] and "confirmed" in body.lower(), body


def test_an_address_without_an_account_is_invited_signs_up_and_applies(
    world, live_server, new_page
):
    """The focal point of Tehran (in Persian) nominates an address that has no account yet;
    the invitation's link opens the sign-up form, which leads to the application form; then the
    focal point withdraws the nomination before selection."""
    outbox = live_server.outbox
    invitee, name = "arash.sadeghi@tehran.example", "Arash Sadeghi"

    focal = new_page()
    log_in(focal, world.tehran_focal_point)
    focal.goto(f"/nominations/programmes/{world.study_visit_id}")
    expect(focal.locator("html")).to_have_attribute("lang", "fa")
    check_step(focal, "invite-01-nominate-form", direction="rtl")
    focal.locator("#email").fill(invitee)
    focal.locator("#full_name").fill(name)
    focal.locator("#language").select_option("fa")
    _submit(focal)
    expect(focal.get_by_role("status")).to_contain_text(invitee)
    check_step(focal, "invite-02-invited", direction="rtl")

    message, body = _email(outbox, invitee, "fa")
    assert STUDY_VISIT_TITLE in body
    link = link_in(message, live_server.url, "/nominations/invitation/")

    official = new_page(locale="fa")
    official.goto(link)
    expect(official).to_have_url(re.compile(r"/account/signup/[^/]+$"))
    expect(official.locator("#email")).to_have_value(invitee)
    check_step(official, "invite-03-sign-up", direction="rtl")
    official.locator("#full_name").fill(name)
    official.locator("#password").fill("saffron-bazaar-lantern-19")
    official.locator("#password_confirm").fill("saffron-bazaar-lantern-19")
    official.locator("#member_city_id").select_option(str(world.tehran_id))
    official.locator("#job_title").fill("Urban heat planner")
    official.locator("#preferred_language").select_option("fa")
    official.locator("main form.form button[type=submit]").click()
    study_visit_slug = f"{PROGRAMME_SLUG}-study-visit"
    expect(official).to_have_url(re.compile(f"/programmes/{study_visit_slug}/register$"))
    check_step(official, "invite-04-application-form", direction="rtl")
    official.locator("#motivation").fill("خیابان‌های تهران در تابستان بیش از حد گرم می‌شوند.")
    official.locator("#consent_data").check()
    official.locator("main form.form button[type=submit]").click()
    expect(official.get_by_role("status")).to_be_visible()
    check_step(official, "invite-05-applied", direction="rtl")

    focal.reload()
    row = focal.get_by_role("row", name=re.compile(name))
    expect(row.locator(".badge")).to_have_count(2)  # applied, and the application's status
    focal.once("dialog", lambda dialog: dialog.accept())
    row.locator("button[type=submit]").click()
    expect(focal.get_by_role("status")).to_contain_text(name)
    expect(focal.get_by_role("row", name=re.compile(name)).locator("button")).to_have_count(0)
    check_step(focal, "invite-06-withdrawn", direction="rtl")
    withdrawn, _ = _email(outbox, invitee, "fa")
    assert withdrawn["Subject"] != message["Subject"]
