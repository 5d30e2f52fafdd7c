"""The admin's "Recent changes" read as sentences in the viewer's language, with links to the
person and the programme and the time zone of every time; granting a role emails the person."""

import re

from miti_training import audit
from miti_training.models import MembershipRole, RegistrationStatus
from miti_training.registrations import decisions
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, text_of


def _items(html: str, heading_id: str) -> list[str]:
    """The list items of the section headed heading_id, without their tags."""
    section = html[html.index(f'id="{heading_id}"') :]
    section = section[: section.index("</section>")]
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li>(.*?)</li>", section, re.S)
    ]


def test_recent_changes_read_as_sentences_with_links(client, login, db):
    centre = make_centre(slug="cairo", name="MITI Cairo", timezone="Africa/Cairo")
    programme = make_programme(centre, title="Peer Review Process")
    director = make_staff(centre, "director", full_name="Lee Su-jin")
    mona = make_user(full_name="Mona Elsayed")
    registration = make_registration(programme, mona, status=RegistrationStatus.CONFIRMED)
    programme.seats_taken = 1
    audit.record(
        "registration.register", actor=mona, programme=programme, registration=registration
    )
    decisions.decline(registration, actor=director)
    audit.record("session.rename", actor=director, programme=programme)  # no sentence yet
    db.session.commit()
    login(make_admin(timezone="Europe/Paris"))

    page = client.get("/admin/")
    html = text_of(page)
    items = _items(html, "recent-changes-heading")
    assert any(
        i.endswith("(Paris): Mona Elsayed registered for Peer Review Process.") for i in items
    )
    assert any(
        i.endswith("Lee Su-jin cancelled the registration of Mona Elsayed for Peer Review Process.")
        for i in items
    )
    assert any(i.endswith("Lee Su-jin: session rename") for i in items)  # unknown, still readable
    assert not any("registration.register" in i for i in items)
    assert f'href="/admin/users/{mona.id}"><bdi>Mona Elsayed</bdi></a>' in html
    assert (
        f'href="/manage/cairo/programmes/{programme.id}"><bdi>Peer Review Process</bdi></a>' in html
    )
    assert_accessible_page(html)


def test_sentences_are_in_the_viewers_language_and_names_escaped(client, login, db):
    centre = make_centre(slug="paris", name="MITI Paris")
    person = make_user(full_name="<b>Omar</b> Nabil")
    admin = make_admin(preferred_language="fr")
    audit.record("admin.grant", actor=admin, subject_user=person)
    db.session.commit()
    login(admin)
    html = text_of(client.get(f"/admin/users/{person.id}"))
    assert "&lt;b&gt;Omar&lt;/b&gt; Nabil" in html and "<b>Omar</b>" not in html
    assert centre.name  # the page renders whatever centres exist
    assert "admin.grant" not in html


def test_times_on_the_user_page_carry_their_zone(client, login, db):
    user = make_user(full_name="Amina Official")
    login(make_admin(timezone="Asia/Tehran"))
    html = text_of(client.get(f"/admin/users/{user.id}"))
    # Account created, last login (none), and each history entry.
    assert html.count("(<bdi>Tehran</bdi>)") >= 1


def test_granting_a_role_emails_the_person_in_their_language(client, login, db, outbox):
    user = make_user(full_name="Reza Ahmadi", preferred_language="fa")
    centre = make_centre(slug="mashhad", name="MITI Mashhad")
    login(make_admin())
    outbox.clear()
    response = client.post(
        f"/admin/users/{user.id}/roles",
        data={"centre_id": str(centre.id), "role": MembershipRole.COORDINATOR.value},
    )
    assert response.status_code == 302
    (message,) = outbox
    assert message.to == user.email
    assert message.locale == "fa"
    assert "MITI Mashhad" in message.subject
    assert "/manage/mashhad/" in message.body

    # Granting it again changes nothing and sends nothing.
    client.post(
        f"/admin/users/{user.id}/roles",
        data={"centre_id": str(centre.id), "role": MembershipRole.COORDINATOR.value},
    )
    assert len(outbox) == 1
