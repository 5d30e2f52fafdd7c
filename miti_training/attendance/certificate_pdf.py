"""The printed certificate: an HTML page with a QR code to the public check, rendered to PDF.

WeasyPrint renders it with installed fonts (Noto for every interface script) and a fetcher
that only loads data: URIs, such as the embedded QR code, so it never reaches the network.
"""

from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import render_template
from flask_babel import force_locale

from miti_training.attendance import codes
from miti_training.formatting import (
    interface_language,
    native_digits,
    programme_dates,
    text_direction,
)
from miti_training.models import Certificate
from miti_training.urls import external_url


def only_data_urls():
    """A fetcher that loads data: URIs only, so rendering never reaches the network or disk."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def certificate_html(certificate: Certificate, locale: str) -> str:
    """The certificate as an HTML page in locale (the PDF's source)."""
    language = interface_language(locale)
    registration = certificate.registration
    programme = registration.programme
    centre = programme.centre
    verify_url = external_url("certificates.verify", code=certificate.code)
    with force_locale(language):
        issued_local = certificate.issued_at.astimezone(ZoneInfo(centre.timezone))
        return render_template(
            "certificates/pdf.html",
            certificate=certificate,
            programme=programme,
            text=programme.text_in(language),
            centre=centre,
            dates=programme_dates(programme.starts_on, programme.ends_on),
            issued_on=native_digits(
                babel_dates.format_skeleton("yMMMMd", issued_local, locale=language), language
            ),
            sessions=len(programme.sessions),
            lang=language,
            direction=text_direction(language),
            verify_url=verify_url,
            qr=codes.qr_data_uri(verify_url, scale=4, border=0, dark="#1a1a1a"),
        )


def render_pdf(certificate: Certificate, locale: str) -> bytes:
    """The certificate as an A4 landscape PDF in locale's language."""
    from weasyprint import HTML

    html = certificate_html(certificate, locale)
    return HTML(string=html, url_fetcher=only_data_urls()).write_pdf()


def pdf_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"
