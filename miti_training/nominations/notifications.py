"""The emails of nominations, in the official's language, sent after the commit: the
nomination itself (its link leads to the application form, or first to the account an
invitation makes) and the notice that it was withdrawn."""

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

from miti_training.formatting import interface_language
from miti_training.mail import queue_rendered
from miti_training.models import Nomination
from miti_training.registrations.notifications import programme_email
from miti_training.urls import external_url


def _recipient(nomination: Nomination):
    """The account, or a stand-in for the invited address in the language the focal point
    chose."""
    if nomination.user is not None:
        return nomination.user
    return SimpleNamespace(
        preferred_language=interface_language(nomination.language),
        full_name=nomination.full_name,
        email=nomination.email,
    )


def _send(nomination: Nomination, template: str, subject, **context) -> None:
    person = _recipient(nomination)
    programme = nomination.programme
    message = programme_email(
        person,
        programme,
        template,
        subject,
        language=interface_language(person.preferred_language),
        city=nomination.member_city,
        programme_link=external_url("catalogue.programme_detail", slug=programme.slug),
        **context,
    )
    queue_rendered(message)


def notify_nominated(nomination: Nomination, *, token: str | None) -> None:
    """token: the invitation's secret when the address has no account (its link makes one)."""
    programme = nomination.programme
    if token:
        link = external_url("nominations.accept", token=token)
    else:
        link = external_url("registrations.register", slug=programme.slug)
    _send(
        nomination,
        "nomination",
        lambda title: _l("You are nominated for %(title)s", title=title),
        apply_link=link,
        invited=bool(token),
    )


def notify_withdrawn(nomination: Nomination) -> None:
    _send(
        nomination,
        "nomination_withdrawn",
        lambda title: _l("Your nomination for %(title)s was withdrawn", title=title),
    )
