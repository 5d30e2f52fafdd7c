"""Uploads to one session at the same moment, through the real service, in parallel threads
with their own app context and session, on a SQLite file and on PostgreSQL: the first makes the
album once, every photo is kept with a place of its own, and the album's limit holds."""

import threading

import pytest
from sqlalchemy import func, select

from miti_training import create_app
from miti_training.albums import uploading
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.models import Album, Photo, ProgrammeSession, User
from tests.support.factories import make_centre, make_programme, make_user
from tests.support.photos import image_bytes


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def race_app(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/race.db"
    else:
        url = request.getfixturevalue("fresh_postgres_database")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20},
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _setup(app) -> tuple[int, int]:
    with app.app_context():
        programme = make_programme(make_centre(slug="seoul"), sessions=1)
        staff = make_user()
        db.session.commit()
        return programme.sessions[0].id, staff.id


def _run_at_once(actions):
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)
    leaks: list = []

    def run(index, action):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 — the test asserts there are none
            leaks.append(repr(error))

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes, leaks


def _uploading(app, session_id: int, staff_id: int, files: int):
    def action():
        with app.app_context():
            try:
                session = db.session.get(ProgrammeSession, session_id)
                uploads = [
                    uploading.Upload(f"p{n}.jpg", image_bytes(colour=(n * 40, 10, 10)))
                    for n in range(files)
                ]
                uploading.add_photos(session, uploads, actor=db.session.get(User, staff_id))
                db.session.commit()
                return "added"
            except DomainError as error:
                db.session.rollback()
                return str(error.message)
            finally:
                db.session.remove()

    return action


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

    outcomes, leaks = _run_at_once([_uploading(race_app, session_id, staff_id, 3)] * 4)

    assert not leaks, leaks
    assert outcomes == ["added"] * 4
    assert _album(race_app, session_id) == (1, list(range(1, 13)))


def test_uploads_at_once_do_not_pass_the_albums_limit(race_app):
    race_app.config["PHOTO_MAX_PER_ALBUM"] = 5
    session_id, staff_id = _setup(race_app)

    outcomes, leaks = _run_at_once([_uploading(race_app, session_id, staff_id, 3)] * 3)

    assert not leaks, leaks
    assert outcomes.count("added") == 1, outcomes
    assert all("at most 5 photos" in o for o in outcomes if o != "added")
    assert _album(race_app, session_id) == (1, [1, 2, 3])
