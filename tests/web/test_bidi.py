"""Bidirectional controls: taken out of typed names, and names isolated wherever they are shown.

A right-to-left override (U+202E) in a name must not reverse what a page, a certificate or an
attendee list says after it.
"""

import csv
import io
from datetime import date, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from miti_training.attendance import certificates
from miti_training.attendance.certificate_pdf import render_pdf
from miti_training.extensions import db
from miti_training.forms.accounts import FinishSignupForm
from miti_training.models import Centre, RegistrationStatus, utcnow
from tests.support.factories import (
    make_admin,
    make_centre,
    make_member_city,
    make_programme,
    make_registration,
    make_staff,
    make_user,
    mark_present,
)
from tests.support.forms import centre_form

RLO = "\u202e"
TYPED = f"Amira {RLO}fdp.exe\u2066 Haddad\u2069"
STORED = "Amira fdp.exe Haddad"
LEGACY = f"Evil {RLO}ssalc retsam"


def test_signup_form_takes_the_controls_out_of_the_name(app):
    data = {"full_name": TYPED, "job_title": f"Planner{RLO}"}
    with app.test_request_context("/account/signup/token", method="POST", data=data):
        form = FinishSignupForm("amira@tunis.example")  # filters run as it reads the request
        assert form.full_name.data == STORED
        assert form.job_title.data == "Planner"


def test_profile_stores_the_name_without_the_controls(client, login, db):
    city = make_member_city(name="Tunis", country="Tunisia")
    user = make_user(member_city=city)
    login(user)
    response = client.post(
        "/account/profile",
        data={
            "full_name": TYPED,
            "member_city_id": city.id,
            "job_title": f"{RLO}Engineer",
            "preferred_language": "en",
            "timezone": "Africa/Tunis",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.refresh(user)
    assert (user.full_name, user.job_title) == (STORED, "Engineer")


def test_admin_centre_form_stores_names_without_the_controls(client, login, db):
    centre = make_centre(slug="tunis", name="Tunis centre")
    login(make_admin())
    form = centre_form(slug="tunis", name=f"Tunis {RLO}ertnec", city="Tunis\u202b")
    response = client.post(f"/admin/centres/{centre.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    saved = db.session.scalar(select(Centre).filter_by(slug="tunis"))
    assert (saved.name, saved.city) == ("Tunis ertnec", "Tunis")


def _legacy_registration():
    centre = make_centre(slug="paris-idf", name="Paris centre")
    coordinator = make_staff(centre, "coordinator")
    start = date.today() - timedelta(days=10)
    programme = make_programme(
        centre,
        title="Climate adaptation",
        starts_on=start,
        registration_opens_at=utcnow() - timedelta(days=40),
        registration_closes_at=utcnow() - timedelta(days=12),
    )
    user = make_user(full_name=LEGACY)
    registration = make_registration(programme, user, status=RegistrationStatus.CONFIRMED)
    mark_present(registration)
    db.session.commit()
    return centre, coordinator, programme, registration


def test_a_stored_name_with_an_override_is_isolated_on_the_page(client, login, db):
    centre, coordinator, _, registration = _legacy_registration()
    login(coordinator)
    page = client.get(f"/manage/{centre.slug}/registrations/{registration.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert RLO not in html
    assert "<bdi>Evil ssalc retsam</bdi>" in html
    assert "<title>\u2068Evil ssalc retsam\u2069" in html


def test_a_stored_name_with_an_override_is_isolated_in_the_certificate(app, db):
    centre, coordinator, programme, registration = _legacy_registration()
    certificate = certificates.issue(registration, actor=coordinator)
    db.session.commit()
    text = PdfReader(io.BytesIO(render_pdf(certificate, "en"))).pages[0].extract_text()
    assert RLO not in text
    assert "Evil ssalc retsam" in text
    assert "attended the programme" in text


def test_a_stored_name_with_an_override_is_isolated_in_the_exports(client, login, db):
    centre, coordinator, programme, _ = _legacy_registration()
    login(coordinator)
    base = f"/manage/{centre.slug}/programmes/{programme.id}/export"
    body = client.get(f"{base}.csv?status=confirmed").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[1][0] == "\u2068Evil ssalc retsam\u2069"
    assert RLO not in body
    sheet = load_workbook(io.BytesIO(client.get(f"{base}.xlsx?status=confirmed").get_data()))
    assert sheet.worksheets[0]["A2"].value == "\u2068Evil ssalc retsam\u2069"


def test_an_isolated_formula_is_still_neutralised(client, login, db):
    from miti_training import spreadsheets

    assert spreadsheets.cell_text("\u2068=HYPERLINK(1)\u2069") == "'\u2068=HYPERLINK(1)\u2069"
