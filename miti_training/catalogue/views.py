"""Public programme and centre pages."""

from flask import abort, current_app, render_template, request

from ..extensions import db
from ..models import Programme
from ..services import catalogue
from . import bp


@bp.route("/programmes")
def list_programmes():
    page = db.paginate(
        catalogue.public_programmes().order_by(Programme.starts_on.desc(), Programme.id),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("catalogue/list.html", page=page)


@bp.route("/programmes/<slug>")
def programme_detail(slug: str):
    programme = catalogue.programme_by_slug(slug)
    if programme is None:
        abort(404)
    return render_template("catalogue/programme.html", programme=programme)


@bp.route("/centres/<slug>")
def centre_detail(slug: str):
    centre = catalogue.centre_by_slug(slug)
    if centre is None:
        abort(404)
    return render_template(
        "catalogue/centre.html",
        centre=centre,
        upcoming=catalogue.upcoming_programmes(centre=centre),
        past=catalogue.past_programmes(centre),
    )
