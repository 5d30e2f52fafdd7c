"""Browser journeys: the real app in a subprocess, Debian's Chromium, axe-core on every page.

The server runs the development configuration against a file SQLite database in a temporary
directory (migrated with `flask db upgrade`, filled with `flask demo-data`), records mail as
.eml files in an outbox directory, and is shared by every test of the session. Each test gets
a fresh browser context (own cookies), created with bypass_csp so axe-core can be injected.

Without /usr/bin/chromium the whole package is skipped, except in CI (CI=true), where a
missing browser is a failure.
"""

import email
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
IN_CI = os.environ.get("CI", "").lower() == "true"

#: WCAG 2.0/2.1 level A and AA rules: what the pages are held to.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

#: An account created with `flask create-admin` for journeys that need to log in.
STAFF_EMAIL = "e2e.admin@miti.example"
STAFF_NAME = "E2E Administrator"
STAFF_PASSWORD = "lantern-orchard-velvet-42"

DEFAULT_TIMEOUT_MS = 10_000


def _missing(reason: str) -> None:
    """Skip on a laptop; fail in CI, where everything must be installed."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    if not CHROMIUM.exists():
        _missing(
            "browser tests need Debian's Chromium at /usr/bin/chromium "
            "(apt-get install chromium fonts-noto-cjk fonts-noto-core)"
        )
    if not AXE_SCRIPT.exists():
        _missing("browser tests need axe-core: run `npm install` in the repository root")
    return str(CHROMIUM)


@pytest.fixture(autouse=True)
def db():
    """The e2e tests talk to the server over HTTP: no in-process app or database here."""
    return None


# --- The application under test ------------------------------------------------------------


@dataclass(frozen=True)
class LiveServer:
    url: str
    tmpdir: Path
    outbox: Path
    log: Path
    #: The server's environment: run_cli() runs flask commands against its database.
    env: dict


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "miti_training", *args]


def _run_cli(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (fixed command line)
        _flask(*args), cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        pytest.fail(
            f"`flask {' '.join(args)}` failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The app server exited early:\n{log.read_text()}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"The app server did not answer /healthz in {timeout}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_server(chromium_executable, tmp_path_factory) -> Iterator[LiveServer]:
    """Migrate, load demo data, create a staff account, serve on a free 127.0.0.1 port."""
    tmpdir = tmp_path_factory.mktemp("e2e")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    outbox = tmpdir / "outbox"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "MITI_", "MAIL_")) and key != "DATABASE_URL"
    }
    env.update(
        MITI_ENV="development",
        DATABASE_URL=f"sqlite:///{tmpdir / 'e2e.db'}",
        MITI_INSTANCE_PATH=str(tmpdir),
        MAIL_BACKEND="outbox",
        MAIL_OUTBOX_DIR=str(outbox),
        SECRET_KEY="e2e-not-secret",
        SERVER_BASE_URL=url,
        PYTHONUNBUFFERED="1",
        # Every journey logs in, signs up and asks for resets from 127.0.0.1 (the page-state
        # walks send those forms in three languages); the per-address limits have their own tests.
        LOGIN_RATE_LIMIT="1000 per minute",
        SIGNUP_RATE_LIMIT="1000 per minute",
        RESET_RATE_LIMIT="1000 per minute",
        RESET_CLIENT_LIMIT="1000 per minute",
    )
    _run_cli(env, "db", "upgrade")
    _run_cli(env, "demo-data")

    log = tmpdir / "server.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(  # noqa: S603 (fixed command line)
            _flask(
                "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger"
            ),
            cwd=REPO_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        # While the server starts (the database is idle until the first request).
        _run_cli(
            env,
            "create-admin",
            "--email",
            STAFF_EMAIL,
            "--name",
            STAFF_NAME,
            "--password",
            STAFF_PASSWORD,
        )
        _wait_until_healthy(url, process, log)
        yield LiveServer(url=url, tmpdir=tmpdir, outbox=outbox, log=log, env=env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- pytest-playwright configuration -------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_executable):
    """Debian's Chromium; Playwright never downloads a browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """bypass_csp: the app's CSP (script-src 'self') would otherwise block injected axe-core."""
    return {
        **browser_context_args,
        "bypass_csp": True,
        "locale": "en-GB",
        "timezone_id": "Europe/Paris",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(autouse=True)
def _page_defaults(request):
    """Shorter timeouts than Playwright's 30 s, so a broken journey fails fast."""
    if "page" in request.fixturenames:
        page = request.getfixturevalue("page")
        page.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)


