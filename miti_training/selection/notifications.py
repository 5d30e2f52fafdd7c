"""The focal points of a member city learn their city's outcome of a selection: one email each,
in their language, listing every applicant of their city and where they now stand."""

from itertools import groupby

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training.extensions import db
from miti_training.formatting import interface_language
from miti_training.mail import notify
from miti_training.models import FocalPoint, Programme, Registration, User
from miti_training.urls import external_url


def notify_focal_points(programme: Programme, decided: list[Registration]) -> int:
    """One email per enabled focal point of each member city among decided; returns how many."""
    with_city = sorted(
        (r for r in decided if r.member_city_id is not None), key=lambda r: r.member_city_id
    )
    if not with_city:
        return 0
    focal_points = list(
        db.session.scalars(
            select(FocalPoint)
            .join(User, User.id == FocalPoint.user_id)
            .where(
                FocalPoint.member_city_id.in_({r.member_city_id for r in with_city}),
                User.is_enabled.is_(True),
            )
            .options(selectinload(FocalPoint.user), selectinload(FocalPoint.member_city))
            .order_by(FocalPoint.id)
        )
    )
    link = external_url("catalogue.programme_detail", slug=programme.slug) if programme.slug else ""
    sent = 0
    for city_id, group in groupby(with_city, key=lambda r: r.member_city_id):
        applicants = list(group)
        for focal_point in (f for f in focal_points if f.member_city_id == city_id):
            language = interface_language(focal_point.user.preferred_language)
            title = programme.text_in(language).title
            city = focal_point.member_city.text_in(language).name
            notify(
                focal_point.user,
                "selection_city_outcome",
                _l("Selection for %(title)s: the outcome for %(city)s", title=title, city=city),
                title=title,
                city=city,
                centre_name=programme.centre.text_in(language).name,
                applicants=applicants,
                link=link,
            )
            sent += 1
    return sent
