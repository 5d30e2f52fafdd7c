"""Calendar import (CSV/XLSX): all rows checked first, all or nothing, drafts, permissions, CLI."""

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from miti_training import bidi, spreadsheets
from miti_training.models import (
    AuditEntry,
    EnrolmentPolicy,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    Theme,
)
from miti_training.programmes import calendar_import
from miti_training.programmes.calendar_import import CalendarImportError, reading
from tests.support.factories import make_admin, make_centre, make_programme, make_staff, make_user
from tests.support.pages import field_errors, flashes, text_of
from tests.support.testdata import hostile_strings

LOGIN_PATH = "/account/login"

# Files -------------------------------------------------------------------------------------


def paris_row(**overrides) -> dict:
    """A good session row of a Paris course (times in Europe/Paris)."""
    row = {
        "programme title": "Climate adaptation for metropolitan areas",
        "kind": "course",
        "theme": "climate_change",
        "format": "hybrid",
        "language": "fr en",
        "venue": "Institut Paris Region, Paris",
        "capacity": "20",
        "enrolment policy": "review",
        "waiting list": "no",
        "registration opens": "2026-01-05 09:00",
        "registration closes": "2026-03-13 18:00",
        "session title": "Day 1: Heat waves and the city",
        "session start": "2026-03-27 09:00",
        "session end": "2026-03-27 17:00",
    }
    row.update(overrides)
    return row


def paris_calendar() -> list[dict]:
    """Two programmes: a course across the spring DST change, and a webinar."""
    return [
        paris_row(summary="Three days on adapting cities to a warmer climate.", title_en=""),
        paris_row(
            **{
                "session title": "Day 2: Flood-proof neighbourhoods",
                "session start": "2026-03-28T09:00",
                "session end": "2026-03-28T17:00",
            }
        ),
        paris_row(
            **{
                "session title": "Day 3: Site visit and action plans",
                "session start": "2026-03-30 09:00",
                "session end": "2026-03-30 16:30",
            }
        ),
        paris_row(
            **{
                "programme title": "Smart city data platforms",
                "kind": "Webinar",
                "theme": "smart city",
                "format": "Online",
                "language": "en,fr",
                "venue": "",
                "capacity": "200",
                "enrolment policy": "first come",
                "waiting list": "yes",
                "registration opens": "2026-09-01 09:00",
                "registration closes": "2026-10-20 12:00",
                "session title": "Live webinar",
                "session start": "2026-10-27 14:00",
                "session end": "2026-10-27 15:30",
                "original language": "en",
                "title_fr": "Plateformes de données pour la ville intelligente",
                "summary_fr": "Un webinaire sur les données urbaines.",
                "description": "First paragraph.\n\nSecond paragraph.",
            }
        ),
    ]


