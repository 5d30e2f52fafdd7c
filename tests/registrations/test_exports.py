"""Attendee list exports over real HTTP: CSV and XLSX content, encodings, formula neutralisation,
status filter, attendance columns, who may export, statements per export and the rate limit."""

import csv
import html
import io
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

import config
from miti_training import spreadsheets
from miti_training.extensions import limiter
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    AuditEntry,
    ProgrammeQuestion,
    QuestionKind,
    RegistrationStatus,
)
from miti_training.registrations import export_files, exports
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
from tests.support.pages import assert_accessible_page, flashes, text_of, translated
from tests.support.sql import count_rows, recorded_request
from tests.support.testdata import hostile_strings, officials

S = RegistrationStatus
BOM = b"\xef\xbb\xbf"
FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(1)", "\tx", "\rx"]
FIXED_COLUMNS = 11  # name ... registered at, motivation, accessibility and dietary needs


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with unused export budgets."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def seoul(db):
    """A Seoul programme with 2 sessions and 3 questions, its staff, and a Paris centre."""
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    programme = make_programme(
        centre, sessions=2, slug="peer-review-workshop", title="Peer Review Process", capacity=60
    )
    questions = [
        ProgrammeQuestion(
            programme=programme, position=1, kind=QuestionKind.SHORT_TEXT, label="Department"
        ),
        ProgrammeQuestion(
            programme=programme,
            position=2,
            kind=QuestionKind.MULTIPLE_CHOICE,
            label="Topics",
            choices=["Water", "Transport", "Housing"],
        ),
        ProgrammeQuestion(
            programme=programme, position=3, kind=QuestionKind.YES_NO, label="Site visit?"
        ),
    ]
    db.session.add_all(questions)
    paris = make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")
    db.session.flush()
    return {
        "centre": centre,
        "programme": programme,
        "questions": questions,
        "coordinator": make_staff(centre, "coordinator"),
        "director": make_staff(centre, "director"),
        "paris": paris,
        "paris_programme": make_programme(paris, slug="paris-forum", title="Paris forum"),
        "paris_coordinator": make_staff(paris, "coordinator"),
    }


def register(programme, status=S.CONFIRMED, *, name="Mona El-Sayed", answers=None, **kw):
    """A registration whose profile snapshot is given here (name, organisation, ...)."""
    city = kw.pop("city", None) or make_member_city()
    extra = {"email": kw.pop("email")} if "email" in kw else {}
    user = make_user(full_name=name, member_city=city, **extra)
    return make_registration(
        programme,
        user,
        status=status,
        answers=answers or {},
        job_title=kw.pop("job_title", "Urban planner"),
        **kw,
    )


def q(question) -> str:
    return f"q{question.id}"


def _url(seoul, fmt="csv", **args) -> str:
    programme = seoul["programme"]
    path = f"/manage/seoul/programmes/{programme.id}/export"
    path += f".{fmt}" if fmt else ""
    if args:
        path += "?" + "&".join(f"{k}={v}" for k, v in args.items())
    return path


def _shown(cell):
    """A cell as a person reads it: participant text comes isolated (U+2068 ... U+2069)."""
    if isinstance(cell, str) and cell.endswith("\u2069"):
        for start in ("\u2068", "'\u2068"):  # neutralised formulas keep their apostrophe first
            if cell.startswith(start):
                return start[:-1] + cell[len(start) : -1]
    return cell


def _csv_rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(BOM)
    rows = csv.reader(io.StringIO(body[len(BOM) :].decode("utf-8"), newline=""))
    return [[_shown(cell) for cell in row] for row in rows]


def _sheet(response):
    workbook = load_workbook(io.BytesIO(response.get_data()))
    return workbook.worksheets[0]


def _sheet_rows(sheet) -> list[list[str]]:
    """The rows as the CSV writes them: date cells as ISO 8601 text (their own tests check
    that they are date cells)."""
    return [
        [
            ""
            if v is None
            else _shown(spreadsheets.moment_text(v) if isinstance(v, datetime) else v)
            for v in row
        ]
        for row in sheet.iter_rows(values_only=True)
    ]


