"""Attendee lists: the motivation and needs columns, date cells in workbooks, the columns a
coordinator chooses on the export page and the memory of that choice."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from miti_training import spreadsheets
from miti_training.extensions import db as _db
from miti_training.extensions import limiter
from miti_training.models import AuditEntry, ExportPreference, RegistrationStatus
from miti_training.registrations import export_columns
from tests.support.factories import (
    make_centre,
    make_member_city,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, field_errors, text_of
from tests.support.sql import count_rows
from tests.support.testdata import hostile_strings

BOM = b"\xef\xbb\xbf"
FSI, PDI = "\u2068", "\u2069"
NEEDS_HEADERS = ["Motivation", "Accessibility needs", "Dietary needs"]


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def paris(db):
    """A Paris programme (a zone with summer time), its coordinator and a second programme."""
    centre = make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")
    return {
        "centre": centre,
        "programme": make_programme(centre, sessions=1, slug="climate-visit", capacity=50),
        "other_programme": make_programme(centre, sessions=1, slug="housing", capacity=50),
        "coordinator": make_staff(centre, "coordinator"),
        "director": make_staff(centre, "director"),
    }


def register(programme, name="Chloé Lefèvre", status=RegistrationStatus.CONFIRMED, **kw):
    user = make_user(full_name=name, member_city=make_member_city())
    return make_registration(programme, user, status=status, **kw)


def url(programme, fmt: str | None = "csv", **args) -> str:
    path = f"/manage/paris/programmes/{programme.id}/export" + (f".{fmt}" if fmt else "")
    return path + ("?" + "&".join(f"{k}={v}" for k, v in args.items()) if args else "")


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, text_of(response)[:500]
    body = response.get_data()
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :].decode("utf-8"), newline="")))


def sheet_of(response):
    assert response.status_code == 200, text_of(response)[:500]
    return load_workbook(io.BytesIO(response.get_data())).worksheets[0]


def checked_columns(page: str) -> list[str]:
    """The column keys whose checkbox is checked on the export page."""
    boxes = re.findall(r'<input [^>]*name="columns"[^>]*>', page)
    assert boxes, "no column checkboxes"
    return [re.search(r'value="([^"]+)"', box).group(1) for box in boxes if " checked" in box]


def _downloads() -> int:
    return count_rows(AuditEntry)


def _remembered(user) -> list[str] | None:
    _db.session.expire_all()
    return _db.session.scalar(
        select(ExportPreference.columns).where(ExportPreference.user_id == user.id)
    )


# The new columns ---------------------------------------------------------------------------


def test_motivation_and_needs_are_columns_of_both_formats(client, login, db, paris):
    programme = paris["programme"]
    register(
        programme,
        name="Mona El-Sayed",
        motivation="Cairo is building new metro lines.\nI plan the streets around them.",
        accessibility_needs="Step-free access",
        dietary_needs="Halal",
    )
    register(programme, name="Karim Haddad")
    login(paris["coordinator"])

    rows = csv_rows(client.get(url(programme)))
    sheet = sheet_of(client.get(url(programme, "xlsx")))
    xlsx = [list(row) for row in sheet.iter_rows(values_only=True)]

    for header in (rows[0], xlsx[0]):
        assert header[8:11] == NEEDS_HEADERS
    for table in (rows, xlsx):
        by_name = {row[0]: row for row in table[1:]}
        mona = by_name[f"{FSI}Mona El-Sayed{PDI}"]
        assert mona[8:11] == [
            f"{FSI}Cairo is building new metro lines.\nI plan the streets around them.{PDI}",
            f"{FSI}Step-free access{PDI}",
            f"{FSI}Halal{PDI}",
        ]
        assert [value or "" for value in by_name[f"{FSI}Karim Haddad{PDI}"][8:11]] == ["", "", ""]


def test_hostile_needs_and_motivations_stay_inert_in_both_formats(client, login, db, paris):
    programme = paris["programme"]
    for n, text in enumerate(hostile_strings()):
        register(
            programme,
            name=f"Official {n}",
            motivation=text,
            accessibility_needs=text[:2000],
            dietary_needs=text[:2000],
        )
    login(paris["director"])

    rows = csv_rows(client.get(url(programme)))
    sheet = sheet_of(client.get(url(programme, "xlsx")))

    assert len(rows) == len(hostile_strings()) + 1
    xlsx = [list(row) for row in sheet.iter_rows(values_only=True)]
    for table in (rows, xlsx):
        for row in table[1:]:
            for value in row[8:11]:
                if value:
                    # Isolated, and never a formula: the check looks past the isolate.
                    assert value.startswith((FSI, "'" + FSI)) and value.endswith(PDI), value
                    inner = value.lstrip("'")[1:]
                    if inner.startswith(spreadsheets.FORMULA_STARTS):
                        assert value.startswith("'"), value
    text_cells = [c for row in sheet.iter_rows() for c in row if c.value and not c.is_date]
    assert all(cell.data_type == "s" for cell in text_cells)  # no formula cell ("f")
    # The right-to-left override of the hostile list cannot reach past its own cell.
    override = next(row for row in rows[1:] if "\u202e" in "".join(row[8:11]) or "gpj" in row[8])
    assert "\u202e" not in override[8]


# Dates and times ---------------------------------------------------------------------------


def test_xlsx_times_are_date_cells_in_the_centres_zone_csv_iso_text(client, login, db, paris):
    programme = paris["programme"]
    winter = datetime(2026, 1, 15, 12, 5, 42, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, 5, 42, tzinfo=UTC)
    register(
        programme,
        name="Winter",
        created_at=winter,
        consent_listing_at=winter,
        consent_photos_at=winter,
    )
    signed = register(programme, name="Summer", created_at=summer)
    signed.consent_data_at = summer
    login(paris["coordinator"])

    rows = csv_rows(client.get(url(programme)))
    sheet = sheet_of(client.get(url(programme, "xlsx")))

    header = [cell.value for cell in sheet[1]]
    registered = header.index("Registered at (Paris)")
    data_consent = header.index("Consent to data processing (Paris)")
    listing = header.index("Consent to the participant list (Paris)")
    photos = header.index("Consent to photos being published (Paris)")
    assert photos == listing + 1
    assert rows[0] == header
    by_name = {row[0][1:-1]: row for row in rows[1:]}
    assert by_name["Winter"][registered] == "2026-01-15 13:05"  # CET
    assert by_name["Summer"][registered] == "2026-07-15 14:05"  # CEST
    assert by_name["Summer"][data_consent] == "2026-07-15 14:05"
    assert by_name["Summer"][listing] == "No"
    assert by_name["Winter"][photos] == "2026-01-15 13:05"
    assert by_name["Summer"][photos] == "No"
    cells = {row[0].value[1:-1]: row for row in sheet.iter_rows(min_row=2)}
    for name, expected in (
        ("Winter", datetime(2026, 1, 15, 13, 5)),
        ("Summer", datetime(2026, 7, 15, 14, 5)),
    ):
        cell = cells[name][registered]
        assert cell.is_date, (name, cell.value)
        assert cell.value == expected  # naive: the zone is named in the header
        assert cell.number_format == spreadsheets.DATETIME_FORMAT
    assert cells["Winter"][listing].is_date
    assert cells["Winter"][listing].value == datetime(2026, 1, 15, 13, 5)
    assert cells["Summer"][listing].value == "No" and not cells["Summer"][listing].is_date
    assert cells["Summer"][data_consent].is_date
    assert cells["Winter"][photos].is_date
    assert cells["Winter"][photos].value == datetime(2026, 1, 15, 13, 5)
    assert cells["Summer"][photos].value == "No" and not cells["Summer"][photos].is_date


# Choosing the columns ----------------------------------------------------------------------


def test_the_page_offers_every_column_checked_until_a_choice_is_made(client, login, db, paris):
    register(paris["programme"])
    login(paris["coordinator"])

    response = client.get(url(paris["programme"], None))

    assert response.status_code == 200
    page = text_of(response)
    assert_accessible_page(page)
    assert 'method="post"' in page and 'name="csrf_token"' in page
    assert "<legend>Columns</legend>" in page
    assert checked_columns(page) == list(export_columns.COLUMNS)
    assert "Dietary needs" in page and "Accessibility needs" in page and "Motivation" in page


def test_chosen_columns_make_the_file_and_are_remembered_for_the_user(client, login, db, paris):
    programme, other = paris["programme"], paris["other_programme"]
    register(programme, name="Aminata Diallo", dietary_needs="Vegetarian")
    register(other, name="Núria Puig i Ferrer", dietary_needs="Vegan")
    coordinator = paris["coordinator"]
    login(coordinator)
    before = _downloads()

    # Chosen in any order, written in the file's order.
    response = client.post(
        url(programme, "xlsx"),
        data={"status": "confirmed", "columns": ["dietary_needs", "name", "organisation"]},
    )

    rows = [list(row) for row in sheet_of(response).iter_rows(values_only=True)]
    assert rows == [
        ["Name", "Organisation", "Dietary needs"],
        [f"{FSI}Aminata Diallo{PDI}", rows[1][1], f"{FSI}Vegetarian{PDI}"],
    ]
    assert _downloads() == before + 1
    assert _remembered(coordinator) == ["name", "organisation", "dietary_needs"]

    # The page of any programme is pre-filled with the choice ...
    page = text_of(client.get(url(other, None)))
    assert checked_columns(page) == ["name", "organisation", "dietary_needs"]
    # ... and a plain download link uses it too.
    header, nuria = csv_rows(client.get(url(other)))
    assert header == ["Name", "Organisation", "Dietary needs"]
    assert nuria[0] == f"{FSI}Núria Puig i Ferrer{PDI}" and nuria[2] == f"{FSI}Vegan{PDI}"
    # Another member of staff still has every column.
    client.post("/account/logout")
    login(paris["director"])
    assert len(csv_rows(client.get(url(programme)))[0]) > 3
    assert _remembered(paris["director"]) is None

    # A new choice replaces the old one (one row per user).
    client.post("/account/logout")
    login(coordinator)
    response = client.post(url(programme), data={"status": "all", "columns": ["email"]})
    assert csv_rows(response)[0] == ["Email address"]
    assert _remembered(coordinator) == ["email"]
    assert count_rows(ExportPreference) == 1


def test_choosing_no_column_is_refused_beside_the_field(client, login, db, paris):
    programme = paris["programme"]
    register(programme)
    coordinator = paris["coordinator"]
    login(coordinator)
    client.post(url(programme), data={"status": "confirmed", "columns": ["name"]})
    before = _downloads()

    for data in ({"status": "confirmed"}, {"status": "confirmed", "columns": ["password_hash"]}):
        response = client.post(url(programme, "xlsx"), data=data)

        assert response.status_code == 400
        assert response.mimetype == "text/html"
        page = text_of(response)
        assert_accessible_page(page)
        assert "Please correct the highlighted fields." in page
        message = field_errors(response)["columns"]
        assert message in ("Choose at least one column.", "Choose the columns from the list.")
        assert _downloads() == before
        assert _remembered(coordinator) == ["name"]


def test_an_unknown_status_in_the_form_is_refused(client, login, db, paris):
    programme = paris["programme"]
    register(programme)
    login(paris["coordinator"])
    before = _downloads()
    for status in ("", "bogus", "<script>"):
        response = client.post(url(programme), data={"status": status, "columns": ["name"]})
        assert response.status_code == 400
        assert "Choose which registrations to export from the list." in text_of(response)
        assert "<script>" not in text_of(response)
    assert _downloads() == before
    assert _remembered(paris["coordinator"]) is None


def test_the_form_needs_its_csrf_token(app, client, login, db, paris, monkeypatch):
    programme = paris["programme"]
    register(programme)
    login(paris["coordinator"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = _downloads()

    response = client.post(url(programme), data={"status": "confirmed", "columns": ["name"]})

    assert response.status_code == 400
    assert _downloads() == before
    assert _remembered(paris["coordinator"]) is None


def test_remembered_keys_no_longer_offered_are_dropped(db, paris):
    coordinator = paris["coordinator"]
    db.session.add(ExportPreference(user_id=coordinator.id, columns=["fax", "email", "name"]))
    db.session.flush()
    assert export_columns.remembered_columns(coordinator.id) == ("name", "email")
    export_columns.remember_columns(coordinator.id, ("status",))
    export_columns.remember_columns(coordinator.id, ("country", "status"))
    assert export_columns.remembered_columns(coordinator.id) == ("country", "status")
    db.session.execute(
        ExportPreference.__table__.update().values(columns=["fax"])  # nothing known is left
    )
    assert export_columns.remembered_columns(coordinator.id) == export_columns.DEFAULT_COLUMNS


def test_a_deleted_account_takes_its_choice_with_it(db, paris):
    user = make_user()
    export_columns.remember_columns(user.id, ("name",))
    db.session.delete(user)
    db.session.flush()
    assert count_rows(ExportPreference) == 0