def make_csv(rows: list[dict], *, header: list[str] | None = None, bom: bool = False) -> bytes:
    if header is None:
        header = []
        for row in rows:
            header += [name for name in row if name not in header]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, restval="", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def make_xlsx(header: list[str], rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"  # these tests mean text; formulas are written on purpose
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def problems_of(content: bytes, filename: str, centre) -> list[tuple]:
    with pytest.raises(CalendarImportError) as caught:
        calendar_import.plan_calendar(content, filename, centre)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def upload(client, centre, content: bytes, filename: str = "calendar.csv"):
    return client.post(
        f"/manage/{centre.slug}/import",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def programme_count(db) -> int:
    return db.session.scalar(select(func.count(Programme.id)))


def problem_rows(response) -> list[tuple[str, str, str]]:
    """(row, column, message) of the error table on the import page."""
    html = text_of(response)
    table = re.search(r"<caption>Problems found in the file</caption>(.*?)</table>", html, re.S)
    assert table, html[:2000]
    found = re.findall(
        r'<tr>\s*<th scope="row">(.*?)</th>\s*<td><bdi>(.*?)</bdi></td>\s*<td>(.*?)</td>',
        table.group(1),
        re.S,
    )
    import html as html_lib

    return [tuple(html_lib.unescape(part.strip()) for part in row) for row in found]


# Fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def paris(db):
    return make_centre(
        slug="paris-idf",
        name="Paris Île-de-France centre",
        city="Paris",
        country="France",
        timezone="Europe/Paris",
        host_institution="Institut Paris Region",
    )


@pytest.fixture
def mashhad(db):
    return make_centre(
        slug="mashhad",
        name="Mashhad centre",
        city="Mashhad",
        country="Iran",
        timezone="Asia/Tehran",
    )


@pytest.fixture
def seoul(db):
    return make_centre(
        slug="seoul",
        name="MITI Headquarters",
        city="Seoul",
        country="Republic of Korea",
        timezone="Asia/Seoul",
        host_institution="Seoul Human Resources Development Centre",
    )


@pytest.fixture
def paris_director(paris, client, login):
    director = make_staff(paris, "director", full_name="Claire Dubois")
    login(director)
    return director


# A good file imports everything ------------------------------------------------------------


def test_good_csv_imports_every_programme_as_a_draft(client, db, paris, paris_director):
    response = upload(client, paris, make_csv(paris_calendar(), bom=True))

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/manage/paris-idf/")
    assert ("success", "Imported 2 programmes with 4 sessions as drafts.") in flashes(
        client.get(response.headers["Location"])
    )

    course, webinar = db.session.scalars(select(Programme).order_by(Programme.id)).all()
    assert course.title == "Climate adaptation for metropolitan areas"
    assert course.status == ProgrammeStatus.DRAFT and webinar.status == ProgrammeStatus.DRAFT
    assert course.centre_id == paris.id and course.created_by_id == paris_director.id
    assert course.slug == "climate-adaptation-for-metropolitan-areas"
    assert (course.kind, course.theme, course.format) == (
        ProgrammeKind.COURSE,
        Theme.CLIMATE_CHANGE,
        ProgrammeFormat.HYBRID,
    )
    assert course.languages == "en,fr"
    assert course.capacity == 20 and course.seats_taken == 0
    assert course.enrolment_policy == EnrolmentPolicy.REVIEW
    assert course.is_waitlist_enabled is False
    assert course.summary == "Three days on adapting cities to a warmer climate."
    # Winter time (UTC+1) before 29 March 2026, summer time (UTC+2) after.
    assert course.registration_opens_at == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert course.registration_closes_at == datetime(2026, 3, 13, 17, 0, tzinfo=UTC)
    assert [(s.title, s.starts_at, s.ends_at) for s in course.sessions] == [
        (
            "Day 1: Heat waves and the city",
            datetime(2026, 3, 27, 8, 0, tzinfo=UTC),
            datetime(2026, 3, 27, 16, 0, tzinfo=UTC),
        ),
        (
            "Day 2: Flood-proof neighbourhoods",
            datetime(2026, 3, 28, 8, 0, tzinfo=UTC),
            datetime(2026, 3, 28, 16, 0, tzinfo=UTC),
        ),
        (
            "Day 3: Site visit and action plans",
            datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
            datetime(2026, 3, 30, 14, 30, tzinfo=UTC),
        ),
    ]
    assert (course.starts_on, course.ends_on) == (date(2026, 3, 27), date(2026, 3, 30))

    assert webinar.kind == ProgrammeKind.WEBINAR and webinar.theme == Theme.SMART_CITY
    assert webinar.format == ProgrammeFormat.ONLINE and webinar.venue == ""
    assert webinar.enrolment_policy == EnrolmentPolicy.FIRST_COME
    assert webinar.is_waitlist_enabled is True
    assert webinar.description == "First paragraph.\n\nSecond paragraph."
    # 27 October 2026 is after the autumn change: UTC+1 again.
    assert webinar.sessions[0].starts_at == datetime(2026, 10, 27, 13, 0, tzinfo=UTC)
    assert [(t.language, t.title, t.summary) for t in webinar.translations] == [
        (
            "fr",
            "Plateformes de données pour la ville intelligente",
            "Un webinaire sur les données urbaines.",
        )
    ]
    assert webinar.text_in("fr").title == "Plateformes de données pour la ville intelligente"
    assert course.translations == []

    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.programme_id, e.actor_id, e.centre_id, e.to_state) for e in entries] == [
        ("programme.import", course.id, paris_director.id, paris.id, "draft"),
        ("programme.import", webinar.id, paris_director.id, paris.id, "draft"),
    ]


