"""Administration pages."""

from flask import render_template

from ..permissions import admin_required
from . import bp


@bp.route("/")
@admin_required
def index():
    return render_template("admin/index.html")
