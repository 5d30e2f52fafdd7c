"""Public entry pages."""

import hmac

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from miti_training.extensions import csrf, db
from miti_training.formatting import LANGUAGES
from miti_training.news import queries as news
from miti_training.programmes import catalogue
from miti_training.web import http_cache, observability
from miti_training.web.main.blueprint import bp
from miti_training.web.redirects import safe_next


@bp.route("/")
@http_cache.listing
def home():
    return render_template(
        "main/home.html",
        centres=catalogue.centres(),
        upcoming=catalogue.upcoming_programmes(limit=6),
        news=news.latest_posts(),
    )


@bp.route("/language", methods=["POST"])
@csrf.exempt  # public pages carry no token: http_cache.protect_language_choice checks instead
def set_language():
    """Remember the visitor's language (and the user's, when logged in); works without JS."""
    http_cache.protect_language_choice()
    lang = request.form.get("lang", "")
    target = safe_next(request.form.get("next"), url_for("main.home"))
    if lang not in LANGUAGES:
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


@bp.route("/readyz")
def readyz():
    """Readiness: the database and, when configured, Redis answer; 503 otherwise."""
    checks = {"database": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure means "do not send traffic here"
        current_app.logger.exception("Readiness: database unreachable")
        checks["database"] = "unreachable"
    if current_app.config.get("REDIS_URL"):
        from redis import Redis

        try:
            Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception:  # any failure means "do not send traffic here"
            current_app.logger.exception("Readiness: Redis unreachable")
            checks["redis"] = "unreachable"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if ready else "error", **checks), 200 if ready else 503


@bp.route("/metrics")
def metrics():
    """Prometheus metrics for the scraper holding METRICS_TOKEN; absent without a token."""
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not hmac.compare_digest(offered.strip().encode(), token.encode()):
        return "", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'}
    body, headers = observability.metrics_response(current_app)
    return body, 200, headers