def test_good_xlsx_imports_every_programme_with_tehran_times(client, db, mashhad, login):
    login(make_staff(mashhad, "director"))
    header = [
        "Programme Title",
        "Kind",
        "Theme",
        "Format",
        "Language",
        "Venue",
        "Capacity",
        "Enrolment_Policy",
        "Waiting list",
        "Registration opens",
        "Registration closes",
        "Session title",
        "Session start",
        "Session end",
        "original language",
        "title_en",
    ]
    common = [
        "مدیریت آب شهری",
        "study_visit",
        "water_management",
        "in_person",
        "fa en",
        "Mashhad Water and Wastewater Company",
        12,
        "review",
        True,
        datetime(2026, 4, 1, 9, 0),
        "2026-05-01 17:00",
    ]
    rows = [
        [
            *common,
            "روز ۱: بازدید از تصفیه‌خانه",
            datetime(2026, 6, 1, 9, 0),
            datetime(2026, 6, 1, 13, 30),
            "fa",
            "Urban water management",
        ],
        [
            *common,
            "روز ۲: کارگاه",
            datetime(2026, 6, 2, 9, 0),
            datetime(2026, 6, 2, 16, 0),
            "fa",
            "Urban water management",
        ],
    ]
    response = upload(client, mashhad, make_xlsx(header, rows), "calendar.xlsx")

    assert response.status_code == 302, problem_rows(response)
    programme = db.session.scalar(select(Programme))
    assert programme.title == "مدیریت آب شهری" and programme.status == ProgrammeStatus.DRAFT
    assert programme.kind == ProgrammeKind.STUDY_VISIT and programme.capacity == 12
    assert programme.is_waitlist_enabled is True and programme.languages == "en,fa"
    assert programme.original_language == "fa"
    assert programme.text_in("en").title == "Urban water management"
    # Asia/Tehran: UTC+3:30 all year since 2022.
    assert programme.registration_opens_at == datetime(2026, 4, 1, 5, 30, tzinfo=UTC)
    assert [(s.starts_at, s.ends_at) for s in programme.sessions] == [
        (datetime(2026, 6, 1, 5, 30, tzinfo=UTC), datetime(2026, 6, 1, 10, 0, tzinfo=UTC)),
        (datetime(2026, 6, 2, 5, 30, tzinfo=UTC), datetime(2026, 6, 2, 12, 30, tzinfo=UTC)),
    ]
    assert (programme.starts_on, programme.ends_on) == (date(2026, 6, 1), date(2026, 6, 2))
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


def test_admin_may_import_into_any_centre(client, db, paris, login):
    login(make_admin())
    response = upload(client, paris, make_csv([paris_row()]))
    assert response.status_code == 302
    assert db.session.scalar(select(Programme.centre_id)) == paris.id


def test_optional_columns_may_be_given_on_one_row_only(db, paris):
    rows = [
        paris_row(),
        paris_row(
            summary="Given on the second row.",
            **{
                "session title": "Day 2",
                "session start": "2026-03-28 09:00",
                "session end": "2026-03-28 12:00",
            },
        ),
    ]
    result = calendar_import.import_calendar(make_csv(rows), "c.csv", centre=paris)
    assert result.programmes[0].summary == "Given on the second row."
    assert result.session_count == 2


def test_same_titled_programmes_get_unique_slugs(db, paris):
    make_programme(paris, slug="climate-adaptation-for-metropolitan-areas", title="Old edition")
    result = calendar_import.import_calendar(make_csv([paris_row()]), "c.csv", centre=paris)
    assert result.programmes[0].slug == "climate-adaptation-for-metropolitan-areas-2"


