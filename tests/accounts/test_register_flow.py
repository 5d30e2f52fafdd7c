"""From a programme's page to its registration form in one flow: a visitor who logs in or signs
up there lands back on the form, also across the emailed sign-up link; a `next` that leaves the
site is dropped at every step."""

import html as html_lib
import re
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from sqlalchemy import select

from miti_training.accounts.tokens import SIGNUP_SALT, make_token, read_token
from miti_training.extensions import db as _db
from miti_training.models import EnrolmentPolicy, Registration, User, utcnow
from tests.conftest import link_from
from tests.support.factories import PASSWORD, make_member_city, make_programme, make_user
from tests.support.pages import flashes, follow, text_of

SIGNUP_PASSWORD = "tram route 7 to gangnam"
ADDRESS = "minjun.kim@seoul.example"
NEXT_STEP = "Now complete the form below and send it to finish your registration."
HOSTILE = [
    "//evil.example",
    "https://evil.example",
    "https://evil.example/programmes/x/register",
    "/\\evil.example",
    "javascript:alert(1)",
]


@pytest.fixture
def programme(db):
    return make_programme(slug="peer-review", title="Peer Review Process")


@pytest.fixture
def city(db):
    return make_member_city(name="Seoul Metropolitan Government", country="Republic of Korea")


def form_path(programme) -> str:
    return f"/programmes/{programme.slug}/register"


def hrefs(response) -> list[str]:
    return [html_lib.unescape(h) for h in re.findall(r'href="([^"]*)"', text_of(response))]


def links_to(response, path: str) -> list[str]:
    """The links of a page to path (with their query strings)."""
    return [h for h in hrefs(response) if urlsplit(h).path == path]


def next_of(url: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get("next")
    return values[0] if values else None


def hidden_next(response) -> str | None:
    """The next the page's own form sends (the language switcher has one too, outside main)."""
    main = text_of(response).split("<main", 1)[1].split("</main>", 1)[0]
    match = re.search(r'<input type="hidden" name="next" value="([^"]*)">', main)
    return html_lib.unescape(match.group(1)) if match else None


def profile_data(city, **overrides) -> dict:
    data = {
        "full_name": "Kim Min-jun",
        "password": SIGNUP_PASSWORD,
        "password_confirm": SIGNUP_PASSWORD,
        "member_city_id": str(city.id),
        "job_title": "Transport policy officer",
        "preferred_language": "en",
        "timezone": "Asia/Seoul",
    }
    data.update(overrides)
    return data


def payload_of(app, link: str) -> dict:
    token = link.rsplit("/", 1)[1]
    with app.test_request_context():
        return read_token(SIGNUP_SALT, token, 3600)


# The programme page and the login page ------------------------------------------------------


def test_the_programme_page_sends_both_links_back_to_the_form(client, programme):
    page = client.get(f"/programmes/{programme.slug}")
    # The registration box, and on phones the summary under the title, each have both links.
    login_links = [h for h in links_to(page, "/account/login") if next_of(h)]
    signup_links = [h for h in links_to(page, "/account/signup") if next_of(h)]
    assert len(login_links) == len(signup_links) == 2
    assert {next_of(h) for h in login_links + signup_links} == {form_path(programme)}


def test_a_programme_not_open_yet_sends_them_back_to_its_page(client, db):
    later = make_programme(registration_opens_at=utcnow() + timedelta(days=3))
    page = client.get(f"/programmes/{later.slug}")
    assert next_of(links_to(page, "/account/login")[-1]) == f"/programmes/{later.slug}"


def test_login_and_sign_up_pages_link_to_each_other_with_next(client, programme):
    target = form_path(programme)
    login_page = client.get("/account/login?next=" + quote(target))
    assert [next_of(h) for h in links_to(login_page, "/account/signup")][-1] == target
    signup_page = client.get("/account/signup?next=" + quote(target))
    assert hidden_next(signup_page) == target
    assert [next_of(h) for h in links_to(signup_page, "/account/login")][-1] == target


def test_the_form_sends_an_anonymous_visitor_to_log_in_and_on_to_sign_up(client, programme):
    response = client.get(form_path(programme))
    assert response.status_code == 302
    login_page = follow(client, response)
    assert hidden_next(login_page) == form_path(programme)
    assert [next_of(h) for h in links_to(login_page, "/account/signup")][-1] == form_path(programme)


def test_logging_in_lands_on_the_form_with_what_to_do(client, programme):
    user = make_user(member_city=make_member_city())
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": PASSWORD, "next": form_path(programme)},
    )
    assert response.headers["Location"] == form_path(programme)
    form = follow(client, response)
    assert form.status_code == 200
    assert "Register for “Peer Review Process”" in text_of(form)
    assert ("info", NEXT_STEP) in flashes(form)