def _by_name(rows) -> dict[str, list[str]]:
    return {row[0]: row for row in rows[1:]}


# The files ---------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_crlf_and_every_column(client, login, db, seoul):
    programme = seoul["programme"]
    department, topics, visit = seoul["questions"]
    cairo = make_member_city(name="Cairo", country="Egypt")
    mona = register(
        programme,
        name="منى السيد",
        city=cairo,
        organisation="Cairo Governorate",
        country="Egypt",
        job_title="مهندسة تخطيط عمراني",
        answers={q(department): "Planning", q(topics): ["Water", "Housing"], q(visit): "yes"},
        motivation="أعمل على تخطيط النقل في القاهرة.",
        accessibility_needs="Step-free access",
        dietary_needs="Halal",
        created_at=datetime(2026, 11, 27, 0, 30, tzinfo=UTC),
        consent_listing_at=datetime(2026, 11, 27, 0, 31, tzinfo=UTC),
        consent_photos_at=datetime(2026, 11, 27, 15, 5, tzinfo=UTC),
    )
    mona.consent_data_at = datetime(2026, 11, 27, 0, 30, tzinfo=UTC)
    register(programme, name="김지은", answers={q(visit): "no"})
    register(programme, S.WAITLISTED, name="Chloé Lefèvre", waitlist_position=1)
    login(seoul["coordinator"])

    response = client.get(_url(seoul))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response.headers["Cache-Control"]
    today = datetime.now(UTC).astimezone(_seoul_zone()).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="peer-review-workshop-confirmed-{today}.csv"'
    )
    body = response.get_data()
    assert body.startswith(BOM)
    assert body.count(b"\r\n") == 3 and b"\n" not in body.replace(b"\r\n", b"")
    rows = _csv_rows(response)
    assert rows[0] == [
        "Name",
        "Email address",
        "Organisation",
        "Member city",
        "Country",
        "Job title",
        "Status",
        "Registered at (Seoul)",
        "Motivation",
        "Accessibility needs",
        "Dietary needs",
        "Department",
        "Topics",
        "Site visit?",
        "Consent to data processing (Seoul)",
        "Consent to the participant list (Seoul)",
        "Consent to photos being published (Seoul)",
    ]
    by_name = _by_name(rows)
    assert set(by_name) == {"منى السيد", "김지은"}  # the waitlisted one is not confirmed
    assert by_name["منى السيد"] == [
        "منى السيد",
        mona.email,
        "Cairo Governorate",
        "Cairo",
        "Egypt",
        "مهندسة تخطيط عمراني",
        "Confirmed",
        "2026-11-27 09:30",
        "أعمل على تخطيط النقل في القاهرة.",
        "Step-free access",
        "Halal",
        "Planning",
        "Water; Housing",
        "Yes",
        "2026-11-27 09:30",
        "2026-11-27 09:31",
        "2026-11-28 00:05",  # the next day in Seoul
    ]
    assert by_name["김지은"][8:] == ["", "", "", "", "", "No", by_name["김지은"][14], "No", "No"]


def _seoul_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Seoul")


def test_xlsx_has_a_bold_frozen_filtered_header_and_the_same_rows(client, login, db, seoul):
    programme = seoul["programme"]
    for official in officials():
        register(programme, name=official["full_name"], job_title=official["job_title"])
    login(seoul["coordinator"])

    csv_rows = _csv_rows(client.get(_url(seoul)))
    response = client.get(_url(seoul, "xlsx"))

    assert response.status_code == 200
    assert response.mimetype == spreadsheets.XLSX_MEDIA_TYPE
    assert "no-store" in response.headers["Cache-Control"]
    assert re.fullmatch(
        r'attachment; filename="?peer-review-workshop-confirmed-\d{4}-\d\d-\d\d\.xlsx"?',
        response.headers["Content-Disposition"],
    )
    sheet = _sheet(response)
    rows = _sheet_rows(sheet)
    assert rows == csv_rows
    assert len(rows) == len(officials()) + 1
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])
    assert sheet.auto_filter.ref == f"A1:Q{len(rows)}"
    assert sheet.column_dimensions["A"].width >= 20
    assert sheet.column_dimensions["B"].width >= 20
    names = {row[0] for row in rows[1:]}
    for name in ("منى السيد", "زهرا احمدی", "김지은", "王芳", "Björn Müller-Lüdenscheidt"):
        assert name in names
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    texts = [cell for cell in cells if not cell.is_date]
    assert texts and all(cell.data_type == "s" for cell in texts)


