"""What templates can call: filters and globals, registered once by create_app.

Also the registration state of a programme in words, with the tone of its badge.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, g, url_for
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from miti_training import bidi, formatting
from miti_training.formatting import day_month
from miti_training.formatting.locales import uses_latin_digits
from miti_training.models import Programme, RegistrationStatus, utcnow
from miti_training.news.rendering import body_html
from miti_training.nominations.focal_points import focal_point_of
from miti_training.registrations.nominated import may_apply
from miti_training.registrations.policy import by_nomination, decided_by_staff
from miti_training.registrations.window import RegistrationState, registration_state


def register(app: Flask) -> None:
    """Filters, globals and per-request values every template may use."""
    app.jinja_env.filters["label"] = formatting.label
    app.jinja_env.filters["bdi"] = bdi_element
    app.jinja_env.filters["isolate"] = bidi.isolate
    # A news post's plain text as paragraphs with safe links (everything else escaped).
    app.jinja_env.filters["news_html"] = body_html
    # Every date, time, zone, number and list a page, an email or a PDF shows.
    app.jinja_env.filters.update(
        moment=_per_render(formatting.moment_in_zone),
        day=_per_render(formatting.day),
        zone=_per_render(formatting.zone_name),
        number=_per_render(formatting.number),
        digits=_per_render(formatting.digits),
        percent=_per_render(formatting.percent),
        list_of=_per_render(formatting.list_of),
        language=_per_render(formatting.language_name),
    )
    app.jinja_env.globals.update(
        gettext=gettext_in_locale_digits, ngettext=ngettext_in_locale_digits
    )
    app.jinja_env.globals.update(
        country_name=formatting.country_name,
        translated=formatting.translated,
        date_range=formatting.date_range,
        format_in_zone=formatting.format_in_zone,
        is_fallback=formatting.is_fallback,
        language_name=formatting.language_name,
        language_names=formatting.LANGUAGE_NAMES,
        moment_in_zone=formatting.moment_in_zone,
        paragraphs=formatting.paragraphs,
        programme_dates=formatting.programme_dates,
        programme_text=formatting.programme_text,
        by_nomination=by_nomination,
        is_focal_point=is_focal_point,
        decided_by_staff=decided_by_staff,
        may_apply=may_apply,
        register_url=register_url,
        registration_state_label=registration_state_label,
        registration_status=registration_status,
        registration_status_badge=registration_status_badge,
        session_time=formatting.session_time,
        zone_offset=formatting.zone_offset,
        zone_name=formatting.zone_name,
        get_locale=get_locale,
    )

    @app.context_processor
    def _per_request():
        return {"text_direction": formatting.text_direction(get_locale())}


def _per_render(format_value):
    """A filter that formats when the page is rendered, in that request's language.

    Jinja computes a filter of a constant ("{{ 0|number }}") once, when it compiles the
    template; a filter that takes the context is left for each rendering.
    """

    @pass_context
    def _filter(_context: Context, value, *args, **kwargs):
        return format_value(value, *args, **kwargs)

    _filter.__doc__ = format_value.__doc__
    return _filter


# Numbers inside translated sentences ------------------------------------------------------------

_NUMBER_PLACEHOLDER = re.compile(r"(?<!%)%\((\w+)\)d")


def _fill(context: Context, pattern: str, variables: dict) -> str:
    """A translated pattern filled in like Jinja's own gettext, numbers in the locale's digits.

    "%(num)d" counts are grouped by Babel ("۱٬۲۳۴"); other numbers (years, percentages) only
    change digits. Locales that write 0-9 keep Python's formatting unchanged.
    """
    if not uses_latin_digits():
        counts = set(_NUMBER_PLACEHOLDER.findall(pattern))
        pattern = _NUMBER_PLACEHOLDER.sub(r"%(\1)s", pattern)
        variables = {
            name: (
                (formatting.number if name in counts else formatting.digits)(value)
                if isinstance(value, int | float) and not isinstance(value, bool)
                else value
            )
            for name, value in variables.items()
        }
    if context.eval_ctx.autoescape:
        # The catalogue's text is trusted markup, as in Jinja's own gettext; % escapes values.
        pattern = Markup(pattern)  # noqa: S704
    return pattern % variables


@pass_context
def gettext_in_locale_digits(__context: Context, __string: str, **variables) -> str:
    """`_()` and `gettext()` of templates."""
    return _fill(__context, get_translations().ugettext(__string), variables)


@pass_context
def ngettext_in_locale_digits(
    __context: Context, __singular: str, __plural: str, __num: int, **variables
) -> str:
    """`ngettext()` of templates; `num` is the count, as in Jinja's own."""
    variables.setdefault("num", __num)
    return _fill(__context, get_translations().ungettext(__singular, __plural, __num), variables)


