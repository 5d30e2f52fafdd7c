"""Uploads to one session at the same moment, through the real service, in parallel threads
with their own app context and session, on a SQLite file and on PostgreSQL: the first makes the
album once, every photo is kept with a place of its own, and the album's limit holds."""

import pytest
from sqlalchemy import func, select

from miti_training.albums import uploading
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.models import Album, Photo, ProgrammeSession, User
from tests.support.factories import make_centre, make_programme, make_user
from tests.support.photos import image_bytes
from tests.support.races import BACKENDS, at_once, separate_app


@pytest.fixture(params=BACKENDS)
def race_app(request, tmp_path):
    with separate_app(request, tmp_path) as app:
        yield app


def _setup(app) -> tuple[int, int]:
    with app.app_context():
        programme = make_programme(make_centre(slug="seoul"), sessions=1)
        staff = make_user()
        db.session.commit()
        return programme.sessions[0].id, staff.id


def _uploading(app, session_id: int, staff_id: int, files: int, batch: int = 0):
    """An upload of files pictures; uploads of different batches have different pictures."""

    def action():
        session = db.session.get(ProgrammeSession, session_id)
        uploads = [
            uploading.Upload(f"p{n}.jpg", image_bytes(colour=(n * 40, 10 + batch * 40, 10)))
            for n in range(files)
        ]
        added = uploading.add_photos(session, uploads, actor=db.session.get(User, staff_id))
        db.session.commit()
        return ("added", len(added.photos))

    return action


def _race(app, actions):
    return at_once(actions, app=app, refusals=(DomainError,))


def _album(app, session_id: int) -> tuple[int, list[int]]:
    """(albums of the session, positions of its photos)."""
    with app.app_context():
        albums = db.session.scalar(
            select(func.count(Album.id)).where(Album.session_id == session_id)
        )
        positions = db.session.scalars(
            select(Photo.position).join(Album).where(Album.session_id == session_id)
        ).all()
        db.session.remove()
        return albums, sorted(positions)


def test_first_uploads_at_once_make_one_album_and_keep_every_photo(race_app):
    session_id, staff_id = _setup(race_app)

    race = _race(race_app, [_uploading(race_app, session_id, staff_id, 3, n) for n in range(4)])

    assert not race.leaks, race.leaks
    assert race.outcomes == [("added", 3)] * 4
    assert _album(race_app, session_id) == (1, list(range(1, 13)))


def test_one_upload_sent_several_times_at_once_adds_its_photos_once(race_app):
    """A double click on Upload: the copies wait for the album's row, and the later ones find
    the pictures already there."""
    session_id, staff_id = _setup(race_app)

    race = _race(race_app, [_uploading(race_app, session_id, staff_id, 3)] * 3)

    assert not race.leaks, race.leaks
    assert sorted(race.outcomes) == [("added", 0), ("added", 0), ("added", 3)]
    assert _album(race_app, session_id) == (1, [1, 2, 3])


def test_uploads_at_once_do_not_pass_the_albums_limit(race_app):
    race_app.config["PHOTO_MAX_PER_ALBUM"] = 5
    session_id, staff_id = _setup(race_app)

    race = _race(race_app, [_uploading(race_app, session_id, staff_id, 3, n) for n in range(3)])

    assert not race.leaks, race.leaks
    assert race.outcomes.count(("added", 3)) == 1, race.outcomes
    refusals = [str(o.message) for o in race.outcomes if o != ("added", 3)]
    assert len(refusals) == 2 and all("at most 5 photos" in r for r in refusals)
    assert _album(race_app, session_id) == (1, [1, 2, 3])