def test_header_and_words_are_in_the_users_language(app, client, login, db, seoul):
    programme = seoul["programme"]
    register(programme, name="Karim Haddad")
    coordinator = seoul["coordinator"]
    coordinator.preferred_language = "fr"
    login(coordinator)

    rows = _csv_rows(client.get(_url(seoul)))
    header = _sheet_rows(_sheet(client.get(_url(seoul, "xlsx"))))[0]

    with app.app_context():
        assert rows[0][0] == translated("Name", "fr") == "Nom"
        assert rows[0][1] == translated("Email address", "fr")
        assert rows[1][6] == translated("Confirmed", "fr")
    assert header == rows[0]


# Formulas and characters spreadsheets cannot hold -------------------------------------------


def test_formula_cells_are_neutralised_in_csv_and_xlsx(client, login, db, seoul):
    programme = seoul["programme"]
    department, topics, visit = seoul["questions"]
    topics.choices = ["=1+1", "-Transport", "Housing"]
    department.label = "=cmd|' /C calc'!A0"
    for n, formula in enumerate(FORMULAS):
        register(
            programme,
            name=formula,
            organisation=formula,
            job_title=formula,
            country=formula,
            email=f"formula{n}@attack.example",
            answers={q(department): formula, q(topics): ["=1+1", "-Transport"]},
        )
    login(seoul["coordinator"])

    csv_rows = _csv_rows(client.get(_url(seoul)))
    sheet = _sheet(client.get(_url(seoul, "xlsx")))
    xlsx_rows = _sheet_rows(sheet)

    for rows in (csv_rows, xlsx_rows):
        expected = {"'" + f for f in FORMULAS}
        assert rows[0][11] == "'=cmd|' /C calc'!A0"
        by_name = _by_name(rows)
        assert set(by_name) == expected
        for formula in expected:
            row = by_name[formula]
            # name, organisation, country, job title, the text answer
            for index in (0, 2, 4, 5, 11):
                assert row[index] == formula, (index, row)
            assert row[12] == "'=1+1; -Transport"
    assert all(
        cell.data_type == "s"
        for row in sheet.iter_rows()
        for cell in row
        if cell.value and not cell.is_date
    )


def test_characters_xml_cannot_hold_are_removed_not_a_500(client, login, db, seoul):
    programme = seoul["programme"]
    department = seoul["questions"][0]
    register(
        programme,
        name="Bell\x07 Backspace\x08 Esc\x1b Tab\tOk",  # PostgreSQL text holds no NUL
        organisation="\x01=1+1",
        answers={q(department): "line one\nline two\x0b"},
    )
    login(seoul["coordinator"])

    for fmt, rows in (
        ("csv", _csv_rows(client.get(_url(seoul)))),
        ("xlsx", _sheet_rows(_sheet(client.get(_url(seoul, "xlsx"))))),
    ):
        row = rows[1]
        assert row[0] == "Bell Backspace Esc Tab\tOk", fmt
        assert row[2] == "'=1+1", fmt  # the control character went, the formula is still neutral
        assert row[11] == "line one\nline two", fmt


