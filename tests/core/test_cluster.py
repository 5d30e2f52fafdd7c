"""Two gunicorn instances on one database: a login made through one is valid on the other, and
a photo uploaded through one is served, then hidden, by the other.

Each instance is its own process with the production configuration, as on two hosts; nothing
but the database (and SECRET_KEY) is shared.
"""

import os
import re
import socket
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.conftest import IN_CI

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-shared-secret-for-both-instances-0123456789"
EMAIL = "cluster.admin@miti.example"
PASSWORD = "harbour-lantern-meadow-73"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_url(request, tmp_path) -> str:
    """A new PostgreSQL database in the PostgreSQL run, else a SQLite file."""
    if os.environ.get("MITI_TEST_BACKEND") == "postgresql":
        return request.getfixturevalue("fresh_postgres_database")
    return f"sqlite:///{tmp_path / 'cluster.db'}"


def _wait_until_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited early:\n{log.read_text()}", pytrace=False)
        try:
            if requests.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not become ready:\n{log.read_text()}", pytrace=False)


@pytest.fixture
def instances_env(tmp_path, database_url) -> dict:
    """The environment of both instances: the production configuration on one database."""
    env = {
        **os.environ,
        "MITI_ENV": "production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "ALLOW_SQLITE_IN_PRODUCTION": "1",
        "COOKIE_SECURE": "0",  # plain HTTP on 127.0.0.1
        "SERVER_BASE_URL": "http://127.0.0.1:8000",  # required in production; no mail is read
        "MAIL_BACKEND": "outbox",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "MITI_INSTANCE_PATH": str(tmp_path / "instance"),
        "LOG_REQUESTS": "0",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    env.pop("REDIS_URL", None)
    return env


@pytest.fixture
def two_instances(tmp_path, instances_env):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        if IN_CI:
            pytest.fail("CI=true but gunicorn is not installed")
        pytest.skip("gunicorn is not installed")
    env = instances_env
    flask = [sys.executable, "-m", "flask", "--app", "miti_training"]
    admin = ["create-admin", "--email", EMAIL, "--name", "Cluster", "--password", PASSWORD]
    for command in (["db", "upgrade"], admin):
        subprocess.run(  # noqa: S603 (fixed command line)
            [*flask, *command],
            cwd=REPO_ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    processes, urls = [], []
    for n in (1, 2):
        port = _free_port()
        log = tmp_path / f"gunicorn-{n}.log"
        process = subprocess.Popen(  # noqa: S603 (fixed command line)
            [str(gunicorn), "-c", "gunicorn.conf.py", "miti_training:create_app('production')"],
            cwd=REPO_ROOT,
            env={**env, "PORT": str(port), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"m{n}")},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        urls.append(f"http://127.0.0.1:{port}")
        _wait_until_ready(urls[-1], process, log)
    yield urls
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_a_login_through_one_instance_is_valid_on_the_other(two_instances):
    first, second = two_instances
    browser = requests.Session()
    form = browser.get(f"{first}/account/login", timeout=10)
    response = browser.post(
        f"{first}/account/login",
        data={"csrf_token": _csrf(form.text), "email": EMAIL, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]

    on_second = browser.get(f"{second}/account/profile", allow_redirects=False, timeout=10)
    assert on_second.status_code == 200
    assert EMAIL in on_second.text

    # A form rendered by the second instance posts to the first: CSRF tokens are shared too.
    profile = browser.get(f"{second}/account/profile", timeout=10)
    logout = browser.post(
        f"{first}/account/logout",
        data={"csrf_token": _csrf(profile.text)},
        allow_redirects=False,
        timeout=10,
    )
    assert logout.status_code == 302
    after = browser.get(f"{second}/account/profile", allow_redirects=False, timeout=10)
    assert after.status_code == 302 and "/account/login" in after.headers["Location"]


#: A past programme with one session, made in the instances' database with the tests' own
#: factories (the production configuration has no demo data).
SEED = """
from datetime import timedelta
from miti_training import create_app
from miti_training.extensions import db
from tests.support.factories import make_centre, make_programme, today
app = create_app("production")
with app.app_context():
    centre = make_centre(slug="seoul")
    programme = make_programme(centre, slug="forum", starts_on=today() - timedelta(days=5))
    db.session.commit()
    print(programme.id, programme.sessions[0].id)
"""


def _seed_programme(env_of_instances: dict) -> tuple[int, int]:
    done = subprocess.run(  # noqa: S603 (fixed command line)
        [sys.executable, "-c", SEED],
        cwd=REPO_ROOT,
        env=env_of_instances,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    programme_id, session_id = done.stdout.split()[-2:]
    return int(programme_id), int(session_id)


def _jpeg(colour) -> bytes:
    out = BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, format="JPEG")
    return out.getvalue()


def test_a_photo_uploaded_through_one_instance_is_served_and_hidden_by_the_other(
    two_instances, instances_env
):
    """The albums live in the database: no file on one host's disk that the other lacks."""
    first, second = two_instances
    programme_id, session_id = _seed_programme(instances_env)
    staff = requests.Session()
    form = staff.get(f"{first}/account/login", timeout=10)
    staff.post(
        f"{first}/account/login",
        data={"csrf_token": _csrf(form.text), "email": EMAIL, "password": PASSWORD},
        timeout=10,
    )
    album = f"/manage/seoul/programmes/{programme_id}/sessions/{session_id}/album"
    page = staff.get(f"{first}{album}", timeout=10)
    assert page.status_code == 200, page.text[:300]
    uploaded = staff.post(
        f"{first}{album}/upload",
        data={"csrf_token": _csrf(page.text)},
        files=[("photos", ("day-1.jpg", _jpeg((200, 40, 40)), "image/jpeg"))],
        timeout=30,
    )
    assert "1 photo has been added to the album." in uploaded.text

    public = requests.get(f"{second}/programmes/forum", timeout=10).text
    photo_id = re.search(r"/photos/(\d+)/thumb\.jpg", public).group(1)
    for size in ("thumb", "web"):
        image = requests.get(f"{second}/photos/{photo_id}/{size}.jpg", timeout=10)
        assert image.status_code == 200 and image.content[:2] == b"\xff\xd8"

    hidden = staff.post(
        f"{first}{album}/photos/{photo_id}/hide",
        data={"csrf_token": _csrf(uploaded.text)},
        timeout=10,
    )
    assert "is hidden" in hidden.text
    assert requests.get(f"{second}/photos/{photo_id}/web.jpg", timeout=10).status_code == 404
