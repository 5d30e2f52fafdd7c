"""`flask programmes ...`: command-line tools for a centre's programmes."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import Centre
from miti_training.programmes import calendar_import
from miti_training.programmes.calendar_import import CalendarImportError

programmes_cli = AppGroup("programmes", help="Manage programmes from the command line.")


@programmes_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--centre", "centre_slug", required=True, help="Short name of the centre, e.g. seoul."
)
@click.option("--check", is_flag=True, help="Only check the file; import nothing.")
def import_file(file: Path, centre_slug: str, check: bool) -> None:
    """Import a training calendar (CSV or XLSX, one row per session) as draft programmes.

    Every row is checked first; if anything is wrong, nothing is imported and each problem
    is printed with its row and column.
    """
    centre = db.session.scalar(select(Centre).where(Centre.slug == centre_slug))
    if centre is None:
        known = ", ".join(db.session.scalars(select(Centre.slug).order_by(Centre.slug))) or "-"
        raise click.ClickException(
            _(
                "There is no centre with the short name '%(slug)s'. Centres: %(known)s.",
                slug=calendar_import.shown(centre_slug),
                known=known,
            )
        )
    with file.open("rb") as handle:
        data = handle.read(calendar_import.MAX_FILE_BYTES + 1)
    try:
        if check:
            plans = calendar_import.plan_calendar(data, file.name, centre)
            programmes, sessions = len(plans), sum(len(p.sessions) for p in plans)
        else:
            result = calendar_import.import_calendar(data, file.name, centre=centre)
            programmes, sessions = len(result.programmes), result.session_count
    except CalendarImportError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            ngettext(
                "The calendar was not imported: %(num)d problem. Nothing was changed.",
                "The calendar was not imported: %(num)d problems. Nothing was changed.",
                len(error.problems),
            )
        ) from error
    counts = {
        "programmes": ngettext("%(num)d programme", "%(num)d programmes", programmes),
        "sessions": ngettext("%(num)d session", "%(num)d sessions", sessions),
        "centre": centre.name,
    }
    if check:
        click.echo(
            _("The file is valid: it would import %(programmes)s with %(sessions)s.", **counts)
        )
        return
    db.session.commit()
    click.echo(_("Imported %(programmes)s with %(sessions)s as drafts into %(centre)s.", **counts))
