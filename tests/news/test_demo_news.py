"""The demo's news: the Sharing Cities opening forum told in English and Korean (and more),
with a photo of Day 1 as its cover."""

from sqlalchemy import select

from miti_training.cli.demo import load_demo_data
from miti_training.models import NewsPost
from tests.support.pages import text_of


def test_the_opening_forum_has_its_news_post_in_english_and_korean(client, db):
    load_demo_data()
    db.session.commit()
    post = db.session.scalars(select(NewsPost)).one()
    assert post.programme.slug == "miti-opening-forum-sharing-cities"
    assert post.is_published and post.original_language == "en"
    assert {"ko", "fr", "es"} <= {t.language for t in post.translations}
    assert "Peer Review Process" in post.body and "\n\n" in post.body

    assert post.title in text_of(client.get("/"))
    assert post.title in text_of(client.get("/programmes/miti-opening-forum-sharing-cities"))
    korean = client.get(f"/news/{post.id}", headers={"Accept-Language": "ko"})
    assert "MITI, 메트로폴리스 교육의 새 시대를 열다" in text_of(korean)
    assert '<a href="https://www.metropolis.org" rel="nofollow noopener">' in korean.text
    assert post.title.encode() in client.get("/centres/seoul/news.atom").data

    # Its cover: Day 1's album cover, which the albums (loaded first) made public.
    cover = post.cover_photo
    assert cover is not None and not cover.is_hidden and cover.is_cover
    assert cover.album.session == post.programme.sessions[0]
    for url in (f"/news/{post.id}", "/", "/programmes/miti-opening-forum-sharing-cities"):
        assert f'<img class="news-cover" src="/photos/{cover.id}/' in client.get(url).text, url
    assert f"/photos/{cover.id}/web.jpg".encode() in client.get("/news.atom").data

    load_demo_data()  # loading again adds nothing
    db.session.commit()
    assert db.session.query(NewsPost).count() == 1
