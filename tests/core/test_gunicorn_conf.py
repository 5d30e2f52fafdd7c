"""gunicorn.conf.py: what each worker sets up after the fork."""

import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_a_worker_hands_the_interpreter_over_within_a_millisecond(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.delenv("GUNICORN_SWITCH_INTERVAL", raising=False)
    settings = runpy.run_path(str(CONF))
    before = sys.getswitchinterval()
    try:
        settings["post_fork"](None, None)
        assert sys.getswitchinterval() == 0.001
    finally:
        sys.setswitchinterval(before)


def test_the_interval_can_be_set_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setenv("GUNICORN_SWITCH_INTERVAL", "0.005")
    settings = runpy.run_path(str(CONF))
    before = sys.getswitchinterval()
    try:
        settings["post_fork"](None, None)
        assert sys.getswitchinterval() == 0.005
    finally:
        sys.setswitchinterval(before)


def test_a_worker_compiles_the_email_templates_before_taking_requests(app, monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    settings = runpy.run_path(str(CONF))
    app.jinja_env.cache.clear()
    settings["post_worker_init"](SimpleNamespace(wsgi=app))
    cached = {name for _loader, name in app.jinja_env.cache}
    assert {"emails/registration_confirmed.txt", "emails/_layout.html"} <= cached
