"""The director's form builder: a programme's custom questions and the rules that keep them sound.

Questions are numbered 1..n without gaps. Choice questions have at least two distinct choices.
Once participants have answered a question its kind is fixed, and its choices may change only
while every answer already given stays one of them. Deleting a question deletes its answers
(an id may be reused by the database, and an old answer must never appear under a new question).
Functions add and flush; the view commits.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import flag_modified

from miti_training import audit
from miti_training.errors import DomainError, FieldError, PermissionDenied
from miti_training.extensions import db
from miti_training.models import (
    MembershipRole,
    Programme,
    ProgrammeQuestion,
    ProgrammeStatus,
    QuestionKind,
    Registration,
)
from miti_training.network.roles import can_manage
from miti_training.registrations.answers import answer_key, normalise_newlines
from miti_training.text_translations import TranslatedField, apply_translations

MAX_LABEL = 300
MAX_HELP = 500
MAX_CHOICE = 200
MAX_CHOICES = 50
#: A programme's form stays short enough to fill in.
MAX_QUESTIONS = 50

CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
_FINAL_STATUSES = (ProgrammeStatus.CANCELLED, ProgrammeStatus.COMPLETED)


@dataclass(frozen=True)
class QuestionValues:
    """What the director types for a question; position and programme never come from here."""

    kind: QuestionKind | str
    label: str
    help_text: str = ""
    is_required: bool = False
    #: One choice per line (choice kinds only).
    choices_text: str = ""
    #: Language code -> label, help_text and choices (one per line) in that language.
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


#: A question's translated fields: the label is required, the choices one per original choice.
TRANSLATED_FIELDS = (
    TranslatedField("label", MAX_LABEL),
    TranslatedField("help_text", MAX_HELP),
    TranslatedField("choices", MAX_CHOICE, is_list=True),
)


def _ask_for_label(language):
    return _l(
        "Enter the question in %(language)s too, or empty all the fields of this translation to remove it.",
        language=language,
    )


def _apply_translations(question: ProgrammeQuestion, values: QuestionValues) -> list[str]:
    """Set the question's texts in other languages; return the languages changed."""
    typed = {
        code: {
            "label": texts.get("label", ""),
            "help_text": texts.get("help_text", ""),
            "choices": (
                parse_choices(texts.get("choices")) if question.kind in CHOICE_KINDS else []
            ),
        }
        for code, texts in values.translations.items()
    }
    return apply_translations(
        question,
        typed,
        TRANSLATED_FIELDS,
        required_message=_ask_for_label,
        item_count=len(question.choices or []),
    )


# Rules -----------------------------------------------------------------------------------


def form_is_final(programme: Programme) -> bool:
    """A cancelled or completed programme keeps its registration form as it is."""
    return programme.status in _FINAL_STATUSES


def _require_director(actor, programme: Programme) -> None:
    if actor is not None and not can_manage(actor, programme.centre, MembershipRole.DIRECTOR):
        raise PermissionDenied()
    if form_is_final(programme):
        raise DomainError(
            _l("The questions of a cancelled or completed programme can no longer be changed.")
        )


def _clean(value: str | None) -> str:
    return normalise_newlines(value).strip()


def parse_choices(text: str | None) -> list[str]:
    """Choices typed one per line: trimmed, empty lines dropped, order kept."""
    return [line.strip() for line in _clean(text).split("\n") if line.strip()]


def _check_choices(choices: list[str]) -> list[str]:
    if len(choices) < 2:
        raise FieldError(
            _l("Give at least two choices, one per line."),
            field="choices",
        )
    if len(choices) > MAX_CHOICES:
        raise FieldError(
            _l("Give at most %(max)d choices.", max=MAX_CHOICES),
            field="choices",
        )
    seen = set()
    for choice in choices:
        if len(choice) > MAX_CHOICE:
            raise FieldError(
                _l("Each choice may have at most %(max)d characters.", max=MAX_CHOICE),
                field="choices",
            )
        key = choice.casefold()
        if key in seen:
            raise FieldError(
                _l("Each choice must be different: “%(choice)s” is given twice.", choice=choice),
                field="choices",
            )
        seen.add(key)
    return choices


