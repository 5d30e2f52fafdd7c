"""Export benchmark: time and memory of a programme's attendee list as CSV and XLSX.

Run from the repository root:

    .venv/bin/python bench/export.py                          # SQLite file, 50,000 registrations
    .venv/bin/python bench/export.py --database-url postgresql://postgres@127.0.0.1/miti_dev_test
    .venv/bin/python bench/export.py --registrations 5000    # a quicker run

Each backend gets a fresh database migrated with the real migrations (a temporary SQLite file;
on PostgreSQL a scratch database created beside --database-url's and dropped afterwards) with
one programme of 3 custom questions and 4 sessions, N registrations (names, cities and job
titles from tests/data/officials.csv, cycled: Arabic, Persian, Korean, Chinese, accented
Latin and two formula-like names) and the attendance of every registration at every session,
all inserted in bulk. Every export then runs in a process of its own (forked once the data
is in), so each one's peak resident memory is its own:

- csv (service):  registrations.export_files.csv_chunks, every byte counted and dropped;
- xlsx (service): registrations.export_files.write_xlsx into a SpooledTemporaryFile, as the view does;
- csv (HTTP):     GET .../export.csv through the Flask test client, the streamed body read
                  piece by piece (login not timed).

Reported for each: wall time (time.perf_counter), the peak of Python allocations
(tracemalloc, in a second run of the same export since tracing slows it down) and the growth
of the process's maximum resident set size (resource.getrusage ru_maxrss) during the export.
Targets: under 10 s and 200 MB each; the script exits non-zero when one is missed.
"""

import argparse
import csv
import multiprocessing
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench.common import postgres_scratch, seoul_centre  # noqa: E402
from miti_training import create_app  # noqa: E402
from miti_training.extensions import db  # noqa: E402
from miti_training.formatting import labels  # noqa: E402
from miti_training.models import (  # noqa: E402
    Attendance,
    AttendanceStatus,
    MemberCity,
    Membership,
    MembershipRole,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeQuestion,
    ProgrammeSession,
    ProgrammeStatus,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Theme,
    User,
    WorldRegion,
)
from miti_training.registrations import export_files, exports  # noqa: E402

PASSWORD = "a long passphrase for the bench 7"  # noqa: S105 — the seeded coordinator's
COORDINATOR_EMAIL = "coordinator@seoul.example"
TIME_TARGET_S = 10.0
MEMORY_TARGET_MB = 200.0
#: Rows per INSERT statement while seeding.
SEED_CHUNK = 5_000
TOPICS = ["Water", "Transport", "Housing", "Climate", "E-government", "Smart city"]
DEPARTMENTS = ["Urban planning", "Transport bureau", "إدارة التخطيط", "도시계획국", "Mobilité"]


