"""Choosing a time zone: canonical zones by area, named by city in the reader's language; the
usual zone of the member city's country without JavaScript, the browser's with it; a stored
alias shown and saved as its zone."""

import html as html_lib
import json
import re

import pytest
from sqlalchemy import select

from miti_training.accounts.tokens import SIGNUP_SALT, make_token
from miti_training.extensions import db as _db
from miti_training.forms import common
from miti_training.models import User
from tests.support.factories import make_admin, make_member_city, make_user
from tests.support.pages import field_errors, text_of

ADDRESS = "nadia.benali@cairo.example"
PASSWORD = "metro line 14 to orly"


def select_html(response, name: str = "timezone") -> str:
    page = text_of(response)
    return re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)


def options(response) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of the zone list's options."""
    found = re.findall(r"<option ([^>]*)>(.*?)</option>", select_html(response), re.S)
    return [
        (
            html_lib.unescape(re.search(r'value="([^"]*)"', attrs).group(1)),
            html_lib.unescape(label),
            " selected" in f" {attrs}",
        )
        for attrs, label in found
    ]


def selected(response) -> list[str]:
    return [value for value, _label, chosen in options(response) if chosen]


def groups(response) -> list[str]:
    return [
        html_lib.unescape(g)
        for g in re.findall(r'<optgroup label="([^"]*)"', select_html(response))
    ]


@pytest.fixture
def link(app, db) -> str:
    with app.test_request_context():
        return "/account/signup/" + make_token(SIGNUP_SALT, {"email": ADDRESS})


def finish_data(city, **overrides) -> dict:
    data = {
        "full_name": "Nadia Benali",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "member_city_id": str(city.id),
        "job_title": "Climate officer",
        "preferred_language": "en",
        "timezone": "",
    }
    data.update(overrides)
    return data


def new_account() -> User:
    _db.session.expire_all()
    return _db.session.scalar(select(User).where(User.email == ADDRESS))


# The list ------------------------------------------------------------------------------------


def test_the_list_has_no_alias_and_groups_by_area(client, db, login):
    login(make_user())
    page = client.get("/account/profile")
    values = [value for value, _label, _chosen in options(page)]
    assert values[0] == "UTC"
    for alias in ("Africa/Asmera", "US/Eastern", "Etc/GMT+3", "Asia/Calcutta", "Europe/Kiev"):
        assert alias not in values
    assert {"Africa/Asmara", "America/New_York", "Asia/Kolkata", "Europe/Kyiv"} <= set(values)
    assert len(values) == len(set(values))
    assert groups(page) == [
        "Africa",
        "Americas",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic Ocean",
        "Australia",
        "Europe",
        "Indian Ocean",
        "Pacific Ocean",
    ]
    labels = dict((value, label) for value, label, _chosen in options(page))
    assert labels["Asia/Seoul"] == "Seoul (South Korea)"
    assert labels["UTC"] == "Coordinated Universal Time (UTC)"


def test_labels_are_in_the_readers_language(client, db, login):
    login(make_user(preferred_language="ko", timezone="Asia/Seoul"))
    labels = {value: label for value, label, _chosen in options(client.get("/account/profile"))}
    assert labels["Asia/Seoul"] == "서울 (대한민국)"
    assert labels["Africa/Cairo"].startswith("카이로")


def test_the_list_is_built_once_per_language(app, db):
    with app.test_request_context():
        first = common.timezone_choices()
        misses = common._timezone_choices.cache_info().misses
        second = common.timezone_choices()
        assert common._timezone_choices.cache_info().misses == misses
    assert all(a is b for a, b in zip(first, second, strict=True))


# Sign-up: automatic, from the member city or the browser --------------------------------------


