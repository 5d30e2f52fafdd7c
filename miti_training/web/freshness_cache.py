"""The public pages' freshness (programmes/freshness.py), read again at most every
PUBLIC_FRESHNESS_SECONDS in each process instead of before every page.

A freshness read is the one database statement an anonymous visitor's kept page costs
(web/http_cache.py); a visitor arriving a moment later is given the same answer without it.
What may change during that moment, and how each case stays right:

- time passing a registration moment or the hour: a kept freshness is used only before its
  own next_change, so what it says is what the statement would say now;
- a change committed by this process (an edit, a registration taking a seat): every commit
  of any database session here drops every kept freshness, and a read that overlapped a
  commit is not kept;
- a change committed by another process or host: this process may still answer from the
  freshness it read before, for PUBLIC_FRESHNESS_SECONDS at most (1 s by default, as long as
  nginx's microcache keeps a public page; public pages may be kept by any cache for up to
  a minute anyway). It then answers 200 with the page it had, or a 304 to a client holding
  that page, never a 304 to a client holding a newer one (its ETag differs). A page so
  answered carries the max-age it would have had a moment before the change.

Only freshness that found a public page is kept: a slug with no public programme is read
each time (a page published elsewhere appears at once), and nothing a visitor types can
fill the store (it holds at most MAX_ENTRIES, emptied when full).
"""

import threading
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from miti_training.programmes.freshness import Freshness

#: In app.extensions.
_KEPT = "miti_freshness_cache"
#: Programmes' pages and the lists: far more than a catalogue holds, few enough to stay small.
MAX_ENTRIES = 4096


class _Commits:
    """How many database commits this process has made: a kept freshness read before the
    latest one is not used."""

    count = 0


@event.listens_for(Session, "after_commit")
def _count_commit(_session) -> None:
    _Commits.count += 1


class KeptFreshness:
    """Freshness by key (the list, or one programme's slug), each with the moment it stops
    being used and the commit count it was read at; one per process, shared by its threads."""

    def __init__(self, seconds: float):
        self.lifetime = timedelta(seconds=seconds)
        self._entries: dict[Hashable, tuple[Freshness, datetime, datetime, int]] = {}
        self._lock = threading.Lock()

    def read(
        self, key: Hashable, now: datetime, load: Callable[[], Freshness | None]
    ) -> Freshness | None:
        entry = self._entries.get(key)
        if entry is not None:
            fresh, read_at, until, commits = entry
            if read_at <= now < until and commits == _Commits.count:
                return fresh
        commits = _Commits.count
        fresh = load()
        if fresh is not None and commits == _Commits.count:
            until = min(now + self.lifetime, fresh.next_change)
            with self._lock:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = (fresh, now, until, commits)
        return fresh

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def init_app(app: Flask) -> None:
    seconds = float(app.config.get("PUBLIC_FRESHNESS_SECONDS", 0))
    app.extensions[_KEPT] = KeptFreshness(seconds) if seconds > 0 else None


def read(key: Hashable, now: datetime, load: Callable[[], Freshness | None]) -> Freshness | None:
    """The freshness load() reads, or the one kept for key while it holds."""
    kept: KeptFreshness | None = current_app.extensions.get(_KEPT)
    return load() if kept is None else kept.read(key, now, load)


def forget(app: Flask) -> None:
    """Drop every kept freshness (a database emptied under a running app: tests)."""
    if app.extensions.get(_KEPT) is not None:
        app.extensions[_KEPT].clear()
