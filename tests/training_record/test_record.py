"""An official's training record: the page across centres and years, the transcript PDF and
its public check, and the applicant's previous training beside the application."""

import re
from datetime import timedelta

import pytest
from markupsafe import escape

from miti_training.attendance.certificates import new_code
from miti_training.extensions import db as _db
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    ProgrammeStatus,
    RegistrationStatus,
    Transcript,
    utcnow,
)
from miti_training.training_record import transcripts
from miti_training.training_record.transcript_pdf import transcript_html
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
    register_official,
    today,
)
from tests.support.pages import assert_accessible_page, main_of, text_of
from tests.support.sql import statements_for
from tests.support.testdata import hostile_strings, officials


def attend(registration, present: int) -> None:
    """Present at the first `present` sessions, absent (excused) at the rest."""
    for n, session in enumerate(registration.programme.sessions):
        status = AttendanceStatus.PRESENT if n < present else AttendanceStatus.EXCUSED
        _db.session.add(Attendance(registration=registration, session=session, status=status))
    _db.session.flush()


def certify(registration, *, revoked=False) -> Certificate:
    certificate = Certificate(
        registration=registration,
        code=new_code(),
        full_name=registration.full_name,
        attendance_percent=100,
        revoked_at=utcnow() if revoked else None,
    )
    _db.session.add(certificate)
    _db.session.flush()
    return certificate


@pytest.fixture
def w(db):
    seoul = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    paris = make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")
    cairo = make_centre(slug="cairo", name="MITI Cairo", timezone="Africa/Cairo")
    two_years_ago = today() - timedelta(days=730)
    last_year = today() - timedelta(days=365)
    old = make_programme(
        seoul,
        title="Urban mobility course",
        sessions=3,
        starts_on=two_years_ago,
        status=ProgrammeStatus.COMPLETED,
    )
    module = make_programme(
        paris,
        title="Climate action online module",
        sessions=4,
        starts_on=last_year,
        status=ProgrammeStatus.COMPLETED,
    )
    declined = make_programme(cairo, title="Water management workshop", sessions=2)
    official = make_user(full_name="Ana Souza", preferred_language="en")
    first = make_registration(old, official)
    attend(first, 2)
    second = make_registration(module, official)
    attend(second, 3)
    certificate = certify(second)
    make_registration(declined, official, status=RegistrationStatus.DECLINED)
    return {
        "seoul": seoul,
        "official": official,
        "old": old,
        "module": module,
        "declined": declined,
        "certificate": certificate,
        "first": first,
    }


def test_the_record_lists_every_centre_and_year_with_attendance(client, login, w):
    login(w["official"])
    page = main_of(client.get("/my/record", headers={"Accept-Language": "en"}))
    titles = re.findall(r"<bdi lang=\"en\">([^<]+)</bdi>", page)
    # Newest programme first, every centre, the declined application too.
    assert titles == [
        "Water management workshop",
        "Climate action online module",
        "Urban mobility course",
    ]
    assert "MITI Paris" in page and "MITI Cairo" in page and "MITI Headquarters Seoul" in page
    assert "2 of 3 sessions (66%)" in page  # rounded down, as certificates say
    assert "3 of 4 sessions (75%)" in page
    assert "Declined" in page
    assert f"/my/registrations/{w['first'].id}" in page
    assert_accessible_page(text_of(client.get("/my/record")))


def test_the_record_page_costs_a_constant_number_of_statements(client, login, w):
    login(w["official"])
    few = statements_for(None, client, "/my/record")
    for n in range(3):
        programme = make_programme(w["seoul"], sessions=2, title=f"Extra {n}")
        attend(make_registration(programme, w["official"]), 1)
    assert statements_for(None, client, "/my/record") == few


def test_my_registrations_links_to_the_record(client, login, w):
    login(w["official"])
    assert 'href="/my/record"' in text_of(client.get("/my/registrations"))


def test_an_empty_record_says_so(client, login, db):
    login(make_user())
    page = main_of(client.get("/my/record"))
    assert "Your training record is empty" in page


# Transcripts ---------------------------------------------------------------------------------


def _issue(client):
    response = client.post("/my/record/transcripts")
    assert response.status_code == 302
    return _db.session.query(Transcript).order_by(Transcript.id.desc()).first()


