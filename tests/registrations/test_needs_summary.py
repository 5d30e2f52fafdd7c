"""The catering and access summary of the export page: needs of confirmed participants grouped
by a normalised form and counted, without names; its empty states."""

import html
import re

import pytest

from miti_training.models import RegistrationStatus
from miti_training.registrations.needs import NeedCount, grouped, needs_summary, normalised
from tests.support.factories import (
    make_centre,
    make_member_city,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, text_of
from tests.support.sql import recorded_request

S = RegistrationStatus


@pytest.fixture
def cairo(db):
    centre = make_centre(slug="cairo", name="MITI Cairo", timezone="Africa/Cairo")
    return {
        "programme": make_programme(centre, slug="water", capacity=40),
        "coordinator": make_staff(centre, "coordinator"),
    }


def register(programme, name, status=S.CONFIRMED, **needs):
    user = make_user(full_name=name, member_city=make_member_city())
    return make_registration(programme, user, status=status, **needs)


def page_of(client, programme) -> str:
    response = client.get(f"/manage/cairo/programmes/{programme.id}/export")
    assert response.status_code == 200
    page = text_of(response)
    assert_accessible_page(page)
    return page


def summary_section(page: str) -> str:
    return page.split('id="needs-heading"', 1)[1].split("</section>", 1)[0]


def table_rows(section: str, kind: str) -> list[tuple[str, str]]:
    """(need, participants) of the table under the heading of kind ("dietary", "access")."""
    part = section.split(f'id="needs-{kind}-heading"', 1)[1].split("</table>", 1)[0]
    body = part.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = re.findall(r"<tr><td><bdi>(.*?)</bdi></td><td[^>]*>(\d+)</td></tr>", body, re.S)
    return [(html.unescape(need), count) for need, count in cells]


def test_normalised_form_ignores_case_spacing_width_and_bidi_controls():
    same = ["Vegetarian", " vegetarian\n", "VEGETARIAN", "ＶＥＧＥＴＡＲＩＡＮ", "Vegetarian\u202c"]
    assert {normalised(text) for text in same} == {"vegetarian"}
    assert normalised("No  pork,\tplease") == "no pork, please"
    assert normalised("Straße") == normalised("STRASSE")  # case folding, not just lower()
    assert normalised("Végétarien") != normalised("Vegetarien")  # accents are meaningful
    assert normalised("   ") == ""


def test_groups_show_the_most_common_spelling_most_participants_first():
    counts = {
        "Halal": 2,
        "halal": 3,
        "HALAL ": 1,
        "Vegetarian": 2,
        "vegetarian": 2,
        "No pork": 1,
        "  ": 4,  # white space only: no need
        "حلال": 1,
    }
    assert grouped(counts) == (
        NeedCount("halal", 6),
        NeedCount("vegetarian", 4),  # a tie between spellings: the one with fewer capitals
        NeedCount("No pork", 1),
        NeedCount("حلال", 1),
    )


def test_only_confirmed_participants_are_counted_without_names(client, login, db, cairo):
    programme = cairo["programme"]
    register(programme, "Mona El-Sayed", dietary_needs="Halal")
    register(programme, "منى السيد", dietary_needs="halal ")
    register(programme, "Reza Karimi", dietary_needs="HALAL", accessibility_needs="Wheelchair")
    register(programme, "Aminata Diallo", dietary_needs="Vegetarian")
    register(programme, "Karim Haddad", accessibility_needs="wheelchair  ")
    register(programme, "Chukwuemeka Okonkwo", S.WAITLISTED, dietary_needs="Vegan")
    register(programme, "Siobhán O'Brien", S.APPLIED, accessibility_needs="Hearing loop")
    register(programme, "Björn Müller", S.WITHDRAWN, dietary_needs="Halal")
    login(cairo["coordinator"])

    summary = needs_summary(programme)
    assert summary.dietary == (NeedCount("halal", 3), NeedCount("Vegetarian", 1))
    assert summary.accessibility == (NeedCount("wheelchair", 2),)
    assert (summary.dietary_participants, summary.accessibility_participants) == (4, 2)

    section = summary_section(page_of(client, programme))
    assert table_rows(section, "dietary") == [("halal", "3"), ("Vegetarian", "1")]
    assert table_rows(section, "access") == [("wheelchair", "2")]
    assert "What the 5 confirmed participants wrote" in section
    for name in ("Mona", "منى", "Reza", "Aminata", "Karim", "Chukwuemeka", "Siobh", "Björn"):
        assert name not in section
    assert "Vegan" not in section and "Hearing loop" not in section


def test_needs_are_shown_as_escaped_text(client, login, db, cairo):
    programme = cairo["programme"]
    register(programme, "A", dietary_needs="<script>alert(1)</script>")
    register(programme, "B", accessibility_needs='=HYPERLINK("http://x")\u202e')
    login(cairo["coordinator"])
    section = summary_section(page_of(client, programme))
    assert "<script>alert(1)</script>" not in section
    assert table_rows(section, "dietary") == [("<script>alert(1)</script>", "1")]
    assert table_rows(section, "access") == [('=HYPERLINK("http://x")', "1")]


def test_empty_states(client, login, db, cairo):
    programme = cairo["programme"]
    register(programme, "Waiting", S.WAITLISTED, dietary_needs="Halal")
    login(cairo["coordinator"])

    section = summary_section(page_of(client, programme))
    assert "Once participants are confirmed, their dietary and accessibility needs" in section
    assert "<table" not in section

    register(programme, "Confirmed without needs")
    section = summary_section(page_of(client, programme))
    assert "No confirmed participant has stated a dietary need." in section
    assert "No confirmed participant has stated an accessibility need." in section
    assert "<table" not in section


def test_the_summary_costs_two_statements_whatever_the_participants(app, client, login, db, cairo):
    programme = cairo["programme"]
    register(programme, "First", dietary_needs="Halal")
    login(cairo["coordinator"])
    db.session.commit()
    url = f"/manage/cairo/programmes/{programme.id}/export"
    _, few = recorded_request(app, client, url)
    for n in range(30):
        register(programme, f"Official {n}", dietary_needs=f"Need {n % 7}", accessibility_needs="x")
    db.session.commit()
    _, many = recorded_request(app, client, url)
    assert len(few) == len(many)