# One bad row: nothing is imported, the row and column are named ----------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "session start",
            "2026-02-30 09:00",
            "'2026-02-30 09:00' is not a valid date and time (use YYYY-MM-DD HH:MM).",
        ),
        (
            "session end",
            "tomorrow",
            "'tomorrow' is not a valid date and time (use YYYY-MM-DD HH:MM).",
        ),
        ("registration opens", "2026-13-01T25:61", "is not a valid date and time"),
        ("session start", "1899-12-31 09:00", "is not between the years 2000 and 2100"),
        ("capacity", "-1", "'-1' is not a whole number of seats from 1 to 10,000."),
        ("capacity", "0", "is not a whole number of seats"),
        ("capacity", "9999999999999999999999999", "is not a whole number of seats"),
        ("capacity", "1e309", "is not a whole number of seats"),
        ("capacity", "", "Fill in this cell: it may not be empty."),
        ("kind", "seminar", "'seminar' is not one of the accepted values: course, workshop"),
        ("theme", "sports", "is not one of the accepted values: urban_governance"),
        ("format", "by pigeon", "is not one of the accepted values: in_person, online, hybrid."),
        (
            "enrolment policy",
            "lottery",
            "is not one of the accepted values: first_come, review, nomination.",
        ),
        ("waiting list", "maybe", "'maybe' is not yes or no."),
        ("language", "en xx", "'xx' is not one of the working languages: en, fr, es, ar, fa, ko"),
        ("language", "en zh", "'zh' is not one of the working languages"),
        ("original language", "de", "'de' is not one of the languages programme text"),
        ("session title", "", "Fill in this cell: it may not be empty."),
        ("session title", "x" * 201, "This text has 201 characters; use at most 200."),
        ("venue", "v" * 301, "This text has 301 characters; use at most 300."),
        ("venue", "", "Enter the venue: only online programmes may leave it empty."),
        ("session title", "Day\x1b[31m 1", "Remove the control characters"),
        ("title_ko", "", "Give the title in this language too"),
    ],
)
def test_a_bad_cell_refuses_the_whole_file_naming_row_and_column(
    client, db, paris, paris_director, column, value, message
):
    rows = [
        paris_row(),
        paris_row(**{"session start": "2026-03-28 09:00", "session end": "2026-03-28 17:00"}),
        paris_row(**{"session start": "2026-03-30 09:00", "session end": "2026-03-30 17:00"}),
    ]
    rows[2][column] = value  # spreadsheet row 4
    if column == "title_ko":
        for row in rows:
            row["summary_ko"] = "요약"
    if column == "venue" and not value:
        rows = [dict(r, venue="") for r in rows]  # the same on every row of the programme
    response = upload(client, paris, make_csv(rows))

    assert response.status_code == 422
    assert programme_count(db) == 0
    found = problem_rows(response)
    expected_row = "2" if column in ("venue", "title_ko") and not value else "4"
    assert any(r == expected_row and c == column and message in m for r, c, m in found), found
    assert "The calendar was not imported" in text_of(response)


def test_every_problem_of_the_file_is_listed_at_once(db, paris):
    rows = [
        paris_row(),
        paris_row(capacity="many", kind="party"),
        paris_row(**{"session start": "2026-03-28 10:00", "session end": "2026-03-28 09:00"}),
    ]
    problems = problems_of(make_csv(rows), "c.csv", paris)
    assert (
        3,
        "kind",
        "'party' is not one of the accepted values: course, workshop, forum, study_visit, webinar.",
    ) in problems
    assert (3, "capacity", "'many' is not a whole number of seats from 1 to 10,000.") in problems
    assert (
        4,
        "session end",
        "The session ends at 2026-03-28 09:00, which is not after its start (2026-03-28 10:00).",
    ) in problems
    assert str(
        CalendarImportError([calendar_import.ImportProblem(4, "session start", "Bad.")]).problems[0]
    ) == ("Row 4, column 'session start': Bad.")


def test_a_missing_column_is_one_clear_error(client, db, paris, paris_director):
    rows = [paris_row(), paris_row()]
    header = [name for name in rows[0] if name != "session end"]
    response = upload(client, paris, make_csv(rows, header=header))
    assert response.status_code == 422
    assert problem_rows(response) == [
        (
            "1",
            "session end",
            "This column is missing. Add it to row 1 (the template has every column).",
        )
    ]
    assert programme_count(db) == 0


def test_unknown_and_repeated_columns_and_values_without_a_column(db, paris):
    content = make_csv([paris_row(sumary="typo")])
    assert (
        1,
        "sumary",
        "This column name is not known; check its spelling (the template lists every column).",
    ) in problems_of(content, "c.csv", paris)

    header = list(paris_row())
    content = _csv_lines([*header, "kind"], [*paris_row().values(), "course"])
    assert (1, "kind", "This column appears twice in row 1.") in problems_of(
        content, "c.csv", paris
    )

    content = _csv_lines(header, [*paris_row().values(), "stray"])
    assert problems_of(content, "c.csv", paris) == [
        (2, "O", "There is a value in this column, which has no name in row 1.")
    ]


def _csv_lines(*rows: list) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_programme_columns_must_agree_across_its_rows(client, db, paris, paris_director):
    rows = [
        paris_row(),
        paris_row(
            capacity="25",
            **{"session start": "2026-03-28 09:00", "session end": "2026-03-28 17:00"},
        ),
        paris_row(
            **{
                "waiting list": "yes",
                "session start": "2026-03-30 09:00",
                "session end": "2026-03-30 17:00",
            }
        ),
        # The same values written differently are the same values.
        paris_row(
            language="fr, en",
            **{
                "waiting list": "false",
                "session start": "2026-03-31 09:00",
                "session end": "2026-03-31 17:00",
            },
        ),
    ]
    response = upload(client, paris, make_csv(rows))
    assert response.status_code == 422
    assert problem_rows(response) == [
        (
            "3",
            "capacity",
            "'25' differs from '20' on row 2: all rows of the programme 'Climate adaptation for "
            "metropolitan areas' must have the same value in the column 'capacity'.",
        ),
        (
            "4",
            "waiting list",
            "'yes' differs from 'no' on row 2: all rows of the programme 'Climate adaptation for "
            "metropolitan areas' must have the same value in the column 'waiting list'.",
        ),
    ]
    assert programme_count(db) == 0


