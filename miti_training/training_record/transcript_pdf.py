"""The printed transcript: an HTML page with a QR code to the public check, rendered to PDF
the way certificates are (attendance.certificate_pdf: installed fonts, data: URIs only)."""

from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import render_template
from flask_babel import force_locale

from miti_training.attendance import codes
from miti_training.attendance.certificate_pdf import only_data_urls
from miti_training.formatting import native_digits, programme_dates, text_direction
from miti_training.models import Transcript
from miti_training.training_record.transcripts import entries
from miti_training.urls import external_url

#: Issue dates are printed in UTC's calendar day: a transcript belongs to no centre.
ZONE = ZoneInfo("UTC")


def transcript_html(transcript: Transcript) -> str:
    """The transcript as an HTML page in its language (the PDF's source)."""
    language = transcript.language
    verify_url = external_url("certificates.verify_transcript", code=transcript.code)
    with force_locale(language):
        issued = transcript.issued_at.astimezone(ZONE)
        lines = entries(transcript)
        return render_template(
            "certificates/transcript_pdf.html",
            transcript=transcript,
            entries=lines,
            dates=[programme_dates(e.starts_on, e.ends_on) for e in lines],
            issued_on=native_digits(
                babel_dates.format_skeleton("yMMMMd", issued, locale=language), language
            ),
            lang=language,
            direction=text_direction(language),
            verify_url=verify_url,
            qr=codes.qr_data_uri(verify_url, scale=4, border=0, dark="#1a1a1a"),
        )


def render_pdf(transcript: Transcript) -> bytes:
    """The transcript as an A4 portrait PDF."""
    from weasyprint import HTML

    return HTML(string=transcript_html(transcript), url_fetcher=only_data_urls()).write_pdf()
