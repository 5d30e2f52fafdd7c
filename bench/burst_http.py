"""The HTTP mode of bench/registration_burst.py: gunicorn with the production settings.

For each scenario (30 officials for 5 seats, then 500 for 100) a scratch PostgreSQL database
beside TEST_DATABASE_URL's is migrated and seeded (bench/registration_burst.seed), gunicorn
serves it with gunicorn.conf.py (WEB_CONCURRENCY=4, gthread, MITI_ENV=production, mail queued
on Redis database 11 for a worker that is not running), and every official logs in with a
`requests` session of their own, CSRF token from the login page and then from the
registration form (not timed). /healthz is timed 50 times as the yardstick. Then all officials
POST the form at the same moment (a barrier). Reported: the programme lock's hold time as the
workers measured it (MITI_LOCK_HOLD_LOG: one exact value per transaction), per-request latency
(median, p95, max), the last answer's time from the start of the burst, throughput, the CPU
per registration of the gunicorn workers and of this client (on the same machine), and the
same figures as multiples of /healthz's median. Checked (exit 1 otherwise): no 5xx, every POST
answered by the redirect to the new registration, seats_taken = confirmed = capacity, the rest
waitlisted at positions 1..n, the waiting-list counter (when the schema has one) = n.
"""

import glob
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from flask_migrate import upgrade
from redis import Redis
from sqlalchemy import create_engine, text

from bench.common import postgres_scratch
from miti_training import create_app
from miti_training.extensions import db

