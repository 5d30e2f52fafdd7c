"""Transcripts: the official's record printed with a verification code.

A transcript lists the programmes that have begun in which the official had a confirmed place
(or holds a certificate of), with the
sessions attended and the certificate, in the official's language. What it lists is kept
with it, so the public check shows what was printed, never more (docs/security.md, item 25:
no contact details, no applications, no other statuses).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from miti_training.attendance.certificates import new_code, normalise_code
from miti_training.extensions import db
from miti_training.formatting import interface_language
from miti_training.models import Transcript, User, utcnow
from miti_training.training_record.history import RecordRow, record_of

#: How many of a person's transcripts their record page lists.
LISTED = 10


@dataclass(frozen=True)
class Entry:
    """One line of a transcript, as printed."""

    title: str
    title_language: str
    centre: str
    starts_on: date | None
    ends_on: date | None
    present: int
    total: int
    percent: int
    certificate: str | None


def _entry(row: RecordRow, language: str) -> dict:
    text = row.programme.text_in(language)
    programme = row.programme
    return {
        "title": text.title,
        "title_language": text.language,
        "centre": programme.centre.text_in(language).name,
        "starts_on": programme.starts_on.isoformat() if programme.starts_on else None,
        "ends_on": programme.ends_on.isoformat() if programme.ends_on else None,
        "present": row.present,
        "total": row.total,
        "percent": row.percent,
        "certificate": row.certificate.code if row.certificate else None,
    }


def entries(transcript: Transcript) -> list[Entry]:
    """The lines the transcript printed, read back from its snapshot."""

    def day(value) -> date | None:
        return date.fromisoformat(value) if value else None

    return [
        Entry(
            title=str(e.get("title", "")),
            title_language=str(e.get("title_language", "")),
            centre=str(e.get("centre", "")),
            starts_on=day(e.get("starts_on")),
            ends_on=day(e.get("ends_on")),
            present=int(e.get("present", 0)),
            total=int(e.get("total", 0)),
            percent=int(e.get("percent", 0)),
            certificate=e.get("certificate"),
        )
        for e in (transcript.snapshot or {}).get("entries", [])
    ]


def _unused_code() -> str:
    while True:
        code = new_code()
        if db.session.scalar(select(Transcript.id).where(Transcript.code == code)) is None:
            return code


def _listed(row: RecordRow, today: date) -> bool:
    """Attested, or a confirmed place in a programme that has begun: a programme still to
    come would print as attended at 0%."""
    begun = row.starts_on is not None and row.starts_on <= today
    return row.certificate is not None or (row.took_part and begun)


def issue(user: User, *, now: datetime | None = None) -> Transcript:
    """A new transcript of user's record as it is now, in their language (added, flushed)."""
    language = interface_language(user.preferred_language)
    today = (now or utcnow()).date()
    rows = [row for row in reversed(record_of(user)) if _listed(row, today)]
    transcript = Transcript(
        code=_unused_code(),
        user=user,
        full_name=user.full_name,
        language=language,
        snapshot={"entries": [_entry(row, language) for row in rows]},
    )
    if now is not None:
        transcript.issued_at = now
    db.session.add(transcript)
    db.session.flush()
    return transcript


def transcripts_of(user: User) -> list[Transcript]:
    """user's latest transcripts, newest first."""
    return list(
        db.session.scalars(
            select(Transcript)
            .where(Transcript.user_id == user.id)
            .order_by(Transcript.issued_at.desc(), Transcript.id.desc())
            .limit(LISTED)
        )
    )


def own_transcript(user: User, transcript_id: int) -> Transcript | None:
    """user's transcript of that id; another person's gives None."""
    return db.session.scalar(
        select(Transcript).where(Transcript.id == transcript_id, Transcript.user_id == user.id)
    )


def verify(code: str | None) -> Transcript | None:
    """The transcript with this code (typed in any form), or None."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    return db.session.scalar(select(Transcript).where(Transcript.code == normalised))


def pdf_filename(transcript: Transcript) -> str:
    return f"transcript-{transcript.code}.pdf"
