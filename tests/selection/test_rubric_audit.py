"""Every change of a rubric is audited, over HTTP: adding, editing, moving and deleting a
criterion, each an entry naming who, the programme and the criterion, read as a sentence on the
administrators' pages; a refused change records nothing."""

import pytest

from tests.support.audit import audit_entries
from tests.support.factories import make_admin, make_centre, make_staff
from tests.support.pages import text_of
from tests.support.selection import add_criteria, apply, make_reviewed_programme, score_sheet


@pytest.fixture
def w(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    programme = make_reviewed_programme(centre)
    criteria = add_criteria(programme, 2, 1)
    coordinator = make_staff(centre, "coordinator", full_name="Coordinator Park")
    return {
        "centre": centre,
        "programme": programme,
        "criteria": criteria,
        "coordinator": coordinator,
        "base": f"/manage/seoul/programmes/{programme.id}/rubric",
    }


def _entry(action: str):
    [entry] = audit_entries(action)
    return entry


def test_adding_a_criterion_is_audited(client, login, w):
    login(w["coordinator"])
    client.post(f"{w['base']}/new", data={"name": "Feasibility", "weight": "3"})
    entry = _entry("rubric.add")
    assert (entry.actor_id, entry.programme_id, entry.centre_id) == (
        w["coordinator"].id,
        w["programme"].id,
        w["centre"].id,
    )
    assert (entry.to_state, entry.reason) == ("3", "Feasibility")


def test_editing_a_criterion_is_audited_with_what_changed(client, login, w):
    login(w["coordinator"])
    criterion = w["criteria"][0]
    url = f"{w['base']}/{criterion.id}/edit"
    client.post(url, data={"name": "Relevance", "description": "", "weight": "5"})
    entry = _entry("rubric.update")
    assert (entry.actor_id, entry.programme_id) == (w["coordinator"].id, w["programme"].id)
    assert (entry.from_state, entry.to_state) == ("2", "5")
    assert entry.reason == "Relevance: name, weight"
    # Saving it again unchanged is no change: no second entry.
    client.post(url, data={"name": "Relevance", "description": "", "weight": "5"})
    assert len(audit_entries("rubric.update")) == 1


def test_moving_a_criterion_is_audited_with_its_places(client, login, w):
    login(w["coordinator"])
    second = w["criteria"][1]
    client.post(f"{w['base']}/{second.id}/move", data={"direction": "up"})
    entry = _entry("rubric.move")
    assert (entry.from_state, entry.to_state, entry.reason) == ("2", "1", "Criterion 2")
    # Past the top: refused, nothing recorded.
    client.post(f"{w['base']}/{second.id}/move", data={"direction": "up"})
    assert len(audit_entries("rubric.move")) == 1


def test_deleting_a_criterion_is_audited_with_its_name(client, login, w):
    login(w["coordinator"])
    first = w["criteria"][0]
    client.post(f"{w['base']}/{first.id}/delete")
    entry = _entry("rubric.delete")
    assert (entry.actor_id, entry.from_state, entry.reason) == (
        w["coordinator"].id,
        "2",
        "Criterion 1",
    )
    assert entry.programme_id == w["programme"].id


def test_refused_changes_record_nothing(client, login, w):
    login(w["coordinator"])
    bad = client.post(f"{w['base']}/new", data={"name": "", "weight": "0"})
    assert bad.status_code == 422
    reviewer = make_staff(w["centre"], "reviewer")
    score_sheet(apply(w["programme"]), reviewer, w["criteria"], [3, 3])
    criterion = w["criteria"][0]
    for url, data in [
        (f"{w['base']}/new", {"name": "Late", "weight": "1"}),
        (f"{w['base']}/{criterion.id}/edit", {"name": "Changed", "weight": "9"}),
        (f"{w['base']}/{criterion.id}/delete", {}),
        (f"{w['base']}/{criterion.id}/move", {"direction": "down"}),
    ]:
        client.post(url, data=data)
    assert audit_entries() == []


def test_rubric_entries_read_as_sentences_on_the_admin_pages(client, login, w):
    login(w["coordinator"])
    client.post(f"{w['base']}/new", data={"name": "Feasibility", "weight": "3"})
    client.post(f"{w['base']}/{w['criteria'][0].id}/delete")
    login(make_admin())
    page = text_of(client.get("/admin/"))
    sentence = "changed the rubric of"
    assert page.count(sentence) == 2
    assert "Coordinator Park" in page and "Peer Review Process workshop" in page
    assert "rubric add" not in page and "rubric delete" not in page
