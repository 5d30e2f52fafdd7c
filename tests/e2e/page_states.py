"""The page states the browser checks visit: one list, walked by the accessibility test (axe-core
at desktop width) and the phone-layout test (no sideways scrolling at 360 px, in three
languages).

A state is a page plus what to do on it (send a form empty to see its errors). Every step uses
selectors that do not depend on the interface language, so the same states work in Arabic and
Persian. Logged-in states name the demo account (development only) they need.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, expect


@dataclass(frozen=True)
class Account:
    email: str
    password: str


#: Demo accounts of `flask demo-data` (development only, published passwords).
ADMIN = Account("admin@miti.example", "demo-admin-sharing-cities")
PARTICIPANT = Account("participant@miti.example", "demo-participant-seoul")
REVIEWER = Account("reviewer.seoul@miti.example", "demo-staff-peer-review")
#: Tehran has a place left for the demo's programme by nomination: the form is shown.
FOCAL_POINT = Account("focal.tehran@miti.example", PARTICIPANT.password)

#: Open, not full, and the demo participant has no registration for it.
REGISTRATION_FORM_SLUG = "climate-adaptation-study-visit"
#: The programme with the longest description and timetable of the demo.
LONG_PROGRAMME_SLUG = "urban-transportation-sustainable-mobility"


@dataclass(frozen=True)
class PageState:
    name: str
    #: A path, or a function of the page that finds it (a link followed from another page).
    path: str | Callable[[Page], str]
    account: Account | None = None
    status: int = 200
    #: What to do once the page is loaded to reach the state (e.g. send a form empty).
    then: Callable[[Page], None] | None = None

    def open(self, page: Page) -> None:
        """Load the page, check its status, and reach the state."""
        path = self.path if isinstance(self.path, str) else self.path(page)
        response = page.goto(path)
        assert response is not None and response.status == self.status, (
            f"{self.name}: {path} answered {response and response.status}, not {self.status}"
        )
        if self.then is not None:
            self.then(page)
        expect(page.locator("h1").first).to_be_visible()
        # A form sent by a click is judged once its answer has loaded, stylesheets and all.
        page.wait_for_load_state("load")


def _first_link(page: Page, start: str, pattern: str) -> str:
    """The first link of start's <main> whose href matches pattern."""
    page.goto(start)
    hrefs = page.locator("main a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    href = next((h for h in hrefs if re.fullmatch(pattern, h)), None)
    assert href, f"no link matching {pattern} on {start}: run `flask demo-data` first"
    return href


def _send_empty(form_selector: str) -> Callable[[Page], None]:
    """Submit the form without filling anything in, and wait for its error summary."""

    def send(page: Page) -> None:
        page.locator(f"main {form_selector} button[type=submit]").first.click()
        expect(page.locator(".form-error-summary[role=alert]")).to_be_visible()
        expect(page.locator("main .field-invalid").first).to_be_visible()

    return send


def _first_programme(page: Page) -> str:
    return _first_link(page, "/programmes", r"/programmes/[^/?#]+")


def _first_centre(page: Page) -> str:
    return _first_link(page, "/", r"/centres/[^/?#]+")


def _staff_registrations(page: Page) -> str:
    return _first_link(
        page, "/manage/seoul/dashboard", r"/manage/seoul/programmes/\d+/registrations"
    )


def _links(page: Page, start: str, pattern: str) -> list[str]:
    page.goto(start)
    hrefs = page.locator("main a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [h for h in hrefs if re.fullmatch(pattern, h)]


def _programme_tool(centre: str, tool: str) -> Callable[[Page], str]:
    """The first programme page of centre linking to tool (e.g. "rubric"): that link."""

    def find(page: Page) -> str:
        for programme in _links(page, f"/manage/{centre}/", rf"/manage/{centre}/programmes/\d+"):
            found = _links(page, programme, rf"/manage/{centre}/programmes/\d+/{tool}")
            if found:
                return found[0]
        raise AssertionError(f"no {tool} link at {centre}: run `flask demo-data` first")

    return find


def _nominate_page(page: Page) -> str:
    return _first_link(page, "/nominations", r"/nominations/programmes/\d+")


def _score_sheet(page: Page) -> str:
    for programme in _links(page, "/manage/seoul/scoring", r"/manage/seoul/programmes/\d+/scoring"):
        found = _links(page, programme, r"/manage/seoul/programmes/\d+/scoring/\d+")
        if found:
            return found[0]
    raise AssertionError("no application to score at Seoul: run `flask demo-data` first")


def _news_post(page: Page) -> str:
    return _first_link(page, "/", r"/news/\d+")


def _staff_news(page: Page) -> str:
    return _first_link(page, "/manage/seoul/", r"/manage/seoul/programmes/\d+") + "/news"


#: The demo programme with photo albums (Day 1 and Day 2).
ALBUM_PROGRAMME_SLUG = "miti-opening-forum-sharing-cities"


def _photo_page(page: Page) -> str:
    return _first_link(
        page,
        f"/programmes/{ALBUM_PROGRAMME_SLUG}",
        rf"/programmes/{ALBUM_PROGRAMME_SLUG}/photos/\d+",
    )


def _staff_album(page: Page) -> str:
    return _first_link(
        page, "/manage/seoul/dashboard", r"/manage/seoul/programmes/\d+/sessions/\d+/album"
    )


PAGE_STATES: list[PageState] = [
    PageState("home", "/"),
    PageState("programmes", "/programmes"),
    PageState("programme", _first_programme),
    PageState("programme-long", f"/programmes/{LONG_PROGRAMME_SLUG}"),
    PageState("centre", _first_centre),
    PageState("news-post", _news_post),
    PageState("news-archive", "/news"),
    PageState("centre-news-archive", "/centres/seoul/news"),
    PageState("programme-with-news", "/programmes/miti-opening-forum-sharing-cities"),
    PageState("login", "/account/login"),
    PageState("signup", "/account/signup"),
    PageState("forgot-password", "/account/forgot-password"),
    PageState("login-errors", "/account/login", then=_send_empty("form.form")),
    PageState("signup-errors", "/account/signup", then=_send_empty("form.form")),
    PageState("forgot-password-errors", "/account/forgot-password", then=_send_empty("form.form")),
    PageState("not-found", "/no-such-page", status=404),
    PageState("certificate-lookup", "/certificates/"),
    PageState("certificate-unknown", "/certificates/ABCD-EFGH-JKMN", status=404),
    PageState("my-registrations", "/my/registrations", PARTICIPANT),
    PageState("check-in", "/check-in?code=7K3M-QX9P", PARTICIPANT),
    PageState("profile", "/account/profile", PARTICIPANT),
    PageState("delete-account", "/account/delete", PARTICIPANT),
    PageState(
        "registration-form-errors",
        f"/programmes/{REGISTRATION_FORM_SLUG}/register",
        PARTICIPANT,
        then=_send_empty("form.form"),
    ),
    PageState("network-dashboard", "/admin/dashboard", ADMIN),
    PageState("centre-dashboard", "/manage/seoul/dashboard", ADMIN),
    PageState("staff-registrations", _staff_registrations, ADMIN),
    PageState("selection", _programme_tool("seoul", "selection"), ADMIN),
    PageState("scoring", "/manage/seoul/scoring", REVIEWER),
    PageState("score-sheet", _score_sheet, REVIEWER),
    PageState("rubric", _programme_tool("seoul", "rubric"), ADMIN),
    PageState("centre-reviewers", "/manage/seoul/reviewers", ADMIN),
    PageState(
        "centre-reviewers-errors", "/manage/seoul/reviewers", ADMIN, then=_send_empty("form.form")
    ),
    PageState("nomination-settings", _programme_tool("seoul", "nominations"), ADMIN),
    PageState("prerequisites", _programme_tool("seoul", "prerequisites"), ADMIN),
    PageState("programme-form", _programme_tool("seoul", "edit"), ADMIN),
    PageState("focal-point-nominations", "/nominations", FOCAL_POINT),
    PageState("nominate-errors", _nominate_page, FOCAL_POINT, then=_send_empty("form.form")),
    PageState("training-record", "/my/record", PARTICIPANT),
    PageState("staff-news", _staff_news, ADMIN),
    PageState(
        "news-form-errors",
        lambda page: _staff_news(page) + "/new",
        ADMIN,
        then=_send_empty("form.form"),
    ),
    PageState("programme-albums", f"/programmes/{ALBUM_PROGRAMME_SLUG}"),
    PageState("photo", _photo_page),
    PageState("staff-album", _staff_album, ADMIN),
]


def log_in(page: Page, account: Account) -> None:
    """Log in through the form, in whatever language the page speaks."""
    page.goto("/account/login")
    page.locator("#email").fill(account.email)
    page.locator("#password").fill(account.password)
    page.locator("main form.form button[type=submit]").click()
    expect(page.locator("form[action$='/logout'] button")).to_be_visible()


def log_out(page: Page) -> None:
    page.locator("form[action$='/logout'] button").click()
    expect(page.locator("form[action$='/logout']")).to_have_count(0)


def choose_language(page: Page, code: str) -> None:
    """The footer's language switcher (it also becomes a logged-in user's own language)."""
    page.locator("#footer-language").select_option(code)
    page.locator("footer form.language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)
