"""HTTP caching of the public pages an anonymous visitor sees: validators, conditional
requests, and what keeps everything else out of shared caches.

The home page, the catalogue, programme and centre pages, a programme's `.ics` and the JSON
API take one decorator: `@http_cache.listing` (pages listing programmes or centres, and the
news feeds: a change of a post marks its programme changed), `@http_cache.programme` (pages of
one programme, by slug) or `@http_cache.news_post` (a news post's page). For an anonymous GET or HEAD it reads
the page's freshness (one small query, programmes/freshness.py) *before* the view runs, and
answers a matching If-None-Match, or else If-Modified-Since, with a 304: nothing is loaded or
rendered. Otherwise the view runs, and its 200 gets

- `ETag` (weak: the same content, not necessarily the same bytes): a digest of the release,
  the path with its query string as sent, every input the language is chosen from (`?lang=`
  is in the query string, the session's choice, `Accept-Language`) and Last-Modified to the
  microsecond;
- `Last-Modified`, once the change is a whole second old: HTTP dates count seconds, and a
  change later in the second already sent would hide behind it. It does not name the
  language or the release; `Vary` keeps languages apart, and after a release a client that
  revalidates by date alone sees the new pages at the next hour (the hour is part of it);
- `Cache-Control: public, max-age=60` at most, never past the page's next registration moment
  or hour, so a cache never shows registration open after it closed; `Vary: Accept-Language,
  Cookie`, the two places the language comes from.

Never for a signed-in user: no validator, no 304, and request_hooks marks everything they get
`private, no-store`. A public page that sets a cookie (a flashed message read, a refused session
cleared) loses its public headers and is not stored either (`keep_public_only_without_cookies`).

A page rendered for one anonymous visitor is the page of every anonymous visitor whose
request has the same ETag (that is what a 304 tells a browser), so each process also keeps
the rendered body of such a page under its ETag and the request's host (PublicPages), and
serves it without running the view: the page then costs what the validator's query costs,
and that query is itself made at most every PUBLIC_FRESHNESS_SECONDS per process
(web/freshness_cache.py says why the pages stay right).
A body is kept only from a GET whose response sets no cookie (nothing of this visitor's in
it), within PUBLIC_PAGE_CACHE_BYTES.

Public pages carry no CSRF token: a token belongs to one visitor's session, and a shared cache
would hand it to everyone else (and, being new, it would set the cookie that keeps the page
out of the cache). Their language form posts without one, which `protect_language_choice`
accepts from an anonymous visitor on one of our own pages.
"""

import functools
import hashlib
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from cachetools import LRUCache
from flask import Flask, current_app, g, request, session
from flask_login import current_user

from miti_training.extensions import csrf
from miti_training.models import utcnow
from miti_training.news import freshness as news_freshness
from miti_training.programmes import freshness
from miti_training.programmes.freshness import Freshness
from miti_training.web import freshness_cache
from miti_training.web.downloads import no_store

#: How long a browser or shared cache may keep a public page or API answer, at most.
MAX_AGE = 60
#: Cache-Control of a public answer without a validator (the API's 400 and 404).
PUBLIC = f"public, max-age={MAX_AGE}"
#: The release's digest, in app.extensions.
_RELEASE = "miti_http_cache_release"
#: Files whose change makes every page new: the code, the templates, compiled translations.
_RELEASE_FILES = ("*.py", "*.html", "*.txt", "*.mo")


#: The kept pages, in app.extensions.
_PAGES = "miti_http_cache_pages"
#: Response headers a kept page is served with again (the hooks add the rest each time).
_KEPT_HEADERS = ("Content-Type", "Content-Disposition")


class PublicPages:
    """Rendered public pages by (ETag, host), least recently used dropped first, bounded in
    bytes; one per process, shared by its threads."""

    def __init__(self, max_bytes: int):
        self._pages = LRUCache(maxsize=max_bytes, getsizeof=lambda page: len(page[0]))
        self._lock = threading.Lock()
        self.max_bytes = max_bytes

    def get(self, key) -> tuple[bytes, list] | None:
        with self._lock:
            return self._pages.get(key)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def keep(self, key, response) -> None:
        body = response.get_data()
        if len(body) > self.max_bytes // 8:  # one page never crowds the others out
            return
        headers = [
            (name, response.headers[name]) for name in _KEPT_HEADERS if name in response.headers
        ]
        with self._lock:
            self._pages[key] = (body, headers)


def init_app(app: Flask) -> None:
    app.extensions[_RELEASE] = _release_digest(app)
    size = app.config.get("PUBLIC_PAGE_CACHE_BYTES", 0)
    app.extensions[_PAGES] = PublicPages(size) if size > 0 else None
    freshness_cache.init_app(app)

    @app.context_processor
    def _no_csrf_token_on_public_pages():
        # Shadows Flask-WTF's template global for this render only.
        return {"csrf_token": lambda: ""} if g.get("public_page") else {}


