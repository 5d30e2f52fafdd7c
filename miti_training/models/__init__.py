"""All models, imported here so metadata and migrations see every table."""

from miti_training.models import touching  # noqa: F401  (registers the flush hook)
from miti_training.models.album import Album, Photo, PhotoFile, PhotoTranslation
from miti_training.models.centre import (
    Centre,
    CentreKind,
    CentreTranslation,
    MemberCity,
    MemberCityTranslation,
    Membership,
    MembershipRole,
    WorldRegion,
)
from miti_training.models.common import utcnow
from miti_training.models.export_preference import ExportPreference
from miti_training.models.message import (
    ReminderKind,
    ReminderSent,
    SentMessage,
    SentMessageRecipient,
)
from miti_training.models.news_post import NewsPost, NewsPostStatus, NewsPostTranslation
from miti_training.models.nomination import (
    CityAllocation,
    FocalPoint,
    Nomination,
    NominationStatus,
    RegionCap,
)
from miti_training.models.outbox import OutboxMessage
from miti_training.models.programme import (
    EnrolmentPolicy,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammePrerequisite,
    ProgrammeQuestion,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeText,
    ProgrammeTranslation,
    QuestionKind,
    QuestionTranslation,
    SessionTranslation,
    Theme,
)
from miti_training.models.registration import (
    ACTIVE_STATUSES,
    Attendance,
    AttendanceStatus,
    AuditEntry,
    Certificate,
    Registration,
    RegistrationStatus,
)
from miti_training.models.selection import RubricCriterion, Score, ScoreSheet
from miti_training.models.transcript import Transcript
from miti_training.models.translatable import NETWORK_LANGUAGE, Translatable, TranslatedText
from miti_training.models.user import User, normalise_email

__all__ = [
    "Album",
    "Photo",
    "PhotoFile",
    "PhotoTranslation",
    "normalise_email",
    "ACTIVE_STATUSES",
    "Attendance",
    "AttendanceStatus",
    "AuditEntry",
    "Centre",
    "CentreTranslation",
    "MemberCityTranslation",
    "NETWORK_LANGUAGE",
    "QuestionTranslation",
    "SessionTranslation",
    "Translatable",
    "TranslatedText",
    "Certificate",
    "CityAllocation",
    "FocalPoint",
    "NewsPost",
    "NewsPostStatus",
    "NewsPostTranslation",
    "Nomination",
    "NominationStatus",
    "ProgrammePrerequisite",
    "RegionCap",
    "RubricCriterion",
    "Score",
    "ScoreSheet",
    "CentreKind",
    "EnrolmentPolicy",
    "ExportPreference",
    "MemberCity",
    "Membership",
    "MembershipRole",
    "OutboxMessage",
    "Programme",
    "ProgrammeFormat",
    "ProgrammeKind",
    "ProgrammeQuestion",
    "ProgrammeSession",
    "ProgrammeStatus",
    "ProgrammeText",
    "ProgrammeTranslation",
    "QuestionKind",
    "Registration",
    "RegistrationStatus",
    "ReminderKind",
    "ReminderSent",
    "SentMessage",
    "SentMessageRecipient",
    "Theme",
    "Transcript",
    "User",
    "WorldRegion",
    "utcnow",
]
