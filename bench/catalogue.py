"""Catalogue benchmark: server time and SQL statements of the public pages as programmes grow.

Run from the repository root:  .venv/bin/python bench/catalogue.py [--sizes 100 1000 10000]
With TEST_DATABASE_URL=postgresql://... PostgreSQL is measured too, in a scratch database
created beside that one and dropped afterwards.

For each backend and size N, a fresh database is migrated (the real migrations) and filled
with N published programmes (with sessions and translations, inserted in bulk). The databases
of every size are then measured side by side with the Flask test client, taking turns request
by request so that the machine's load weighs on each size alike: the median and 95th
percentile of the time spent serving each page (after a warm-up), the same median as a
multiple of the median of /healthz requests interleaved with the page's (the yardstick: the
whole app stack and one SELECT 1), and the number of SQL statements one request issues.

Text search must not grow with the catalogue when its matches do not: for each backend, the
script checks that the median of the selective search (a word a fixed number of programmes
hold, whatever N) at the largest N is within 1.3 times the one at the smallest N, and exits
with status 1 if not. The growth of the common-word searches is printed too: a tenth of the
programmes match "water", and every match must be ranked, so their cost follows the matches.
"""

import argparse
import logging
import os
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

from bench.common import postgres_scratch  # noqa: E402
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
#: The city only the first RARE_CITY_PROGRAMMES programmes visit, whatever N is.
RARE_CITY, RARE_CITY_PROGRAMMES = "Ulaanbaatar", 12
#: The search whose matches do not grow with N: its time must not either.
SELECTIVE_SEARCH = "selective search"
#: Text search alone: one common word, several (the last one a prefix), and a rare word.
TEXT_SEARCHES = {
    "text search": "/programmes?q=water",
    "multi-word search": "/programmes?q=urban+water+manag",
    SELECTIVE_SEARCH: f"/programmes?q={RARE_CITY.lower()}",
}
#: How much the selective search may grow from the smallest to the largest N.
FLAT_WITHIN = 1.3


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
                "summary": f"A programme on {topic}"
                + (f", with a visit to {RARE_CITY}." if n <= RARE_CITY_PROGRAMMES else "."),
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
    if db.engine.dialect.name == "postgresql":
        # A settled database, as autovacuum keeps it: the search documents rewritten by the
        # translation triggers during the bulk insert leave dead rows, and an autovacuum
        # started by the insert would otherwise run during the measurements.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    middle = programmes[len(programmes) // 2]
    return middle["slug"]