def officials() -> list[dict[str, str]]:
    with (ROOT / "tests" / "data" / "officials.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _chunks(rows: list[dict], size: int = SEED_CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def seed(registrations: int) -> tuple[int, str]:
    """One programme with N confirmed registrations and full attendance; returns its id, slug."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    start = date.today() - timedelta(days=10)
    centre = seoul_centre()
    programme = Programme(
        centre=centre,
        slug="sharing-cities-opening-forum",
        title="Sharing Cities opening forum",
        summary="MoU signing, the Peer Review Process workshop and the public forum.",
        kind=ProgrammeKind.FORUM,
        theme=Theme.URBAN_GOVERNANCE,
        format=ProgrammeFormat.HYBRID,
        languages="en,ko",
        starts_on=start,
        ends_on=start + timedelta(days=3),
        capacity=registrations,
        seats_taken=registrations,
        registration_opens_at=now - timedelta(days=60),
        registration_closes_at=now - timedelta(days=12),
        status=ProgrammeStatus.PUBLISHED,
        published_at=now - timedelta(days=60),
    )
    for day in range(4):
        begin = datetime.combine(start + timedelta(days=day), datetime.min.time(), UTC)
        programme.sessions.append(
            ProgrammeSession(
                title=f"Day {day + 1}", starts_at=begin, ends_at=begin + timedelta(hours=8)
            )
        )
    questions = [
        ProgrammeQuestion(
            programme=programme, position=1, kind=QuestionKind.SHORT_TEXT, label="Department"
        ),
        ProgrammeQuestion(
            programme=programme,
            position=2,
            kind=QuestionKind.MULTIPLE_CHOICE,
            label="Topics of interest",
            choices=TOPICS,
        ),
        ProgrammeQuestion(
            programme=programme,
            position=3,
            kind=QuestionKind.YES_NO,
            label="Joining the site visit?",
        ),
    ]
    people = officials()
    cities = {}
    for person in people:
        key = (person["member_city"], person["country"])
        if key not in cities:
            cities[key] = MemberCity(
                name=key[0], country=key[1], world_region=WorldRegion.ASIA_PACIFIC
            )
    coordinator = User(
        email=COORDINATOR_EMAIL,
        password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"),
        full_name="Kim Min-seo",
        member_city=next(iter(cities.values())),
        job_title="Training coordinator",
        email_confirmed_at=now,
    )
    db.session.add_all([centre, programme, *questions, *cities.values(), coordinator])
    db.session.flush()
    db.session.add(Membership(user=coordinator, centre=centre, role=MembershipRole.COORDINATOR))
    keys = [f"q{q.id}" for q in questions]
    city_ids = {key: city.id for key, city in cities.items()}
    session_ids = [s.id for s in programme.sessions]
    programme_id, slug = programme.id, programme.slug
    db.session.commit()

    rows = []
    for n in range(registrations):
        person = people[n % len(people)]
        registered = now - timedelta(days=40, minutes=n)
        rows.append(
            {
                "id": n + 1,
                "programme_id": programme_id,
                "user_id": None,
                "status": RegistrationStatus.CONFIRMED,
                "full_name": person["full_name"],
                "email": f"{n}.{person['email']}",
                "organisation": f"{person['member_city']} Metropolitan Government",
                "member_city_id": city_ids[(person["member_city"], person["country"])],
                "country": person["country"],
                "job_title": person["job_title"],
                "motivation": "",
                "accessibility_needs": "",
                "dietary_needs": "",
                "answers": {
                    keys[0]: DEPARTMENTS[n % len(DEPARTMENTS)],
                    keys[1]: rng.sample(TOPICS, k=1 + n % 3),
                    keys[2]: "yes" if n % 4 else "no",
                },
                "consent_data_at": registered,
                "consent_listing_at": registered if n % 3 else None,
                "consent_photos_at": registered if n % 5 else None,
                "created_at": registered,
                "updated_at": registered,
            }
        )
    for chunk in _chunks(rows):
        db.session.execute(insert(Registration), chunk)
    marks = list(AttendanceStatus)
    attendance = [
        {
            "registration_id": n + 1,
            "session_id": session_id,
            "status": marks[0] if (n + day) % 9 else marks[1 + (n % 2)],
            "is_self_check_in": False,
            "recorded_at": now,
        }
        for n in range(registrations)
        for day, session_id in enumerate(session_ids)
    ]
    for chunk in _chunks(attendance):
        db.session.execute(insert(Attendance), chunk)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text("SELECT setval('registrations_id_seq', (SELECT max(id) FROM registrations))")
        )
        db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return programme_id, slug


def _wording() -> exports.ExportWording:
    return exports.ExportWording(
        name="Name",
        email="Email address",
        organisation="Organisation",
        member_city="Member city",
        country="Country",
        job_title="Job title",
        status="Status",
        registered_at="Registered at (Asia/Seoul)",
        motivation="Motivation",
        accessibility_needs="Accessibility needs",
        dietary_needs="Dietary needs",
        consent_data="Consent to data processing (Asia/Seoul)",
        consent_listing="Consent to the participant list (Asia/Seoul)",
        consent_photos="Consent to photos being published (Asia/Seoul)",
        yes="Yes",
        no="No",
        statuses={k: str(v) for k, v in labels(RegistrationStatus).items()},
        attendance={k: str(v) for k, v in labels(AttendanceStatus).items()},
    )


def _plan(programme_id: int) -> exports.ExportPlan:
    programme = db.session.get(Programme, programme_id)
    return exports.plan_export(programme, "confirmed", programme.centre.timezone)


def export_csv_service(app, programme_id: int, slug: str) -> tuple[int, int]:
    with app.app_context():
        plan, wording = _plan(programme_id), _wording()
        size = lines = 0
        for chunk in export_files.csv_chunks(plan, wording):
            size += len(chunk)
            lines += chunk.count(b"\r\n")
        return size, lines - 1


def export_xlsx_service(app, programme_id: int, slug: str) -> tuple[int, int]:
    with app.app_context():
        plan, wording = _plan(programme_id), _wording()
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as target:
            rows = export_files.write_xlsx(plan, wording, target)
            return target.tell(), rows


def _logged_in_client(app):
    client = app.test_client()
    response = client.post(
        "/account/login", data={"email": COORDINATOR_EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    return client


def export_csv_http(app, programme_id: int, slug: str, client=None) -> tuple[int, int]:
    response = client.get(f"/manage/seoul/programmes/{programme_id}/export.csv")
    assert response.status_code == 200, response.status_code
    size = lines = 0
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    response.close()
    return size, lines - 1


EXPORTS = {
    "csv (service)": export_csv_service,
    "xlsx (service)": export_xlsx_service,
    "csv (HTTP)": export_csv_http,
}


def _measure(app, name: str, programme_id: int, slug: str, traced: bool, pipe) -> None:
    """In a forked child: run one export once and send back its figures."""
    try:
        kwargs = {"client": _logged_in_client(app)} if "HTTP" in name else {}
        if traced:
            tracemalloc.start()
        before = resource.getrusage(resource.RUSAGE_SELF)
        began = time.perf_counter()
        size, rows = EXPORTS[name](app, programme_id, slug, **kwargs)
        elapsed = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        pipe.send((elapsed, cpu, size, rows, peak, (after.ru_maxrss - before.ru_maxrss) * 1024))
    except BaseException as error:  # report anything to the parent instead of hanging it
        pipe.send(error)
        raise
    finally:
        pipe.close()


def measure(app, name: str, programme_id: int, slug: str, traced: bool):
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_measure, args=(app, name, programme_id, slug, traced, child))
    process.start()
    child.close()
    result = parent.recv()
    process.join()
    if isinstance(result, BaseException):
        raise result
    return result


def run(backend: str, url: str, registrations: int, trace: bool = True) -> list[dict]:
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        RATELIMIT_ENABLED=False,
        MAIL_BACKEND="memory",
    )
    with app.app_context():
        upgrade(revision="head")
        began = time.perf_counter()
        programme_id, slug = seed(registrations)
        print(
            f"{backend}: seeded {registrations:,} registrations and "
            f"{registrations * 4:,} attendance rows in {time.perf_counter() - began:.1f} s",
            flush=True,
        )
        db.session.remove()
        db.engine.dispose()  # the children open their own connections
    results = []
    for name in EXPORTS:
        elapsed, cpu, size, rows, _peak, rss = measure(app, name, programme_id, slug, False)
        peak = measure(app, name, programme_id, slug, True)[4] if trace else 0
        assert rows == registrations, (name, rows)
        result = {
            "backend": backend,
            "export": name,
            "rows": rows,
            "mb": size / 1e6,
            "seconds": elapsed,
            "cpu": cpu,
            "traced_mb": peak / 2**20,
            "rss_mb": rss / 2**20,
        }
        result["ok"] = (
            result["seconds"] < TIME_TARGET_S
            and result["traced_mb"] < MEMORY_TARGET_MB
            and result["rss_mb"] < MEMORY_TARGET_MB
        )
        print(
            f"{backend:10} {name:15} {rows:>7,} rows {result['mb']:7.1f} MB file "
            f"{elapsed:6.2f} s ({cpu:5.2f} s CPU)  tracemalloc peak {result['traced_mb']:6.1f} MB  "
            f"max RSS +{result['rss_mb']:6.1f} MB  {'ok' if result['ok'] else 'OVER TARGET'}",
            flush=True,
        )
        results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrations", type=int, default=50_000)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server URL: also run there (scratch database)"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--no-trace", action="store_true", help="skip the (slower) tracemalloc runs"
    )
    args = parser.parse_args()

    results = []
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            results += run(
                "SQLite",
                f"sqlite:///{Path(folder) / 'bench.db'}",
                args.registrations,
                not args.no_trace,
            )
    if args.database_url:
        url, drop = postgres_scratch(args.database_url, "export_bench")
        try:
            results += run("PostgreSQL", url, args.registrations, not args.no_trace)
        finally:
            drop()

    print()
    print(
        "| backend    | export         |   rows | file MB | seconds | CPU s "
        "| tracemalloc peak MB | max RSS growth MB |"
    )
    print(
        "| ---------- | -------------- | ------:| -------:| -------:| -----:"
        "| -------------------:| -----------------:|"
    )
    for r in results:
        print(
            f"| {r['backend']:10} | {r['export']:14} | {r['rows']:>6,} | {r['mb']:7.1f} | "
            f"{r['seconds']:7.2f} | {r['cpu']:5.2f} | {r['traced_mb']:19.1f} | "
            f"{r['rss_mb']:17.1f} |"
        )
    if not all(r["ok"] for r in results):
        print(
            f"\nSome export missed the targets ({TIME_TARGET_S:.0f} s, {MEMORY_TARGET_MB:.0f} MB)."
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
