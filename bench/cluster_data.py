"""Data for the two-instance rehearsal (bench/cluster.sh) and its checks afterwards.

    python bench/cluster_data.py setup --officials 500 --capacity 100
    python bench/cluster_data.py check --capacity 100 --officials 500 --outbox DIR

Runs against DATABASE_URL (the rehearsal's PostgreSQL database, already migrated). `setup`
loads the demo centres, cities and programmes, 200 more published programmes for the
catalogue, N confirmed officials sharing one password, and the burst programme: first come,
first served, `capacity` seats, a waiting list, registration open. `check` prints the burst's
outcome and exits non-zero when an invariant does not hold.
"""

import argparse
import json
import os
import sys
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from miti_training import create_app  # noqa: E402
from miti_training.cli.demo import load_demo_data  # noqa: E402
from miti_training.extensions import db  # noqa: E402
from miti_training.models import (  # noqa: E402
    Centre,
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
)

PASSWORD = "burst-opening-lantern-2026"  # noqa: S105 — rehearsal accounts only
BURST_SLUG = "peer-review-process-opening-burst"
BURST_TITLE = "Peer Review Process — opening day"
THEMES = list(Theme)


def official_email(n: int) -> str:
    return f"official{n:04d}@bench.example"


def setup(officials: int, capacity: int, programmes: int) -> None:
    load_demo_data()
    db.session.flush()
    centres = db.session.scalars(select(Centre).order_by(Centre.id)).all()
    cities = db.session.scalars(select(MemberCity).order_by(MemberCity.id)).all()
    today = date.today()
    rows = []
    for n in range(programmes):
        starts = today + timedelta(days=20 + n % 300)
        rows.append(
            {
                "centre_id": centres[n % len(centres)].id,
                "slug": f"bench-programme-{n:04d}",
                "title": f"Urban resilience workshop {n}",
                "summary": "Tools for resilient cities, shared between peers.",
                "description": "Sessions, site visits and peer review.",
                "kind": ProgrammeKind.WORKSHOP,
                "theme": THEMES[n % len(THEMES)],
                "format": ProgrammeFormat.IN_PERSON,
                "starts_on": starts,
                "ends_on": starts + timedelta(days=1),
                "capacity": 30,
                "status": ProgrammeStatus.PUBLISHED,
                "registration_opens_at": datetime.now(UTC) - timedelta(days=1),
                "registration_closes_at": datetime.combine(starts, datetime.min.time(), UTC),
            }
        )
    db.session.execute(insert(Programme), rows)

    starts = today + timedelta(days=45)
    burst = Programme(
        centre=centres[0],
        slug=BURST_SLUG,
        title=BURST_TITLE,
        summary="Registration opens for everyone at once.",
        description="A popular workshop: seats go first come, first served.",
        kind=ProgrammeKind.WORKSHOP,
        theme=Theme.URBAN_GOVERNANCE,
        format=ProgrammeFormat.IN_PERSON,
        starts_on=starts,
        ends_on=starts + timedelta(days=1),
        capacity=capacity,
        enrolment_policy=EnrolmentPolicy.FIRST_COME,
        is_waitlist_enabled=True,
        status=ProgrammeStatus.PUBLISHED,
        registration_opens_at=datetime.now(UTC) - timedelta(minutes=1),
        registration_closes_at=datetime.combine(starts, datetime.min.time(), UTC),
    )
    begin = datetime.combine(starts, datetime.min.time(), UTC)
    burst.sessions.append(
        ProgrammeSession(
            title="Day 1", starts_at=begin + timedelta(hours=1), ends_at=begin + timedelta(hours=8)
        )
    )
    db.session.add(burst)

    password_hash = generate_password_hash(PASSWORD, method="scrypt")
    now = datetime.now(UTC)
    db.session.execute(
        insert(User),
        [
            {
                "email": official_email(n),
                "full_name": f"Official {n:04d}",
                "password_hash": password_hash,
                "member_city_id": cities[n % len(cities)].id,
                "email_confirmed_at": now,
                "preferred_language": "en",
            }
            for n in range(1, officials + 1)
        ],
    )
    db.session.commit()
    print(
        f"setup: {programmes} catalogue programmes, {officials} officials, burst capacity {capacity}"
    )


def check(capacity: int, officials: int, outbox: Path | None) -> int:
    burst = db.session.scalar(select(Programme).filter_by(slug=BURST_SLUG))
    counts = dict(
        db.session.execute(
            select(Registration.status, func.count())
            .where(Registration.programme_id == burst.id)
            .group_by(Registration.status)
        ).all()
    )
    positions = db.session.scalars(
        select(Registration.waitlist_position)
        .where(
            Registration.programme_id == burst.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(Registration.waitlist_position)
    ).all()
    duplicates = db.session.scalar(
        select(func.count()).select_from(
            select(Registration.user_id)
            .where(Registration.programme_id == burst.id)
            .group_by(Registration.user_id)
            .having(func.count() > 1)
            .subquery()
        )
    )
    confirmed = counts.get(RegistrationStatus.CONFIRMED, 0)
    waitlisted = counts.get(RegistrationStatus.WAITLISTED, 0)
    result = {
        "registrations": sum(counts.values()),
        "confirmed": confirmed,
        "waitlisted": waitlisted,
        "seats_taken": burst.seats_taken,
        "duplicates": duplicates,
        "waitlist_positions_are_1_to_n": positions == list(range(1, len(positions) + 1)),
    }
    problems = []
    if confirmed != min(capacity, officials) or burst.seats_taken != confirmed:
        problems.append("confirmed != capacity or seats_taken != confirmed")
    if duplicates:
        problems.append("duplicate registrations")
    if not result["waitlist_positions_are_1_to_n"]:
        problems.append("waiting-list positions are not 1..n")
    if outbox is not None:
        recipients = []
        for eml in outbox.glob("*.eml"):
            message = BytesParser(policy=policy.default).parse(eml.open("rb"))
            if BURST_TITLE in str(message["Subject"]):
                recipients.append(str(message["To"]))
        result["burst_emails"] = len(recipients)
        result["burst_email_recipients_unique"] = len(set(recipients))
        if len(recipients) != result["registrations"] or len(set(recipients)) != len(recipients):
            problems.append("not exactly one email per registration")
    result["problems"] = problems
    print(json.dumps(result, indent=2))
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["setup", "check"])
    parser.add_argument("--officials", type=int, default=500)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--programmes", type=int, default=200)
    parser.add_argument("--outbox", type=Path)
    args = parser.parse_args()
    app = create_app(os.environ.get("MITI_ENV", "production"))
    with app.app_context():
        if args.command == "setup":
            setup(args.officials, args.capacity, args.programmes)
            return 0
        return check(args.capacity, args.officials, args.outbox)


if __name__ == "__main__":
    sys.exit(main())
