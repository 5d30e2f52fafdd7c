"""Races: an app on a database of its own (a SQLite file or a fresh PostgreSQL database) and
actions run in parallel threads released at the same moment, each with its own session."""

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from flask import Flask

from miti_training import create_app
from miti_training.extensions import db

# The params of a race's app fixture: the same race on both backends.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def separate_app(request, tmp_path, *, max_overflow: int = 20) -> Iterator[Flask]:
    """An app of its own on request.param's backend, its tables created, dropped afterwards.
    Its pool serves every thread of a race; config["RACE_BACKEND"] names the backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/race.db"
    else:
        url = request.getfixturevalue("fresh_postgres_database")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={
            "pool_pre_ping": True,
            "pool_size": 10,
            "max_overflow": max_overflow,
        },
    )
    app.config["RACE_BACKEND"] = request.param
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@dataclass
class Race:
    outcomes: list  # what each action returned, or the refusal it raised; None if it leaked
    leaks: list[str]  # every other exception, which the tests assert there are none of
    seconds: float


def at_once(
    actions: Sequence[Callable[[], object]],
    *,
    app: Flask | None = None,
    refusals: tuple[type[Exception], ...] = (),
) -> Race:
    """Run every action in a thread of its own, all released at the same moment.

    With app, each thread runs its action in its own app context and session, rolled back after
    an exception and removed at the end; a refusal (an instance of refusals) is its outcome."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)
    leaks: list[str] = []

    def attempt(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)  # before touching the database (SQLite's lock)
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 — a leak: the tests assert there are none
            if app is not None:
                db.session.rollback()
            if isinstance(error, refusals):
                outcomes[index] = error
            else:
                leaks.append(repr(error))

    def run(index: int, action: Callable[[], object]) -> None:
        if app is None:
            attempt(index, action)
            return
        with app.app_context():
            try:
                attempt(index, action)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Race(outcomes, leaks, time.perf_counter() - started)
