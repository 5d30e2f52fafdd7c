"""Staff upload photos to a session through the real form: refusals with a clear message and
nothing stored, then the files the public gets have no EXIF or GPS and are turned upright."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import Album, Photo, PhotoFile
from tests.support.factories import make_centre, make_programme, make_staff, today
from tests.support.pages import flashes, follow, text_of
from tests.support.photos import GPS_IFD, image_bytes, jpeg_with_gps, png_declaring
from tests.support.sql import count_rows


@pytest.fixture
def past(db):
    centre = make_centre(slug="seoul")
    programme = make_programme(
        centre, sessions=2, slug="forum", starts_on=today() - timedelta(days=5)
    )
    return {"centre": centre, "programme": programme, "session": programme.sessions[0]}


def _url(w, action="upload"):
    base = (
        f"/manage/{w['centre'].slug}/programmes/{w['programme'].id}"
        f"/sessions/{w['session'].id}/album"
    )
    return f"{base}/upload" if action == "upload" else base


def _upload(client, w, *files):
    data = {"photos": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(_url(w), data=data, content_type="multipart/form-data")


@pytest.fixture
def coordinator(past, login):
    user = make_staff(past["centre"], "coordinator")
    login(user)
    return user


def _picture(n: int) -> bytes:
    """A JPEG of its own for each n (the same picture twice is added once)."""
    return image_bytes(colour=(n * 40 % 256, 30, 30))


def _refused(response, *words):
    assert response.status_code == 422, text_of(response)[:1500]
    body = text_of(response)
    for word in words:
        assert word in body
    assert count_rows(Photo) == 0
    assert count_rows(PhotoFile) == 0


def test_a_file_that_is_not_an_image_is_refused(client, past, coordinator):
    response = _upload(client, past, ("notes.jpg", b"%PDF-1.7 not a photo"))
    _refused(response, "notes.jpg", "not a JPEG, PNG or WebP image")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(client, past, coordinator):
    response = _upload(client, past, ("bomb.png", png_declaring(100_000, 100_000)))
    _refused(response, "bomb.png", "too many pixels")


def test_a_huge_canvas_under_pillows_own_limit_is_refused(client, past, coordinator):
    response = _upload(client, past, ("wide.png", png_declaring(7000, 7000)))
    _refused(response, "wide.png", "7000")


def test_a_wrong_format_is_refused(client, past, coordinator):
    response = _upload(client, past, ("anim.gif", image_bytes("GIF")))
    _refused(response, "anim.gif", "not a JPEG, PNG or WebP image")


def test_a_file_too_large_is_refused(app, client, past, coordinator):
    saved = app.config["PHOTO_MAX_BYTES"]
    app.config["PHOTO_MAX_BYTES"] = 2000
    try:
        response = _upload(client, past, ("big.png", b"\x89PNG" + b"0" * 5000))
    finally:
        app.config["PHOTO_MAX_BYTES"] = saved
    _refused(response, "big.png", "too large")


def test_too_many_files_at_once_are_refused(app, client, past, coordinator):
    saved = app.config["PHOTO_MAX_FILES"]
    app.config["PHOTO_MAX_FILES"] = 2
    try:
        response = _upload(client, past, *[(f"p{n}.jpg", image_bytes()) for n in range(3)])
    finally:
        app.config["PHOTO_MAX_FILES"] = saved
    _refused(response, "at most 2 photos at a time")


def test_too_many_photos_in_one_album_are_refused(app, client, past, coordinator):
    saved = app.config["PHOTO_MAX_PER_ALBUM"]
    app.config["PHOTO_MAX_PER_ALBUM"] = 3
    try:
        first = _upload(client, past, ("a.jpg", _picture(1)), ("b.jpg", _picture(2)))
        assert first.status_code == 302
        response = _upload(client, past, ("c.jpg", _picture(3)), ("d.jpg", _picture(4)))
    finally:
        app.config["PHOTO_MAX_PER_ALBUM"] = saved
    assert response.status_code == 422
    assert "at most 3 photos" in text_of(response)
    assert count_rows(Photo) == 2


def test_one_bad_file_refuses_the_whole_upload(client, past, coordinator):
    response = _upload(client, past, ("good.jpg", image_bytes()), ("bad.jpg", b"nope"))
    _refused(response, "bad.jpg")
    assert count_rows(Album) == 0


def test_nothing_chosen_is_refused(client, past, coordinator):
    response = client.post(_url(past), data={}, content_type="multipart/form-data")
    _refused(response, "Choose one or more photos")


def test_the_upload_limit_of_the_request_follows_the_photo_limits(app, client, past, coordinator):
    """Above the app's 5 MB for other forms, up to every file of one upload at its largest."""
    saved = app.config["PHOTO_MAX_FILES"], app.config["PHOTO_MAX_BYTES"]
    app.config["PHOTO_MAX_FILES"] = 1
    app.config["PHOTO_MAX_BYTES"] = 1024
    try:
        response = _upload(client, past, ("huge.jpg", b"x" * (3 * 2**20)))
    finally:
        app.config["PHOTO_MAX_FILES"], app.config["PHOTO_MAX_BYTES"] = saved
    assert response.status_code == 413
    assert count_rows(Photo) == 0


