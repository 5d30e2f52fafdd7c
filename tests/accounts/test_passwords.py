"""Password policy: length, not composition; common passwords refused."""

import gzip
from importlib import resources

import pytest

from miti_training.accounts.passwords import MAX_LENGTH, MIN_LENGTH, password_problem


@pytest.fixture(autouse=True)
def request_context(app):
    """Messages are lazy translations: rendering them needs a request (for its locale)."""
    with app.test_request_context():
        yield


def shipped_list() -> list[str]:
    data = resources.files("miti_training").joinpath("data/common-passwords.txt.gz").read_bytes()
    return gzip.decompress(data).decode().splitlines()


def test_length_limits_are_twelve_and_at_least_sixty_four():
    assert MIN_LENGTH == 12
    assert MAX_LENGTH >= 64


@pytest.mark.parametrize(
    "password",
    [
        "tram route 7 to gangnam",
        "kq8#Lm2!vZ0p",  # exactly 12 characters
        "correct horse battery staple",
        "only lowercase letters here",  # no composition rules
        "ÜNICODE Grüße à Séoul 서울",
        "a" + "b7" * 32,  # 65 characters
        "long passphrase " * 6 + "end",  # 99 characters
        "the quick brown fox jumps over the lazy dog near the Han river bank",
    ],
)
def test_acceptable_passwords(password):
    assert password_problem(password) is None


def test_a_100_character_password_is_accepted():
    password = ("metropolis seoul cairo mashhad mexico paris " * 3)[:100]
    assert len(password) == 100
    assert password_problem(password) is None


def test_max_length_is_accepted_and_one_more_is_refused():
    ok = ("abcdefghij klmnopq " * 20)[:MAX_LENGTH]
    assert password_problem(ok) is None
    assert "at most" in str(password_problem(ok + "z"))


@pytest.mark.parametrize("password", ["", "short", "elevenchars", "           "])
def test_short_passwords_are_refused(password):
    assert "at least 12" in str(password_problem(password))


@pytest.mark.parametrize(
    "password",
    [
        "qwerty123456",
        "QWERTY123456",  # case does not make a common password safe
        "  qwerty123456  ",
        "password1234",
        "1qaz2wsx3edc",
        "friend of emily",  # list entries containing spaces are whole entries
    ],
)
def test_common_passwords_are_refused(password):
    assert "too common" in str(password_problem(password))


def test_every_shipped_entry_of_acceptable_length_is_refused():
    entries = [e for e in shipped_list() if len(e) >= MIN_LENGTH and e.strip()]
    assert len(entries) > 100
    for entry in entries:
        assert password_problem(entry) is not None, entry


@pytest.mark.parametrize(
    "password",
    [
        "passwordpassword",
        "qwertyqwertyqwerty",
        "aaaaaaaaaaaa",
        "abcabcabcabc",
        "121212121212",
        "abcdefghijklmnop",
        "123456789012",  # wraps 9 -> 0: still a keyboard run
        "zyxwvutsrqponm",
    ],
)
def test_repetitive_or_sequential_passwords_are_refused(password):
    assert password_problem(password) is not None


def test_a_password_equal_to_the_users_email_or_name_is_refused():
    problem = password_problem(
        "Official.Name@City.Example", user_values=("official.name@city.example",)
    )
    assert "name or email" in str(problem)
    problem = password_problem(
        "Kim Min-jun Seoul", user_values=("x@y.example", "kim min-jun seoul")
    )
    assert "name or email" in str(problem)
    assert password_problem("Kim Min-jun Seoul 2026", user_values=("kim min-jun seoul",)) is None


def test_messages_are_lazy_translatable_strings():
    problem = password_problem("short")
    # lazy_gettext objects render in the request's language when shown, not at import time
    assert type(problem).__name__ == "LazyString"
