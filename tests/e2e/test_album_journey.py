"""The Cairo coordinator uploads three photos to Day 1 of a past programme and hides one; a
visitor then sees two on the programme page, opens one and walks the album by keyboard, at
desktop width and at 360 px; axe-core checks each page."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import check_a11y
from .page_states import Account, log_in, log_out

pytestmark = pytest.mark.e2e

COORDINATOR = Account("coordinator.cairo@miti.example", "demo-staff-peer-review")
SLUG = "upgrading-informal-areas"


def _jpeg(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(out, format="JPEG")
    return out.getvalue()


def _no_sideways_scroll(page) -> None:
    # The layout is judged with every stylesheet in, not halfway through loading.
    page.wait_for_load_state("load")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_coordinator_uploads_and_hides_a_visitor_sees_the_rest(page, live_server):
    log_in(page, COORDINATOR)
    page.goto("/manage/cairo/")
    programmes = page.locator("main a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    album = None
    for href in (h for h in programmes if re.fullmatch(r"/manage/cairo/programmes/\d+", h)):
        page.goto(href)
        if f"/programmes/{SLUG}" in page.content() or "Upgrading" in page.content():
            links = page.locator("main a[href$='/album']")
            if links.count():
                album = links.first.get_attribute("href")
                break
    assert album, "no album link on the past Cairo programme: run `flask demo-data`"
    page.goto(album)
    check_a11y(page, "album-empty")
    # Sent, the upload form says it is on its way and takes no second click (the send itself
    # is stopped here, before it leaves the page).
    upload = page.locator("main form[enctype='multipart/form-data'] button[type=submit]")
    page.evaluate("window.addEventListener('submit', e => e.preventDefault(), {once: true})")
    upload.click()
    expect(upload).to_be_disabled()
    expect(page.locator("[data-busy-status]")).to_contain_text("Uploading")
    page.reload()
    expect(upload).to_be_enabled()
    page.locator("#photos").set_input_files(
        [
            {"name": f"day-1-{n}.jpg", "mimeType": "image/jpeg", "buffer": _jpeg(colour)}
            for n, colour in enumerate(((200, 40, 40), (40, 160, 60), (40, 60, 200)), start=1)
        ]
    )
    upload.click()
    expect(page.locator(".flash-success")).to_contain_text("3 photos have been added")
    expect(page.locator(".staff-photos > li")).to_have_count(3)
    page.get_by_role("button", name="Hide Photo 2").click()
    expect(page.locator(".flash-success")).to_contain_text("Photo 2 is hidden")
    check_a11y(page, "album-with-photos")
    log_out(page)

    page.goto(f"/programmes/{SLUG}")
    grid = page.locator(".photo-grid").first
    expect(grid.locator("img")).to_have_count(2)
    for image in grid.locator("img").all():
        assert image.get_attribute("loading") == "lazy"
        assert image.get_attribute("width") and image.get_attribute("height")
        assert image.get_attribute("alt")
    check_a11y(page, "programme-with-album")
    grid.locator("a").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Photo 1 of 2")
    expect(page.locator("figure img")).to_be_visible()
    check_a11y(page, "photo-page")
    page.get_by_role("link", name="Next photo").click()
    expect(page.locator("h1")).to_contain_text("Photo 2 of 2")

    page.set_viewport_size({"width": 360, "height": 740})
    _no_sideways_scroll(page)
    page.goto(f"/programmes/{SLUG}")
    _no_sideways_scroll(page)