def test_hostile_strings_never_fail_either_format(client, login, db, seoul):
    programme = seoul["programme"]
    department = seoul["questions"][0]
    department.label = hostile_strings()[0]
    for n, text in enumerate(hostile_strings()):
        register(
            programme,
            name=text[:200],
            organisation=text[:200],
            email=f"hostile{n}@attack.example",
            answers={q(department): text},
            consent_photos_at=datetime(2026, 11, 27, 0, 30, tzinfo=UTC) if n % 2 else None,
        )
    login(seoul["director"])

    csv_response = client.get(_url(seoul, status="all"))
    xlsx_response = client.get(_url(seoul, "xlsx", status="all"))

    assert csv_response.status_code == xlsx_response.status_code == 200
    assert len(_csv_rows(csv_response)) == len(hostile_strings()) + 1
    for rows in (_csv_rows(csv_response), _sheet_rows(_sheet(xlsx_response))):
        for row in rows:
            for value in row:
                assert not value.startswith(spreadsheets.FORMULA_STARTS), value
        photos = rows[0].index("Consent to photos being published (Seoul)")
        assert {row[photos] for row in rows[1:]} == {"2026-11-27 09:30", "No"}


def test_consent_words_are_safe_cells_too(db, seoul):
    """Translated words fill the consent cells: one that looks like a formula stays text."""
    programme = seoul["programme"]
    register(programme, name="Without consents", consent_photos_at=None)
    wording = replace(_english_wording(), no="=NO()")
    plan = exports.plan_export(programme, "confirmed", "Asia/Seoul")

    header = export_files.header_row(plan, wording)
    [[row]] = list(export_files.row_batches(plan, wording))

    photos = header.index("Photo consent")
    assert header[photos - 2 : photos + 1] == ["Data consent", "Listing consent", "Photo consent"]
    assert row[photos - 1] == row[photos] == "'=NO()"


def test_cell_text_rules():
    assert spreadsheets.cell_text("=SUM(A1)") == "'=SUM(A1)"
    assert spreadsheets.cell_text("\x00=SUM(A1)") == "'=SUM(A1)"
    assert spreadsheets.cell_text("\x00plain") == "plain"
    assert spreadsheets.cell_text("Lucía") == "Lucía"
    assert spreadsheets.cell_text("a'b") == "a'b"
    assert spreadsheets.cell_text(None) == ""
    assert spreadsheets.cell_text("x" * 40_000) == "x" * spreadsheets.MAX_CELL
    assert spreadsheets.neutralise("\x00x") == "'\x00x"


# Which registrations, and their attendance -------------------------------------------------


def test_status_filter_one_status_or_all(client, login, db, seoul):
    programme = seoul["programme"]
    for status in (S.CONFIRMED, S.CONFIRMED, S.APPLIED, S.WAITLISTED, S.DECLINED, S.WITHDRAWN):
        register(programme, status, name=f"{status.value} {make_user().id}")
    login(seoul["coordinator"])

    def names(status=None, fmt="csv"):
        url = _url(seoul, fmt, **({"status": status} if status else {}))
        response = client.get(url)
        assert response.status_code == 200
        rows = _csv_rows(response) if fmt == "csv" else _sheet_rows(_sheet(response))
        return sorted(row[0].split()[0] for row in rows[1:])

    assert names() == ["confirmed", "confirmed"]
    assert names("confirmed", "xlsx") == ["confirmed", "confirmed"]
    assert names("waitlisted") == ["waitlisted"]
    assert names("declined", "xlsx") == ["declined"]
    assert names("cancelled") == []
    assert names("all") == sorted(
        ["confirmed", "confirmed", "applied", "waitlisted", "declined", "withdrawn"]
    )
    response = client.get(_url(seoul, status="all"))
    assert "-all-" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", None])
@pytest.mark.parametrize("status", ["bogus", "active", "CONFIRMED", "%00", "<script>"])
def test_unknown_status_is_refused_with_a_message(client, login, db, seoul, fmt, status):
    register(seoul["programme"])
    login(seoul["coordinator"])
    response = client.get(_url(seoul, fmt, status=status))
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert ("error", "Choose which registrations to export from the list.") in flashes(response)
    assert "<script>" not in response.get_data(as_text=True)