def _checked(values: QuestionValues) -> dict:
    """The values as they will be stored, or a FieldError naming the field to fix."""
    try:
        kind = QuestionKind(values.kind)
    except ValueError:
        raise FieldError(_l("Choose a kind of question from the list."), field="kind") from None
    label = _clean(values.label)
    if not label:
        raise FieldError(_l("Enter the question."), field="label")
    if len(label) > MAX_LABEL:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_LABEL), field="label")
    help_text = _clean(values.help_text)
    if len(help_text) > MAX_HELP:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_HELP), field="help_text")
    choices = _check_choices(parse_choices(values.choices_text)) if kind in CHOICE_KINDS else []
    return {
        "kind": kind,
        "label": label,
        "help_text": help_text,
        "is_required": bool(values.is_required),
        "choices": choices,
    }


# Answers ---------------------------------------------------------------------------------


def is_answered(value) -> bool:
    """Whether an answer holds something (an unticked optional question holds nothing)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | set | dict):
        return bool(value)
    return True


def _answers_of(programme_id: int) -> list[tuple[int, dict]]:
    """(registration id, answers) of every registration of the programme, any status."""
    rows = db.session.execute(
        select(Registration.id, Registration.answers).where(
            Registration.programme_id == programme_id
        )
    ).all()
    return [(rid, answers or {}) for rid, answers in rows]


def answer_counts(programme: Programme) -> dict[int, int]:
    """Question id -> number of registrations that answered it (one query)."""
    counts: dict[int, int] = {}
    keys = {answer_key(q): q.id for q in programme.questions}
    for _rid, answers in _answers_of(programme.id):
        for key, value in answers.items():
            if key in keys and is_answered(value):
                counts[keys[key]] = counts.get(keys[key], 0) + 1
    return counts


def _given_answers(question: ProgrammeQuestion) -> list:
    key = answer_key(question)
    return [
        answers[key]
        for _rid, answers in _answers_of(question.programme_id)
        if is_answered(answers.get(key))
    ]


def _choices_in_use(answers: list) -> set[str]:
    used = set()
    for value in answers:
        if isinstance(value, list | tuple):
            used.update(str(v) for v in value)
        else:
            used.add(str(value))
    return used


# Positions -------------------------------------------------------------------------------


def question_in_programme(programme: Programme, question_id: int) -> ProgrammeQuestion | None:
    """The question with this id if it is one of programme's."""
    return db.session.scalar(
        select(ProgrammeQuestion).where(
            ProgrammeQuestion.id == question_id, ProgrammeQuestion.programme_id == programme.id
        )
    )


def questions_in_order(programme_id: int) -> list[ProgrammeQuestion]:
    """The programme's questions as stored, in form order."""
    return list(
        db.session.scalars(
            select(ProgrammeQuestion)
            .where(ProgrammeQuestion.programme_id == programme_id)
            .order_by(ProgrammeQuestion.position, ProgrammeQuestion.id)
        )
    )


def _renumber(questions: list[ProgrammeQuestion]) -> None:
    """Positions 1..n in the given order."""
    for position, question in enumerate(questions, start=1):
        if question.position != position:
            question.position = position


def _label_for_audit(label: str) -> str:
    return label if len(label) <= 120 else label[:119] + "…"


# Actions ---------------------------------------------------------------------------------


