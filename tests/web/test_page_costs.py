"""What the busiest public pages cost: SQL statements per page, the filter form's choices
translated once per language, and the pieces kept between requests staying right."""

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale

from miti_training.formatting import date_range, label
from miti_training.forms import catalogue as catalogue_form
from miti_training.models import ProgrammeKind, ProgrammeTranslation
from tests.support.factories import make_centre, make_programme, today
from tests.support.pages import text_of
from tests.support.sql import recorded_request

API = "/api/v1"


def _statements(client, db, url: str) -> int:
    """The queries a request for url makes (SQLite's explicit BEGIN is not one)."""
    db.session.commit()  # the test's rows, so the count holds only the request's statements
    response, statements = recorded_request(None, client, url)
    assert response.status_code == 200, response.status_code
    return sum(1 for statement in statements if statement.lstrip().upper().startswith("SELECT"))


def _catalogue(count: int) -> None:
    """count programmes over three centres, each with a timetable and a French title."""
    centres = [make_centre(timezone=tz) for tz in ("Asia/Seoul", "Europe/Paris", "Asia/Tehran")]
    for n in range(count):
        programme = make_programme(
            centres[n % 3], starts_on=today() + timedelta(days=n + 5), sessions=1 + n % 3
        )
        programme.translations.append(ProgrammeTranslation(language="fr", title=f"Cours {n}"))


def test_catalogue_page_is_three_statements(client, db):
    # Besides the validator's query (web/http_cache.py): the centres (the form's list, which the cards then find in the session), the page with
    # its total beside each row, the page's translations. No timetable: cards do not show it.
    _catalogue(25)
    assert _statements(client, db, "/programmes") == 1 + 3
    page = client.get("/programmes")
    assert "25 programmes" in text_of(page)
    assert len(re.findall(r'class="card-title"', text_of(page))) == 20


def test_last_page_and_a_page_past_the_end_still_show_the_total(client, db):
    _catalogue(25)
    db.session.commit()
    assert "25 programmes" in text_of(client.get("/programmes?page=2"))
    past = client.get("/programmes?page=9")  # shown as the last page
    assert "25 programmes" in text_of(past)
    assert len(re.findall(r'class="card-title"', text_of(past))) == 5


def test_empty_catalogue_needs_no_count(client, db):
    make_centre()
    assert _statements(client, db, "/programmes") == 1 + 2
    assert "0 programmes" in text_of(client.get("/programmes"))


def test_programme_page_is_three_statements(client, db):
    # Besides the validator's query: the programme with its centre and texts, its timetable, its
    # registration questions, the programmes it requires, its news posts.
    programme = make_programme(sessions=4)
    for language in ("fr", "ko", "ar"):
        programme.translations.append(ProgrammeTranslation(language=language, title="T"))
    assert _statements(client, db, f"/programmes/{programme.slug}") == 1 + 5


def test_api_list_is_two_statements(client, db):
    # Besides the validator's query: the page with its total and its centres (named as written), the page's translations.
    _catalogue(25)
    assert _statements(client, db, f"{API}/programmes") == 1 + 2
    assert client.get(f"{API}/programmes").get_json()["total"] == 25


def test_filter_choices_are_translated_once_per_language(client, db):
    make_centre()
    db.session.commit()
    catalogue_form._choices.cache_clear()
    for _ in range(3):
        assert client.get("/programmes").status_code == 200
    # kind, theme, format and language: built by the first request, reused by the others.
    assert catalogue_form._choices.cache_info().misses == 4
    client.get("/programmes", headers={"Accept-Language": "fr"})
    assert catalogue_form._choices.cache_info().misses == 8
    french = text_of(client.get("/programmes", headers={"Accept-Language": "fr"}))
    assert "Atelier" in french  # "Workshop" in the kind list, in French


def test_kept_filter_form_follows_centres_query_and_language(client, db):
    centre = make_centre(slug="lyon", name="Centre de Lyon")
    db.session.commit()
    assert ">Centre de Lyon</option>" in text_of(client.get("/programmes"))
    centre.name = "Centre régional de Lyon"
    db.session.commit()
    page = text_of(client.get("/programmes"))
    assert ">Centre régional de Lyon</option>" in page
    assert ">Centre de Lyon</option>" not in page
    chosen = text_of(client.get("/programmes?centre=lyon"))
    assert re.search(r'<option selected value="lyon">|<option value="lyon" selected>', chosen)
    refused = text_of(client.get("/programmes?kind=nonsense"))
    assert "Choose a kind from the list; this filter is ignored." in refused
    assert "Choose a kind from the list" not in text_of(client.get("/programmes?kind=course"))
    assert 'lang="fr"' in text_of(client.get("/programmes", headers={"Accept-Language": "fr"}))


@pytest.mark.parametrize("language", ["fr", "fa", "ko"])
def test_formatting_kept_per_language_answers_in_each_language(app, language):
    start = today() + timedelta(days=40)
    with app.test_request_context():
        english = (date_range(start, start + timedelta(days=2)), label(ProgrammeKind.WORKSHOP))
        with force_locale(language):
            other = (date_range(start, start + timedelta(days=2)), label(ProgrammeKind.WORKSHOP))
        assert other != english
        assert (date_range(start, start + timedelta(days=2)), label(ProgrammeKind.WORKSHOP)) == (
            english
        )


@pytest.mark.parametrize("path", ["/programmes", "/programmes/{slug}", API + "/programmes"])
def test_a_page_already_rendered_costs_only_its_validator(client, db, path):
    programme = make_programme(sessions=2)
    db.session.commit()
    url = path.format(slug=programme.slug)
    first = client.get(url)
    assert _statements(client, db, url) == 1
    assert client.get(url).get_data() == first.get_data()
    # Another language, another host: rendered for them.
    assert _statements(client, db, url + ("&" if "?" in url else "?") + "lang=fr") > 1
    response, statements = recorded_request(None, client, url, headers={"Host": "other.example"})
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) > 1
    # A change shows at once.
    programme.title = "Renamed for the test"
    db.session.commit()
    assert _statements(client, db, url) > 1
    assert "Renamed for the test" in client.get(url).get_data(as_text=True)
