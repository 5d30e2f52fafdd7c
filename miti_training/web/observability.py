"""Request ids, structured request logs and Prometheus metrics, the same in every process.

With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py does) so the
counters of every worker are summed when /metrics is scraped.
"""

import logging
import os
import re
import time
import uuid

from flask import Flask, g, request
from flask_login import current_user
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import func, select

from miti_training.extensions import db
from miti_training.registrations.locking import LOCK_HELD

#: An incoming X-Request-ID is kept only if it looks like one (no log injection).
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

REQUESTS = Counter(
    "miti_http_requests_total",
    "HTTP requests answered, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "miti_http_request_duration_seconds",
    "Time to answer an HTTP request, by endpoint and method.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

request_log = logging.getLogger("miti_training.requests")


class RegistrationCollector:
    """Registrations per status, counted by the database when /metrics is scraped."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self):
        from miti_training.models import Registration

        gauge = GaugeMetricFamily(
            "miti_registrations", "Registrations by status, all programmes.", labels=["status"]
        )
        with self.app.app_context():
            rows = db.session.execute(
                select(Registration.status, func.count()).group_by(Registration.status)
            ).all()
        for status, count in rows:
            gauge.add_metric([str(status)], count)
        yield gauge


def init_app(app: Flask) -> None:
    """Request ids on every response, a log line per request, metrics per endpoint."""
    if app.config.get("LOG_FORMAT") == "json":
        _use_json_logs()

    @app.before_request
    def _start_request() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish_request(response):
        request_id = g.get("request_id")
        if request_id is None:  # a response made before the request started
            return response
        response.headers["X-Request-ID"] = request_id
        duration = time.perf_counter() - g.request_started
        endpoint = request.url_rule.endpoint if request.url_rule else "unmatched"
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        LATENCY.labels(endpoint, request.method).observe(duration)
        if app.config.get("LOG_REQUESTS"):
            request_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "user_id": _user_id(),
                    "method": request.method,
                    "route": endpoint,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                },
            )
        return response

    app.extensions["miti_metrics_registry"] = _registry(app)


def _user_id() -> int | None:
    """The user's id (never the address), when someone is logged in."""
    try:
        return current_user.id if current_user.is_authenticated else None
    except Exception:  # the user could not be loaded (database down): log without it
        return None


def _registry(app: Flask) -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    registry.register(RegistrationCollector(app))
    return registry


class _ProcessMetrics:
    """This process's request metrics when there is only one process."""

    def collect(self):
        yield from REQUESTS.collect()
        yield from LATENCY.collect()
        yield from LOCK_HELD.collect()


def metrics_response(app: Flask) -> tuple[bytes, dict[str, str]]:
    """The Prometheus exposition of every metric, with its content type."""
    body = generate_latest(app.extensions["miti_metrics_registry"])
    return body, {"Content-Type": CONTENT_TYPE_LATEST}


def json_formatter() -> JsonFormatter:
    """One JSON object per log line, extra fields (request id, route, ...) included."""
    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )


def _use_json_logs() -> None:
    """Every log line on stderr as JSON, for the log collector."""
    handler = logging.StreamHandler()
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
