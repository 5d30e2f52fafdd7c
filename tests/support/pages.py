"""Reading rendered pages in tests: flashes, field errors, login state."""

import html as html_lib
import re

#: CLDR formats put narrow and thin no-break spaces in times and ranges ("9:30\u202fAM").
_SPACES = str.maketrans({"\u202f": " ", "\u2009": " ", "\u00a0": " "})


def text_of(response) -> str:
    return response.get_data(as_text=True)


def plain_spaces(text: str) -> str:
    """text with CLDR's narrow, thin and no-break spaces made plain, as a test writes them."""
    return text.translate(_SPACES)


def main_of(response) -> str:
    """The page's <main>, with CLDR's special spaces made plain."""
    html = text_of(response)
    return plain_spaces(html[html.index("<main") : html.index("</main>")])


def flashes(response) -> list[tuple[str, str]]:
    """(category, message) of the flashed messages shown on a page."""
    found = re.findall(r'<p class="flash flash-(\w+)">(.*?)</p>', text_of(response), re.S)
    return [(category, html_lib.unescape(message)) for category, message in found]


def field_errors(response) -> dict[str, str]:
    """Field id -> error text shown under it."""
    found = re.findall(r'<p class="error" id="([\w-]+)-error">(.*?)</p>', text_of(response), re.S)
    return {field: html_lib.unescape(message) for field, message in found}


def is_logged_in(client) -> bool:
    """Whether the client's cookies authenticate (checked on a page that flashes nothing)."""
    response = client.get("/")
    assert response.status_code == 200
    return 'action="/account/logout"' in text_of(response)


def follow(client, response):
    """Follow one redirect by hand, so each hop can be inspected."""
    assert response.status_code in (301, 302, 303), response.status_code
    return client.get(response.headers["Location"])


def translated(message: str, locale: str, **variables) -> str:
    """message in locale, as the app would say it (needs an app context)."""
    from flask import current_app
    from flask_babel import force_locale, gettext

    with current_app.test_request_context("/"), force_locale(locale):
        return gettext(message, **variables)


def assert_accessible_page(html: str) -> None:
    """One h1, no inline styles or scripts (the CSP forbids them), every field labelled."""
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<th>" not in html  # header cells carry a scope
    for field_id in re.findall(
        r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html
    ):
        assert f'for="{field_id}"' in html, f"no label for {field_id}"


def endpoint_url(app, endpoint: str, **values) -> str:
    """url_for(endpoint, **values), outside any request."""
    from flask import url_for

    with app.test_request_context():
        return url_for(endpoint, **values)
