"""What templates can call: filters and globals, registered once by create_app.

Also the registration state of a programme in words, with the tone of its badge.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import Flask, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from miti_training import bidi, formatting
from miti_training.formatting import day_month
from miti_training.models import Programme, RegistrationStatus, utcnow
from miti_training.registrations.window import RegistrationState, registration_state


def register(app: Flask) -> None:
    """Filters, globals and per-request values every template may use."""
    app.jinja_env.filters["label"] = formatting.label
    app.jinja_env.filters["bdi"] = bdi_element
    app.jinja_env.filters["isolate"] = bidi.isolate
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
        programme_text=formatting.programme_text,
        register_url=register_url,
        registration_state_label=registration_state_label,
        registration_status=registration_status,
        registration_status_badge=registration_status_badge,
        session_time=formatting.session_time,
        zone_offset=formatting.zone_offset,
        get_locale=get_locale,
    )

    @app.context_processor
    def _per_request():
        return {"text_direction": formatting.text_direction(get_locale())}


def bdi_element(text) -> Markup:
    """A name in HTML: its own direction kept inside a <bdi>, without bidirectional controls."""
    return Markup("<bdi>{}</bdi>").format(bidi.strip_controls("" if text is None else str(text)))


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
    RegistrationStatus.DECLINED: "muted",
    RegistrationStatus.WITHDRAWN: "muted",
    RegistrationStatus.CANCELLED: "muted",
}


def registration_status_badge(status) -> Badge:
    """A registration's status as a badge: its label and the tone that goes with it."""
    status = RegistrationStatus(status)
    return Badge(text=formatting.label(status), tone=_STATUS_TONES[status])
