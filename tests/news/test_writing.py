"""Writing, translating, publishing and unpublishing posts (news.writing), and who may."""

from datetime import timedelta

import pytest

from miti_training.errors import FieldError, PermissionDenied
from miti_training.models import AuditEntry, NewsPostStatus, ProgrammeStatus, utcnow
from miti_training.news import queries, writing
from miti_training.news.rules import NewsRefused
from miti_training.news.writing import PostValues
from tests.support.factories import make_centre, make_programme, make_staff
from tests.support.news_routes import make_post


@pytest.fixture
def seoul(db):
    centre = make_centre(slug="seoul")
    return {
        "programme": make_programme(centre, title="Sharing Cities"),
        "director": make_staff(centre, "director"),
        "coordinator": make_staff(centre, "coordinator"),
        "other_director": make_staff(make_centre(slug="paris"), "director"),
    }


def test_a_coordinator_writes_a_draft_with_a_translation(db, seoul):
    post = writing.create_post(
        seoul["programme"],
        PostValues(title="  The forum  ", body="Line one\r\n\r\nLine two", original_language="en"),
        actor=seoul["coordinator"],
        translations={"ko": {"title": "포럼", "body": ""}, "fr": {"title": "", "body": ""}},
    )
    db.session.commit()
    assert post.status == NewsPostStatus.DRAFT and post.published_at is None
    assert (post.title, post.body) == ("The forum", "Line one\n\nLine two")
    assert post.author_id == seoul["coordinator"].id
    assert [t.language for t in post.translations] == ["ko"]
    # An empty translated text shows the original's.
    assert post.text_in("ko").title == "포럼" and post.text_in("ko").body == "Line one\n\nLine two"
    assert post.text_in("fr").title == "The forum"
    assert db.session.query(AuditEntry).filter_by(action="news.create").count() == 1


@pytest.mark.parametrize(
    ("values", "translations", "field"),
    [
        (PostValues(title=""), None, "title"),
        (PostValues(title="x" * 201), None, "title"),
        (PostValues(title="T", body="x" * 20_001), None, "body"),
        (PostValues(title="T", original_language="xx"), None, "original_language"),
        (PostValues(title="T"), {"ko": {"title": "", "body": "본문"}}, "title_ko"),
        (PostValues(title="T"), {"en": {"title": "Again", "body": ""}}, "title_en"),
        (PostValues(title="T"), {"xx": {"title": "X", "body": ""}}, "title_xx"),
    ],
)
def test_what_a_post_cannot_be(db, seoul, values, translations, field):
    with pytest.raises(FieldError) as refused:
        writing.create_post(
            seoul["programme"], values, actor=seoul["director"], translations=translations
        )
    assert refused.value.field == field


def test_only_the_director_publishes_and_the_post_is_then_public(db, seoul):
    post = make_post(seoul["programme"])
    with pytest.raises(PermissionDenied):
        writing.publish(post, actor=seoul["coordinator"])
    with pytest.raises(PermissionDenied):
        writing.publish(post, actor=seoul["other_director"])
    assert queries.public_post(post.id) is None

    writing.publish(post, actor=seoul["director"])
    db.session.commit()
    assert post.status == NewsPostStatus.PUBLISHED and post.published_at is not None
    assert queries.public_post(post.id) is post
    with pytest.raises(NewsRefused):
        writing.publish(post, actor=seoul["director"])


def test_a_published_post_is_changed_by_the_director_only(db, seoul):
    post = make_post(seoul["programme"], published=True)
    with pytest.raises(PermissionDenied):
        writing.update_post(post, PostValues(title="Changed"), actor=seoul["coordinator"])
    changed = writing.update_post(
        post,
        PostValues(title="Changed", body=post.body),
        actor=seoul["director"],
        translations={"ko": {"title": "바뀜", "body": ""}},
    )
    assert changed == ["title", "ko"]
    assert writing.update_post(post, PostValues(title="Changed", body=post.body), actor=None) == []


def test_unpublishing_takes_the_post_off_the_public_lists(db, seoul):
    post = make_post(seoul["programme"], published=True)
    assert queries.programme_posts(seoul["programme"]) == [post]
    with pytest.raises(PermissionDenied):
        writing.unpublish(post, actor=seoul["coordinator"])
    writing.unpublish(post, actor=seoul["director"])
    assert post.status == NewsPostStatus.DRAFT
    assert queries.programme_posts(seoul["programme"]) == []
    assert queries.latest_posts() == []
    with pytest.raises(NewsRefused):
        writing.unpublish(post, actor=seoul["director"])


def test_a_post_of_a_draft_programme_is_not_published_nor_shown(db, seoul):
    draft = make_programme(seoul["programme"].centre, status=ProgrammeStatus.DRAFT)
    post = make_post(draft)
    with pytest.raises(NewsRefused):
        writing.publish(post, actor=seoul["director"])
    # Published while the programme was public, then the programme went back to a draft.
    shown = make_post(draft, published=True)
    assert queries.public_post(shown.id) is None and queries.latest_posts() == []


def test_the_lists_are_newest_first_and_by_centre(db, seoul):
    older = make_post(seoul["programme"], published=True, title="Older")
    older.published_at = utcnow() - timedelta(days=3)
    newer = make_post(seoul["programme"], published=True, title="Newer")
    paris = make_programme(seoul["other_director"].memberships[0].centre)
    elsewhere = make_post(paris, published=True, title="Paris")
    elsewhere.published_at = utcnow() - timedelta(days=1)
    db.session.flush()
    assert queries.latest_posts() == [newer, elsewhere, older]
    assert queries.latest_posts(centre=seoul["programme"].centre) == [newer, older]
    assert queries.latest_posts(limit=1) == [newer]