def test_attendance_columns_appear_once_attendance_is_recorded(client, login, db, seoul):
    programme = seoul["programme"]
    day1, day2 = programme.sessions
    present = register(programme, name="Reza Karimi")
    excused = register(programme, name="Aminata Diallo")
    unmarked = register(programme, name="Park Min-jun")
    login(seoul["coordinator"])

    assert len(_csv_rows(client.get(_url(seoul)))[0]) == 17

    db.session.add_all(
        [
            Attendance(registration=present, session=day1, status=AttendanceStatus.PRESENT),
            Attendance(registration=present, session=day2, status=AttendanceStatus.ABSENT),
            Attendance(registration=excused, session=day1, status=AttendanceStatus.EXCUSED),
        ]
    )
    csv_rows = _csv_rows(client.get(_url(seoul)))
    xlsx_rows = _sheet_rows(_sheet(client.get(_url(seoul, "xlsx"))))

    assert csv_rows == xlsx_rows
    header = csv_rows[0]
    assert len(header) == 19
    assert header[17].startswith("Day 1 (") and header[18].startswith("Day 2 (")
    # Sessions start at 01:00 UTC: 10:00 in Seoul.
    assert header[17].endswith(" 10:00)")
    by_name = _by_name(csv_rows)
    assert by_name["Reza Karimi"][17:] == ["Present", "Absent"]
    assert by_name["Aminata Diallo"][17:] == ["Excused", ""]
    assert by_name[unmarked.full_name][17:] == ["", ""]


def test_batches_cover_every_registration_once_in_id_order(app, db, seoul):
    programme = seoul["programme"]
    day1 = programme.sessions[0]
    made = [register(programme, name=f"Official {n:02d}") for n in range(11)]
    register(programme, S.DECLINED, name="Declined one")
    for registration in made[::2]:
        db.session.add(
            Attendance(registration=registration, session=day1, status=AttendanceStatus.PRESENT)
        )
    db.session.flush()
    wording = _english_wording()
    plan = exports.plan_export(programme, "confirmed", "Asia/Seoul")

    chunks = list(export_files.csv_chunks(plan, wording, batch_size=3))
    batches = list(export_files.row_batches(plan, wording, batch_size=3))

    assert len(chunks) == 1 + 4  # the header, then 3 + 3 + 3 + 2 rows
    assert [len(batch) for batch in batches] == [3, 3, 3, 2]
    rows = [row for batch in batches for row in batch]
    assert [row[0] for row in rows] == [f"\u2068Official {n:02d}\u2069" for n in range(11)]
    assert [row[17] for row in rows] == ["Present" if n % 2 == 0 else "" for n in range(11)]
    target = io.BytesIO()
    assert export_files.write_xlsx(plan, wording, target, batch_size=4) == 11
    sheet = load_workbook(target).worksheets[0]
    assert [_shown(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        f"Official {n:02d}" for n in range(11)
    ]


def _english_wording() -> exports.ExportWording:
    return exports.ExportWording(
        name="Name",
        email="Email",
        organisation="Organisation",
        member_city="Member city",
        country="Country",
        job_title="Job title",
        status="Status",
        registered_at="Registered at",
        motivation="Motivation",
        accessibility_needs="Accessibility needs",
        dietary_needs="Dietary needs",
        consent_data="Data consent",
        consent_listing="Listing consent",
        consent_photos="Photo consent",
        yes="Yes",
        no="No",
        statuses={"confirmed": "Confirmed"},
        attendance={"present": "Present", "absent": "Absent", "excused": "Excused"},
    )


# The export page ---------------------------------------------------------------------------


def test_export_page_offers_statuses_with_counts_and_both_formats(client, login, db, seoul):
    programme = seoul["programme"]
    for _n in range(3):
        register(programme)
    register(programme, S.WAITLISTED, waitlist_position=1)
    login(seoul["coordinator"])

    response = client.get(_url(seoul, None))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_accessible_page(html)
    assert "Confirmed (3)" in html and "Waiting list (1)" in html and "All (4)" in html
    assert f'action="/manage/seoul/programmes/{programme.id}/export.csv"' in html
    assert f'formaction="/manage/seoul/programmes/{programme.id}/export.xlsx"' in html
    assert '<option selected value="confirmed">' in html
    assert "Attendance columns appear once attendance is recorded." in html
    chosen = client.get(_url(seoul, None, status="waitlisted")).get_data(as_text=True)
    assert '<option selected value="waitlisted">' in chosen


def test_export_page_without_registrations_says_so(client, login, db, seoul):
    login(seoul["coordinator"])
    response = client.get(_url(seoul, None))
    assert response.status_code == 200
    assert "nothing to export" in response.get_data(as_text=True)


# Who may export ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", None])
def test_other_centres_staff_get_403_or_404(client, login, db, seoul, fmt):
    register(seoul["programme"], name="Secret Official")
    login(seoul["paris_coordinator"])
    programme_id = seoul["programme"].id
    suffix = f".{fmt}" if fmt else ""

    own_slug = client.get(f"/manage/paris/programmes/{programme_id}/export{suffix}")
    their_slug = client.get(f"/manage/seoul/programmes/{programme_id}/export{suffix}")

    assert own_slug.status_code == 404
    assert their_slug.status_code == 403
    for response in (own_slug, their_slug):
        assert b"Secret Official" not in response.get_data()
    # The Paris coordinator exports their own programme.
    paris_id = seoul["paris_programme"].id
    assert client.get(f"/manage/paris/programmes/{paris_id}/export{suffix}").status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx", None])
def test_participants_and_anonymous_visitors_are_refused(client, login, db, seoul, fmt):
    registration = register(
        seoul["programme"], name="Secret Official", email="secret.official@city.example"
    )
    url = _url(seoul, fmt)

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.location.startswith("/account/login")

    for participant in (make_user(), registration.user):
        login(participant)
        refused = client.get(url)
        assert refused.status_code == 403
        assert b"secret.official@" not in refused.get_data()
        client.post("/account/logout")


@pytest.mark.parametrize("who", ["director", "admin"])
def test_directors_and_admins_export_too(client, login, db, seoul, who):
    register(seoul["programme"], name="Lucía Hernández Ortega")
    login(seoul["director"] if who == "director" else make_admin())
    assert _by_name(_csv_rows(client.get(_url(seoul)))).keys() == {"Lucía Hernández Ortega"}


# Downloads are audited ---------------------------------------------------------------------


def _downloads(db) -> list[tuple]:
    db.session.expire_all()
    return [
        (e.actor_id, e.centre_id, e.programme_id, e.to_state, e.reason)
        for e in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "programme.export")
            .order_by(AuditEntry.id)
        )
    ]


