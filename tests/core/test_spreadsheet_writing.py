"""Writing spreadsheets from rows of safe text cells: streamed CSV and write-only XLSX."""

import csv
import io

from openpyxl import load_workbook

from miti_training import spreadsheets

HEADER = ["Name", "A column whose header is far longer than fifty characters", "Note"]
BATCHES = [[["Amina", "Lyon", ""], ["Reza", "", "'=1+1"]], [], [["منى", "القاهرة", "x"]]]


def test_csv_comes_in_one_piece_per_batch_after_the_header():
    chunks = list(spreadsheets.csv_chunks(HEADER, BATCHES))
    assert len(chunks) == 1 + len(BATCHES)
    assert chunks[0].startswith(b"\xef\xbb\xbf")
    assert chunks[2] == b""  # an empty batch writes nothing
    text = b"".join(chunks).decode("utf-8-sig")
    assert text.endswith("\r\n") and "\r\n\r\n" not in text
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        HEADER,
        ["Amina", "Lyon", ""],
        ["Reza", "", "'=1+1"],
        ["منى", "القاهرة", "x"],
    ]


def test_xlsx_has_a_bold_frozen_filtered_header_and_bounded_widths():
    target = io.BytesIO()
    written = spreadsheets.write_xlsx(
        target, title="Attendees", header=HEADER, widths=[3, 18, 80], batches=BATCHES
    )
    assert written == 3
    sheet = load_workbook(target).worksheets[0]
    assert sheet.title == "Attendees"
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [spreadsheets.MIN_WIDTH, spreadsheets.MAX_WIDTH, spreadsheets.MAX_WIDTH]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [("Amina", "Lyon", None), ("Reza", None, "'=1+1"), ("منى", "القاهرة", "x")]
    assert sheet["C3"].data_type == "s"  # text, never a formula


def test_an_empty_workbook_still_has_its_header_and_filter():
    target = io.BytesIO()
    assert spreadsheets.write_xlsx(target, title="T", header=["A"], widths=[5], batches=[]) == 0
    sheet = load_workbook(target).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["A"]
    assert sheet.auto_filter.ref == "A1:A1"


def test_sheet_titles_excel_accepts():
    assert spreadsheets.sheet_title("Inscriptions: 2026/27 [draft]?", "Sheet") == (
        "Inscriptions  2026 27  draft"
    )
    assert len(spreadsheets.sheet_title("x" * 40, "Sheet")) == 31
    assert spreadsheets.sheet_title("[]:*?", "Sheet") == "Sheet"
    assert spreadsheets.sheet_title("", "Sheet") == "Sheet"


def test_dates_are_date_cells_in_xlsx_and_iso_text_in_csv():
    from datetime import date, datetime

    moment, day = datetime(2026, 3, 29, 2, 30), date(2026, 2, 28)
    batches = [[["Amina", moment, day], ["Reza", None, ""]]]
    text = b"".join(spreadsheets.csv_chunks(["Name", "At", "On"], batches)).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text, newline="")))[1:] == [
        ["Amina", "2026-03-29 02:30", "2026-02-28"],
        ["Reza", "", ""],
    ]
    target = io.BytesIO()
    spreadsheets.write_xlsx(
        target, title="T", header=["Name", "At", "On"], widths=[5, 5, 5], batches=batches
    )
    sheet = load_workbook(target).worksheets[0]
    at, on = sheet["B2"], sheet["C2"]
    assert at.is_date and at.value == moment and at.number_format == spreadsheets.DATETIME_FORMAT
    assert on.is_date and on.number_format == spreadsheets.DATE_FORMAT
    assert on.value.date() == day  # openpyxl reads every date cell back as a datetime
    assert sheet["B3"].value is None
