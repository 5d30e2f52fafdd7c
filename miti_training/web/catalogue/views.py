"""Public programme and centre pages, and each programme's calendar file."""

import threading

from cachetools import LRUCache
from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from miti_training import formatting
from miti_training.albums import public as albums
from miti_training.forms.catalogue import CatalogueFilterForm
from miti_training.models import utcnow
from miti_training.news import queries as news
from miti_training.programmes import catalogue, ical
from miti_training.programmes.calendar_links import calendar_links
from miti_training.registrations import prerequisites
from miti_training.urls import external_url
from miti_training.web import http_cache
from miti_training.web.catalogue.blueprint import bp
from miti_training.web.catalogue_links import public_url
from miti_training.web.loaders import programme_page_or_404, public_programme_or_404
from miti_training.web.templating import register_url, registration_status


def _page_number() -> int:
    """The ?page= number; anything that is not a positive whole number means page 1."""
    raw = request.args.get("page", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 7 and int(raw) else 1


#: The filter form's HTML by language, centres and query string, which are all it shows; the
#: least recently used dropped first, so odd searches cannot grow it without end.
_FILTER_FORMS: LRUCache = LRUCache(maxsize=256)
_FILTER_FORMS_LOCK = threading.Lock()


def _filter_form_html(form: CatalogueFilterForm, centres) -> Markup:
    """The filter form rendered, once for each language, list of centres and query string."""
    key = (
        str(formatting.viewer_locale()),
        tuple((c.slug, c.name) for c in centres),
        tuple(request.args.items(multi=True)),
    )
    with _FILTER_FORMS_LOCK:
        html = _FILTER_FORMS.get(key)
    if html is None:
        html = Markup(render_template("catalogue/_filter_form.html", form=form))  # noqa: S704
        with _FILTER_FORMS_LOCK:
            _FILTER_FORMS[key] = html
    return html


@bp.route("/programmes")
@http_cache.listing
def list_programmes():
    # Held until the page is rendered: the session keeps only weak references, and the cards
    # take their centres from it.
    centres = catalogue.centres()
    form = CatalogueFilterForm(request.args, centres=centres)
    form.validate()
    filters = form.filters()
    per_page = current_app.config["PAGE_SIZE"]
    page = catalogue.search_programmes(
        filters, page=_page_number(), per_page=per_page, centres="in_session"
    )
    if page.pages and page.page > page.pages:
        # A stale link past the end: show the last page rather than an empty one.
        page = catalogue.search_programmes(
            filters, page=page.pages, per_page=per_page, centres="in_session"
        )
    return render_template(
        "catalogue/list.html",
        form=form,
        filter_form=_filter_form_html(form, centres),
        page=page,
        centres=centres,
    )


def _viewer_zone() -> str | None:
    """The logged-in user's time zone; anonymous visitors have none."""
    if current_user.is_authenticated:
        return current_user.timezone
    return None


@bp.route("/programmes/<slug>")
@http_cache.programme
def programme_detail(slug: str):
    programme = programme_page_or_404(slug)
    viewer_zone = _viewer_zone()
    status = registration_status(programme)
    # A visitor who logs in or signs up from here comes back to the form, while it is open.
    after_login = register_url(programme) if status.is_open else request.path
    text = formatting.programme_text(programme)
    required = prerequisites.required_programmes(programme)
    signed_in = current_user if current_user.is_authenticated else None
    return render_template(
        "catalogue/programme.html",
        programme=programme,
        text=text,
        required=required,
        completed=prerequisites.completed_among((p.id for p in required), signed_in),
        signed_in=signed_in is not None,
        public_url=public_url,
        calendar=calendar_links(
            programme,
            text=text,
            url=external_url("catalogue.programme_detail", slug=programme.slug),
        ),
        status=status,
        albums=albums.programme_albums(programme),
        viewer_zone=(
            viewer_zone
            if formatting.zones_differ(programme.sessions, programme.centre.timezone, viewer_zone)
            else None
        ),
        login_url=url_for("auth.login", next=after_login),
        signup_url=url_for("auth.signup", next=after_login),
        news=news.programme_posts(programme),
    )


@bp.route("/programmes/<slug>.ics")
@http_cache.programme
def programme_ics(slug: str):
    programme = public_programme_or_404(slug)
    body = ical.programme_calendar(programme, language=str(formatting.viewer_locale().language))
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{programme.slug}.ics"'
    return response


#: How many programmes each list of a centre page shows before linking to the catalogue.
CENTRE_LIST_LIMIT = 12


@bp.route("/centres/<slug>")
@http_cache.listing
def centre_detail(slug: str):
    centre = catalogue.centre_by_slug(slug) or abort(404)
    upcoming = catalogue.upcoming_programmes(
        limit=CENTRE_LIST_LIMIT + 1, centre=centre, include_cancelled=True
    )
    past = catalogue.past_programmes(centre, limit=CENTRE_LIST_LIMIT + 1)
    return render_template(
        "catalogue/centre.html",
        centre=centre,
        upcoming=upcoming[:CENTRE_LIST_LIMIT],
        more_upcoming=len(upcoming) > CENTRE_LIST_LIMIT,
        past=past[:CENTRE_LIST_LIMIT],
        more_past=len(past) > CENTRE_LIST_LIMIT,
        news=news.latest_posts(centre=centre),
        albums=albums.centre_albums(centre),
        now=utcnow(),
    )
