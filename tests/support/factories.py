"""Factory functions that add realistic rows to the current session (they flush, not commit)."""

import itertools
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from miti_training.extensions import db
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Centre,
    CentreKind,
    EnrolmentPolicy,
    MemberCity,
    Membership,
    MembershipRole,
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
    utcnow,
)

PASSWORD = "a long passphrase for tests 7"
_seq = itertools.count(1)


def today() -> date:
    """The catalogue's today (UTC), read from the clock at each call: a value kept from earlier
    in the run goes stale at midnight, when the catalogue's today moves on."""
    return utcnow().date()


def _cheap_hash(password: str) -> str:
    """Scrypt with a small work factor: logins in tests stay fast."""
    return generate_password_hash(password, method="scrypt:1024:8:1")


def make_member_city(**kw) -> MemberCity:
    n = next(_seq)
    city = MemberCity(
        name=kw.pop("name", f"Test City {n}"),
        country=kw.pop("country", "Testland"),
        world_region=kw.pop("world_region", WorldRegion.ASIA_PACIFIC),
        **kw,
    )
    db.session.add(city)
    db.session.flush()
    return city


def make_user(*, password: str = PASSWORD, **kw) -> User:
    """An account, confirmed like every account (email_confirmed_at=None only for a database
    from before the constraint, in migration tests)."""
    n = next(_seq)
    if "member_city" not in kw and "member_city_id" not in kw:
        kw["member_city"] = make_member_city()
    kw.setdefault("email_confirmed_at", utcnow())
    user = User(
        email=kw.pop("email", f"official{n}@city{n}.example"),
        full_name=kw.pop("full_name", f"Official {n}"),
        job_title=kw.pop("job_title", "Urban planner"),
        **kw,
    )
    user.password_hash = _cheap_hash(password)
    db.session.add(user)
    db.session.flush()
    return user


def make_admin(**kw) -> User:
    return make_user(is_admin=True, **kw)


def make_centre(**kw) -> Centre:
    n = next(_seq)
    centre = Centre(
        slug=kw.pop("slug", f"centre-{n}"),
        name=kw.pop("name", f"Test Centre {n}"),
        city=kw.pop("city", "Seoul"),
        country=kw.pop("country", "Republic of Korea"),
        timezone=kw.pop("timezone", "Asia/Seoul"),
        kind=kw.pop("kind", CentreKind.REGIONAL),
        **kw,
    )
    db.session.add(centre)
    db.session.flush()
    return centre


def grant(user: User, centre: Centre, role: MembershipRole | str) -> Membership:
    membership = Membership(user=user, centre=centre, role=MembershipRole(role))
    db.session.add(membership)
    db.session.flush()
    return membership


def make_staff(centre: Centre, role: MembershipRole | str, **kw) -> User:
    user = make_user(**kw)
    grant(user, centre, role)
    return user


def make_programme(centre: Centre | None = None, *, sessions: int = 1, **kw) -> Programme:
    n = next(_seq)
    centre = centre or make_centre()
    start = kw.pop("starts_on", today() + timedelta(days=30))
    programme_format = ProgrammeFormat(kw.pop("format", ProgrammeFormat.IN_PERSON))
    programme = Programme(
        centre=centre,
        slug=kw.pop("slug", f"programme-{n}"),
        title=kw.pop("title", f"Programme {n}"),
        summary=kw.pop("summary", "A training programme."),
        description=kw.pop("description", "First paragraph.\n\nSecond paragraph."),
        kind=kw.pop("kind", ProgrammeKind.WORKSHOP),
        theme=kw.pop("theme", Theme.URBAN_GOVERNANCE),
        format=programme_format,
        # Publishing needs a venue unless the programme is online.
        venue=kw.pop("venue", "" if programme_format == ProgrammeFormat.ONLINE else "City Hall"),
        capacity=kw.pop("capacity", 15),
        starts_on=start,
        ends_on=kw.pop("ends_on", start + timedelta(days=max(sessions - 1, 0))),
        registration_opens_at=kw.pop("registration_opens_at", utcnow() - timedelta(days=1)),
        registration_closes_at=kw.pop(
            "registration_closes_at",
            datetime.combine(start, datetime.min.time(), UTC) - timedelta(days=2),
        ),
        enrolment_policy=kw.pop("enrolment_policy", EnrolmentPolicy.FIRST_COME),
        status=kw.pop("status", ProgrammeStatus.PUBLISHED),
        **kw,
    )
    db.session.add(programme)
    for day in range(sessions):
        begin = datetime.combine(start + timedelta(days=day), datetime.min.time(), UTC)
        programme.sessions.append(
            ProgrammeSession(
                title=f"Day {day + 1}",
                starts_at=begin + timedelta(hours=1),
                ends_at=begin + timedelta(hours=8),
            )
        )
    db.session.flush()
    return programme


def make_registration(programme: Programme, user: User | None = None, **kw) -> Registration:
    user = user or make_user()
    registration = Registration(
        programme=programme,
        user=user,
        status=kw.pop("status", RegistrationStatus.CONFIRMED),
        full_name=user.full_name,
        email=user.email,
        member_city_id=kw.pop("member_city_id", user.member_city_id),
        organisation=kw.pop("organisation", user.member_city.name if user.member_city else ""),
        country=kw.pop("country", user.member_city.country if user.member_city else ""),
        consent_data_at=utcnow(),
        **kw,
    )
    if registration.waitlist_position:
        # The counter registering would have kept (seats_taken is the tests' to set).
        programme.waitlist_length = max(
            programme.waitlist_length or 0, registration.waitlist_position
        )
    db.session.add(registration)
    db.session.flush()
    return registration


def mark_present(registration: Registration, **kw) -> None:
    """Present at every session of the registration's programme; kw go to each mark."""
    for session in registration.programme.sessions:
        db.session.add(
            Attendance(
                registration=registration, session=session, status=AttendanceStatus.PRESENT, **kw
            )
        )
    db.session.flush()


def register_official(
    row: dict[str, str], programme: Programme, status=RegistrationStatus.CONFIRMED, **kw
) -> Registration:
    """A registration of one of the officials of tests/data/officials.csv (testdata.officials).

    Officials of one member city share it, as they would in the directory of member cities.
    """
    city = db.session.scalar(
        select(MemberCity).filter_by(name=row["member_city"], country=row["country"])
    ) or make_member_city(name=row["member_city"], country=row["country"])
    user = make_user(
        full_name=row["full_name"],
        email=row["email"],
        member_city=city,
        preferred_language=row["preferred_language"],
    )
    return make_registration(programme, user, status=status, **kw)
