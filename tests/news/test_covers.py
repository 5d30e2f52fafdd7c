"""A post's cover photo: staff choose it among the programme's public photos (labelled
thumbnails, "No cover photo" first); any other photo is refused beside the field; the public
sees it on the post's page and with the post in every list, sized, lazy in lists, described."""

import re

import pytest
from lxml import html as lxml_html

from miti_training.errors import FieldError
from miti_training.models import NewsPost, PhotoTranslation
from miti_training.news import rules, writing
from miti_training.news.writing import PostValues
from tests.support.news_routes import make_post, post_form
from tests.support.pages import assert_accessible_page, field_errors, follow, text_of

FORMAT_ERROR = "Choose the cover photo from the list."


def _edit(forum, post=None) -> str:
    post = post or forum["post"]
    return f"/manage/seoul/programmes/{forum['programme'].id}/news/{post.id}/edit"


def _cover_of(db, post) -> int | None:
    db.session.expire_all()
    return db.session.get(NewsPost, post.id).cover_photo_id


def _options(page) -> dict[str, str]:
    """value -> label text of the cover's radio buttons."""
    tree = lxml_html.fromstring(text_of(page))
    return {
        radio.get("value"): " ".join(
            tree.xpath(f'//label[@for="{radio.get("id")}"]')[0].text_content().split()
        )
        for radio in tree.xpath('//input[@type="radio"][@name="cover_photo_id"]')
    }


def _checked(page) -> str:
    tree = lxml_html.fromstring(text_of(page))
    (value,) = tree.xpath('//input[@name="cover_photo_id"][@checked]/@value')
    return value


def test_the_form_offers_the_public_photos_as_labelled_thumbnails(client, login, db, forum):
    photos = forum["photos"]
    login(forum["director"])
    page = client.get(f"/manage/seoul/programmes/{forum['programme'].id}/news/new")
    assert page.status_code == 200
    assert _options(page) == {
        "": "No cover photo",
        str(photos["opening"].id): "Opening",
        str(photos["plain"].id): "Photo 2 of Day 1",
        str(photos["day2"].id): "Photo 1 of Day 2",
    }
    assert _checked(page) == ""
    html = text_of(page)
    thumbs = re.findall(r'<img [^>]*src="/photos/\d+/thumb\.jpg"[^>]*>', html)
    assert len(thumbs) == 3
    for tag in thumbs:  # the label's text names the option: the image adds nothing to say
        assert 'alt=""' in tag and 'width="' in tag and 'height="' in tag
    assert "<legend>Cover photo</legend>" in html
    assert_accessible_page(html)


def test_a_programme_without_public_photos_says_so(client, login, db, forum):
    login(forum["director"])
    from tests.support.factories import make_programme

    upcoming = make_programme(forum["centre"])
    page = client.get(f"/manage/seoul/programmes/{upcoming.id}/news/new")
    assert _options(page) == {"": "No cover photo"}
    assert "This programme has no public photo yet" in text_of(page)


def test_choosing_a_cover_and_taking_it_off(client, login, db, forum):
    opening = forum["photos"]["opening"]
    login(forum["director"])
    response = client.post(_edit(forum), data=post_form(cover_photo_id=str(opening.id)))
    assert response.status_code == 302
    assert _cover_of(db, forum["post"]) == opening.id
    assert _checked(client.get(_edit(forum))) == str(opening.id)

    follow(client, client.post(_edit(forum), data=post_form(cover_photo_id="")))
    assert _cover_of(db, forum["post"]) is None