def test_a_time_skipped_by_daylight_saving_is_refused_per_cell(client, db, paris, paris_director):
    rows = [
        paris_row(),
        paris_row(**{"session start": "2026-03-29 02:30", "session end": "2026-03-29 05:00"}),
    ]
    response = upload(client, paris, make_csv(rows))
    assert response.status_code == 422
    assert problem_rows(response) == [
        (
            "3",
            "session start",
            "'2026-03-29 02:30' does not exist in the centre's time zone (Paris): the "
            "clocks go forward at that moment. Choose a time outside the change.",
        )
    ]
    assert programme_count(db) == 0


def test_the_repeated_autumn_hour_reads_as_its_first_occurrence(db, paris):
    rows = [
        paris_row(
            **{
                "session start": "2026-10-25 02:30",
                "session end": "2026-10-25 09:00",
                "registration closes": "2026-10-20 12:00",
            }
        )
    ]
    result = calendar_import.import_calendar(make_csv(rows), "c.csv", centre=paris)
    assert result.programmes[0].sessions[0].starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_registration_window_must_close_after_it_opens_and_by_the_first_session(db, paris):
    rows = [paris_row(**{"registration closes": "2026-01-01 09:00"})]
    assert problems_of(make_csv(rows), "c.csv", paris) == [
        (
            2,
            "registration closes",
            "Registration closes at 2026-01-01 09:00, which is not after it opens (2026-01-05 09:00).",
        )
    ]
    rows = [
        paris_row(
            **{
                "registration closes": "2026-03-27 09:01",
                "session start": "2026-03-28 09:00",
                "session end": "2026-03-28 17:00",
            }
        ),
        paris_row(**{"registration closes": "2026-03-27 09:01"}),
    ]
    assert problems_of(make_csv(rows), "c.csv", paris) == [
        (
            2,
            "registration closes",
            "Registration closes at 2026-03-27 09:01, which is after the first session starts (2026-03-27 09:00, row 3).",
        )
    ]


def test_registration_may_close_when_the_first_session_starts(db, paris):
    """As publishing allows: taking registrations until the programme begins is legitimate."""
    rows = [paris_row(**{"registration closes": "2026-03-27 09:00"})]
    [plan] = calendar_import.plan_calendar(make_csv(rows), "c.csv", paris)
    assert plan.programme.registration_closes_at == datetime(2026, 3, 27, 8, 0, tzinfo=UTC)


def test_the_same_calendar_is_not_imported_twice(db, paris):
    content = make_csv(paris_calendar())
    calendar_import.import_calendar(content, "c.csv", centre=paris)
    db.session.commit()
    problems = problems_of(content, "c.csv", paris)
    assert problems == [
        (
            2,
            "programme title",
            "The centre already has a programme with this title starting on 2026-03-27. Change the title, or leave this programme out of the file.",
        ),
        (
            5,
            "programme title",
            "The centre already has a programme with this title starting on 2026-10-27. Change the title, or leave this programme out of the file.",
        ),
    ]
    assert programme_count(db) == 2


def test_translation_in_the_original_language_is_refused(db, paris):
    rows = [paris_row(**{"original language": "fr", "title_fr": "Adaptation climatique"})]
    ((row, column, message),) = problems_of(make_csv(rows), "c.csv", paris)
    assert (row, column) == (2, "title_fr")
    assert "The programme is written in fr" in message


