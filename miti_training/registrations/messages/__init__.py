"""Messages from a centre to the participants of one programme: the draft and its language
versions (drafts), previewing and sending (sending), what was sent (history)."""

from miti_training.errors import DomainError, FieldError
from miti_training.registrations.messages.drafts import (
    MAX_BODY,
    MAX_SUBJECT,
    PLACEHOLDERS,
    Audience,
    Draft,
    ReplyTo,
    StalePreview,
    Version,
    check_subject,
    digest,
    personalise,
    unknown_placeholders,
)
from miti_training.registrations.messages.history import sent_messages
from miti_training.registrations.messages.sending import (
    Personalised,
    Preview,
    audience_counts,
    preview,
    recipients,
    reply_address,
    send,
)

__all__ = [
    "MAX_BODY",
    "MAX_SUBJECT",
    "PLACEHOLDERS",
    "Audience",
    "DomainError",
    "Draft",
    "FieldError",
    "Personalised",
    "Preview",
    "ReplyTo",
    "StalePreview",
    "Version",
    "audience_counts",
    "check_subject",
    "digest",
    "personalise",
    "preview",
    "recipients",
    "reply_address",
    "send",
    "sent_messages",
    "unknown_placeholders",
]
