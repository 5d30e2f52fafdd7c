"""A director previews a draft's public page and unpublishes a programme nobody registered
for, over real HTTP: who may, what is refused and why, the audit entry."""

import pytest
from sqlalchemy import select

from miti_training.models import AuditEntry, ProgrammeStatus, RegistrationStatus
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, flashes, follow, text_of


@pytest.fixture
def seoul(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    other = make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")
    return {
        "centre": centre,
        "director": make_staff(centre, "director", full_name="Lee Su-jin"),
        "coordinator": make_staff(centre, "coordinator"),
        "other_director": make_staff(other, "director"),
        "draft": make_programme(
            centre, status=ProgrammeStatus.DRAFT, title="Peer Review Process", slug="peer-review"
        ),
        "published": make_programme(centre, title="Open Data Forum", slug="open-data"),
    }


# The draft preview ---------------------------------------------------------------------------


def test_the_centres_staff_and_admins_preview_a_draft(client, login, db, seoul):
    assert client.get("/programmes/peer-review").status_code == 404  # anonymous, as before
    for who in (seoul["director"], seoul["coordinator"], make_admin()):
        login(who)
        page = client.get(f"/manage/seoul/programmes/{seoul['draft'].id}")
        manage = text_of(page)
        assert 'href="/programmes/peer-review"' in manage and ">Preview<" in manage
        preview = client.get("/programmes/peer-review")
        assert preview.status_code == 200
        html = text_of(preview)
        assert "Draft preview — not public" in html and "Peer Review Process" in html
        assert "no-store" in preview.headers["Cache-Control"]
        assert_accessible_page(html)
        client.post("/account/logout")


@pytest.mark.parametrize("who", ["participant", "other_director"])
def test_a_draft_stays_a_404_for_everyone_else(client, login, db, seoul, who):
    login(make_user() if who == "participant" else seoul[who])
    assert client.get("/programmes/peer-review").status_code == 404
    assert client.get("/programmes/peer-review.ics").status_code == 404


def test_a_published_page_has_no_preview_banner(client, db, seoul):
    html = text_of(client.get("/programmes/open-data"))
    assert "Draft preview" not in html


# Unpublishing --------------------------------------------------------------------------------


def _url(seoul, programme) -> str:
    return f"/manage/seoul/programmes/{programme.id}/unpublish"


def test_a_director_unpublishes_after_confirming(client, sign_in, db, seoul):
    programme = seoul["published"]
    sign_in(seoul["director"])
    assert ">Unpublish<" in text_of(client.get(f"/manage/seoul/programmes/{programme.id}"))
    ask = client.get(_url(seoul, programme))
    assert ask.status_code == 200
    assert "Unpublish “Open Data Forum”?" in text_of(ask)
    assert_accessible_page(text_of(ask))
    db.session.expire_all()
    assert programme.status == ProgrammeStatus.PUBLISHED  # asking changes nothing

    done = client.post(_url(seoul, programme))
    assert flashes(follow(client, done)) == [
        ("success", "“Open Data Forum” is a draft again: it has left the public catalogue.")
    ]
    db.session.expire_all()
    assert programme.status == ProgrammeStatus.DRAFT and programme.published_at is None
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.programme_id == programme.id, AuditEntry.action == "programme.unpublish"
        )
    )
    assert entry.actor_id == seoul["director"].id
    assert (entry.from_state, entry.to_state) == ("published", "draft")
    assert client.get("/programmes/open-data").status_code == 200  # the director's preview
    client.post("/account/logout")
    assert client.get("/programmes/open-data").status_code == 404


@pytest.mark.parametrize("status", [RegistrationStatus.CONFIRMED, RegistrationStatus.WITHDRAWN])
def test_unpublishing_is_refused_once_someone_registered(client, sign_in, db, seoul, status):
    programme = seoul["published"]
    make_registration(programme, status=status)
    sign_in(seoul["director"])
    assert ">Unpublish<" not in text_of(client.get(f"/manage/seoul/programmes/{programme.id}"))
    for method in ("GET", "POST"):
        response = client.open(_url(seoul, programme), method=method)
        assert flashes(follow(client, response)) == [
            (
                "error",
                "This programme cannot be unpublished: 1 person has registered already. Cancel the programme instead, so that they are told.",
            )
        ]
    db.session.expire_all()
    assert programme.status == ProgrammeStatus.PUBLISHED


def test_a_coordinator_cannot_unpublish(client, sign_in, db, seoul):
    sign_in(seoul["coordinator"])
    assert client.post(_url(seoul, seoul["published"])).status_code == 403
