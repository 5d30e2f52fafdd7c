"""Registration burst: N officials register for one programme at once, through the HTTP stack.

Run from the repository root:

    .venv/bin/python bench/registration_burst.py [--officials 200] [--threads 8] [--capacity 150]
    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1/miti_dev_test \
        .venv/bin/python bench/registration_burst.py --http [--repeat 3] [--small-only]
    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1/miti_dev_test \
        .venv/bin/python bench/registration_burst.py        # SQLite file, then PostgreSQL

Each backend gets a fresh database (a temporary SQLite file; on PostgreSQL a scratch database
created beside TEST_DATABASE_URL's and dropped afterwards), migrated with the real migrations.
One published first_come programme with a waiting list and N confirmed officials are created;
every official logs in with their own Flask test client (not timed), then a thread pool posts
the registration form (POST /programmes/<slug>/register) for all of them as fast as it can.
The time of each POST (view, service, commit, emails) is measured around the request: server
time without network. Afterwards the seat invariant is checked: seats_taken equals the
confirmed rows and min(N, capacity); the others are waitlisted at positions 1..n; one
registration per official.

--http measures the real server instead: gunicorn with the production settings on PostgreSQL,
30 officials for 5 seats (--repeat times), then 500 for 100; see bench/burst_http.py.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench.common import postgres_scratch, seoul_centre  # noqa: E402
from miti_training import create_app  # noqa: E402
from miti_training.extensions import db  # noqa: E402
from miti_training.models import (  # noqa: E402
    EnrolmentPolicy,
    MemberCity,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    Theme,
    User,
    WorldRegion,
)

PASSWORD = "a long passphrase for the bench 7"  # noqa: S105 — seeded test accounts
CITIES = [
    ("Beijing", "China"),
    ("Guangzhou", "China"),
    ("Surabaya", "Indonesia"),
    ("Shiraz", "Iran"),
    ("Manila", "Philippines"),
    ("Warsaw", "Poland"),
    ("Bangkok", "Thailand"),
    ("Mexico City", "Mexico"),
]


def seed(officials: int, capacity: int) -> tuple[str, list[str]]:
    """One programme open for registration and `officials` accounts; returns slug, emails."""
    now = datetime.now(UTC)
    start = date.today() + timedelta(days=40)
    centre = seoul_centre()
    programme = Programme(
        centre=centre,
        slug="sustainable-mobility-study-visit",
        title="Sustainable mobility study visit",
        summary="Seoul's bus reform, the metro and the Cheonggyecheon restoration.",
        kind=ProgrammeKind.STUDY_VISIT,
        theme=Theme.SUSTAINABLE_MOBILITY,
        format=ProgrammeFormat.IN_PERSON,
        languages="en,ko",
        starts_on=start,
        ends_on=start + timedelta(days=4),
        capacity=capacity,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=20),
        enrolment_policy=EnrolmentPolicy.FIRST_COME,
        is_waitlist_enabled=True,
        status=ProgrammeStatus.PUBLISHED,
        published_at=now,
    )
    for day in range(5):
        begin = datetime.combine(start + timedelta(days=day), datetime.min.time(), UTC)
        programme.sessions.append(
            ProgrammeSession(
                title=f"Day {day + 1}",
                starts_at=begin,
                ends_at=begin + timedelta(hours=8),
            )
        )
    cities = [
        MemberCity(name=name, country=country, world_region=WorldRegion.ASIA_PACIFIC)
        for name, country in CITIES
    ]
    db.session.add_all([centre, programme, *cities])
    db.session.flush()
    # A cheap scrypt so logging 200 people in does not dominate the run (not timed anyway).
    password_hash = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    emails = [f"official{i}@city{i % len(cities)}.example" for i in range(officials)]
    db.session.execute(
        insert(User),
        [
            {
                "email": email,
                "password_hash": password_hash,
                "full_name": f"Official {i}",
                "member_city_id": cities[i % len(cities)].id,
                "job_title": "Transport planner",
                "email_confirmed_at": now,
                "session_token": f"bench-{i}",
                "password_changed_at": now,
                "created_at": now,
            }
            for i, email in enumerate(emails)
        ],
    )
    db.session.commit()
    return programme.slug, emails


def burst(app, slug: str, emails: list[str], threads: int) -> tuple[list[float], list[str], float]:
    """Log everyone in, then register them all through a pool of threads."""
    clients = []
    for email in emails:
        client = app.test_client()
        response = client.post("/account/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        clients.append(client)

    timings: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    form = {"submitted": "1", "consent_data": "y", "motivation": "", "dietary_needs": ""}

    def register(client) -> None:
        began = time.perf_counter()
        response = client.post(f"/programmes/{slug}/register", data=form)
        elapsed = time.perf_counter() - began
        ok = response.status_code == 302 and "/my/registrations/" in response.location
        with lock:
            timings.append(elapsed)
            if not ok:
                failures.append(f"{response.status_code} {response.location}")

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(register, clients))
    return timings, failures, time.perf_counter() - began


def check_invariant(slug: str, officials: int, capacity: int) -> dict:
    programme = db.session.scalar(select(Programme).filter_by(slug=slug))
    counts = dict(
        db.session.execute(
            select(Registration.status, func.count())
            .where(Registration.programme_id == programme.id)
            .group_by(Registration.status)
        ).all()
    )
    positions = sorted(
        db.session.scalars(
            select(Registration.waitlist_position).where(
                Registration.programme_id == programme.id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
        )
    )
    per_user = db.session.scalar(
        select(func.count(func.distinct(Registration.user_id))).where(
            Registration.programme_id == programme.id
        )
    )
    confirmed = counts.get(RegistrationStatus.CONFIRMED, 0)
    waitlisted = counts.get(RegistrationStatus.WAITLISTED, 0)
    assert programme.seats_taken == confirmed == min(officials, capacity), (
        programme.seats_taken,
        counts,
    )
    assert waitlisted == officials - confirmed, counts
    assert positions == list(range(1, waitlisted + 1)), positions[:10]
    assert per_user == sum(counts.values()) == officials
    return {"seats_taken": programme.seats_taken, "confirmed": confirmed, "waitlisted": waitlisted}


def run(backend: str, url: str, args) -> None:
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": args.threads + 2},
        RATELIMIT_ENABLED=False,
        MAIL_BACKEND="memory",
    )
    with app.app_context():
        upgrade(revision="head")
        slug, emails = seed(args.officials, args.capacity)
    timings, failures, wall = burst(app, slug, emails, args.threads)
    with app.app_context():
        outcome = check_invariant(slug, args.officials, args.capacity)
        mails = len(app.extensions.get("miti_outbox", []))
        db.session.remove()
        db.engine.dispose()
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[max(int(round(0.95 * len(ms))) - 1, 0)]
    print(
        f"{backend:10} N={args.officials} threads={args.threads} capacity={args.capacity}: "
        f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms per "
        f"registration; {len(ms) / wall:.0f} registrations/s ({wall:.2f} s in all); "
        f"{outcome['confirmed']} confirmed, {outcome['waitlisted']} waitlisted, "
        f"seats_taken={outcome['seats_taken']}; {mails} emails; failures={len(failures)}"
    )
    if failures:
        print("  first failures:", failures[:5])
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--officials", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--capacity", type=int, default=150, help="seats (the rest go to the waiting list)"
    )
    parser.add_argument("--http", action="store_true", help="gunicorn and PostgreSQL bursts")
    parser.add_argument("--repeat", type=int, default=3, help="--http: runs of 30 for 5 seats")
    parser.add_argument("--small-only", action="store_true", help="--http: skip 500 for 100")
    args = parser.parse_args()
    if args.http:
        from bench import burst_http

        burst_http.main(args)
        return
    with tempfile.TemporaryDirectory(prefix="miti-burst-") as tmp:
        run("sqlite", f"sqlite:///{Path(tmp) / 'burst.db'}", args)
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    if server_url.startswith(("postgres", "postgresql")):
        url, drop = postgres_scratch(server_url, "bench")
        try:
            run("postgresql", url, args)
        finally:
            drop()
    else:
        print("postgresql skipped: set TEST_DATABASE_URL=postgresql://... to measure it too")


if __name__ == "__main__":
    main()
