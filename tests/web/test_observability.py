"""Request ids, JSON request logs, readiness and the Prometheus metrics endpoint."""

import json
import logging

import pytest

from config import ProductionConfig
from miti_training.models import RegistrationStatus
from miti_training.web import observability
from tests.support.factories import make_programme, make_registration, make_user
from tests.support.redis_database import REDIS_TEST_URL, require_redis

TOKEN = "scraper-token-for-tests"


def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_well_formed_incoming_request_id_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "edge-1234abcd"})
    assert kept.headers["X-Request-ID"] == "edge-1234abcd"
    hostile = client.get("/healthz", headers={"X-Request-ID": 'x" status=200 user=1'})
    assert hostile.headers["X-Request-ID"] != 'x" status=200 user=1'
    assert len(hostile.headers["X-Request-ID"]) == 32


def test_request_log_lines_are_json_with_ids_route_status_and_duration(
    app, client, login, caplog, monkeypatch
):
    monkeypatch.setitem(app.config, "LOG_REQUESTS", True)
    user = make_user(email="private.person@example.org")
    login(user)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="miti_training.requests"):
        response = client.get("/my/registrations", headers={"X-Request-ID": "trace-0001abc"})
    (record,) = [r for r in caplog.records if r.name == "miti_training.requests"]
    line = json.loads(observability.json_formatter().format(record))
    assert line["request_id"] == "trace-0001abc" == response.headers["X-Request-ID"]
    assert line["user_id"] == user.id
    assert line["route"] == "registrations.mine"
    assert line["status"] == 200 and line["method"] == "GET"
    assert line["duration_ms"] >= 0 and line["level"] == "INFO"
    assert "private.person" not in json.dumps(line)


def test_anonymous_requests_are_logged_without_a_user(app, client, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "LOG_REQUESTS", True)
    with caplog.at_level(logging.INFO, logger="miti_training.requests"):
        client.get("/no/such/page")
    (record,) = [r for r in caplog.records if r.name == "miti_training.requests"]
    assert record.user_id is None and record.status == 404 and record.route == "unmatched"


def test_production_logs_json_and_every_request(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 32)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://db/x")
    monkeypatch.setenv("SERVER_BASE_URL", "https://training.miti.example")
    config = ProductionConfig()
    assert config.LOG_FORMAT == "json" and config.LOG_REQUESTS is True


def test_readyz_reports_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_readyz_is_not_ready_when_redis_is_unreachable(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["redis"] == "unreachable" and response.json["database"] == "ok"


def test_readyz_checks_a_real_redis(app, client, monkeypatch):
    require_redis()
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_TEST_URL)
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json["redis"] == "ok"


def test_metrics_do_not_exist_without_a_token(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic c2NyYXBlcg==", TOKEN])
def test_metrics_refuse_a_missing_or_wrong_token(app, client, monkeypatch, header):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    headers = {"Authorization": header} if header else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert b"miti_" not in response.data


def test_metrics_count_requests_per_endpoint_and_registrations_per_status(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    programme = make_programme()
    for status in ("confirmed", "confirmed", "waitlisted"):
        make_registration(programme, status=RegistrationStatus(status))
    before = observability.REQUESTS.labels("catalogue.list_programmes", "GET", "200")._value.get()
    assert client.get("/programmes").status_code == 200

    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 'miti_registrations{status="confirmed"} 2.0' in text
    assert 'miti_registrations{status="waitlisted"} 1.0' in text
    line = (
        'miti_http_requests_total{endpoint="catalogue.list_programmes",method="GET",status="200"}'
    )
    assert f"{line} {before + 1}" in text
    assert 'miti_http_request_duration_seconds_bucket{endpoint="catalogue.list_programmes"' in text