@pytest.fixture(autouse=True)
def _no_server_errors(live_server):
    """Fail a journey that made the server log a traceback, even if the page looked fine."""
    start = live_server.log.stat().st_size
    yield
    with live_server.log.open(errors="replace") as log:
        log.seek(start)
        new_output = log.read()
    if "Traceback (most recent call last)" in new_output:
        pytest.fail(f"The app server logged an error during this test:\n{new_output[-4000:]}")


@pytest.fixture(scope="session", autouse=True)
def _clean_artifacts():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


# --- Helpers used by the journeys ----------------------------------------------------------


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as tests/e2e/artifacts/<name>.jpg (JPEG: 4x faster than PNG)."""
    path = ARTIFACTS / f"{_safe_name(name)}.jpg"
    page.screenshot(path=str(path), full_page=True, type="jpeg", quality=80)
    return path


def _describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}\n    {v['helpUrl']}")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            html = re.sub(r"\s+", " ", node["html"])[:160]
            summary = node.get("failureSummary", "").replace("\n", "\n        ")
            lines.append(f"  - {target}\n      {html}\n        {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"  ... and {len(v['nodes']) - 8} more elements")
    return "\n".join(lines)


def check_a11y(page, name: str) -> None:
    """Screenshot the page, run axe-core (WCAG 2.1 A and AA) and fail on any violation."""
    page.wait_for_load_state("load")
    save_screenshot(page, name)
    if page.evaluate("typeof window.axe") == "undefined":
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations = results["violations"]
    if violations:
        report = ARTIFACTS / f"{_safe_name(name)}.axe.json"
        report.write_text(json.dumps(violations, indent=2, ensure_ascii=False))
        pytest.fail(
            f"axe-core found {len(violations)} accessibility violation(s) on {name!r} "
            f"({page.url}):\n{_describe_violations(violations)}",
            pytrace=False,
        )


def newest_email(outbox: Path, to: str | None = None) -> email.message.EmailMessage:
    """The most recent .eml in the outbox directory (optionally: sent to this address)."""
    files = sorted(outbox.glob("*.eml"), reverse=True) if outbox.exists() else []
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if to is None or message["To"] == to:
            return message
    raise AssertionError(f"No email{f' to {to}' if to else ''} in {outbox}")


def run_cli(server: LiveServer, *args: str) -> str:
    """Run `flask ARGS` on the live server's database and outbox; its output."""
    return _run_cli(server.env, *args)


def link_in(message: email.message.EmailMessage, base_url: str, path_prefix: str) -> str:
    """The first absolute link to base_url + path_prefix in an email's text body."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(base_url + path_prefix) + r"\S+", body)
    assert match, f"No link to {path_prefix} in:\n{body}"
    return match.group(0)


def focused(page) -> dict:
    """Describe the focused element: tag, id, classes, accessible-ish text, href."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                tag: el.tagName.toLowerCase(),
                id: el.id,
                className: el.className,
                text: (el.innerText || el.value || '').trim(),
                href: el.getAttribute('href'),
                name: el.getAttribute('name'),
            };
        }"""
    )


# --- Phones ------------------------------------------------------------------------------

#: A phone's viewport: no page may scroll sideways at this width.
PHONE = {"width": 360, "height": 740}

#: The elements that stick out of the viewport, innermost first: what to fix.
OVERFLOWING = """() => {
    const width = window.innerWidth;
    const sticksOut = el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
    };
    const clipped = el => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (!sticksOut(el) || clipped(el) || [...el.children].some(sticksOut)) continue;
        const box = el.getBoundingClientRect();
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.classList.length ? '.' + [...el.classList].join('.') : '');
        out.push(`${name} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
        if (out.length === 6) break;
    }
    return out;
}"""


#: What a narrow layout can break that the desktop accessibility test cannot see: a table that
#: scrolls inside a region the keyboard cannot reach, a second landmark of the same name (the
#: phone's registration summary).
NARROW_LAYOUT_RULES = ["scrollable-region-focusable", "landmark-unique", "duplicate-id-aria"]


def narrow_layout_violations(page) -> list[str]:
    if page.evaluate("typeof window.axe") == "undefined":
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})",
        NARROW_LAYOUT_RULES,
    )
    return [
        f"{v['id']} on {' '.join(str(t) for t in node['target'])}"
        for v in results["violations"]
        for node in v["nodes"]
    ]
