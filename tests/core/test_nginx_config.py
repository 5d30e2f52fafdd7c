"""deploy/nginx.conf itself, run by nginx in front of a stand-in for the web hosts: the request
bodies it lets through against the app's own limits, and what its microcache keeps.

A body over nginx's limit gets nginx's own 413 page (English, no way back to the form), so every
body the app accepts must reach the app: the largest photo upload above all. The configuration
is the deployed file with only its addresses and paths changed (no TLS here).
"""

import grp
import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from miti_training.web.uploads import LARGE_BODIES

DEPLOYED = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
)

pytestmark = pytest.mark.skipif(
    NGINX is None and os.environ.get("CI") != "true",
    reason="nginx is not installed (apt-get install nginx); CI installs it",
)

UPLOAD_PATH = "/manage/seoul/programmes/7/sessions/3/album/upload"


class _Upstream(BaseHTTPRequestHandler):
    """The web hosts' stand-in: reads every body whole, answers how much it read; GETs are
    numbered, so a page served from nginx's cache shows an older number."""

    served = 0

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        remaining = length
        while remaining:
            remaining -= len(self.rfile.read(min(remaining, 1 << 20)))
        self._answer(f"read {length}".encode(), "no-store")

    def do_GET(self):
        type(self).served += 1
        private = self.path.startswith("/manage")
        self._answer(f"page {type(self).served}".encode(), "private" if private else "public")

    def _answer(self, body: bytes, cache_control: str):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache_control)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _configuration(work: Path, port: int, upstream: int) -> str:
    """The deployed file, pointed at the stand-in, listening on port without TLS, with its
    files under work; wrapped in the main context a site file leaves to nginx.conf."""
    site = DEPLOYED.read_text(encoding="utf-8")
    site = re.sub(r"server 10\.0\.0\.\d+:8000;[^\n]*\n", "", site)
    site = site.replace(
        "upstream miti_web {", f"upstream miti_web {{\n    server 127.0.0.1:{upstream};", 1
    )
    site = site.replace("/var/cache/nginx/miti", str(work / "cache"))
    site = re.sub(r"listen 443 ssl[^;]*;", f"listen 127.0.0.1:{port};", site)
    site = re.sub(r"\n\s*ssl_certificate[^\n]*", "", site)
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{_free_port()};", site)
    assert f"server 127.0.0.1:{upstream};" in site and f"listen 127.0.0.1:{port};" in site
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    temp = "\n".join(
        f"  {name}_temp_path {work / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"user {user} {group};\nworker_processes 1;\npid {work / 'nginx.pid'};\n"
        f"error_log {work / 'error.log'};\nevents {{ worker_connections 64; }}\n"
        f"http {{\n  access_log off;\n{temp}\n{site}\n}}\n"
    )


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    if NGINX is None:
        pytest.fail("CI=true but nginx is not installed: .ci/run installs it")
    work = tmp_path_factory.mktemp("nginx")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = _free_port()
    config = work / "nginx.conf"
    config.write_text(_configuration(work, port, upstream.server_address[1]))
    checked = subprocess.run(  # noqa: S603 - our own arguments
        [NGINX, "-t", "-p", str(work), "-c", str(config)], capture_output=True
    )
    assert checked.returncode == 0, checked.stderr.decode()
    subprocess.run([NGINX, "-p", str(work), "-c", str(config)], check=True)  # noqa: S603
    try:
        for _ in range(50):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port
    finally:
        pid_file = work / "nginx.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().strip()), signal.SIGQUIT)
        upstream.shutdown()


def _post(port: int, path: str, size: int) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", "training.miti.example")
    connection.putheader("Content-Type", "application/octet-stream")
    connection.putheader("Content-Length", str(size))
    connection.endheaders()
    chunk = b"x" * (1 << 20)
    try:
        sent = 0
        while sent < size:
            part = chunk[: min(len(chunk), size - sent)]
            connection.send(part)
            sent += len(part)
    except (BrokenPipeError, ConnectionResetError):
        pass  # nginx refused the body before it was all sent: its answer is waiting
    response = connection.getresponse()
    try:
        return response.status, response.read()
    finally:
        connection.close()


def _get(port: int, path: str, **headers) -> tuple[str, str]:
    """(body, X-Cache-Status) of a GET through nginx."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "training.miti.example", **headers})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    assert response.status == 200, (path, response.status, body)
    return body, response.headers.get("X-Cache-Status", "")


def test_the_largest_photo_upload_the_app_takes_reaches_the_app(nginx, app):
    largest = LARGE_BODIES["manage.upload_photos"](app.config)
    status, body = _post(nginx, UPLOAD_PATH, largest)
    assert (status, body) == (200, f"read {largest}".encode())


def test_every_other_body_the_app_takes_reaches_it_and_a_larger_one_stops_at_nginx(nginx, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert _post(nginx, "/manage/seoul/programmes/7/import", limit) == (
        200,
        f"read {limit}".encode(),
    )
    status, _body = _post(nginx, "/manage/seoul/programmes/7/import", 64 * 2**20)
    assert status == 413


def test_the_microcache_keeps_anonymous_public_pages_only(nginx):
    first, _ = _get(nginx, "/programmes")
    again, status = _get(nginx, "/programmes")
    assert (again, status) == (first, "HIT")
    signed_in, status = _get(nginx, "/programmes", Cookie="session=abc")
    assert (signed_in != first, status) == (True, "BYPASS")
    for public in ("/", "/news", "/news.atom", "/news/4", "/centres/seoul/news", "/api/v1/centres"):
        body, _ = _get(nginx, public)
        assert _get(nginx, public) == (body, "HIT"), public
    for passing in ("/photos/4/web.jpg", "/newsletter", "/my/registrations"):
        one, _ = _get(nginx, passing)
        two, status = _get(nginx, passing)
        assert (one != two, status) == (True, ""), passing
    staff_one, _ = _get(nginx, "/manage/seoul/")
    staff_two, status = _get(nginx, "/manage/seoul/")
    assert staff_one != staff_two and status == ""
    # Kept one second (nginx counts whole seconds: less than two); then the next visitor
    # still gets it while nginx fetches it again.
    time.sleep(2.1)
    _stale, status = _get(nginx, "/programmes")
    assert status in ("STALE", "UPDATING", "EXPIRED", "REVALIDATED"), status
    for _ in range(40):
        later, _status = _get(nginx, "/programmes")
        if later != first:
            break
        time.sleep(0.05)
    assert later != first
