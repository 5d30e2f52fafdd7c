"""A forum whose first two days have ended, with photos (one hidden) and a third day still to
come with one; another programme's photo; the centre's director; a published post."""

from datetime import timedelta

import pytest

from miti_training.models import ProgrammeSession, utcnow
from tests.support.factories import make_centre, make_programme, make_staff, today
from tests.support.news_routes import make_post
from tests.support.photos import add_photo


@pytest.fixture
def forum(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    programme = make_programme(
        centre,
        sessions=2,
        slug="sharing-cities",
        title="Sharing Cities",
        starts_on=today() - timedelta(days=5),
    )
    later = utcnow() + timedelta(days=1)
    programme.sessions.append(
        ProgrammeSession(title="Day 3", starts_at=later, ends_at=later + timedelta(hours=8))
    )
    day1, day2, day3 = programme.sessions
    other = make_programme(centre, slug="water", starts_on=today() - timedelta(days=9))
    photos = {
        "opening": add_photo(day1, caption="Opening"),
        "plain": add_photo(day1),
        "hidden": add_photo(day1, caption="Hidden", hidden=True),
        "day2": add_photo(day2),
        "to_come": add_photo(day3, caption="Not yet"),
        "other": add_photo(other.sessions[0], caption="Water"),
    }
    post = make_post(programme, published=True, title="After the forum")
    director = make_staff(centre, "director")
    db.session.commit()
    return {
        "centre": centre,
        "programme": programme,
        "other": other,
        "photos": photos,
        "post": post,
        "director": director,
    }