class Site:
    """One seeded database and its app, with the SQL its requests issue counted."""

    def __init__(self, backend: str, url: str, size: int, tmp: str):
        self.backend, self.size = backend, size
        # Every request renders: this measures the query and the page, not the pages each
        # process keeps (web/http_cache.py), which a repeated URL would otherwise hit.
        self.app = create_app(
            "testing", SQLALCHEMY_DATABASE_URI=url, MAIL_OUTBOX_DIR=tmp, PUBLIC_PAGE_CACHE_BYTES=0
        )
        self.client = self.app.test_client()
        self.statements, self.sql_seconds, self._started = 0, 0.0, 0.0
        with self.app.app_context():
            upgrade(revision="head")
            started = time.perf_counter()
            self.slug = seed(size, random.Random(size))
            self.seeded = time.perf_counter() - started
            event.listen(db.engine, "before_cursor_execute", self._before)
            event.listen(db.engine, "after_cursor_execute", self._after)

    def _before(self, *_args):
        self.statements += 1
        self._started = time.perf_counter()

    def _after(self, *_args):
        self.sql_seconds += time.perf_counter() - self._started

    def get(self, url: str) -> tuple[float, float, int]:
        """(ms, ms in SQL, statements) of GET url."""
        self.statements, self.sql_seconds = 0, 0.0
        with self.app.app_context():
            start = time.perf_counter()
            response = self.client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, url
        return elapsed * 1000, self.sql_seconds * 1000, self.statements

    def close(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def measure(sites: list[Site], page: str, *, warmup: int, runs: int) -> list[tuple]:
    """Per site: (median ms, median ms of /healthz, p95 ms, median ms in SQL, statements) of
    the page. The sites take turns request by request, and a /healthz request precedes each
    measured one: on a shared machine every size and the yardstick see the same load."""
    samples = {site: ([], [], [], set()) for site in sites}
    for round_ in range(warmup + runs):
        for site in sites:
            url = PAGES[page].format(slug=site.slug)
            healthz = site.get("/healthz")[0]
            elapsed, sql, statements = site.get(url)
            if round_ >= warmup:
                times, sql_times, yardstick, counts = samples[site]
                times.append(elapsed)
                sql_times.append(sql)
                yardstick.append(healthz)
                counts.add(statements)
    rows = []
    for site, (times, sql_times, yardstick, counts) in samples.items():
        assert len(counts) == 1, f"{page}: the statement count varied: {counts}"
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        median, yard = statistics.median(times), statistics.median(yardstick)
        sql = statistics.median(sql_times)
        rows.append((site.backend, site.size, page, median, yard, p95, sql, counts.pop()))
    return rows


#: name -> URL ({slug}: a programme in the middle of the data).
PAGES = {
    "/healthz": "/healthz",
    "catalogue": "/programmes",
    "filtered search": SEARCH_URL,
    **TEXT_SEARCHES,
    "programme page": "/programmes/{slug}",
}


def run(backend: str, urls: list[str], sizes: list[int], *, warmup: int, runs: int) -> list:
    """Rows of the table for one backend: a database per size, measured side by side."""
    with tempfile.TemporaryDirectory(prefix="miti-bench-") as tmp:
        sites = []
        try:
            for url, size in zip(urls, sizes, strict=True):
                url = url or f"sqlite:///{Path(tmp) / f'bench-{size}.db'}"
                sites.append(Site(backend, url, size, str(Path(tmp) / "outbox")))
                seeded = sites[-1].seeded
                print(f"  {backend} N={size:>6}: seeded in {seeded:.1f} s", file=sys.stderr)
            rows = []
            for page in PAGES:
                rows.extend(measure(sites, page, warmup=warmup, runs=runs))
        finally:
            for site in sites:
                site.close()
    return sorted(rows, key=lambda row: (row[1], list(PAGES).index(row[2])))


def backends(sizes: list[int]) -> list[tuple[str, list[str | None], list]]:
    """(name, a database URL per size, clean-ups) of each backend to measure; a URL None is a
    new SQLite file."""
    found = [("sqlite", [None] * len(sizes), [])]
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    if server_url.startswith(("postgres", "postgresql")):
        scratch = [postgres_scratch(server_url, f"catalogue_bench_{size}") for size in sizes]
        found.append(("postgresql", [url for url, _ in scratch], [drop for _, drop in scratch]))
    else:
        print("postgresql skipped: set TEST_DATABASE_URL=postgresql://...", file=sys.stderr)
    return found


def flatness(rows: list[tuple]) -> list[tuple[str, str, float, float, float, bool]]:
    """(backend, page, growth of the median, growth relative to /healthz, growth of the SQL
    median, flat enough?) of each text search from the smallest N to the largest (the sizes
    were measured side by side, so the growth of the median itself is checked); only the
    selective search is held to FLAT_WITHIN."""
    medians = {(b, n, page): median for b, n, page, median, *_ in rows}
    healthz = {(b, n, page): yardstick for b, n, page, _median, yardstick, *_ in rows}
    sql = {(b, n, page): sql_ms for b, n, page, _m, _y, _p, sql_ms, _s in rows}
    checks = []
    for backend in dict.fromkeys(b for b, *_ in rows):
        sizes = sorted({n for b, n, *_ in rows if b == backend})
        small, large = sizes[0], sizes[-1]
        for page in TEXT_SEARCHES:
            raw = medians[backend, large, page] / medians[backend, small, page]
            yardstick = healthz[backend, large, page] / healthz[backend, small, page]
            relative = raw / yardstick
            sql_growth = sql[backend, large, page] / max(sql[backend, small, page], 1e-3)
            ok = raw <= FLAT_WITHIN or page != SELECTIVE_SEARCH
            checks.append((backend, page, raw, relative, sql_growth, ok))
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # migration chatter
    rows = []
    for backend, urls, clean_ups in backends(args.sizes):
        try:
            rows.extend(run(backend, urls, args.sizes, warmup=args.warmup, runs=args.runs))
        finally:
            for clean_up in clean_ups:
                clean_up()
    print(
        f"| {'backend':<10} | {'N':>6} | {'page':<17} | {'median ms':>9} | {'x /healthz':>10} "
        f"| {'p95 ms':>7} | {'SQL ms (median)':>15} | {'statements':>10} |"
    )
    print(
        f"| {'-' * 10} | {'-' * 6}:| {'-' * 17} | {'-' * 9}:| {'-' * 10}:| {'-' * 7}:"
        f"| {'-' * 15}:| {'-' * 10}:|"
    )
    for backend, size, name, median, yardstick, p95, sql, statements in rows:
        ratio = median / yardstick
        print(
            f"| {backend:<10} | {size:>6} | {name:<17} | {median:>9.1f} | {ratio:>10.1f} "
            f"| {p95:>7.1f} | {sql:>15.1f} | {statements:>10} |"
        )
    print(f"\nfiltered search = {SEARCH_URL}")
    for name, url in TEXT_SEARCHES.items():
        print(f"{name} = {url}")
    sizes = f"N = {min(args.sizes):,} to {max(args.sizes):,}"
    print(
        f"\nText search growth, {sizes} (the {SELECTIVE_SEARCH}'s median must stay within "
        f"{FLAT_WITHIN}x; the others match a tenth of the programmes, each match ranked):"
    )
    checks = flatness(rows)
    for backend, page, raw, relative, sql_growth, ok in checks:
        verdict = ("flat" if ok else "NOT FLAT") if page == SELECTIVE_SEARCH else "reported"
        print(
            f"  {backend:<10} {page:<17} {raw:5.2f}x ({relative:5.2f}x relative to /healthz; "
            f"SQL {sql_growth:5.2f}x): {verdict}"
        )
    if not all(ok for *_, ok in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()