def forget_pages(app: Flask) -> None:
    """Drop every kept page and freshness (a database emptied under a running app: tests)."""
    if app.extensions.get(_PAGES) is not None:
        app.extensions[_PAGES].clear()
    freshness_cache.forget(app)


def _release_digest(app: Flask) -> str:
    """The same on every host running one release (contents, not file times), new with each."""
    digest = hashlib.sha256()
    roots = (Path(__file__).resolve().parents[1], Path(app.template_folder))
    for root in roots:
        for pattern in _RELEASE_FILES:
            for path in sorted(root.rglob(pattern)):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _public_page(read: Callable[..., Freshness | None]):
    """The decorator of views whose freshness read(now, **view_args) tells."""

    def decorate(view):
        @functools.wraps(view)
        def cached_view(**view_args):
            if request.method not in ("GET", "HEAD") or current_user.is_authenticated:
                return view(**view_args)
            now = utcnow()
            fresh = read(now, **view_args)
            if fresh is None:  # nothing public here: the view answers (a 404)
                return view(**view_args)
            g.public_page = True
            tag = _etag(fresh.last_modified)
            if _not_modified(tag, fresh.last_modified):
                response = current_app.response_class(status=304)
            else:
                response = _rendered(tag, view, view_args)
                if response.status_code != 200:
                    return response
            return _public_headers(response, tag, fresh, now)

        return cached_view

    return decorate


#: Pages listing programmes or centres: home, the catalogue, centre pages, the API's lists.
listing = _public_page(
    lambda now, **_args: freshness_cache.read(
        "listing", now, lambda: freshness.catalogue_freshness(now)
    )
)
#: Pages of one programme by its slug: its page, its calendar file, its API entry.
programme = _public_page(
    lambda now, slug, **_args: freshness_cache.read(
        ("programme", slug), now, lambda: freshness.programme_freshness(slug, now)
    )
)

#: A news post's page, by its id.
news_post = _public_page(
    lambda now, post_id, **_args: freshness_cache.read(
        ("news", post_id), now, lambda: news_freshness.post_freshness(post_id, now)
    )
)


def _rendered(tag: str, view, view_args: dict):
    """The view's response, or the page this process kept for the same ETag and host."""
    pages: PublicPages | None = current_app.extensions[_PAGES]
    # The host too: a page with absolute links made from a forged Host is nobody else's.
    key = (tag, request.host, request.scheme)
    # A message waiting for this visitor is shown by the view, never skipped.
    waiting = "_flashes" in session
    kept = pages.get(key) if pages is not None and not waiting else None
    if kept is not None:
        body, headers = kept
        return current_app.response_class(body, status=200, headers=headers)
    response = current_app.make_response(view(**view_args))
    if (
        pages is not None
        and request.method == "GET"
        and response.status_code == 200
        and not response.is_streamed
        and not _sets_cookie(response)
    ):
        pages.keep(key, response)
    return response


def _sets_cookie(response) -> bool:
    """Whether response will set a cookie: it carries something of this visitor's (a message
    read, a new session). Session cookies are written after every hook, so the session's own
    rule says whether one will be."""
    return "Set-Cookie" in response.headers or current_app.session_interface.should_set_cookie(
        current_app, session
    )


def _etag(last_modified: datetime) -> str:
    parts = (
        current_app.extensions[_RELEASE],
        request.path,
        request.query_string.decode("latin-1"),
        str(session.get("lang", "")),
        request.headers.get("Accept-Language", ""),
        last_modified.isoformat(),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _whole_second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _not_modified(tag: str, last_modified: datetime) -> bool:
    """The request's validators match (If-Modified-Since counts only without If-None-Match)."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(tag)
    since = request.if_modified_since
    return since is not None and _whole_second(last_modified) <= since


def _public_headers(response, tag: str, fresh: Freshness, now: datetime):
    response.set_etag(tag, weak=True)
    if _whole_second(fresh.last_modified) + timedelta(seconds=1) <= now:
        response.last_modified = _whole_second(fresh.last_modified)
    until_change = int((fresh.next_change - now).total_seconds())
    response.headers["Cache-Control"] = f"public, max-age={max(0, min(MAX_AGE, until_change))}"
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def keep_public_only_without_cookies(response):
    """A public page that sets a cookie carries something of this visitor's: no validator,
    and no cache keeps it."""
    if not g.get("public_page"):
        return response
    if _sets_cookie(response):
        response.headers.pop("ETag", None)
        response.headers.pop("Last-Modified", None)
        no_store(response)
    return response


def protect_language_choice() -> None:
    """The language form's CSRF check (its view is exempt from the automatic one): a token,
    except for an anonymous visitor posting from one of our own pages (Origin, else Referer),
    as the public pages carry none. A visitor's language is all such a post can change; a
    signed-in user's choice is saved on the account and needs the token."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if not current_user.is_authenticated:
        source = request.headers.get("Origin") or request.referrer or ""
        if source and urlsplit(source).netloc == request.host:
            return
    csrf.protect()
