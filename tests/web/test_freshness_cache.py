"""The public pages' freshness kept for a moment per process (web/freshness_cache.py): used
while it holds, never past its next change or a commit of this process, a change made by
another process shown within PUBLIC_FRESHNESS_SECONDS."""

import contextvars
import time
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from miti_training import create_app
from miti_training.models import Programme, utcnow
from miti_training.programmes.freshness import Freshness
from miti_training.web import freshness_cache
from miti_training.web.freshness_cache import KeptFreshness
from tests.support.factories import make_centre, make_programme
from tests.support.limits import production_limits
from tests.support.sql import recorded_request

PAGES = ["/programmes", "/programmes/kept-review", "/api/v1/programmes"]


class Loads:
    """A load() that counts its calls and answers what it is given."""

    def __init__(self, fresh):
        self.fresh, self.calls = fresh, 0

    def __call__(self):
        self.calls += 1
        return self.fresh


def _fresh(now, next_in=timedelta(hours=1)) -> Freshness:
    return Freshness(last_modified=now - timedelta(hours=1), next_change=now + next_in)


def test_a_freshness_is_used_again_while_it_holds_and_read_again_after(app):
    kept, now = KeptFreshness(1.0), utcnow()
    load = Loads(_fresh(now))
    for later in (0, 0.5, 0.99):
        assert kept.read("listing", now + timedelta(seconds=later), load) is load.fresh
    assert load.calls == 1
    kept.read("listing", now + timedelta(seconds=1), load)
    assert load.calls == 2
    kept.read(("programme", "other"), now + timedelta(seconds=1), load)
    assert load.calls == 3  # kept apart by key


def test_a_freshness_is_never_used_past_its_next_change_or_before_it_was_read(app):
    kept, now = KeptFreshness(60.0), utcnow()
    load = Loads(_fresh(now, next_in=timedelta(milliseconds=200)))
    kept.read("listing", now, load)
    kept.read("listing", now + timedelta(milliseconds=199), load)
    assert load.calls == 1
    kept.read("listing", now + timedelta(milliseconds=200), load)
    assert load.calls == 2
    kept.read("listing", now - timedelta(seconds=1), load)  # the clock went back
    assert load.calls == 3


def test_a_commit_of_this_process_drops_every_kept_freshness(db):
    kept, now = KeptFreshness(60.0), utcnow()
    load = Loads(_fresh(now))
    kept.read("listing", now, load)
    db.session.commit()
    kept.read("listing", now, load)
    assert load.calls == 2


def test_a_read_overlapping_a_commit_is_not_kept(db):
    kept, now = KeptFreshness(60.0), utcnow()
    fresh = _fresh(now)
    calls = []

    def load_while_committing():
        calls.append(1)
        db.session.commit()  # another thread's commit while the statement runs
        return fresh

    kept.read("listing", now, load_while_committing)
    kept.read("listing", now, load_while_committing)
    assert len(calls) == 2


def test_nothing_public_is_not_kept_and_the_store_is_bounded(app, monkeypatch):
    kept, now = KeptFreshness(60.0), utcnow()
    missing = Loads(None)
    kept.read(("programme", "nothing-here"), now, missing)
    kept.read(("programme", "nothing-here"), now, missing)
    assert missing.calls == 2
    monkeypatch.setattr(freshness_cache, "MAX_ENTRIES", 3)
    load = Loads(_fresh(now))
    for n in range(4):
        kept.read(("programme", f"p{n}"), now, load)
    assert len(kept._entries) <= 3


# Through HTTP: each request in a context of its own, as in a server, and nothing committed
# between requests by the test (which tests' own client does) ----------------------------


class Visitor(FlaskClient):
    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def visitor(app, db):
    make_programme(make_centre(slug="kept-centre"), slug="kept-review", title="Kept Review")
    db.session.commit()
    previous = app.extensions["miti_freshness_cache"]
    app.extensions["miti_freshness_cache"] = KeptFreshness(1.0)
    yield Visitor(app)
    app.extensions["miti_freshness_cache"] = previous


def _another_process_edits(db) -> None:
    """A title changed by another process: its commit is none of this process's sessions."""
    with db.engine.begin() as connection:
        connection.execute(
            update(Programme)
            .where(Programme.slug == "kept-review")
            .values(title="Kept Review, changed", updated_at=utcnow())
        )


@pytest.mark.parametrize("url", PAGES)
def test_a_kept_freshness_answers_without_a_statement(app, visitor, url):
    tag = visitor.get(url).headers["ETag"]
    response, statements = recorded_request(app, visitor, url, headers={"If-None-Match": tag})
    assert response.status_code == 304
    assert [s for s in statements if s.lstrip().upper().startswith("SELECT")] == []
    response, statements = recorded_request(app, visitor, url)
    assert response.status_code == 200 and response.headers["ETag"] == tag
    assert [s for s in statements if s.lstrip().upper().startswith("SELECT")] == []


@pytest.mark.parametrize("url", PAGES)
def test_a_change_made_by_another_process_shows_within_the_kept_time(visitor, db, url):
    first = visitor.get(url)
    tag, started = first.headers["ETag"], time.monotonic()
    _another_process_edits(db)
    if time.monotonic() - started < 0.8:  # still within the kept time: the page it had
        assert visitor.get(url).headers["ETag"] == tag
    time.sleep(max(0.0, 1.0 - (time.monotonic() - started)) + 0.05)
    response = visitor.get(url)
    assert response.headers["ETag"] != tag
    assert b"Kept Review, changed" in response.data
    assert visitor.get(url, headers={"If-None-Match": tag}).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_a_change_committed_by_this_process_shows_at_once(visitor, db, url):
    tag = visitor.get(url).headers["ETag"]
    db.session.execute(
        update(Programme).values(title="Kept Review, edited here", updated_at=utcnow())
    )
    db.session.commit()
    response = visitor.get(url)
    assert response.headers["ETag"] != tag
    assert b"Kept Review, edited here" in response.data
    assert visitor.get(url, headers={"If-None-Match": tag}).status_code == 200


def test_the_setting_turns_the_keeping_off(app):
    other = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", PUBLIC_FRESHNESS_SECONDS=0)
    assert other.extensions["miti_freshness_cache"] is None
    assert isinstance(app.extensions["miti_freshness_cache"], KeptFreshness)


@pytest.fixture
def limits_on(app, monkeypatch):
    yield from production_limits(app, monkeypatch)


def test_the_api_limit_still_counts_every_answer_from_a_kept_freshness(
    visitor, limits_on, monkeypatch
):
    monkeypatch.setitem(limits_on, "API_RATE_LIMIT", "3 per minute")
    statuses = [visitor.get("/api/v1/programmes").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
