"""Network dashboard: participants per member city, country and world region, each centre's
programmes, participants and completions, and nominations, selections and completions per
world region and member city, for a year (admins only)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from miti_training import spreadsheets
from miti_training.formatting import country_name, label
from miti_training.models import utcnow
from miti_training.network import network_dashboard as dashboards
from miti_training.permissions import admin_required
from miti_training.web.admin.blueprint import bp
from miti_training.web.limits import dashboard_exports_per_account


def _year() -> tuple[int, list[int]]:
    """The year asked for (else the current one) and the years offered."""
    years = dashboards.network_years()
    return dashboards.chosen_year(request.args.get("year"), years, utcnow().year), years


def _region(value) -> str:
    return label(value) if value else _("World region not recorded")


def _city(row: dashboards.CityCount) -> str:
    return row.name if row.name is not None else _("Member city not recorded")


def _country(value: str | None) -> str:
    return country_name(value) if value is not None else _("Country not recorded")


@bp.route("/dashboard")
@admin_required
def network_dashboard():
    year, years = _year()
    centres = dashboards.centre_figures(year)
    return render_template(
        "admin/dashboard.html",
        year=year,
        years=years,
        cities=dashboards.participants_by_city(year),
        countries=dashboards.participants_by_country(year),
        regions=dashboards.participants_by_region(year),
        centres=centres,
        centre_total=dashboards.centre_total(centres),
        selection_regions=dashboards.selection_by_region(year),
        selection_cities=dashboards.selection_by_city(year),
        table_labels=TABLE_LABELS,
        region_label=_region,
        country_label=_country,
        city_label=_city,
        region_label_of=lambda row: _region(row.world_region),
        country_label_of=lambda row: _country(row.country),
    )


@dataclass(frozen=True)
class _Table:
    """One table of the dashboard as a spreadsheet."""

    filename: str
    header: Callable[[], Sequence[str]]
    rows: Callable[[int], list[Sequence]]


def _centre_rows(year: int) -> list[Sequence]:
    figures = dashboards.centre_figures(year)
    total = dashboards.centre_total(figures)
    return [
        *((f.name, f.programmes, f.participants, f.completions) for f in figures),
        (_("Total"), total.programmes, total.participants, total.completions),
    ]


TABLES = {
    "cities": _Table(
        "participants-by-member-city",
        lambda: (_("Member city"), _("Country"), _("World region"), _("Participants")),
        lambda year: [
            (_city(r), _country(r.country), _region(r.world_region), r.participants)
            for r in dashboards.participants_by_city(year)
        ],
    ),
    "countries": _Table(
        "participants-by-country",
        lambda: (_("Country"), _("Participants")),
        lambda year: [
            (_country(r.country), r.participants) for r in dashboards.participants_by_country(year)
        ],
    ),
    "regions": _Table(
        "participants-by-world-region",
        lambda: (_("World region"), _("Participants")),
        lambda year: [
            (_region(r.world_region), r.participants)
            for r in dashboards.participants_by_region(year)
        ],
    ),
    "selection-regions": _Table(
        "nominations-by-world-region",
        lambda: (_("World region"), _("Nominations"), _("Selected"), _("Completions")),
        lambda year: [
            (_region(r.world_region), r.nominations, r.selections, r.completions)
            for r in dashboards.selection_by_region(year)
        ],
    ),
    "selection-cities": _Table(
        "nominations-by-member-city",
        lambda: (
            _("Member city"),
            _("Country"),
            _("World region"),
            _("Nominations"),
            _("Selected"),
            _("Completions"),
        ),
        lambda year: [
            (
                r.name,
                _country(r.country),
                _region(r.world_region),
                r.nominations,
                r.selections,
                r.completions,
            )
            for r in dashboards.selection_by_city(year)
        ],
    ),
    "centres": _Table(
        "centres",
        lambda: (_("Centre"), _("Programmes"), _("Confirmed participants"), _("Completions")),
        _centre_rows,
    ),
}
#: Labels of the download links, by table.
TABLE_LABELS = {
    "cities": _l("Download participants by member city (CSV)"),
    "countries": _l("Download participants by country (CSV)"),
    "regions": _l("Download participants by world region (CSV)"),
    "centres": _l("Download the centres table (CSV)"),
    "selection-regions": _l("Download nominations by world region (CSV)"),
    "selection-cities": _l("Download nominations by member city (CSV)"),
}


@bp.route("/dashboard.csv")
@admin_required
@dashboard_exports_per_account
def network_dashboard_csv():
    table = TABLES.get(request.args.get("table", ""))
    if table is None:
        abort(404)
    year, _years = _year()
    data = spreadsheets.csv_bytes(table.header(), table.rows(year))
    response = Response(data, content_type=spreadsheets.CSV_MEDIA_TYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="miti-{table.filename}-{year}.csv"'
    )
    return response