def test_another_centres_coordinator_is_refused(client, login, past):
    login(make_staff(make_centre(slug="paris"), "coordinator"))
    response = _upload(client, past, ("a.jpg", image_bytes()))
    assert response.status_code == 403
    assert count_rows(Photo) == 0


def test_a_session_of_another_centre_under_ones_own_centre_is_404(client, login, past):
    login(make_staff(past["centre"], "coordinator"))
    foreign = make_programme(make_centre(slug="paris"), sessions=1)
    w = {**past, "session": foreign.sessions[0]}
    assert _upload(client, w, ("a.jpg", image_bytes())).status_code == 404
    w = {**past, "programme": foreign, "session": foreign.sessions[0]}
    assert _upload(client, w, ("a.jpg", image_bytes())).status_code == 404
    assert count_rows(Photo) == 0


def test_participants_cannot_upload(client, login, past):
    from tests.support.factories import make_user

    login(make_user())
    assert _upload(client, past, ("a.jpg", image_bytes())).status_code == 403


def _served(client, photo: Photo) -> list[Image.Image]:
    client.post("/account/logout")
    served = []
    for size in ("web", "thumb"):
        response = client.get(f"/photos/{photo.id}/{size}.jpg")
        assert response.status_code == 200
        assert response.mimetype == "image/jpeg"
        served.append(Image.open(io.BytesIO(response.data)))
    return served


def test_served_photos_carry_no_exif_or_gps_and_are_upright(client, past, coordinator):
    original = jpeg_with_gps(size=(80, 40), orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test can fail

    response = _upload(client, past, ("seoul.jpg", original))

    assert response.status_code == 302
    assert ("success", "1 photo has been added to the album.") in flashes(follow(client, response))
    photo = db.session.scalar(select(Photo))
    assert (photo.original_type, photo.original_bytes) == ("image/jpeg", len(original))
    for image in _served(client, photo):
        assert not image.getexif(), dict(image.getexif())
        assert "exif" not in image.info and "icc_profile" not in image.info
        # Turned 90° clockwise: the left (red) half is now on top.
        assert image.width < image.height
        red, blue = (
            image.getpixel((image.width // 2, 2)),
            image.getpixel((image.width // 2, image.height - 3)),
        )
        assert red[0] > 150 and red[2] < 80, red
        assert blue[2] > 150 and blue[0] < 80, blue
    # The original is kept as it came, for staff only.
    kept = db.session.scalar(select(PhotoFile.original).where(PhotoFile.photo_id == photo.id))
    assert kept == original


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_and_served_as_jpeg(client, past, coordinator, fmt):
    response = _upload(client, past, (f"p.{fmt.lower()}", image_bytes(fmt, size=(2000, 1000))))
    assert response.status_code == 302
    photo = db.session.scalar(select(Photo))
    assert (photo.width, photo.height) == (1600, 800)
    assert (photo.thumb_width, photo.thumb_height) == (400, 200)
    web, thumb = _served(client, photo)
    assert web.size == (1600, 800) and thumb.size == (400, 200)


def test_several_photos_at_once_keep_their_order(client, past, coordinator):
    response = _upload(client, past, *[(f"p{n}.jpg", _picture(n)) for n in range(3)])
    assert response.status_code == 302
    assert ("success", "3 photos have been added to the album.") in flashes(
        follow(client, response)
    )
    assert db.session.scalars(select(Photo.position).order_by(Photo.id)).all() == [1, 2, 3]
    assert count_rows(Album) == 1


def test_an_upload_sent_again_adds_nothing_and_says_which_files_it_skipped(
    client, past, coordinator
):
    files = [("day-1-a.jpg", _picture(1)), ("day-1-b.jpg", _picture(2))]
    assert follow(client, _upload(client, past, *files)).status_code == 200  # messages read
    again = follow(client, _upload(client, past, *files))
    assert flashes(again) == [
        (
            "info",
            "day-1-a.jpg and day-1-b.jpg were already in the album and have not been added again.",
        )
    ]
    assert count_rows(Photo) == 2 and count_rows(PhotoFile) == 2


def test_a_picture_twice_in_one_upload_is_added_once(client, past, coordinator):
    client.get(_url(past, "album"))  # the sign-in's welcome is read
    response = _upload(
        client,
        past,
        ("a.jpg", _picture(1)),
        ("copy-of-a.jpg", _picture(1)),
        ("b.jpg", _picture(2)),
    )
    assert flashes(follow(client, response)) == [
        ("success", "2 photos have been added to the album."),
        ("info", "copy-of-a.jpg was already in the album and has not been added again."),
    ]
    assert db.session.scalars(select(Photo.position).order_by(Photo.id)).all() == [1, 2]


def test_the_same_picture_may_be_in_another_sessions_album(client, past, coordinator):
    assert _upload(client, past, ("a.jpg", _picture(1))).status_code == 302
    past["session"] = past["programme"].sessions[1]
    response = _upload(client, past, ("a.jpg", _picture(1)))
    assert ("success", "1 photo has been added to the album.") in flashes(follow(client, response))
    assert count_rows(Album) == 2 and count_rows(Photo) == 2
