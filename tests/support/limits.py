"""The production rate limits for one test, fresh counters, and a clock the counters follow."""

import time

import limits.storage.memory

from miti_training.extensions import limiter

#: The settings the account forms' tests turn back to their production values.
ACCOUNT_LIMITS = (
    "LOGIN_RATE_LIMIT",
    "LOGIN_CLIENT_FAILURE_LIMIT",
    "LOGIN_ACCOUNT_FAILURE_LIMIT",
    "LOGIN_FAILURE_LIMIT",
    "SIGNUP_RATE_LIMIT",
    "RESET_RATE_LIMIT",
    "RESET_CLIENT_LIMIT",
    "RESET_MAIL_LIMIT",
)


def production_limits(app, monkeypatch):
    """The production limits of the account forms, with fresh counters, for one test (a
    fixture's body: yields the app's configuration)."""
    import config

    for name in ACCOUNT_LIMITS:
        monkeypatch.setitem(app.config, name, getattr(config.Config, name))
    limiter.reset()
    yield app.config
    limiter.reset()


class Clock:
    """The time the in-memory limit counters see; advance() moves it on."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def install_clock(monkeypatch) -> Clock:
    """The clock the in-memory limit counters follow from now on, for one test."""
    fake = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    return fake
