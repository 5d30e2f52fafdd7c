"""All models, imported here so metadata and migrations see every table."""

from .centre import Centre, CentreKind, MemberCity, Membership, MembershipRole, WorldRegion
from .common import utcnow
from .programme import (
    EnrolmentPolicy,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeQuestion,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeText,
    ProgrammeTranslation,
    QuestionKind,
    Theme,
)
from .registration import (
    ACTIVE_STATUSES,
    Attendance,
    AttendanceStatus,
    AuditEntry,
    Certificate,
    Registration,
    RegistrationStatus,
)
from .user import User

__all__ = [
    "ACTIVE_STATUSES",
    "Attendance",
    "AttendanceStatus",
    "AuditEntry",
    "Centre",
    "Certificate",
    "CentreKind",
    "EnrolmentPolicy",
    "MemberCity",
    "Membership",
    "MembershipRole",
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
    "Theme",
    "User",
    "WorldRegion",
    "utcnow",
]