ROOT = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REDIS_URL = "redis://127.0.0.1:6379/11"
HEALTHZ_SAMPLES = 50
TARGETS = {"lock p95 ms": 5.0, "last answer ms": 300.0, "median ms": 150.0}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(round(share * len(ordered))) - 1, 0)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(url: str, work: Path, port: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        MITI_ENV="production",
        SECRET_KEY="bench-only-" + os.urandom(16).hex(),
        DATABASE_URL=url,
        REDIS_URL=REDIS_URL,
        SERVER_BASE_URL=f"http://127.0.0.1:{port}",
        COOKIE_SECURE="0",
        MAIL_BACKEND="outbox",
        MAIL_OUTBOX_DIR=str(work / "outbox"),
        MITI_INSTANCE_PATH=str(work / "instance"),
        WEB_CONCURRENCY="4",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG=str(work / "access.log"),
        PROMETHEUS_MULTIPROC_DIR=str(work / "metrics"),
        METRICS_TOKEN="bench-metrics-token",  # noqa: S106
        MITI_LOCK_HOLD_LOG=str(work / "lock-hold"),
        LOGIN_RATE_LIMIT="100000 per minute",
        REGISTRATION_RATE_LIMIT="100000 per minute",
    )
    env.pop("TEST_DATABASE_URL", None)
    server = subprocess.Popen(  # noqa: S603 — our own command line
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py"]
        + ["miti_training:create_app('production')"],
        cwd=ROOT,
        env=env,
        stdout=open(work / "gunicorn.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    for _ in range(150):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return server
        except (requests.ConnectionError, requests.Timeout):
            pass  # still starting
        time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {work / 'gunicorn.log'}")


def _stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def _csrf(response) -> str:
    match = CSRF.search(response.text)
    if match is None:
        raise SystemExit(f"no CSRF token on {response.url} ({response.status_code})")
    return match.group(1)


def _login(base: str, email: str, slug: str, password: str):
    session = requests.Session()
    token = _csrf(session.get(f"{base}/account/login"))
    answer = session.post(
        f"{base}/account/login",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"login of {email} answered {answer.status_code}")
    return session, _csrf(session.get(f"{base}/programmes/{slug}/register"))


def _burst(base: str, slug: str, sessions: list) -> list[tuple[float, float, int, str]]:
    """Everyone posts the form at once: (began, answered, status, location) per official."""
    barrier = threading.Barrier(len(sessions))
    results: list = [None] * len(sessions)

    def post(index: int) -> None:
        session, token = sessions[index]
        form = {"csrf_token": token, "submitted": "1", "consent_data": "y", "motivation": ""}
        # A kept-alive connection from the logins may be closed by the server right now
        # (gunicorn's keepalive): each official connects afresh, with its cookies.
        session.close()
        barrier.wait(timeout=120)
        began = time.perf_counter()
        try:
            answer = session.post(
                f"{base}/programmes/{slug}/register", data=form, allow_redirects=False, timeout=60
            )
            status, location = answer.status_code, answer.headers.get("Location", "")
        except requests.RequestException as error:
            status, location = 0, repr(error)
        results[index] = (began, time.perf_counter(), status, location)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _outcome(url: str, slug: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as connection:
        programme = (
            connection.execute(text("SELECT * FROM programmes WHERE slug = :slug"), {"slug": slug})
            .mappings()
            .one()
        )
        rows = connection.execute(
            text("SELECT status, waitlist_position FROM registrations WHERE programme_id = :p"),
            {"p": programme["id"]},
        ).all()
    engine.dispose()
    return {
        "seats_taken": programme["seats_taken"],
        "waitlist_counter": programme.get("waitlist_length"),
        "confirmed": sum(1 for status, _ in rows if status == "confirmed"),
        "positions": sorted(p for status, p in rows if status == "waitlisted"),
        "rows": len(rows),
    }


def _problems(outcome: dict, results: list, officials: int, capacity: int) -> list[str]:
    problems = []
    fivexx = [r for r in results if r[2] >= 500 or r[2] == 0]
    if fivexx:
        problems.append(f"{len(fivexx)} answers 5xx or no answer: {fivexx[:3]}")
    odd = [r for r in results if r[2] != 302 or "/my/registrations/" not in r[3]]
    if odd:
        problems.append(f"{len(odd)} answers not the redirect to a registration: {odd[:3]}")
    waitlisted = officials - capacity
    if not outcome["seats_taken"] == outcome["confirmed"] == capacity:
        problems.append(f"seats_taken {outcome['seats_taken']}, {outcome['confirmed']} confirmed")
    if outcome["positions"] != list(range(1, waitlisted + 1)) or outcome["rows"] != officials:
        problems.append(f"waiting list {outcome['positions'][:10]}..., {outcome['rows']} rows")
    if outcome["waitlist_counter"] not in (None, waitlisted):
        problems.append(f"waiting-list counter {outcome['waitlist_counter']} != {waitlisted}")
    return problems


def _cpu_seconds(parent: int) -> float:
    """User and system CPU of parent's child processes (the gunicorn workers) so far."""
    total = 0
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == parent:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _scraped_lock_count(base: str) -> str:
    metrics = requests.get(
        f"{base}/metrics", headers={"Authorization": "Bearer bench-metrics-token"}, timeout=10
    ).text
    match = re.search(r"^miti_registration_lock_seconds_count (\S+)", metrics, re.M)
    return match.group(1) if match else "absent"


def scenario(server_url: str, officials: int, capacity: int) -> tuple[dict, list[str]]:
    """One burst on a fresh database and a fresh gunicorn; (figures, problems)."""
    from bench.registration_burst import PASSWORD, seed

    url, drop = postgres_scratch(server_url, "burst")
    work = Path(tempfile.mkdtemp(prefix="miti-burst-http-"))
    server = None
    try:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(revision="head")
            slug, emails = seed(officials, capacity)
            db.session.remove()
            db.engine.dispose()
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        Redis.from_url(REDIS_URL).flushdb()  # the mail jobs nobody will run
        server = _start_gunicorn(url, work, port)
        with ThreadPoolExecutor(max_workers=8) as pool:
            sessions = list(pool.map(lambda e: _login(base, e, slug, PASSWORD), emails))
        health = requests.Session()
        healthz = []
        for _ in range(HEALTHZ_SAMPLES):
            began = time.perf_counter()
            health.get(f"{base}/healthz").raise_for_status()
            healthz.append((time.perf_counter() - began) * 1000)
        for stale in glob.glob(str(work / "lock-hold.*")):
            os.remove(stale)  # logins hold no programme lock, but start clean
        workers_before, client_before = _cpu_seconds(server.pid), time.process_time()
        results = _burst(base, slug, sessions)
        workers_cpu = _cpu_seconds(server.pid) - workers_before
        client_cpu = time.process_time() - client_before
        scraped = _scraped_lock_count(base)
        holds = [
            float(line)
            for path in glob.glob(str(work / "lock-hold.*"))
            for line in Path(path).read_text().split()
        ]
        outcome = _outcome(url, slug)
    finally:
        if server is not None:
            _stop(server)
        Redis.from_url(REDIS_URL).flushdb()  # the mail jobs nobody will run
        drop()
    start = min(r[0] for r in results)
    latencies = [(r[1] - r[0]) * 1000 for r in results]
    last = (max(r[1] for r in results) - start) * 1000
    figures = {
        "officials": officials,
        "capacity": capacity,
        "lock p50 ms": statistics.median(holds) if holds else float("nan"),
        "lock p95 ms": percentile(holds, 0.95) if holds else float("nan"),
        "lock samples": len(holds),
        "scraped": scraped,
        "median ms": statistics.median(latencies),
        "p95 ms": percentile(latencies, 0.95),
        "max ms": max(latencies),
        "last answer ms": last,
        "per s": officials / (last / 1000),
        "healthz ms": statistics.median(healthz),
        "server cpu ms": workers_cpu * 1000 / officials,
        "client cpu ms": client_cpu * 1000 / officials,
    }
    problems = _problems(outcome, results, officials, capacity)
    shutil.rmtree(work, ignore_errors=True)
    return figures, problems


def report(figures: dict) -> str:
    h = figures["healthz ms"]
    met = [
        f"{name} {'met' if figures[name] <= limit else 'MISSED'}"
        for name, limit in TARGETS.items()
        if figures["officials"] == 30
    ]
    return (
        f"{figures['officials']} officials / {figures['capacity']} seats: "
        f"lock held p50 {figures['lock p50 ms']:.2f} ms, p95 {figures['lock p95 ms']:.2f} ms "
        f"({figures['lock samples']} values; /metrics count {figures['scraped']}); "
        f"latency median {figures['median ms']:.0f} ms (x{figures['median ms'] / h:.0f} /healthz), "
        f"p95 {figures['p95 ms']:.0f} ms, max {figures['max ms']:.0f} ms; last answer "
        f"{figures['last answer ms']:.0f} ms (x{figures['last answer ms'] / h:.0f}); "
        f"{figures['per s']:.0f} registrations/s; /healthz median {h:.2f} ms; CPU per "
        f"registration: workers {figures['server cpu ms']:.0f} ms, bench client "
        f"{figures['client cpu ms']:.0f} ms" + (f"; targets: {', '.join(met)}" if met else "")
    )


def main(args) -> None:
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    if not server_url.startswith(("postgres", "postgresql")):
        raise SystemExit("--http needs TEST_DATABASE_URL=postgresql://...")
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)
    failed = False
    for officials, capacity in ((30, 5),) * args.repeat + ((500, 100),) * (not args.small_only):
        figures, problems = scenario(server_url, officials, capacity)
        print(report(figures), flush=True)
        for problem in problems:
            print("  INVARIANT BROKEN:", problem, flush=True)
        failed = failed or bool(problems)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)
    if failed:
        sys.exit(1)