def test_every_download_is_audited_and_listed_on_the_export_page(client, login, db, seoul):
    programme, centre = seoul["programme"], seoul["centre"]
    coordinator, director = seoul["coordinator"], seoul["director"]
    coordinator.full_name = "Ji-woo Park"
    director.full_name = "مريم الفارسی"
    register(programme)
    login(seoul["coordinator"])
    page = client.get(_url(seoul, None)).get_data(as_text=True)
    assert "Nobody has downloaded this list yet." in page

    assert client.get(_url(seoul)).status_code == 200
    assert client.get(_url(seoul, "xlsx", status="all")).status_code == 200
    client.post("/account/logout")
    login(director)
    assert client.get(_url(seoul, "xlsx", status="waitlisted")).status_code == 200

    assert _downloads(db) == [
        (coordinator.id, centre.id, programme.id, "confirmed", "CSV"),
        (coordinator.id, centre.id, programme.id, "all", "XLSX"),
        (director.id, centre.id, programme.id, "waitlisted", "XLSX"),
    ]
    response = client.get(_url(seoul, None))
    assert_accessible_page(response.get_data(as_text=True))
    section = text_of(response).split('id="downloads-heading"', 1)[1].split("</section>", 1)[0]
    listed = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", section, re.S)
    ]
    assert len(listed) == 3
    assert "XLSX of the “Waiting list” registrations — مريم الفارسی" in listed[0]
    assert "XLSX of the “All” registrations — Ji-woo Park" in listed[1]
    assert "CSV of the “Confirmed” registrations — Ji-woo Park" in listed[2]
    # Downloads change nothing: the programme's history of changes leaves them out.
    history = client.get(f"/manage/seoul/programmes/{programme.id}").get_data(as_text=True)
    assert "XLSX" not in history and "programme.export" not in history


