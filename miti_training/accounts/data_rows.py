"""The rows of a participant's personal-data download (privacy.personal_data), one function per
kind: what each holds, in JSON-ready values."""

from datetime import date, datetime

from miti_training.models import ProgrammeQuestion, Transcript


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _answers(answers: dict, questions: dict[str, ProgrammeQuestion]) -> list[dict]:
    """Answers with the wording of their question (null for a question removed since)."""
    rows = []
    for key, value in (answers or {}).items():
        question = questions.get(key)
        rows.append({"question": question.label if question else None, "answer": value})
    return rows


def registration_data(registration, user, questions, attendance, issued) -> dict:
    programme = registration.programme
    city = registration.member_city
    return {
        "id": registration.id,
        "programme": {
            "title": programme.text_in(user.preferred_language).title,
            "centre": programme.centre.name,
            "starts_on": iso(programme.starts_on),
            "ends_on": iso(programme.ends_on),
        },
        "status": str(registration.status),
        "waitlist_position": registration.waitlist_position,
        "created_at": iso(registration.created_at),
        "updated_at": iso(registration.updated_at),
        "decided_at": iso(registration.decided_at),
        "full_name": registration.full_name,
        "email": registration.email,
        "organisation": registration.organisation,
        "member_city": city.name if city else None,
        "country": registration.country,
        "job_title": registration.job_title,
        "motivation": registration.motivation,
        "accessibility_needs": registration.accessibility_needs,
        "dietary_needs": registration.dietary_needs,
        "answers": _answers(registration.answers, questions),
        "consent_data_at": iso(registration.consent_data_at),
        "consent_listing_at": iso(registration.consent_listing_at),
        "consent_photos_at": iso(registration.consent_photos_at),
        "attendance": [
            {
                "session": row.session.title,
                "starts_at": iso(row.session.starts_at),
                "status": str(row.status),
                "self_check_in": row.is_self_check_in,
                "recorded_at": iso(row.recorded_at),
            }
            for row in sorted(attendance, key=lambda row: row.session.starts_at)
        ],
        "certificates": [
            {
                "code": certificate.code,
                "printed_name": certificate.full_name,
                "attendance_percent": certificate.attendance_percent,
                "issued_at": iso(certificate.issued_at),
                "revoked_at": iso(certificate.revoked_at),
            }
            for certificate in issued
        ],
    }


def transcript_data(transcript: Transcript) -> dict:
    """A transcript as printed: its code, date and lines (what it listed), not the PDF."""
    return {
        "verification_code": transcript.code,
        "printed_name": transcript.full_name,
        "language": transcript.language,
        "issued_at": iso(transcript.issued_at),
        "lists": [
            {
                "programme": line.get("title"),
                "centre": line.get("centre"),
                "starts_on": line.get("starts_on"),
                "ends_on": line.get("ends_on"),
                "sessions_attended": line.get("present"),
                "sessions": line.get("total"),
                "attendance_percent": line.get("percent"),
                "certificate_code": line.get("certificate"),
            }
            for line in (transcript.snapshot or {}).get("entries", [])
        ],
    }