def test_a_new_post_gets_its_cover(client, login, db, forum):
    day2 = forum["photos"]["day2"]
    login(forum["director"])
    url = f"/manage/seoul/programmes/{forum['programme'].id}/news/new"
    assert client.post(url, data=post_form(cover_photo_id=str(day2.id))).status_code == 302
    post = db.session.query(NewsPost).filter_by(title="After the forum", status="draft").one()
    assert post.cover_photo_id == day2.id


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        ("hidden", rules.COVER_REFUSED),
        ("other", rules.COVER_REFUSED),  # another programme's, of the same centre
        ("to_come", rules.COVER_REFUSED),  # its session has not ended
        ("2147483647", rules.COVER_REFUSED),  # no such photo
        ("2147483648", FORMAT_ERROR),
        ("abc", FORMAT_ERROR),
        ("-1", FORMAT_ERROR),
        ("0", FORMAT_ERROR),
        ("١", FORMAT_ERROR),  # an Arabic-Indic digit: not an id
        ("9" * 400, FORMAT_ERROR),
        ("<script>alert(1)</script>", FORMAT_ERROR),
    ],
)
def test_any_other_photo_is_refused_beside_the_field(client, login, db, forum, photo, message):
    value = str(forum["photos"][photo].id) if photo in forum["photos"] else photo
    login(forum["director"])
    response = client.post(_edit(forum), data=post_form(cover_photo_id=value, title="Changed"))
    assert response.status_code == 422
    assert field_errors(response)["cover_photo_id"] == str(message)
    assert "<script>alert" not in text_of(response)
    db.session.expire_all()
    post = db.session.get(NewsPost, forum["post"].id)
    assert post.cover_photo_id is None and post.title == "After the forum"


def test_the_service_refuses_a_photo_the_public_may_not_see(db, forum):
    photos, post = forum["photos"], forum["post"]
    for name in ("hidden", "other", "to_come"):
        with pytest.raises(FieldError) as refused:
            writing.update_post(
                post,
                PostValues(title=post.title, cover_photo_id=photos[name].id),
                actor=forum["director"],
            )
        assert refused.value.field == "cover_photo_id"
        db.session.rollback()
    with pytest.raises(FieldError):
        writing.create_post(
            forum["other"],
            PostValues(title="Water", cover_photo_id=photos["opening"].id),
            actor=forum["director"],
        )
    db.session.rollback()
    changed = writing.update_post(
        post,
        PostValues(title=post.title, body=post.body, cover_photo_id=photos["opening"].id),
        actor=forum["director"],
    )
    assert changed == ["cover_photo_id"]


def _choose(db, forum, name="opening", post=None):
    post = post or forum["post"]
    post.cover_photo_id = forum["photos"][name].id
    db.session.commit()
    return forum["photos"][name]


def _img(html: str, photo, size: str) -> str:
    """The cover's image tag (the programme's page shows the photo in its album too)."""
    (tag,) = re.findall(
        rf'<img class="news-cover" src="/photos/{photo.id}/{size}\.jpg"[^>]*>', html
    )
    return tag


def test_the_cover_shows_on_the_post_page_and_on_every_list(client, db, forum):
    opening = _choose(db, forum)
    page = text_of(client.get(f"/news/{forum['post'].id}"))
    tag = _img(page, opening, "web")
    assert f'width="{opening.width}" height="{opening.height}"' in tag
    assert 'alt="Opening"' in tag and "loading=" not in tag
    assert f'href="/programmes/sharing-cities/photos/{opening.id}"' in page
    for url in ("/programmes/sharing-cities", "/centres/seoul", "/"):
        tag = _img(text_of(client.get(url)), opening, "thumb")
        assert f'width="{opening.thumb_width}" height="{opening.thumb_height}"' in tag, url
        assert 'loading="lazy"' in tag and 'alt="Opening"' in tag, url


def test_without_a_caption_the_alternative_names_the_session(client, db, forum):
    plain = _choose(db, forum, "plain")
    assert 'alt="Photo of Day 1"' in _img(text_of(client.get("/")), plain, "thumb")


def test_a_translated_caption_is_the_alternative_in_its_language(client, db, forum):
    opening = _choose(db, forum)
    db.session.add(PhotoTranslation(photo_id=opening.id, language="ko", caption="개막식"))
    db.session.commit()
    page = client.get(f"/news/{forum['post'].id}", headers={"Accept-Language": "ko"})
    tag = _img(text_of(page), opening, "web")
    assert 'lang="ko" alt="개막식"' in tag


def test_a_hostile_caption_stays_text_in_the_alternative(client, db, forum):
    opening = _choose(db, forum)
    opening.caption = '"><script>alert(1)</script>'
    db.session.commit()
    html = text_of(client.get("/"))
    assert "<script>alert(1)" not in html
    assert 'alt="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_a_draft_preview_shows_the_cover_to_staff(client, login, db, forum):
    draft = make_post(forum["programme"], title="Draft with a cover")
    opening = _choose(db, forum, post=draft)
    login(forum["director"])
    assert f"/photos/{opening.id}/web.jpg" in text_of(client.get(f"/news/{draft.id}"))