# Wrong files --------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (PNG, "calendar.xlsx", "This file is not an Excel workbook (.xlsx)."),
        (bytes(range(256)) * 4, "calendar.csv", "This file is not a CSV text file."),
        (b"", "calendar.csv", "The file is empty."),
        (b"", "calendar.xlsx", "The file is empty."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "calendar.xlsx",
            "old-style Excel file (.xls)",
        ),
        (
            "programme title,kind\nCafé,course\n".encode("latin-1"),
            "calendar.csv",
            "The file is not in UTF-8 encoding.",
        ),
        (
            "programme title,kind\n".encode("utf-16"),
            "calendar.csv",
            "This file is not a CSV text file.",
        ),
        (
            b"programme title;kind;theme\nA;course;housing\n",
            "calendar.csv",
            "separated by semicolons",
        ),
        (
            b"PK\x03\x04 not really a zip",
            "calendar.xlsx",
            "This file is not an Excel workbook (.xlsx).",
        ),
        (
            "placeholder-zip-without-workbook",
            "calendar.xlsx",
            "This file is not an Excel workbook (.xlsx).",
        ),
        ("placeholder-broken-workbook", "calendar.xlsx", "The workbook could not be read"),
        ("placeholder-xlsx-as-csv", "calendar.csv", "This file is a workbook, not CSV text."),
        (b"\n\n\n", "calendar.csv", "The file is empty."),
        (b"programme title,kind\n", "calendar.csv", "This column is missing"),
        (
            b'programme title,kind\n"unclosed,course\n',
            "calendar.csv",
            "check the quotation marks",
        ),
    ],
)
def test_wrong_files_get_a_clear_message_never_a_500(
    client, db, paris, paris_director, content, filename, message
):
    if content == "placeholder-zip-without-workbook":
        content = _zip({"hello.txt": "hello"})
    elif content == "placeholder-broken-workbook":
        content = _zip({"xl/workbook.xml": "<not xml", "[Content_Types].xml": "<Types/>"})
    elif content == "placeholder-xlsx-as-csv":
        content = make_xlsx(list(paris_row()), [list(paris_row().values())])
    response = upload(client, paris, content, filename)
    assert response.status_code == 422
    assert any(message in m for _, _, m in problem_rows(response)), problem_rows(response)
    assert programme_count(db) == 0


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(db, paris):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", "a" * (reading.MAX_UNPACKED_BYTES + 1))
    content = out.getvalue()
    assert len(content) < 1024 * 1024
    ((row, _, message),) = problems_of(content, "c.xlsx", paris)
    assert row is None and "too large once unpacked (more than 50 MB)" in message


def test_a_file_of_the_wrong_extension_is_refused_by_the_form(client, db, paris, paris_director):
    response = upload(client, paris, b"programme title\n", "calendar.txt")
    assert response.status_code == 422
    assert field_errors(response) == {"file": "Choose a .csv or .xlsx file."}
    response = client.post(
        f"/manage/{paris.slug}/import", data={}, content_type="multipart/form-data"
    )
    assert field_errors(response) == {"file": "Choose the calendar file to import."}


def test_too_many_rows_are_refused(client, db, paris, paris_director):
    rows = [paris_row()] * (calendar_import.MAX_ROWS + 1)
    response = upload(client, paris, make_csv(rows))
    assert response.status_code == 422
    assert problem_rows(response) == [
        (
            "Whole file",
            "",
            "The file has more than 2,000 sessions (rows). Split it into several files.",
        )
    ]
    assert programme_count(db) == 0

    header = list(paris_row())
    content = make_xlsx(header, [list(paris_row().values())] * (calendar_import.MAX_ROWS + 1))
    assert problems_of(content, "c.xlsx", paris)[0][2].startswith("The file has more than 2,000")


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(db, paris):
    header = list(paris_row())
    good = list(paris_row().values())
    bad = list(paris_row(capacity="lots").values())
    content = make_xlsx(header, [good, [None] * len(header), [], bad])
    assert problems_of(content, "c.xlsx", paris) == [
        (5, "capacity", "'lots' is not a whole number of seats from 1 to 10,000.")
    ]


def test_an_upload_over_5_mb_is_refused(client, db, paris, paris_director):
    response = upload(client, paris, b"a" * (5 * 1024 * 1024 + 10))
    assert response.status_code == 413
    assert "The file you sent is too large." in text_of(response)
    assert programme_count(db) == 0


# Hostile text and formulas ------------------------------------------------------------------


@pytest.mark.parametrize("value", hostile_strings())
def test_hostile_titles_are_imported_verbatim_or_refused_clearly(
    client, db, paris, paris_director, value
):
    response = upload(client, paris, make_csv([paris_row(**{"programme title": value})]))
    if response.status_code == 302:
        programme = db.session.scalar(select(Programme))
        assert programme.title == bidi.strip_controls(value).strip()
        assert programme.status == ProgrammeStatus.DRAFT
        page = text_of(client.get(response.headers["Location"]))
        assert "<script>alert(1)</script>" not in page
    else:
        assert response.status_code == 422
        ((row, column, message),) = problem_rows(response)
        assert (row, column) == ("2", "programme title")
        assert message.startswith(("Remove the control characters", "This text has"))
        assert programme_count(db) == 0
        assert "<script>alert(1)</script>" not in text_of(response)