def test_a_programme_that_refuses_the_person_gets_no_form_hint(client, db):
    """By nomination only: the page explains the refusal; "complete the form" would contradict it."""
    programme = make_programme(slug="by-nomination", enrolment_policy=EnrolmentPolicy.NOMINATION)
    user = make_user(member_city=make_member_city())
    page = client.post(
        "/account/login",
        data={"email": user.email, "password": PASSWORD, "next": form_path(programme)},
    )
    while page.status_code in (302, 303):
        page = follow(client, page)
    messages = [message for _category, message in flashes(page)]
    assert any("by nomination of member cities" in message for message in messages), messages
    assert NEXT_STEP not in messages


def test_logging_in_without_next_says_nothing_more(client, db):
    user = make_user()
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    home = follow(client, response)
    assert NEXT_STEP not in [message for _category, message in flashes(home)]


# Signing up -------------------------------------------------------------------------------


def test_next_survives_every_step_of_sign_up(app, client, programme, city, outbox):
    target = form_path(programme)
    response = client.post(
        "/account/signup?next=" + quote(target), data={"email": ADDRESS, "next": target}
    )
    assert next_of(response.headers["Location"]) == target
    done = follow(client, response)
    assert next_of(links_to(done, "/account/signup")[-1]) == target

    (message,) = outbox
    link = link_from(message, "/account/signup/")
    assert payload_of(app, link) == {"email": ADDRESS, "next": target}

    finished = client.post(link, data=profile_data(city))
    assert finished.headers["Location"] == target
    form = follow(client, finished)
    assert form.status_code == 200
    assert ("info", NEXT_STEP) in flashes(form)
    assert any("Your account is ready" in message for _category, message in flashes(form))

    registered = client.post(target, data={"submitted": "1", "consent_data": "y"})
    assert registered.status_code == 302
    user = _db.session.scalar(select(User).where(User.email == ADDRESS))
    assert _db.session.scalar(select(Registration).where(Registration.user_id == user.id))


def test_sign_up_without_next_still_lands_home(app, client, city, outbox):
    client.post("/account/signup", data={"email": ADDRESS})
    link = link_from(outbox[0], "/account/signup/")
    assert payload_of(app, link) == {"email": ADDRESS}
    assert client.post(link, data=profile_data(city)).headers["Location"] == "/"


def test_a_taken_address_gets_a_login_link_that_goes_on_to_the_form(client, programme, outbox):
    owner = make_user(email=ADDRESS)
    client.post("/account/signup", data={"email": owner.email, "next": form_path(programme)})
    (message,) = outbox
    login_link = link_from(message, "/account/login")
    assert next_of(login_link) == form_path(programme)


def test_an_opened_link_of_a_taken_address_goes_to_log_in_with_next(app, client, programme):
    make_user(email=ADDRESS)
    with app.test_request_context():
        token = make_token(SIGNUP_SALT, {"email": ADDRESS, "next": form_path(programme)})
    response = client.get("/account/signup/" + token)
    assert urlsplit(response.headers["Location"]).path == "/account/login"
    assert next_of(response.headers["Location"]) == form_path(programme)


# A next that leaves the site ----------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_next_is_dropped_by_the_login_page(client, db, hostile):
    page = client.get("/account/login?next=" + quote(hostile, safe=""))
    assert hostile not in html_lib.unescape(text_of(page))
    assert all(next_of(h) is None for h in links_to(page, "/account/signup"))
    user = make_user()
    response = client.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "next": hostile}
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_next_is_dropped_by_sign_up(app, client, city, outbox, hostile):
    page = client.get("/account/signup?next=" + quote(hostile, safe=""))
    assert hostile not in html_lib.unescape(text_of(page))
    assert hidden_next(page) is None
    assert all(next_of(h) is None for h in links_to(page, "/account/login"))

    response = client.post(
        "/account/signup?next=" + quote(hostile, safe=""), data={"email": ADDRESS, "next": hostile}
    )
    assert next_of(response.headers["Location"]) is None
    link = link_from(outbox[0], "/account/signup/")
    assert payload_of(app, link) == {"email": ADDRESS}
    assert client.post(link, data=profile_data(city)).headers["Location"] == "/"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_next_inside_a_signed_link_is_not_followed(app, client, city, hostile):
    # Our own links never carry one; a leaked signing key or an old bug must not make one work.
    with app.test_request_context():
        token = make_token(SIGNUP_SALT, {"email": ADDRESS, "next": hostile})
    response = client.post("/account/signup/" + token, data=profile_data(city))
    assert response.headers["Location"] == "/"


def test_a_next_of_the_wrong_type_in_a_link_is_ignored(app, client, city):
    with app.test_request_context():
        token = make_token(SIGNUP_SALT, {"email": ADDRESS, "next": ["/admin/"]})
    response = client.post("/account/signup/" + token, data=profile_data(city))
    assert response.headers["Location"] == "/"