def bdi_element(text) -> Markup:
    """A name in HTML: its own direction kept inside a <bdi>, without bidirectional controls."""
    return Markup("<bdi>{}</bdi>").format(bidi.strip_controls("" if text is None else str(text)))


def is_focal_point() -> bool:
    """The signed-in user puts their city's officials forward (read once per request)."""
    if "miti_is_focal_point" not in g:
        g.miti_is_focal_point = focal_point_of(current_user) is not None
    return g.miti_is_focal_point


def register_url(programme: Programme) -> str:
    """The address of the programme's registration form."""
    return url_for("registrations.register", slug=programme.slug)


# Registration state in words ----------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationLabel:
    """A programme's registration state, its words and the badge tone that goes with it."""

    state: RegistrationState
    text: str
    #: "ok", "warn", "muted" or "" (a plain badge): badge-<tone> in the stylesheet.
    tone: str

    @property
    def is_open(self) -> bool:
        """Whether a participant can sign up now (a seat or the waiting list)."""
        return self.state.takes_registrations


_TONES = {
    RegistrationState.OPEN: "ok",
    RegistrationState.WAITLIST: "warn",
    RegistrationState.FULL: "warn",
    RegistrationState.NOT_OPEN_YET: "",
    RegistrationState.CLOSED: "muted",
    RegistrationState.CANCELLED: "muted",
    RegistrationState.COMPLETED: "muted",
    RegistrationState.DRAFT: "muted",
}


def registration_status(programme: Programme, now: datetime | None = None) -> RegistrationLabel:
    """Where registration for programme stands at now, in the viewer's words."""
    now = now or utcnow()
    state, moment = registration_state(programme, now)
    zone = programme.centre.timezone
    if state == RegistrationState.OPEN:
        text = _("Open until %(date)s", date=day_month(moment, zone, now))
    elif state == RegistrationState.NOT_OPEN_YET:
        text = _("Opens %(date)s", date=day_month(moment, zone, now))
    elif state == RegistrationState.WAITLIST:
        text = _("Waiting list open")
    elif state == RegistrationState.FULL:
        text = _("Full")
    elif state == RegistrationState.CLOSED:
        text = _("Closed")
    elif state == RegistrationState.CANCELLED:
        text = _("Cancelled")
    elif state == RegistrationState.COMPLETED:
        text = _("Completed")
    else:
        text = _("Draft")
    return RegistrationLabel(state=state, text=text, tone=_TONES[state])


def registration_state_label(programme: Programme, now: datetime | None = None) -> str:
    """The registration state in words: "Open until 12 May", "Full", "Opens 1 March", ..."""
    return registration_status(programme, now).text


# Registration statuses as badges ------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    text: str
    #: "ok", "warn", "muted" or "" (a plain badge): badge-<tone> in the stylesheet.
    tone: str


_STATUS_TONES = {
    RegistrationStatus.APPLIED: "",
    RegistrationStatus.CONFIRMED: "ok",
    RegistrationStatus.WAITLISTED: "warn",
    RegistrationStatus.OFFERED: "warn",
    RegistrationStatus.DECLINED: "muted",
    RegistrationStatus.WITHDRAWN: "muted",
    RegistrationStatus.CANCELLED: "muted",
}


def registration_status_badge(status) -> Badge:
    """A registration's status as a badge: its label and the tone that goes with it."""
    status = RegistrationStatus(status)
    return Badge(text=formatting.label(status), tone=_STATUS_TONES[status])
