"""Catalogue benchmark: server time and SQL statements of the public pages as programmes grow.

Run from the repository root:  .venv/bin/python bench/catalogue.py [--sizes 100 1000 10000]

For each size N, a fresh SQLite file database is migrated (the real migrations), filled with N
published programmes (with sessions and translations, inserted in bulk) and measured with the
Flask test client: the median and 95th percentile of the time spent serving each page (after a
warm-up), and the number of SQL statements one request issues.
"""

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, insert  # noqa: E402

from miti_training import create_app  # noqa: E402
from miti_training.extensions import db  # noqa: E402
from miti_training.models import (  # noqa: E402
    Centre,
    CentreKind,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
    Theme,
)

CENTRES = [
    ("seoul", "MITI Headquarters Seoul", "Seoul", "Republic of Korea", "Asia/Seoul"),
    ("cairo", "MITI Regional Centre Cairo", "Cairo", "Egypt", "Africa/Cairo"),
    ("mashhad", "MITI Regional Centre Mashhad", "Mashhad", "Iran", "Asia/Tehran"),
    (
        "mexico-city",
        "MITI Regional Centre Mexico City",
        "Mexico City",
        "Mexico",
        "America/Mexico_City",
    ),
    ("paris", "MITI Regional Centre Paris Île-de-France", "Paris", "France", "Europe/Paris"),
]

TOPICS = [
    (
        Theme.WATER_MANAGEMENT,
        "Integrated Urban Water Management",
        "water supply, wastewater reuse and losses",
    ),
    (
        Theme.URBAN_TRANSPORTATION,
        "Urban Transportation",
        "bus reform, traffic operations and fares",
    ),
    (Theme.SMART_CITY, "Smart City Governance", "data governance and digital public services"),
    (Theme.CLIMATE_CHANGE, "Climate Adaptation", "heat waves, floods and green infrastructure"),
    (Theme.URBAN_GOVERNANCE, "Peer Review Process", "the peer review method of Metropolis"),
    (Theme.HOUSING, "Affordable Housing", "social housing and urban renewal"),
    (Theme.RESILIENCE, "Seismic Resilience", "earthquake preparedness of a metropolis"),
    (Theme.E_GOVERNMENT, "E-government", "online services and open data"),
    (Theme.URBAN_PLANNING, "Upgrading Informal Areas", "participatory upgrading of neighbourhoods"),
    (Theme.SUSTAINABLE_MOBILITY, "Sustainable Mobility", "cycling, walking and shared mobility"),
]

PARAGRAPH = (
    "Lectures by city officials alternate with site visits. Each participant presents the "
    "policy of their own city, and the programme ends with group work on an action plan that "
    "every participant takes home. "
)

SEARCH_URL = "/programmes?q=water&theme=water_management&open=1"


