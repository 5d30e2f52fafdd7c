"""`next` redirect targets stay on this site: a link of ours never sends a visitor elsewhere."""

from urllib.parse import quote

import pytest

from miti_training.web.redirects import safe_next
from tests.support.factories import make_user

HOSTILE_TARGETS = [
    "//attacker.example",
    "//attacker.example/path",
    "///attacker.example",
    "https://attacker.example",
    "http://attacker.example/account/profile",
    "HTTPS://attacker.example",
    "/\\attacker.example",
    "\\\\attacker.example",
    "/\\/attacker.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "\t//attacker.example",
    "/\t/attacker.example",
    "/\n/attacker.example",
    "/\x00/attacker.example",
    "/\x7f/attacker.example",
    "/\x85/attacker.example",
    "attacker.example",
    "account/profile",
    "http:/attacker.example",
    "https:attacker.example",
    "//@attacker.example",
    "/%2F%2Fattacker.example",  # decoded by nobody: stays a local path, see below
]


@pytest.mark.parametrize("target", HOSTILE_TARGETS[:-1])
def test_unsafe_targets_fall_back(target):
    assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize(
    "target",
    [
        "/account/profile",
        "/programmes?centre=seoul&page=2",
        "/programmes/peer-review-process#sessions",
        "/%2F%2Fattacker.example",
        "/",
    ],
)
def test_local_paths_are_kept(target):
    assert safe_next(target, "/fallback") == target


@pytest.mark.parametrize("target", [None, "", "   "])
def test_missing_target_falls_back(target):
    assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize(
    "target",
    [
        "//attacker.example",
        "https://attacker.example",
        "/\\attacker.example",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_off_site(client, db, target):
    user = make_user()
    response = client.post(
        "/account/login?next=" + quote(target, safe=""),
        data={"email": user.email, "password": "a long passphrase for tests 7"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target",
    [
        "//attacker.example",
        "https://attacker.example",
        "/\\attacker.example",
        "javascript:alert(1)",
    ],
)
def test_login_form_does_not_echo_an_unsafe_next(client, db, target):
    html = client.get("/account/login?next=" + quote(target, safe="")).get_data(as_text=True)
    assert 'name="next" value="/"' in html
    assert "javascript:" not in html


def test_login_redirects_to_a_local_next(client, db):
    user = make_user()
    target = "/account/password?from=profile"
    form = client.get("/account/login?next=" + quote(target, safe=""))
    assert 'name="next" value="/account/password?from=profile"' in form.get_data(as_text=True)
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": "a long passphrase for tests 7", "next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_next_in_the_form_body_is_checked_too(client, db):
    user = make_user()
    response = client.post(
        "/account/login",
        data={
            "email": user.email,
            "password": "a long passphrase for tests 7",
            "next": "//attacker.example",
        },
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["//attacker.example", "/account/profile"])
def test_an_already_logged_in_user_is_sent_only_to_local_paths(client, db, login, target):
    user = make_user()
    login(user)
    response = client.get("/account/login?next=" + quote(target, safe=""))
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "/account/profile")
    assert "attacker" not in response.headers["Location"]