def test_formula_text_is_stored_as_text_never_evaluated(db, paris):
    formula = '=HYPERLINK("http://attacker.example","Click")'
    header = list(paris_row())
    content = make_xlsx(
        header, [list(paris_row(**{"programme title": formula, "venue": "=1+1"}).values())]
    )
    result = calendar_import.import_calendar(content, "c.xlsx", centre=paris)
    assert result.programmes[0].title == formula
    assert result.programmes[0].venue == "=1+1"


def test_a_real_formula_cell_counts_as_its_calculated_value_or_empty(db, paris):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(paris_row()))
    sheet.append(list(paris_row().values()))
    sheet["A2"] = '=HYPERLINK("http://attacker.example","Click")'  # no cached value: empty
    assert sheet["A2"].data_type == "f"
    out = io.BytesIO()
    workbook.save(out)
    assert problems_of(out.getvalue(), "c.xlsx", paris) == [
        (2, "programme title", "Fill in this cell: it may not be empty.")
    ]


# Template -----------------------------------------------------------------------------------


def test_the_templates_download_and_import_again(client, db, seoul, login):
    login(make_staff(seoul, "director"))
    csv_response = client.get("/manage/seoul/import/template.csv")
    assert csv_response.status_code == 200
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv_response.headers["Content-Disposition"]
    text = csv_response.data.decode("utf-8-sig")
    header, first, second = list(csv.reader(io.StringIO(text)))
    assert header[:14] == [
        "programme title",
        "kind",
        "theme",
        "format",
        "language",
        "venue",
        "capacity",
        "enrolment policy",
        "waiting list",
        "registration opens",
        "registration closes",
        "session title",
        "session start",
        "session end",
    ]
    assert first[0] == second[0] == "Peer Review Process workshop"
    assert "Seoul Human Resources Development Centre, Seoul" in first

    xlsx_response = client.get("/manage/seoul/import/template.xlsx")
    assert xlsx_response.status_code == 200
    assert xlsx_response.mimetype == spreadsheets.XLSX_MEDIA_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_response.data))
    assert workbook.sheetnames == ["Calendar", "Columns"]
    assert isinstance(workbook["Calendar"]["M2"].value, datetime)

    response = upload(client, seoul, csv_response.data, "miti-calendar-seoul.csv")
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme))
    assert programme.title == "Peer Review Process workshop" and len(programme.sessions) == 2
    assert programme.text_in("ko").title == "동료 검토 프로세스 워크숍"

    # The same workshop again is refused; under another title the workbook imports.
    response = upload(client, seoul, xlsx_response.data, "miti-calendar-seoul.xlsx")
    assert response.status_code == 422
    assert "The centre already has a programme with this title" in problem_rows(response)[0][2]
    sheet = workbook["Calendar"]
    sheet["A2"] = sheet["A3"] = "Peer Review Process workshop, second group"
    out = io.BytesIO()
    workbook.save(out)
    response = upload(client, seoul, out.getvalue(), "miti-calendar-seoul.xlsx")
    assert response.status_code == 302
    assert programme_count(db) == 2
    assert db.session.scalar(select(func.count(ProgrammeSession.id))) == 4


def test_an_unknown_template_format_is_404(client, db, seoul, login):
    login(make_staff(seoul, "director"))
    assert client.get("/manage/seoul/import/template.pdf").status_code == 404
    assert client.get("/manage/nowhere/import/template.csv").status_code == 404


# Permissions --------------------------------------------------------------------------------

IMPORT_URLS = (
    "/manage/{slug}/import",
    "/manage/{slug}/import/template.csv",
    "/manage/{slug}/import/template.xlsx",
)


@pytest.mark.parametrize("url", IMPORT_URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, db, paris, url):
    response = client.get(url.format(slug=paris.slug))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(LOGIN_PATH)
    response = upload(client, paris, make_csv([paris_row()]))
    assert response.status_code == 302 and response.headers["Location"].startswith(LOGIN_PATH)
    assert programme_count(db) == 0