def seed(count: int, rng: random.Random) -> str:
    """Insert count published programmes in bulk; return the slug of one in the middle."""
    now = datetime.now(UTC)
    today = now.date()
    db.session.execute(
        insert(Centre),
        [
            {
                "slug": slug,
                "name": name,
                "city": city,
                "country": country,
                "timezone": zone,
                "kind": CentreKind.HEADQUARTERS if slug == "seoul" else CentreKind.REGIONAL,
                "host_institution": "",
                "contact_email": f"{slug}@miti.example",
                "created_at": now,
            }
            for slug, name, city, country, zone in CENTRES
        ],
    )
    centre_ids = [c.id for c in db.session.scalars(db.select(Centre).order_by(Centre.id))]
    kinds, formats = list(ProgrammeKind), list(ProgrammeFormat)
    programmes, sessions, translations = [], [], []
    for n in range(1, count + 1):
        theme, title, topic = TOPICS[n % len(TOPICS)]
        # A seventh ended in the past (completed), the rest spread over the next three years.
        past = n % 7 == 0
        start = today + timedelta(days=(-rng.randint(10, 1000) if past else rng.randint(3, 1100)))
        days = rng.randint(1, 5)
        capacity = rng.choice((15, 20, 30, 100))
        programmes.append(
            {
                "id": n,
                "centre_id": centre_ids[n % len(centre_ids)],
                "slug": f"{title.lower().replace(' ', '-')}-{n}",
                "title": f"{title} {n}",
                "summary": f"A programme on {topic}.",
                "description": f"This edition looks at {topic}.\n\n" + PARAGRAPH * 3,
                "original_language": "en",
                "kind": kinds[n % len(kinds)],
                "theme": theme,
                "format": formats[n % len(formats)],
                "venue": "Training centre",
                "languages": "en,ko" if n % 2 else "en,fr",
                "starts_on": start,
                "ends_on": start + timedelta(days=days - 1),
                "capacity": capacity,
                "seats_taken": rng.randint(0, capacity),
                "registration_opens_at": now - timedelta(days=30),
                "registration_closes_at": datetime.combine(start, datetime.min.time(), UTC)
                - timedelta(days=2),
                "enrolment_policy": "first_come",
                "is_waitlist_enabled": bool(n % 3),
                "status": ProgrammeStatus.COMPLETED if past else ProgrammeStatus.PUBLISHED,
                "cancellation_reason": "",
                "completion_threshold": 80,
                "created_at": now,
                "updated_at": now,
            }
        )
        for day in range(days):
            begin = datetime.combine(start + timedelta(days=day), datetime.min.time(), UTC)
            sessions.append(
                {
                    "programme_id": n,
                    "title": f"Day {day + 1}",
                    "starts_at": begin + timedelta(hours=1),
                    "ends_at": begin + timedelta(hours=8),
                    "location": "",
                }
            )
        translations.append(
            {
                "programme_id": n,
                "language": "fr",
                "title": f"{title} (fr) {n}",
                "summary": "Un programme de formation.",
                "description": "Des conférences et des visites de terrain.",
            }
        )
        if n % 2:
            translations.append(
                {
                    "programme_id": n,
                    "language": "ko",
                    "title": f"{title} (ko) {n}",
                    "summary": "연수 프로그램",
                    "description": "강의와 현장 방문",
                }
            )
    for table, rows in (
        (Programme, programmes),
        (ProgrammeSession, sessions),
        (ProgrammeTranslation, translations),
    ):
        for chunk in range(0, len(rows), 2000):
            db.session.execute(insert(table), rows[chunk : chunk + 2000])
    db.session.commit()
    db.session.execute(db.text("ANALYZE"))
    db.session.commit()
    middle = programmes[len(programmes) // 2]
    return middle["slug"]


def measure(client, url: str, *, warmup: int, runs: int) -> tuple[float, float, float, int]:
    """(median ms, p95 ms, median ms spent in SQL, SQL statements) of GET url."""
    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    statements, sql_seconds, started = 0, 0.0, [0.0]

    def before(*_args):
        nonlocal statements
        statements += 1
        started[0] = time.perf_counter()

    def after(*_args):
        nonlocal sql_seconds
        sql_seconds += time.perf_counter() - started[0]

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    times, sql_times, counts = [], [], set()
    try:
        for _ in range(runs):
            statements, sql_seconds = 0, 0.0
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, url
            sql_times.append(sql_seconds * 1000)
            counts.add(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
    assert len(counts) == 1, f"{url}: the statement count varied: {counts}"
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, statistics.median(sql_times), counts.pop()


def run(size: int, *, warmup: int, runs: int) -> list[tuple]:
    with tempfile.TemporaryDirectory(prefix="miti-bench-") as tmp:
        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(tmp) / 'bench.db'}",
            MAIL_OUTBOX_DIR=str(Path(tmp) / "outbox"),
        )
        with app.app_context():
            upgrade(revision="head")
            started = time.perf_counter()
            slug = seed(size, random.Random(size))
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
            seeded = time.perf_counter() - started
            client = app.test_client()
            pages = [
                ("catalogue", "/programmes"),
                ("filtered search", SEARCH_URL),
                ("programme page", f"/programmes/{slug}"),
            ]
            rows = []
            for name, url in pages:
                rows.append((size, name, *measure(client, url, warmup=warmup, runs=runs)))
            db.session.remove()
            db.engine.dispose()
        print(f"  N={size:>6}: seeded in {seeded:.1f} s", file=sys.stderr)
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # migration chatter
    rows = []
    for size in args.sizes:
        rows.extend(run(size, warmup=args.warmup, runs=args.runs))
    print(
        f"| {'N':>6} | {'page':<16} | {'median ms':>9} | {'p95 ms':>7} "
        f"| {'SQL ms (median)':>15} | {'statements':>10} |"
    )
    print(f"| {'-' * 6}:| {'-' * 16} | {'-' * 9}:| {'-' * 7}:| {'-' * 15}:| {'-' * 10}:|")
    for size, name, median, p95, sql, statements in rows:
        print(
            f"| {size:>6} | {name:<16} | {median:>9.1f} | {p95:>7.1f} "
            f"| {sql:>15.1f} | {statements:>10} |"
        )
    print(f"\nfiltered search = {SEARCH_URL}")


if __name__ == "__main__":
    main()
