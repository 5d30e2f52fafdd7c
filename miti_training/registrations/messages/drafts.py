"""What a coordinator writes: a message in its original language and versions in others.

The subject and body are sent as written, with the placeholders replaced per recipient. The
replacement is one pass of a plain substitution of those tokens, never str.format or a template
engine on user text: anything else between braces ({nmae}, {0.__class__}, {{ 7*7 }}) is sent
literally, and the preview lists such tokens so a typo is noticed before sending.

A draft is sent only after its preview: the preview page carries a digest of the draft and the
audience's size, signed with SECRET_KEY; a draft changed since (or an audience
that grew or shrank) no longer matches it, and must be previewed again.
"""

import enum
import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from miti_training.errors import DomainError, FieldError
from miti_training.formatting import LANGUAGES
from miti_training.models import RegistrationStatus
from miti_training.registrations.answers import normalise_newlines

MAX_SUBJECT = 200
MAX_BODY = 10_000
#: The tokens replaced per recipient, in the order the help text lists them.
PLACEHOLDERS = ("{name}", "{programme}", "{dates}", "{first_session}")

_PLACEHOLDER = re.compile(r"\{(name|programme|dates|first_session)\}")
#: What looks like a placeholder to a person: a word (or dotted path) between braces.
_BRACED = re.compile(r"\{[\w.\[\]]{1,60}\}")
LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85]")


class Audience(enum.StrEnum):
    """Who a message goes to: the registrations of one status."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    APPLIED = "applied"

    @property
    def status(self) -> RegistrationStatus:
        return RegistrationStatus(self.value)


class ReplyTo(enum.StrEnum):
    """Where participants' replies go."""

    CENTRE = "centre"
    SENDER = "sender"


@dataclass(frozen=True)
class Version:
    """The subject and body of a message in one language."""

    language: str
    subject: str
    body: str


@dataclass(frozen=True)
class Draft:
    """A message as written: the original and any versions in other interface languages."""

    audience: Audience
    reply_to: ReplyTo
    original: Version
    translations: tuple[Version, ...] = ()

    @property
    def versions(self) -> tuple[Version, ...]:
        return (self.original, *self.translations)

    @property
    def languages(self) -> list[str]:
        return [version.language for version in self.versions]

    def version_for(self, language: str) -> Version:
        """The version in language, else the original."""
        for version in self.translations:
            if version.language == language:
                return version
        return self.original


class StalePreview(DomainError):
    """The draft or its audience changed since the preview that was shown."""

    default_message = _l(
        "The message or its recipients changed since the preview. Check this new preview, "
        "then send."
    )


def check_subject(subject: str, field: str = "subject") -> None:
    """A subject is one non-empty line (a line break would let text into the mail headers)."""
    if LINE_BREAK.search(subject or ""):
        raise FieldError(_l("Write the subject on one line."), field)
    if not (subject or "").strip():
        raise FieldError(_l("Write a subject."), field)
    if len(subject) > MAX_SUBJECT:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_SUBJECT), field)


def check_body(body: str, field: str = "body") -> None:
    if not (body or "").strip():
        raise FieldError(_l("Write the message."), field)
    if len(body) > MAX_BODY:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_BODY), field)


def checked(draft: Draft) -> Draft:
    """draft with its bodies' line breaks normalised; FieldError for what cannot be sent."""
    seen = set()
    versions = []
    for index, version in enumerate(draft.versions):
        suffix = "" if index == 0 else f"_{version.language}"
        if version.language not in LANGUAGES or version.language in seen:
            raise FieldError(_l("Choose one of the languages of the list."), f"subject{suffix}")
        seen.add(version.language)
        body = normalise_newlines(version.body)
        check_subject(version.subject, f"subject{suffix}")
        check_body(body, f"body{suffix}")
        versions.append(Version(version.language, version.subject, body))
    return Draft(draft.audience, draft.reply_to, versions[0], tuple(versions[1:]))


def personalise(text: str, **values: str) -> str:
    """text with the placeholders replaced, in one pass (replaced values are not rescanned)."""
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def unknown_placeholders(*texts: str) -> tuple[str, ...]:
    """Brace tokens in texts that are not placeholders, each once, in order of appearance."""
    found = [token for text in texts for token in _BRACED.findall(text or "")]
    return tuple(dict.fromkeys(token for token in found if token not in PLACEHOLDERS))


def digest(draft: Draft, *, programme_id: int, count: int) -> str:
    """The signature of what the preview showed: the draft and its audience's size."""
    payload = json.dumps(
        [
            programme_id,
            draft.audience.value,
            draft.reply_to.value,
            [[v.language, v.subject, normalise_newlines(v.body)] for v in draft.versions],
            count,
        ],
        ensure_ascii=False,
    )
    key = hmac.new(
        str(current_app.config["SECRET_KEY"]).encode(), b"message-preview", hashlib.sha256
    ).digest()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def matches(signed: str | None, draft: Draft, **facts) -> bool:
    return bool(signed) and hmac.compare_digest(signed.encode(), digest(draft, **facts).encode())