def test_refused_and_rate_limited_downloads_are_not_audited(
    app, client, login, db, seoul, monkeypatch
):
    monkeypatch.setitem(app.config, "EXPORT_RATE_LIMIT", "3 per minute")  # refusals count too
    register(seoul["programme"])
    login(seoul["coordinator"])
    before = count_rows(AuditEntry)
    assert client.get(_url(seoul, status="bogus")).status_code == 400
    assert client.get(_url(seoul, "xlsx", status="<script>")).status_code == 400
    assert _downloads(db) == []
    assert client.get(_url(seoul)).status_code == 200
    assert client.get(_url(seoul, "xlsx")).status_code == 429
    assert len(_downloads(db)) == 1
    assert count_rows(AuditEntry) == before + 1
    client.post("/account/logout")
    login(seoul["paris_coordinator"])
    assert client.get(_url(seoul)).status_code == 403
    assert len(_downloads(db)) == 1


# Statements and limits ---------------------------------------------------------------------


def _statements_for(app, client, url) -> tuple[int, bytes]:
    # buffered: the streamed body (and its statements) is read inside the count
    response, statements = recorded_request(app, client, url, buffered=True)
    assert response.status_code == 200
    return len(statements), response.get_data()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_statements_do_not_grow_with_registrations(app, client, login, db, seoul, fmt):
    few_programme = seoul["programme"]
    many_programme = make_programme(seoul["centre"], sessions=2, capacity=100)
    for programme, count in ((few_programme, 5), (many_programme, 50)):
        question = ProgrammeQuestion(
            programme=programme, position=9, kind=QuestionKind.SHORT_TEXT, label="City policy"
        )
        db.session.add(question)
        db.session.flush()
        for n in range(count):
            registration = register(programme, name=f"Official {n}", answers={q(question): "x"})
            mark_present(registration)
    login(seoul["coordinator"])
    db.session.commit()

    few, few_body = _statements_for(app, client, _url(seoul, fmt))
    many, many_body = _statements_for(
        app, client, f"/manage/seoul/programmes/{many_programme.id}/export.{fmt}"
    )

    assert few == many, (few, many)
    # 4 of them write the download's audit entry in a transaction of its own, 1 reads the
    # user's remembered columns
    assert many <= 17
    assert len(many_body) > len(few_body)


def test_exports_are_rate_limited_per_user(app, client, login, db, seoul, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_RATE_LIMIT", "3 per minute")
    register(seoul["programme"])
    login(seoul["coordinator"])

    assert client.get(_url(seoul)).status_code == 200
    assert client.get(_url(seoul, "xlsx")).status_code == 200
    assert client.get(_url(seoul, status="all")).status_code == 200
    limited = client.get(_url(seoul, "xlsx"))
    assert limited.status_code == 429
    assert "Retry-After" in limited.headers
    assert client.get(_url(seoul)).status_code == 429
    # The export page itself is not limited, and another coordinator has their own budget.
    assert client.get(_url(seoul, None)).status_code == 200
    client.post("/account/logout")
    login(seoul["director"])
    assert client.get(_url(seoul)).status_code == 200


def test_default_rate_limit_without_configuration(app, client, login, db, seoul):
    assert app.config["EXPORT_RATE_LIMIT"] == config.Config.EXPORT_RATE_LIMIT
    register(seoul["programme"])
    login(seoul["coordinator"])
    statuses = [client.get(_url(seoul)).status_code for _ in range(31)]
    assert statuses == [200] * 30 + [429]


def test_registration_time_is_the_centres_wall_clock_across_dst(client, login, db, seoul):
    paris_programme = seoul["paris_programme"]
    winter = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
    register(paris_programme, name="Winter", created_at=winter)
    register(paris_programme, name="Summer", created_at=summer)
    login(seoul["paris_coordinator"])
    rows = _csv_rows(client.get(f"/manage/paris/programmes/{paris_programme.id}/export.csv"))
    assert rows[0][7] == "Registered at (Paris)"
    by_name = _by_name(rows)
    assert by_name["Winter"][7] == "2026-01-15 13:00"
    assert by_name["Summer"][7] == "2026-07-15 14:00"