def test_sign_up_starts_on_the_automatic_choice_with_the_browser_script(client, link):
    page = client.get(link)
    assert selected(page) == [""]
    assert options(page)[0][:2] == ("", "The usual time zone of my member city")
    tag = re.search(r"<select[^>]*>", select_html(page)).group(0)
    assert "data-browser-zone" in tag
    aliases = json.loads(html_lib.unescape(re.search(r'data-zone-aliases="([^"]*)"', tag).group(1)))
    assert aliases["Asia/Calcutta"] == "Asia/Kolkata"
    assert aliases["Africa/Asmera"] == "Africa/Asmara"
    assert '<script src="/static/js/timezone.js" defer></script>' in text_of(page)


def test_the_browser_script_is_served(client, db):
    script = client.get("/static/js/timezone.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["Content-Type"]
    body = script.get_data(as_text=True)
    assert "resolvedOptions().timeZone" in body and "zoneAliases" in body


@pytest.mark.parametrize(
    ("country", "city_name", "zone"),
    [
        ("Egypt", "Giza", "Africa/Cairo"),
        ("Republic of Korea", "Busan", "Asia/Seoul"),
        ("Mexico", "Mexico City", "America/Mexico_City"),
        ("Testland", "Istanbul", "Europe/Istanbul"),
        ("Testland", "Test City", "UTC"),
    ],
)
def test_without_javascript_the_zone_is_the_member_citys(client, link, country, city_name, zone):
    city = make_member_city(name=city_name, country=country)
    response = client.post(link, data=finish_data(city))
    assert response.status_code == 302, field_errors(response)
    assert new_account().timezone == zone


def test_a_zone_chosen_at_sign_up_is_kept(client, link):
    city = make_member_city(name="Giza", country="Egypt")
    client.post(link, data=finish_data(city, timezone="Europe/Paris"))
    assert new_account().timezone == "Europe/Paris"


@pytest.mark.parametrize("value", ["Africa/Asmera", "Etc/GMT+3", "Mars/Olympus", "localtime"])
def test_sign_up_refuses_what_the_list_does_not_offer(client, link, value):
    city = make_member_city(name="Giza", country="Egypt")
    response = client.post(link, data=finish_data(city, timezone=value))
    assert response.status_code == 200
    assert field_errors(response)["timezone"] == "Choose a time zone from the list."
    assert new_account() is None


# Profile: stored aliases -----------------------------------------------------------------------


def profile_data(user, **overrides) -> dict:
    data = {
        "full_name": user.full_name,
        "member_city_id": str(user.member_city_id),
        "job_title": user.job_title,
        "preferred_language": user.preferred_language,
        "timezone": user.timezone,
    }
    data.update(overrides)
    return data


def test_a_stored_alias_shows_as_its_zone_and_is_saved_as_it(client, db, login):
    user = make_user(timezone="Africa/Asmera")
    login(user)
    page = client.get("/account/profile")
    assert selected(page) == ["Africa/Asmara"]
    assert "Africa/Asmera" not in [value for value, _label, _chosen in options(page)]
    assert "" not in [value for value, _label, _chosen in options(page)]  # no automatic choice
    response = client.post("/account/profile", data=profile_data(user, timezone="Africa/Asmara"))
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(User, user.id).timezone == "Africa/Asmara"


def test_a_stored_zone_without_a_city_stays_offered_and_saved(client, db, login):
    user = make_user(timezone="Etc/GMT+3")
    login(user)
    page = client.get("/account/profile")
    assert selected(page) == ["Etc/GMT+3"]
    response = client.post("/account/profile", data=profile_data(user))
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(User, user.id).timezone == "Etc/GMT+3"
    # Only the user's own: nobody else may pick it.
    other = make_user(timezone="Europe/Paris")
    login(other)
    refused = client.post("/account/profile", data=profile_data(other, timezone="Etc/GMT+4"))
    assert field_errors(refused)["timezone"] == "Choose a time zone from the list."


def test_the_centre_form_uses_the_same_list(client, db, login):
    login(make_admin())
    page = client.get("/admin/centres/new")
    assert page.status_code == 200
    values = [value for value, _label, _chosen in options(page)]
    assert values[0] == "UTC" and "Africa/Asmera" not in values and "" not in values
    assert "Africa" in groups(page)
