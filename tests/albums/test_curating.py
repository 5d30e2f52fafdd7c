"""Staff curate an album through its pages: captions in several languages, order, cover,
hiding and showing, deleting; the zip holds the web-size photos shown to the public; the
centre dashboard counts photos and views per album."""

import io
import zipfile
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import AuditEntry, Photo, PhotoFile, PhotoTranslation
from tests.support.factories import make_centre, make_programme, make_staff, today
from tests.support.pages import assert_accessible_page, flashes, follow, text_of
from tests.support.photos import add_photo, image_bytes
from tests.support.sql import count_rows


@pytest.fixture
def album(db, login):
    centre = make_centre(slug="seoul")
    programme = make_programme(
        centre, sessions=1, slug="forum", starts_on=today() - timedelta(days=2)
    )
    session = programme.sessions[0]
    photos = [add_photo(session, caption=f"Photo {n}") for n in (1, 2, 3)]
    login(make_staff(centre, "coordinator"))
    base = f"/manage/seoul/programmes/{programme.id}/sessions/{session.id}/album"
    return {
        "base": base,
        "photos": photos,
        "session": session,
        "centre": centre,
        "programme": programme,
    }


def _post(client, url, data=None):
    response = client.post(url, data=data or {})
    assert response.status_code == 302, text_of(response)[:1000]
    return flashes(follow(client, response))


def _order() -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(Photo.id).order_by(Photo.position, Photo.id)))


def test_the_album_page_lists_every_photo_hidden_ones_too(client, album):
    album["photos"][1].is_hidden = True
    db.session.commit()
    response = client.get(album["base"])
    html = text_of(response)
    assert response.status_code == 200
    for photo in album["photos"]:
        assert f"/photos/{photo.id}/thumb" in html
    assert "Hidden" in html
    assert_accessible_page(html)


def test_moving_a_photo(client, album):
    a, b, c = (p.id for p in album["photos"])
    assert ("success", "Photo moved: it is now number 2.") in _post(
        client, f"{album['base']}/photos/{c}/move", {"direction": "up"}
    )
    assert _order() == [a, c, b]
    assert ("info", "The photo is already at that end of the album.") in _post(
        client, f"{album['base']}/photos/{a}/move", {"direction": "up"}
    )
    assert (
        client.post(f"{album['base']}/photos/{a}/move", data={"direction": "sideways"}).status_code
        == 400
    )


def test_hiding_and_showing(client, album):
    photo = album["photos"][0]
    assert ("success", "Photo 1 is hidden: the public no longer sees it.") in _post(
        client, f"{album['base']}/photos/{photo.id}/hide"
    )
    db.session.expire_all()
    assert db.session.get(Photo, photo.id).is_hidden
    client.post("/account/logout")
    assert client.get(f"/photos/{photo.id}/web.jpg").status_code == 404


def test_one_cover_per_album(client, album):
    a, b, _c = album["photos"]
    _post(client, f"{album['base']}/photos/{a.id}/cover")
    _post(client, f"{album['base']}/photos/{b.id}/cover")
    db.session.expire_all()
    assert list(db.session.scalars(select(Photo.id).where(Photo.is_cover))) == [b.id]


def test_captions_in_several_languages(client, album):
    photo = album["photos"][0]
    url = f"{album['base']}/photos/{photo.id}/caption"
    assert client.get(url).status_code == 200
    assert_accessible_page(text_of(client.get(url)))
    assert ("success", "The caption of photo 1 has been saved.") in _post(
        client, url, {"caption": "Signing", "caption_ko": "서명", "caption_ar": "التوقيع"}
    )
    db.session.expire_all()
    assert db.session.get(Photo, photo.id).caption == "Signing"
    assert sorted(db.session.scalars(select(PhotoTranslation.language))) == ["ar", "ko"]
    response = client.post(url, data={"caption": "x" * 301})
    assert response.status_code == 200 and "at most 300 characters" in text_of(response)


def test_deleting_a_photo_asks_first_then_deletes_its_files(client, album):
    photo = album["photos"][0]
    url = f"{album['base']}/photos/{photo.id}/delete"
    page = client.get(url)
    assert page.status_code == 200 and "This cannot be undone." in text_of(page)
    programme = album["session"].programme
    before = programme.updated_at
    assert ("success", "Photo 1 has been deleted.") in _post(client, url)
    db.session.expire_all()
    assert programme.updated_at > before  # the public page's validators change
    assert count_rows(Photo) == 2
    assert count_rows(PhotoFile) == 2
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "album.delete"))


def test_the_zip_holds_the_web_size_photos_shown_to_the_public(client, album):
    album["photos"][2].is_hidden = True
    db.session.commit()
    response = client.get(f"{album['base']}/photos.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    # Sent photo by photo, each read in a step of its own: never the whole album in memory.
    assert response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    names = archive.namelist()
    assert len(names) == 2
    shown = album["photos"][:2]
    assert names == [f"{n:03d}-photo-{p.id}.jpg" for n, p in enumerate(shown, start=1)]
    for name, photo in zip(names, shown, strict=True):
        assert archive.read(name) == db.session.get(PhotoFile, photo.id).web
    for name in names:
        image = Image.open(io.BytesIO(archive.read(name)))
        assert image.format == "JPEG" and not image.getexif()


def test_staff_files_are_private_and_include_the_original(client, album):
    photo = album["photos"][0]
    response = client.get(f"{album['base']}/photos/{photo.id}/original")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{album["programme"].slug}-photo-{photo.id}.jpg"'
    )
    assert response.data == db.session.scalar(
        select(PhotoFile.original).where(PhotoFile.photo_id == photo.id)
    )
    assert client.get(f"{album['base']}/photos/{photo.id}/raw").status_code == 404


def test_a_photo_of_another_album_is_404(client, album):
    other_session = make_programme(album["centre"], sessions=1).sessions[0]
    stranger = add_photo(other_session)
    db.session.commit()
    for action in ("caption", "delete"):
        assert client.get(f"{album['base']}/photos/{stranger.id}/{action}").status_code == 404
    for action in ("hide", "show", "cover", "delete"):
        assert client.post(f"{album['base']}/photos/{stranger.id}/{action}").status_code == 404
    assert client.get(f"{album['base']}/photos/{stranger.id}/web").status_code == 404


def test_the_dashboard_counts_photos_and_views_per_album(client, login, album):
    album["photos"][2].is_hidden = True
    db.session.commit()
    client.post("/account/logout")
    for _ in range(2):
        assert client.get(f"/programmes/forum/photos/{album['photos'][0].id}").status_code == 200
    login(make_staff(album["centre"], "director"))
    html = text_of(client.get("/manage/seoul/dashboard"))
    assert "Photo albums" in html
    row = html[html.index("albums-caption") :]
    assert "<td>3</td>" in row and "<td>1</td>" in row and "<td>2</td>" in row


def test_the_upload_form_on_the_album_page(client, album):
    response = client.post(
        f"{album['base']}/upload",
        data={"photos": [(io.BytesIO(image_bytes(colour=(1, 2, 3))), "x.jpg")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert count_rows(Photo) == 4