@pytest.mark.parametrize(
    "row",
    [o for o in officials() if o["preferred_language"] in ("ar", "fa", "ko")][:3],
    ids=lambda r: r["preferred_language"],
)
def test_the_transcript_renders_in_the_officials_language_and_script(app, client, login, w, row):
    official = register_official(row, w["module"])
    attend(official, 4)
    certify(official)
    login(official.user)
    transcript = _issue(client)
    assert transcript.language == row["preferred_language"]
    html = transcript_html(transcript)
    direction = "rtl" if row["preferred_language"] in ("ar", "fa") else "ltr"
    assert f'dir="{direction}"' in html
    assert row["full_name"] in html
    response = client.get(f"/my/transcripts/{transcript.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "no-store" in response.headers["Cache-Control"]


def test_the_code_verifies_what_was_printed_and_a_wrong_code_is_404(client, login, w):
    login(w["official"])
    transcript = _issue(client)
    # Lists the programmes with a confirmed place, oldest first, not the declined application.
    assert [e.title for e in transcripts.entries(transcript)] == [
        "Urban mobility course",
        "Climate action online module",
    ]
    # Later changes do not alter what the transcript states.
    w["certificate"].revoked_at = utcnow()
    make_registration(make_programme(w["seoul"], title="Later course"), w["official"])
    client.post("/account/logout")
    page = client.get(f"/certificates/transcripts/{transcript.code.lower()}")
    assert page.status_code == 200
    main = main_of(page)
    assert "Ana Souza" in main
    assert "Climate action online module" in main and w["certificate"].code in main
    assert "Later course" not in main and "Water management" not in main
    assert "@" not in main  # no contact details
    assert "no-store" in page.headers["Cache-Control"]
    assert client.get("/certificates/transcripts/AAAA-BBBB-CCCC").status_code == 404
    # A confirmed place in a programme still to come is not printed as attended.
    later = transcripts.issue(w["official"])
    assert "Later course" not in [e.title for e in transcripts.entries(later)]
    assert client.get("/certificates/transcripts/not-a-code").status_code == 404


def test_another_users_transcript_cannot_be_downloaded(client, login, w):
    login(w["official"])
    transcript = _issue(client)
    login(make_user())
    assert client.get(f"/my/transcripts/{transcript.id}.pdf").status_code == 404
    assert client.get("/my/transcripts/99999999.pdf").status_code == 404


def test_issuing_a_transcript_needs_the_csrf_token(app, client, login, w, monkeypatch):
    login(w["official"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/my/record/transcripts").status_code == 400
    assert _db.session.query(Transcript).count() == 0
    page = text_of(client.get("/my/record"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/my/record/transcripts", data={"csrf_token": token}).status_code == 302
    assert _db.session.query(Transcript).count() == 1


def test_hostile_names_and_titles_stay_text(client, login, w):
    hostile = [s for s in hostile_strings() if "<" in s][:3]
    assert hostile
    for n, value in enumerate(hostile):
        programme = make_programme(
            w["seoul"],
            title=value[:200],
            slug=f"hostile-{n}",
            starts_on=today() - timedelta(days=9),
        )
        registration = make_registration(programme, w["official"])
        attend(registration, 1)
    w["official"].full_name = hostile[0][:200]
    login(w["official"])
    record = text_of(client.get("/my/record"))
    transcript = _issue(client)
    verified = text_of(client.get(f"/certificates/transcripts/{transcript.code}"))
    html = transcript_html(transcript)
    for page in (record, verified, html):
        for value in hostile:
            assert value[:200] not in page
            assert str(escape(value[:200])) in page


# Beside the application ----------------------------------------------------------------------


def test_staff_see_the_applicants_previous_training_in_every_centre(client, login, w):
    application = make_registration(
        make_programme(w["seoul"], title="Peer Review Process workshop"),
        w["official"],
        status=RegistrationStatus.APPLIED,
    )
    login(make_staff(w["seoul"], "coordinator"))
    page = main_of(client.get(f"/manage/seoul/registrations/{application.id}"))
    section = page[page.index("Previous MITI training") :]
    assert "Climate action online module" in section and "MITI Paris" in section
    assert "Urban mobility course" in section and "2 of 3 sessions (66%)" in section
    assert "Water management workshop" in section and "Declined" in section
    assert "Peer Review Process workshop" not in section.split("</section>")[0]


def test_a_first_timer_is_shown_as_such(client, login, w):
    newcomer = make_user()
    application = make_registration(
        make_programme(w["seoul"]), newcomer, status=RegistrationStatus.APPLIED
    )
    login(make_staff(w["seoul"], "coordinator"))
    page = main_of(client.get(f"/manage/seoul/registrations/{application.id}"))
    assert "this is their first MITI programme" in page


def test_deleting_the_account_deletes_its_transcripts(client, login, w):
    from miti_training.accounts.privacy import delete_account
    from tests.support.factories import PASSWORD

    login(w["official"])
    transcript = _issue(client)
    code = transcript.code
    delete_account(w["official"], PASSWORD)
    _db.session.commit()
    assert _db.session.query(Transcript).count() == 0
    assert client.get(f"/certificates/transcripts/{code}").status_code == 404
