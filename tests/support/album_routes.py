"""The album pages in the route table: staff routes, a request that succeeds on each, and what
they may change."""

import io

from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import Album, Photo, PhotoTranslation
from tests.support.photos import add_photo, image_bytes
from tests.support.sql import count_rows

#: Coordinators and directors of the centre, and administrators.
ALBUM_COORDINATOR_ROUTES = [
    ("GET", "manage.session_album"),
    ("POST", "manage.upload_photos"),
    ("GET", "manage.album_zip"),
    ("GET", "manage.staff_photo_file"),
    ("GET", "manage.photo_caption"),
    ("POST", "manage.photo_caption"),
    ("POST", "manage.move_photo"),
    ("POST", "manage.hide_photo"),
    ("POST", "manage.show_photo"),
    ("POST", "manage.set_album_cover"),
    ("GET", "manage.delete_photo"),
    ("POST", "manage.delete_photo"),
]

#: Answered with a file, not a page.
ALBUM_DOWNLOADS = {"manage.album_zip", "manage.staff_photo_file"}


def album_request(endpoint: str, w: dict) -> tuple[dict, dict] | None:
    """The finished programme's first session, with two photos (the second hidden)."""
    if endpoint not in {route for _method, route in ALBUM_COORDINATOR_ROUTES}:
        return None
    finished = w["finished"]
    session = finished.sessions[0]
    on_session = {
        "centre_slug": w["centre"].slug,
        "programme_id": finished.id,
        "session_id": session.id,
    }
    if endpoint == "manage.upload_photos":
        return on_session, {"photos": (io.BytesIO(image_bytes()), "day-1.jpg")}
    first = add_photo(session, caption="Opening")
    second = add_photo(session, hidden=True)
    if endpoint in ("manage.session_album", "manage.album_zip"):
        return on_session, {}
    target = second if endpoint in ("manage.move_photo", "manage.show_photo") else first
    if endpoint == "manage.set_album_cover":
        target = second
    on_photo = {**on_session, "photo_id": target.id}
    forms = {
        "manage.staff_photo_file": ({**on_photo, "size": "original"}, {}),
        "manage.photo_caption": (
            on_photo,
            {"caption": "Signing ceremony", "caption_fr": "Signature"},
        ),
        "manage.move_photo": (on_photo, {"direction": "up"}),
    }
    return forms.get(endpoint, (on_photo, {}))


def album_snapshot() -> tuple:
    return (
        sorted(
            db.session.execute(
                select(Photo.id, Photo.position, Photo.caption, Photo.is_hidden, Photo.is_cover)
            ).all()
        ),
        count_rows(PhotoTranslation),
        count_rows(Album),
    )
