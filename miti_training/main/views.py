"""Public entry pages."""

from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from ..extensions import db
from ..redirects import safe_next
from ..services import catalogue
from . import bp


@bp.route("/")
def home():
    return render_template(
        "main/home.html",
        centres=catalogue.centres(),
        upcoming=catalogue.upcoming_programmes(limit=6),
    )


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the visitor's language (and the user's, when logged in); works without JS."""
    lang = request.form.get("lang", "")
    target = safe_next(request.form.get("next"), url_for("main.home"))
    if lang not in current_app.config["LANGUAGES"]:
        flash(_("This language is not available."), "error")
        return redirect(target)
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.preferred_language = lang
        db.session.commit()
    return redirect(target)


@bp.route("/healthz")
def healthz():
    """Liveness plus a database round trip, as JSON."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy"
        current_app.logger.exception("Health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
