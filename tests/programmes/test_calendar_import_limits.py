"""Calendar import: workbooks holding more than a calendar needs are refused before openpyxl
loads them, quickly; the largest allowed workbook imports."""

import io
import re
import time
import zipfile

import pytest
from sqlalchemy import func, select

from miti_training.models import Programme, ProgrammeSession
from miti_training.programmes import calendar_import
from miti_training.programmes.calendar_import import CalendarImportError, limits
from tests.support import workbooks
from tests.support.factories import make_centre, make_staff
from tests.support.pages import text_of

#: Far above what counting takes (well under a second), far below what loading took.
QUICK_S = 5.0


@pytest.fixture
def paris(db):
    return make_centre(
        slug="paris-idf",
        name="Paris Île-de-France centre",
        city="Paris",
        country="France",
        timezone="Europe/Paris",
    )


@pytest.fixture
def director(paris, client, login):
    person = make_staff(paris, "director", full_name="Claire Dubois")
    login(person)
    return person


def upload(client, centre, content: bytes):
    return client.post(
        f"/manage/{centre.slug}/import",
        data={"file": (io.BytesIO(content), "calendar.xlsx")},
        content_type="multipart/form-data",
    )


def refusal(client, centre, content: bytes) -> str:
    """The one whole-file problem the page shows, checked to come quickly with a 422."""
    started = time.perf_counter()
    response = upload(client, centre, content)
    elapsed = time.perf_counter() - started
    assert response.status_code == 422
    assert elapsed < QUICK_S, elapsed
    html = text_of(response)
    found = re.findall(
        r'<th scope="row">Whole file</th>\s*<td><bdi></bdi></td>\s*<td>(.*?)</td>', html
    )
    assert len(found) == 1, html[:3000]
    return found[0]


def programmes(db) -> int:
    return db.session.scalar(select(func.count(Programme.id)))


def test_millions_of_shared_texts_are_refused_before_loading(client, db, paris, director):
    content = workbooks.many_shared_strings(2_600_000)
    assert len(content) < 200 * 1024  # a small upload ...
    with zipfile.ZipFile(io.BytesIO(content)) as archive:  # ... under the unpacked limit
        assert sum(i.file_size for i in archive.infolist()) < limits.MAX_UNPACKED_BYTES
    assert refusal(client, paris, content) == (
        "The workbook holds more than 20,000 different texts, more than a calendar needs. "
        "Copy the calendar into a new workbook, or save it as CSV UTF-8."
    )
    assert programmes(db) == 0


def test_the_declared_count_of_texts_is_not_trusted(db, paris):
    # sharedStrings.xml says count="1" uniqueCount="1" and holds one text more than allowed
    content = workbooks.many_shared_strings(limits.MAX_SHARED_STRINGS + 1)
    with pytest.raises(CalendarImportError) as caught:
        calendar_import.plan_calendar(content, "c.xlsx", paris)
    (problem,) = caught.value.problems
    assert "more than 20,000 different texts" in problem.message


def test_a_sheet_of_too_many_rows_is_refused(client, db, paris, director):
    content = workbooks.padded_sheet(rows=limits.MAX_SCANNED_ROWS, cells_per_row=0)
    assert refusal(client, paris, content) == (
        "The workbook has more than 10,000 rows. Delete the rows below the calendar and the "
        "sheets that are not the calendar, or split it into several files."
    )
    assert programmes(db) == 0


def test_a_sheet_of_too_many_cells_is_refused(client, db, paris, director):
    rows = limits.MAX_SHEET_CELLS // 40
    content = workbooks.padded_sheet(rows=rows, cells_per_row=41)
    assert refusal(client, paris, content) == (
        "The workbook has more than 80,000 cells. Delete what is not the calendar, or split "
        "it into several files."
    )


def test_the_rows_of_every_sheet_add_up(db, paris):
    sheet = workbooks.padded_sheet(rows=limits.MAX_SCANNED_ROWS - 2, cells_per_row=0)
    with zipfile.ZipFile(io.BytesIO(sheet)) as archive:
        crowded = archive.read(workbooks.SHEET)
    content = workbooks.replace_parts(
        workbooks.xlsx(workbooks.HEADER, workbooks.calendar_rows(1)),
        {"xl/worksheets/sheet2.xml": crowded},
    )
    with pytest.raises(CalendarImportError) as caught:
        calendar_import.plan_calendar(content, "c.xlsx", paris)
    assert "more than 10,000 rows" in caught.value.problems[0].message


@pytest.mark.parametrize(
    "part",
    [
        # A DTD (entities) in any part: workbooks never have one.
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaa">]><sst>&a;</sst>',
        # XML in an encoding expat does not read: it could not be counted.
        '<?xml version="1.0" encoding="Shift_JIS"?><sst>テスト</sst>'.encode("shift_jis"),
    ],
)
def test_parts_that_cannot_be_counted_are_refused(db, paris, part):
    content = workbooks.replace_parts(
        workbooks.xlsx(workbooks.HEADER, workbooks.calendar_rows(1)),
        {workbooks.STRINGS: part},
    )
    with pytest.raises(CalendarImportError) as caught:
        calendar_import.plan_calendar(content, "c.xlsx", paris)
    assert caught.value.problems[0].message.startswith("The workbook could not be read")


def test_the_largest_allowed_workbook_imports(client, db, paris, director):
    content = workbooks.largest_allowed_workbook()
    response = upload(client, paris, content)
    assert response.status_code == 302, text_of(response)[:3000]
    assert programmes(db) == limits.MAX_ROWS // workbooks.SESSIONS_PER_PROGRAMME
    assert db.session.scalar(select(func.count(ProgrammeSession.id))) == limits.MAX_ROWS
