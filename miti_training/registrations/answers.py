"""What a participant writes when registering: answers to the programme's questions, motivation
and needs, checked and cleaned here, with the length limits of every free text."""

from flask_babel import lazy_gettext as _l

from miti_training.errors import FieldError
from miti_training.models import Programme, ProgrammeQuestion, QuestionKind
from miti_training.registrations.policy import decided_by_staff

#: Text limits, checked here so no backend truncates or refuses a value.
MAX_MOTIVATION = 5_000
MAX_NEEDS = 2_000
MAX_REASON = 2_000
MAX_SHORT_ANSWER = 300
MAX_LONG_ANSWER = 5_000

_YES = {"yes", "y", "true", "1", "on"}
_NO = {"no", "n", "false", "0", "off"}


def normalise_newlines(text: str | None) -> str:
    """Every line break as "\\n" (browsers send "\\r\\n")."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def clean_text(value, field: str, max_length: int) -> str:
    """Trimmed text with "\\n" line breaks; FieldError on field when longer than max_length."""
    text = normalise_newlines(value).strip()
    if len(text) > max_length:
        raise FieldError(_l("Use at most %(max)d characters.", max=max_length), field=field)
    return text


def clean_reason(value) -> str:
    """The reason staff give with a decision."""
    return clean_text(value, "reason", MAX_REASON)


def answer_key(question: ProgrammeQuestion) -> str:
    """The key of a question's answer in forms and in Registration.answers ("q<id>")."""
    return f"q{question.id}"


def stored_answer(answers: dict, question: ProgrammeQuestion):
    """An answer as stored, whether keyed by question id or by form field name (None: none)."""
    for key in (str(question.id), answer_key(question)):
        if key in answers:
            return answers[key]
    return None


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def _yes_no(raw, key: str) -> str:
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    word = (raw or "").strip().lower() if isinstance(raw, str) else raw
    if word in (None, ""):
        return ""
    if word in _YES:
        return "yes"
    if word in _NO:
        return "no"
    raise FieldError(_l("Answer yes or no."), field=key)


def _clean_answer(question: ProgrammeQuestion, raw, key: str):
    """The answer as stored; an empty value ("", []) when the question is not answered."""
    kind = QuestionKind(question.kind)
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        if raw is not None and not isinstance(raw, str):
            raise FieldError(_l("Answer this question with text."), field=key)
        limit = MAX_SHORT_ANSWER if kind == QuestionKind.SHORT_TEXT else MAX_LONG_ANSWER
        value = clean_text(raw, key, limit)
        if kind == QuestionKind.SHORT_TEXT and "\n" in value:
            value = " ".join(value.split())
        return value
    if kind == QuestionKind.SINGLE_CHOICE:
        value = raw.strip() if isinstance(raw, str) else raw
        if value in (None, ""):
            return ""
        if value not in question.choices:
            raise FieldError(_l("Choose one of the options given."), field=key)
        return value
    if kind == QuestionKind.MULTIPLE_CHOICE:
        chosen = [v.strip() if isinstance(v, str) else v for v in _as_list(raw)]
        chosen = [v for v in chosen if v not in (None, "")]
        if any(v not in question.choices for v in chosen):
            raise FieldError(_l("Choose only among the options given."), field=key)
        return [choice for choice in question.choices if choice in chosen]
    return _yes_no(raw, key)


def validate_answers(programme: Programme, answers: dict) -> dict:
    """Check the answers to the programme's questions; return them cleaned, keyed "q<id>".

    Unknown keys are dropped; unanswered optional questions are left out. Raises FieldError
    (field = the question's key) for the first question, in form order, that is not right.
    """
    answers = answers or {}
    cleaned = {}
    for question in programme.questions:
        key = answer_key(question)
        value = _clean_answer(question, answers.get(key), key)
        if not value:
            if question.is_required:
                raise FieldError(_l("Answer this question: it is required."), field=key)
            continue
        cleaned[key] = value
    return cleaned


def cleaned_details(
    programme: Programme,
    *,
    answers: dict,
    motivation: str,
    accessibility_needs: str,
    dietary_needs: str,
) -> dict:
    """What the participant wrote, cleaned, by Registration attribute; FieldError per field.

    The review policy needs a motivation (the centre decides on it).
    """
    motivation = clean_text(motivation, "motivation", MAX_MOTIVATION)
    if decided_by_staff(programme) and not motivation:
        raise FieldError(
            _l("Tell the centre why you want to take part: applications are reviewed."),
            field="motivation",
        )
    return {
        "motivation": motivation,
        "accessibility_needs": clean_text(accessibility_needs, "accessibility_needs", MAX_NEEDS),
        "dietary_needs": clean_text(dietary_needs, "dietary_needs", MAX_NEEDS),
        "answers": validate_answers(programme, answers),
    }
