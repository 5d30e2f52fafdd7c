"""Links to programmes' public pages, for the messages and pages of any blueprint."""

import re

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from miti_training.formatting import list_of, programme_text
from miti_training.models import Programme
from miti_training.programmes.catalogue import PUBLIC_STATUSES


def public_url(programme: Programme) -> str | None:
    """The public page of programme, or None while it has none (a draft)."""
    if programme.status not in PUBLIC_STATUSES:
        return None
    return url_for("catalogue.programme_detail", slug=programme.slug)


def programme_links(programmes: list[Programme]) -> Markup:
    """“See: A, B and C”, each title a link to its public page (escaped, isolated); empty
    when none of programmes has a public page."""
    links = []
    for programme in programmes:
        url = public_url(programme)
        if url is not None:
            title = programme_text(programme).title
            links.append(Markup('<a href="{}"><bdi>{}</bdi></a>').format(url, title))
    if not links:
        return Markup("")
    # The language's own list separators, around links already escaped.
    parts = re.split("\x00([0-9]+)\x00", list_of(f"\x00{i}\x00" for i in range(len(links))))
    joined = Markup("{} ").format(_("See:"))
    for n, part in enumerate(parts):
        # Even parts are the separators (text, escaped by +), odd ones the links' places.
        joined += links[int(part)] if n % 2 else part
    return joined
