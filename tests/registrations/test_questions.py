"""The director's form builder: the rules of services/questions.py without HTTP, then the
pages over real HTTP (who may use them, every action with its audit entry, ids of other
programmes and centres, hostile labels and choices, CSRF)."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from miti_training.errors import DomainError, FieldError, PermissionDenied
from miti_training.models import (
    AuditEntry,
    ProgrammeQuestion,
    ProgrammeStatus,
    QuestionKind,
    Registration,
)
from miti_training.registrations import questions
from miti_training.registrations.answers import answer_key
from miti_training.registrations.questions import QuestionValues
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
)
from tests.support.hostile import one_line
from tests.support.pages import field_errors, flashes, follow
from tests.support.pages import text_of as _html
from tests.support.testdata import hostile_strings


def _labels(programme) -> list[str]:
    return [q.label for q in questions.questions_in_order(programme.id)]


def _positions(programme) -> list[int]:
    return [q.position for q in questions.questions_in_order(programme.id)]


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def place(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    director = make_staff(centre, "director")
    programme = make_programme(centre, title="Smart city course", sessions=2)
    return {"centre": centre, "director": director, "programme": programme}


def _add(programme, actor, label, kind="short_text", choices="", **kw):
    return questions.add_question(
        programme, QuestionValues(kind=kind, label=label, choices_text=choices, **kw), actor=actor
    )


# The rules, without HTTP -------------------------------------------------------------------


def test_questions_are_numbered_from_one_without_gaps(db, place):
    programme, director = place["programme"], place["director"]
    first = _add(programme, director, "Department")
    second = _add(programme, director, "Role", "single_choice", "Planner\nEngineer")
    third = _add(programme, director, "Presenting?", "yes_no")
    assert [first.position, second.position, third.position] == [1, 2, 3]

    assert questions.move_question(third, "up", actor=director)
    assert _labels(programme) == ["Department", "Presenting?", "Role"]
    assert not questions.move_question(first, "up", actor=director)  # already first
    assert questions.move_question(first, "down", actor=director)
    assert _labels(programme) == ["Presenting?", "Department", "Role"]

    questions.delete_question(third, actor=director)
    assert _labels(programme) == ["Department", "Role"]
    assert _positions(programme) == [1, 2]
    assert _actions(db) == [
        "question.add",
        "question.add",
        "question.add",
        "question.move",
        "question.move",
        "question.delete",
    ]
    move = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "question.move")).all()
    assert (move[0].from_state, move[0].to_state, move[0].reason) == ("3", "2", "Presenting?")
    assert all(e.programme_id == programme.id and e.actor_id == director.id for e in move)


def test_positions_with_gaps_are_closed_up_by_the_next_change(db, place):
    programme, director = place["programme"], place["director"]
    for position, label in ((5, "A"), (9, "B")):
        db.session.add(
            ProgrammeQuestion(
                programme=programme, position=position, kind=QuestionKind.SHORT_TEXT, label=label
            )
        )
    db.session.flush()
    question = _add(programme, director, "C")
    assert question.position == 3
    assert _positions(programme) == [1, 2, 3]


@pytest.mark.parametrize(
    ("choices", "stored"),
    [
        ("  Planner \r\n\r\n Engineer  \n", ["Planner", "Engineer"]),
        (
            "Seoul\nCairo\nMashhad\nMexico City\nParis",
            ["Seoul", "Cairo", "Mashhad", "Mexico City", "Paris"],
        ),
    ],
)
def test_choices_are_one_per_line_trimmed(db, place, choices, stored):
    question = _add(place["programme"], place["director"], "City", "multiple_choice", choices)
    assert question.choices == stored


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ("", "Give at least two choices, one per line."),
        ("Only one\n\n   ", "Give at least two choices, one per line."),
        ("Planner\nplanner ", "Each choice must be different: “planner” is given twice."),
        ("\n".join(f"Choice {n}" for n in range(51)), "Give at most 50 choices."),
        ("ok\n" + "x" * 201, "Each choice may have at most 200 characters."),
    ],
)
def test_bad_choices_are_refused(db, place, choices, message):
    with pytest.raises(FieldError) as refused:
        _add(place["programme"], place["director"], "Role", "single_choice", choices)
    assert (refused.value.field, str(refused.value.message)) == ("choices", message)


def test_text_and_yes_no_questions_keep_no_choices(db, place):
    question = _add(place["programme"], place["director"], "City", "yes_no", "A\nB")
    assert question.choices == []


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (QuestionValues(kind="essay", label="Why?"), "kind"),
        (QuestionValues(kind="short_text", label="   "), "label"),
        (QuestionValues(kind="short_text", label="x" * 301), "label"),
        (QuestionValues(kind="short_text", label="Why?", help_text="h" * 501), "help_text"),
    ],
)
def test_bad_values_are_refused_by_field(db, place, values, field):
    with pytest.raises(FieldError) as refused:
        questions.add_question(place["programme"], values, actor=place["director"])
    assert refused.value.field == field


def test_an_answered_question_keeps_its_kind_and_the_choices_chosen(db, place):
    programme, director = place["programme"], place["director"]
    role = _add(programme, director, "Role", "multiple_choice", "Planner\nEngineer\nLawyer")
    text = _add(programme, director, "Department")
    untouched = _add(programme, director, "Hobby", "single_choice", "Chess\nGo")
    key = answer_key(role)
    assert key == f"q{role.id}"
    make_registration(programme, answers={key: ["Planner", "Lawyer"], f"q{text.id}": "Roads"})
    make_registration(programme, answers={key: [], f"q{untouched.id}": ""})
    assert questions.answer_counts(programme) == {role.id: 1, text.id: 1}

    # Kind: refused once answered, for text questions too.
    with pytest.raises(FieldError) as refused:
        questions.update_question(
            role,
            QuestionValues(kind="single_choice", label="Role", choices_text="Planner\nLawyer"),
            actor=director,
        )
    assert refused.value.field == "kind"
    assert "cannot change" in str(refused.value.message)
    with pytest.raises(FieldError):
        questions.update_question(
            text, QuestionValues(kind="long_text", label="Department"), actor=director
        )

    # Choices: removing or renaming one already chosen is refused, naming it.
    with pytest.raises(FieldError) as refused:
        questions.update_question(
            role,
            QuestionValues(
                kind="multiple_choice", label="Role", choices_text="Urban planner\nLawyer"
            ),
            actor=director,
        )
    assert str(refused.value.message) == (
        "Participants have already chosen “Planner”: keep these choices exactly as they are written."
    )
    # Reordering, adding and removing unused choices is fine.
    changed = questions.update_question(
        role,
        QuestionValues(
            kind="multiple_choice",
            label="Your role",
            choices_text="Lawyer\nPlanner\nArchitect",
            is_required=True,
        ),
        actor=director,
    )
    assert changed == ["label", "is_required", "choices"]
    db.session.refresh(role)
    assert role.choices == ["Lawyer", "Planner", "Architect"] and role.is_required
    # A question nobody answered may change kind.
    assert questions.update_question(
        untouched, QuestionValues(kind="short_text", label="Hobby"), actor=director
    ) == ["kind", "choices"]
    assert untouched.choices == []
    # Nothing changed: nothing saved, nothing audited.
    before = _actions(db)
    assert (
        questions.update_question(
            text, QuestionValues(kind="short_text", label="Department"), actor=director
        )
        == []
    )
    assert _actions(db) == before


def test_deleting_a_question_deletes_its_answers(db, place):
    programme, director = place["programme"], place["director"]
    first = _add(programme, director, "Department")
    second = _add(programme, director, "Role", "single_choice", "Planner\nEngineer")
    registration = make_registration(
        programme, answers={f"q{first.id}": "Roads", f"q{second.id}": "Planner"}
    )
    assert questions.delete_question(first, actor=director) == 1
    db.session.refresh(registration)
    assert registration.answers == {f"q{second.id}": "Planner"}
    assert _positions(programme) == [1]


def test_only_the_centres_director_may_change_questions(db, place):
    programme = place["programme"]
    coordinator = make_staff(place["centre"], "coordinator")
    other_director = make_staff(make_centre(), "director")
    for actor in (coordinator, other_director):
        with pytest.raises(PermissionDenied):
            _add(programme, actor, "Department")
    assert _add(programme, make_admin(), "Department").position == 1


@pytest.mark.parametrize("status", [ProgrammeStatus.CANCELLED, ProgrammeStatus.COMPLETED])
def test_final_programmes_keep_their_questions(db, place, status):
    programme = make_programme(place["centre"], status=status)
    with pytest.raises(DomainError) as refused:
        _add(programme, place["director"], "Department")
    assert "can no longer be changed" in str(refused.value.message)


# Pages over HTTP ---------------------------------------------------------------------------


def _form(**overrides) -> dict:
    data = {"kind": "short_text", "label": "Department", "help_text": "", "choices": ""}
    data.update(overrides)
    return data


def test_director_builds_the_form_through_the_pages(client, sign_in, db, place):
    sign_in(place["director"])
    programme = place["programme"]
    base = f"/manage/seoul/programmes/{programme.id}/questions"

    detail = _html(client.get(f"/manage/seoul/programmes/{programme.id}"))
    assert f'href="{base}"' in detail
    page = client.get(base)
    assert page.status_code == 200
    assert "This programme asks no questions of its own yet." in _html(page)

    response = client.post(
        f"{base}/new",
        data=_form(
            label="Which policy of your city will you present?",
            help_text="One sentence is enough.",
        ),
    )
    assert response.status_code == 302
    assert flashes(follow(client, response)) == [
        (
            "success",
            "The question “Which policy of your city will you present?” has been added at position 1.",
        )
    ]
    response = client.post(
        f"{base}/new",
        data=_form(
            kind="single_choice", label="Your role", choices="Planner\nEngineer", is_required="y"
        ),
    )
    assert response.status_code == 302
    first, second = questions.questions_in_order(programme.id)
    assert (second.kind, second.choices, second.is_required) == (
        QuestionKind.SINGLE_CHOICE,
        ["Planner", "Engineer"],
        True,
    )
    html = _html(follow(client, response))
    assert html.index("<bdi>Which policy") < html.index("<bdi>Your role")
    assert "One sentence is enough." in html and "Required" in html

    response = client.post(f"{base}/{second.id}/move", data={"direction": "up"})
    assert flashes(follow(client, response)) == [("success", "“Your role” is now question 1.")]
    assert _labels(programme) == ["Your role", "Which policy of your city will you present?"]
    response = client.post(f"{base}/{second.id}/move", data={"direction": "up"})
    assert flashes(follow(client, response)) == [
        ("info", "“Your role” is already the first question.")
    ]
    assert (
        client.post(f"{base}/{second.id}/move", data={"direction": "sideways"}).status_code == 400
    )

    edit = client.get(f"{base}/{second.id}/edit")
    assert edit.status_code == 200 and "Planner\nEngineer</textarea>" in _html(edit)
    response = client.post(
        f"{base}/{second.id}/edit",
        data=_form(
            kind="single_choice",
            label="Your role",
            choices="Planner\nEngineer\nLawyer",
            is_required="y",
        ),
    )
    assert flashes(follow(client, response)) == [
        ("success", "The question “Your role” has been saved.")
    ]
    db.session.refresh(second)
    assert second.choices == ["Planner", "Engineer", "Lawyer"]
    response = client.post(
        f"{base}/{second.id}/edit",
        data=_form(
            kind="single_choice",
            label="Your role",
            choices="Planner\nEngineer\nLawyer",
            is_required="y",
        ),
    )
    assert flashes(follow(client, response)) == [("info", "Nothing to save: no value was changed.")]

    confirm = client.get(f"{base}/{first.id}/delete")
    assert confirm.status_code == 200
    assert "Nobody has answered this question yet." in _html(confirm)
    assert db.session.get(ProgrammeQuestion, first.id) is not None  # GET only asks
    response = client.post(f"{base}/{first.id}/delete")
    assert flashes(follow(client, response)) == [
        ("success", "The question “Which policy of your city will you present?” has been deleted.")
    ]
    assert _labels(programme) == ["Your role"]
    assert _actions(db) == [
        "question.add",
        "question.add",
        "question.move",
        "question.update",
        "question.delete",
    ]


def test_form_errors_are_shown_beside_their_fields(client, sign_in, db, place):
    sign_in(place["director"])
    programme = place["programme"]
    base = f"/manage/seoul/programmes/{programme.id}/questions"
    response = client.post(f"{base}/new", data=_form(kind="essay", label=""))
    assert response.status_code == 200
    assert field_errors(response) == {
        "kind": "Choose a kind of question from the list.",
        "label": "Enter the question.",
    }
    response = client.post(f"{base}/new", data=_form(kind="multiple_choice", choices="A\na"))
    assert field_errors(response) == {
        "choices": "Each choice must be different: “a” is given twice."
    }
    response = client.post(f"{base}/new", data=_form(label="Bad\x1b[31m label"))
    assert field_errors(response) == {"label": "Remove the control characters from this field."}
    assert questions.question_count(programme) == 0


def test_answered_question_pages_warn_and_refuse_in_words(client, sign_in, db, place):
    sign_in(place["director"])
    programme = place["programme"]
    role = _add(programme, place["director"], "Role", "single_choice", "Planner\nEngineer")
    make_registration(programme, answers={f"q{role.id}": "Engineer"})
    base = f"/manage/seoul/programmes/{programme.id}/questions"
    assert "1 answer given" in _html(client.get(base))
    edit = _html(client.get(f"{base}/{role.id}/edit"))
    assert "1 participant has answered this question" in edit
    response = client.post(
        f"{base}/{role.id}/edit",
        data=_form(kind="single_choice", label="Role", choices="Planner\nLawyer"),
    )
    assert response.status_code == 200
    assert field_errors(response) == {
        "choices": "Participants have already chosen “Engineer”: keep these choices exactly as they are written."
    }
    response = client.post(f"{base}/{role.id}/edit", data=_form(kind="short_text", label="Role"))
    assert "kind" in field_errors(response)
    assert "1 participant has answered this question. Their answer will be deleted too." in _html(
        client.get(f"{base}/{role.id}/delete")
    )
    response = client.post(f"{base}/{role.id}/delete")
    assert flashes(follow(client, response)) == [
        ("success", "The question “Role” and 1 answer to it have been deleted.")
    ]
    assert db.session.scalar(select(Registration.answers)) == {}


def test_questions_of_a_cancelled_programme_cannot_change(client, sign_in, db, place):
    sign_in(place["director"])
    programme = make_programme(place["centre"], status=ProgrammeStatus.CANCELLED)
    question = ProgrammeQuestion(
        programme=programme, position=1, kind=QuestionKind.SHORT_TEXT, label="Department"
    )
    db.session.add(question)
    base = f"/manage/seoul/programmes/{programme.id}/questions"
    page = _html(client.get(base))
    assert "can no longer be changed" in page and "Add a question" not in page
    for url in (f"{base}/new", f"{base}/{question.id}/edit", f"{base}/{question.id}/delete"):
        response = client.post(url, data=_form(label="New"))
        assert flashes(follow(client, response)) == [
            (
                "info",
                "The questions of a cancelled or completed programme can no longer be changed.",
            )
        ]
    response = client.post(f"{base}/{question.id}/move", data={"direction": "down"})
    assert flashes(follow(client, response)) == [
        ("error", "The questions of a cancelled or completed programme can no longer be changed.")
    ]
    assert _labels(programme) == ["Department"] and _actions(db) == []


@pytest.mark.parametrize("role", ["coordinator", "other_director", "participant"])
def test_only_directors_reach_the_form_builder(client, sign_in, db, place, role):
    programme = place["programme"]
    question = _add(programme, place["director"], "Department")
    if role == "coordinator":
        sign_in(make_staff(place["centre"], "coordinator"))
    elif role == "other_director":
        sign_in(make_staff(make_centre(slug="paris"), "director"))
    else:
        from tests.support.factories import make_user

        sign_in(make_user())
    base = f"/manage/seoul/programmes/{programme.id}/questions"
    for method, url in (
        ("GET", base),
        ("GET", f"{base}/new"),
        ("POST", f"{base}/new"),
        ("GET", f"{base}/{question.id}/edit"),
        ("POST", f"{base}/{question.id}/edit"),
        ("GET", f"{base}/{question.id}/delete"),
        ("POST", f"{base}/{question.id}/delete"),
        ("POST", f"{base}/{question.id}/move"),
    ):
        response = client.open(url, method=method, data=_form(label="Changed", direction="down"))
        assert response.status_code == 403, (method, url)
    assert _labels(programme) == ["Department"] and _actions(db) == ["question.add"]
    if role == "coordinator":  # ...and the programme page does not offer the link
        html = _html(client.get(f"/manage/seoul/programmes/{programme.id}"))
        assert f'href="{base}"' not in html


def test_ids_of_other_programmes_and_centres_are_404(client, sign_in, db, place):
    sign_in(make_admin())
    programme = place["programme"]
    sibling = make_programme(place["centre"])
    other_centre = make_centre(slug="paris", timezone="Europe/Paris")
    foreign = make_programme(other_centre)
    mine = _add(programme, place["director"], "Department")
    theirs = _add(sibling, place["director"], "Sibling question")
    far = _add(foreign, None, "Foreign question")
    before = _actions(db)
    cases = [
        f"/manage/seoul/programmes/{programme.id}/questions/{theirs.id}",  # another programme's
        f"/manage/seoul/programmes/{foreign.id}/questions/{far.id}",  # another centre's
        f"/manage/seoul/programmes/{programme.id}/questions/{far.id}",
        f"/manage/seoul/programmes/{programme.id}/questions/999999",
    ]
    for base in cases:
        for method, suffix in (
            ("GET", "/edit"),
            ("POST", "/edit"),
            ("GET", "/delete"),
            ("POST", "/delete"),
            ("POST", "/move"),
        ):
            response = client.open(base + suffix, method=method, data=_form(direction="up"))
            assert response.status_code == 404, (method, base + suffix)
    assert client.get(f"/manage/seoul/programmes/{foreign.id}/questions").status_code == 404
    assert (
        client.post(
            f"/manage/seoul/programmes/{foreign.id}/questions/new", data=_form()
        ).status_code
        == 404
    )
    assert _actions(db) == before
    assert {q.label for q in db.session.scalars(select(ProgrammeQuestion))} == {
        mine.label,
        theirs.label,
        far.label,
    }


def test_hostile_labels_and_choices_are_stored_or_refused_and_always_escaped(
    client, sign_in, db, place
):
    sign_in(place["director"])
    programme = place["programme"]
    base = f"/manage/seoul/programmes/{programme.id}/questions"
    stored = 0
    for value in hostile_strings()[:45]:  # the form holds at most 50 questions
        count = questions.question_count(programme)
        response = client.post(
            f"{base}/new",
            data=_form(
                kind="multiple_choice", label=value, help_text=value, choices=f"{value}\nOther"
            ),
        )
        assert response.status_code in (200, 302), value
        if response.status_code == 200:
            assert field_errors(response), value
            assert questions.question_count(programme) == count
            html = _html(response)
        else:
            stored += 1
            question = db.session.scalar(
                select(ProgrammeQuestion).order_by(ProgrammeQuestion.id.desc())
            )
            assert question.label == one_line(value)
            assert question.choices[0] == value.strip()
            html = _html(client.get(f"{base}/{question.id}/edit"))
            assert client.get(f"{base}/{question.id}/delete").status_code == 200
        assert "<script>alert(1)" not in html and "<img src=x" not in html, value
    assert stored > 10
    listing = _html(client.get(base))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert "<script>alert(1)" not in listing and "<img src=x" not in listing
    assert "{{ 7*7 }}" in listing and ">49<" not in listing
    assert str(escape('"><img src=x onerror=alert(1)>')) in listing


def test_form_builder_posts_need_a_csrf_token(app, client, sign_in, db, place, monkeypatch):
    sign_in(place["director"])
    programme = place["programme"]
    first = _add(programme, place["director"], "Department")
    _add(programme, place["director"], "Role")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    base = f"/manage/seoul/programmes/{programme.id}/questions"
    assert client.post(f"{base}/{first.id}/move", data={"direction": "down"}).status_code == 400
    assert client.post(f"{base}/new", data=_form(label="Sneaky")).status_code == 400
    assert client.post(f"{base}/{first.id}/delete").status_code == 400
    assert _labels(programme) == ["Department", "Role"]

    page = _html(client.get(base))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        f"{base}/{first.id}/move", data={"direction": "down", "csrf_token": token}
    )
    assert response.status_code == 302
    assert _labels(programme) == ["Role", "Department"]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 3