def add_question(programme: Programme, values: QuestionValues, *, actor) -> ProgrammeQuestion:
    """A new question at the end of the programme's form."""
    _require_director(actor, programme)
    new = _checked(values)
    existing = questions_in_order(programme.id)
    if len(existing) >= MAX_QUESTIONS:
        raise DomainError(
            _l("A registration form can have at most %(max)d questions.", max=MAX_QUESTIONS)
        )
    _renumber(existing)
    question = ProgrammeQuestion(programme=programme, position=len(existing) + 1, **new)
    db.session.add(question)
    _apply_translations(question, values)
    db.session.flush()
    audit.record(
        "question.add",
        actor=actor,
        programme=programme,
        to_state=new["kind"],
        reason=_label_for_audit(new["label"]),
    )
    return question


def update_question(question: ProgrammeQuestion, values: QuestionValues, *, actor) -> list[str]:
    """Change a question; return the names of the fields that changed.

    With answers given, the kind cannot change, and choices may only change while every
    answer given stays one of them.
    """
    programme = question.programme
    _require_director(actor, programme)
    new = _checked(values)
    changed = [name for name, value in new.items() if getattr(question, name) != value]
    if "kind" in changed or "choices" in changed:
        given = _given_answers(question)
        if given and "kind" in changed:
            raise FieldError(
                _l(
                    "Participants have already answered this question, so its kind cannot change. Add a new question instead."
                ),
                field="kind",
            )
        if given and new["kind"] in CHOICE_KINDS:
            missing = sorted(_choices_in_use(given) - set(new["choices"]))
            if missing:
                raise FieldError(
                    _l(
                        "Participants have already chosen %(choices)s: keep these choices exactly as they are written.",
                        choices=", ".join(f"“{choice}”" for choice in missing),
                    ),
                    field="choices",
                )
    for name in changed:
        setattr(question, name, new[name])
    if "choices" in changed:
        flag_modified(question, "choices")
    changed += [f"translation:{code}" for code in _apply_translations(question, values)]
    if not changed:
        return []
    db.session.flush()
    audit.record(
        "question.update",
        actor=actor,
        programme=programme,
        from_state=str(question.position),
        to_state=str(question.position),
        reason=f"{_label_for_audit(question.label)}: {', '.join(changed)}",
    )
    return changed


def delete_question(question: ProgrammeQuestion, *, actor) -> int:
    """Delete a question and the answers given to it; return how many answers were deleted."""
    programme = question.programme
    _require_director(actor, programme)
    key = answer_key(question)
    deleted = 0
    for rid, answers in _answers_of(programme.id):
        if key in answers:
            deleted += int(is_answered(answers[key]))
            remaining = {k: v for k, v in answers.items() if k != key}
            db.session.execute(
                update(Registration).where(Registration.id == rid).values(answers=remaining),
                execution_options={"synchronize_session": False},
            )
    label = question.label
    programme.questions.remove(question)
    db.session.delete(question)
    db.session.flush()
    _renumber(questions_in_order(programme.id))
    db.session.flush()
    # Registrations already in the session must not keep the deleted answers.
    for obj in db.session.identity_map.values():
        if isinstance(obj, Registration) and obj.programme_id == programme.id:
            db.session.expire(obj, ["answers"])
    audit.record(
        "question.delete",
        actor=actor,
        programme=programme,
        reason=_label_for_audit(label),
    )
    return deleted


def move_question(question: ProgrammeQuestion, direction: str, *, actor) -> bool:
    """Move a question one place "up" or "down"; False when it is already at that end."""
    programme = question.programme
    _require_director(actor, programme)
    if direction not in ("up", "down"):
        raise DomainError(_l("A question can only be moved up or down."))
    ordered = questions_in_order(programme.id)
    index = ordered.index(question)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        _renumber(ordered)
        return False
    before = index + 1
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(ordered)
    db.session.flush()
    audit.record(
        "question.move",
        actor=actor,
        programme=programme,
        from_state=str(before),
        to_state=str(target + 1),
        reason=_label_for_audit(question.label),
    )
    return True


def question_count(programme: Programme) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(ProgrammeQuestion)
        .where(ProgrammeQuestion.programme_id == programme.id)
    )