@pytest.mark.parametrize(
    "who",
    [
        "participant",
        "coordinator of another centre",
        "director of another centre",
        "coordinator of this centre",
    ],
)
@pytest.mark.parametrize("url", IMPORT_URLS)
def test_everyone_but_the_director_and_admins_gets_403(client, db, login, paris, seoul, who, url):
    user = {
        "participant": lambda: make_user(),
        "coordinator of another centre": lambda: make_staff(seoul, "coordinator"),
        "director of another centre": lambda: make_staff(seoul, "director"),
        "coordinator of this centre": lambda: make_staff(paris, "coordinator"),
    }[who]()
    login(user)
    assert client.get(url.format(slug=paris.slug)).status_code == 403
    assert upload(client, paris, make_csv([paris_row()])).status_code == 403
    assert programme_count(db) == 0


@pytest.mark.parametrize("who", ["director", "admin"])
@pytest.mark.parametrize("url", IMPORT_URLS)
def test_the_director_and_admins_get_in(client, db, login, paris, who, url):
    login(make_staff(paris, "director") if who == "director" else make_admin())
    response = client.get(url.format(slug=paris.slug))
    assert response.status_code == 200


def test_the_import_page_is_accessible(client, db, paris, paris_director):
    html = text_of(client.get("/manage/paris-idf/import"))
    assert "<h1>Import a training calendar</h1>" in html
    assert '<label for="file">' in html and 'type="file"' in html and 'id="file"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "<script>" not in html.split("</head>")[1] and "style=" not in html
    assert 'href="/manage/paris-idf/import/template.xlsx"' in html
    assert "One of: course, workshop, forum, study_visit, webinar." in html
    assert "time zone (Paris)" in html


def test_the_import_needs_a_csrf_token(app, client, db, paris, paris_director, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = upload(client, paris, make_csv([paris_row()]))
    assert response.status_code == 400
    assert programme_count(db) == 0

    page = text_of(client.get("/manage/paris-idf/import"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/manage/paris-idf/import",
        data={"csrf_token": token, "file": (io.BytesIO(make_csv([paris_row()])), "c.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert programme_count(db) == 1


# Command line -------------------------------------------------------------------------------


def test_cli_imports_a_file(app, db, paris, tmp_path):
    path = tmp_path / "paris.csv"
    path.write_bytes(make_csv(paris_calendar()))
    db.session.commit()
    runner = app.test_cli_runner()

    result = runner.invoke(
        args=["programmes", "import", str(path), "--centre", "paris-idf", "--check"]
    )
    assert result.exit_code == 0, result.output
    assert "The file is valid: it would import 2 programmes with 4 sessions." in result.output
    assert programme_count(db) == 0

    result = runner.invoke(args=["programmes", "import", str(path), "--centre", "paris-idf"])
    assert result.exit_code == 0, result.output
    assert (
        "Imported 2 programmes with 4 sessions as drafts into Paris Île-de-France centre."
        in result.output
    )
    db.session.expire_all()
    programmes = db.session.scalars(select(Programme)).all()
    assert len(programmes) == 2 and {p.status for p in programmes} == {ProgrammeStatus.DRAFT}
    assert {e.actor_id for e in db.session.scalars(select(AuditEntry))} == {None}


def test_cli_lists_the_problems_and_fails(app, db, paris, tmp_path):
    path = tmp_path / "paris.csv"
    path.write_bytes(make_csv([paris_row(), paris_row(capacity="\x1b[31mred")]))
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["programmes", "import", str(path), "--centre", "paris-idf"]
    )
    assert result.exit_code == 1
    assert (
        "Row 3, column 'capacity': '\\u001b[31mred' is not a whole number of seats" in result.output
    )
    assert "\x1b" not in result.output
    assert "The calendar was not imported: 1 problem. Nothing was changed." in result.output
    db.session.expire_all()
    assert programme_count(db) == 0


def test_cli_refuses_an_unknown_centre_and_a_wrong_file(app, db, paris, tmp_path):
    path = tmp_path / "paris.csv"
    path.write_bytes(make_csv([paris_row()]))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["programmes", "import", str(path), "--centre", "atlantis"])
    assert result.exit_code == 1
    assert "There is no centre with the short name 'atlantis'. Centres: paris-idf." in result.output

    image = tmp_path / "photo.xlsx"
    image.write_bytes(PNG)
    result = runner.invoke(args=["programmes", "import", str(image), "--centre", "paris-idf"])
    assert result.exit_code == 1
    assert "This file is not an Excel workbook (.xlsx)." in result.output
    assert programme_count(db) == 0
