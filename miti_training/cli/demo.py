"""Loading the demo content of cli.demo_data into the database (development only).

`flask demo-data` refuses to run in production. Loading is idempotent: every row is looked up
by its natural key (centre slug, member city name and country, user email, programme slug)
and only created when missing; existing rows are never changed. Programme dates are computed
from today in each centre's time zone.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from miti_training.cli.demo_albums import load_albums
from miti_training.cli.demo_data import (
    CENTRE_STAFF,
    CENTRES,
    DEMO_ACCOUNTS,
    DEMO_PARTICIPANT_PASSWORD,
    MEMBER_CITIES,
    MOTIVATIONS,
    OFFICIAL_NEEDS,
    OFFICIALS,
    PROGRAMMES,
    ProgrammeSpec,
)
from miti_training.cli.demo_network_translations import (
    CENTRE_DESCRIPTIONS,
    CENTRE_TRANSLATIONS,
    MEMBER_CITY_TRANSLATIONS,
)
from miti_training.cli.demo_news import load_news
from miti_training.cli.demo_nominations import load_nominations
from miti_training.cli.demo_questions import QUESTIONS
from miti_training.cli.demo_scoring import load_scores
from miti_training.cli.demo_translations import PROGRAMME_TRANSLATIONS
from miti_training.extensions import db
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Centre,
    CentreTranslation,
    MemberCity,
    MemberCityTranslation,
    Membership,
    MembershipRole,
    Programme,
    ProgrammeQuestion,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
    QuestionTranslation,
    Registration,
    RegistrationStatus,
    SessionTranslation,
    User,
    WorldRegion,
    normalise_email,
)
from miti_training.registrations.policy import decided_by_staff


def load_demo_data() -> str:
    """Add the demo rows that are missing (add and flush; the caller commits)."""
    loader = _Loader()
    loader.load()
    return (
        f"Demo data: {len(CENTRES)} centres, {len(MEMBER_CITIES)} member cities, "
        f"{len(DEMO_ACCOUNTS) + len(OFFICIALS)} users, {len(PROGRAMMES)} programmes "
        + (
            f"({loader.added} record{'s' if loader.added != 1 else ''} added)."
            if loader.added
            else "(already loaded)."
        )
    )


@cache
def _demo_password_hash(password: str) -> str:
    """One scrypt hash per demo password, shared by the accounts that use it.

    scrypt is deliberately slow; sharing a salt is acceptable for development-only accounts.
    """
    return generate_password_hash(password, method="scrypt")


def _local(day: date, hhmm: str, zone: ZoneInfo) -> datetime:
    """A wall-clock time in a centre's zone, as an aware UTC datetime."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), zone).astimezone(UTC)


class _Loader:
    """Get-or-create by natural key; counts what it adds."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)
        self.added = 0
        self.centres: dict[str, Centre] = {}
        self.cities: dict[str, MemberCity] = {}
        self.city_zones: dict[str, str] = {}
        self.users: dict[str, User] = {}

    def load(self) -> None:
        for spec in CENTRES:
            self._centre(spec)
        for name, country, region, zone, is_city in MEMBER_CITIES:
            self._member_city(name, country, region, is_city)
            self.city_zones[name] = zone
        for account in DEMO_ACCOUNTS:
            user = self._user(
                email=account["email"],
                password=account["password"],
                full_name=account["full_name"],
                city=account["member_city"],
                job_title=account["job_title"],
                language="en",
                is_admin=account["is_admin"],
            )
            for slug, role in account["memberships"]:
                self._membership(user, self.centres[slug], MembershipRole(role))
        for full_name, email, city, _country, job_title, language in OFFICIALS:
            self._user(
                email=email,
                password=DEMO_PARTICIPANT_PASSWORD,
                full_name=full_name,
                city=city,
                job_title=job_title,
                language=language,
            )
        db.session.flush()
        for spec in PROGRAMMES:
            self._programme(spec)
        db.session.flush()
        load_nominations(self, self.now)
        self.added += load_scores(self.now)
        # The albums first: the forum's news post takes a Day 1 photo as its cover.
        self.added += load_albums()
        self.added += load_news(self.now)

    def _add(self, obj) -> None:
        db.session.add(obj)
        self.added += 1

    def _centre(self, spec: dict) -> None:
        centre = db.session.scalar(select(Centre).where(Centre.slug == spec["slug"]))
        if centre is None:
            centre = Centre(**spec, description=CENTRE_DESCRIPTIONS.get(spec["slug"], ""))
            self._add(centre)
        if not centre.translations:
            for code, (name, description) in CENTRE_TRANSLATIONS.get(spec["slug"], {}).items():
                centre.translations.append(
                    CentreTranslation(language=code, name=name, description=description)
                )
        self.centres[spec["slug"]] = centre

    def _member_city(self, name: str, country: str, region: WorldRegion, is_city: bool) -> None:
        city = db.session.scalar(
            select(MemberCity).where(MemberCity.name == name, MemberCity.country == country)
        )
        if city is None:
            city = MemberCity(name=name, country=country, world_region=region, is_city=is_city)
            self._add(city)
        if not city.translations:
            for code, translated in MEMBER_CITY_TRANSLATIONS.get(name, {}).items():
                city.translations.append(MemberCityTranslation(language=code, name=translated))
        self.cities[name] = city

    def _user(
        self,
        *,
        email: str,
        password: str,
        full_name: str,
        city: str,
        job_title: str,
        language: str,
        is_admin: bool = False,
    ) -> User:
        email = normalise_email(email)
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                password_hash=_demo_password_hash(password),
                full_name=full_name,
                member_city=self.cities[city],
                job_title=job_title,
                preferred_language=language,
                timezone=self.city_zones[city],
                is_admin=is_admin,
                email_confirmed_at=self.now,
                password_changed_at=self.now,
            )
            self._add(user)
        self.users[email] = user
        return user

    def _membership(self, user: User, centre: Centre, role: MembershipRole) -> None:
        db.session.flush()
        exists = db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.centre_id == centre.id,
                Membership.role == role,
            )
        )
        if exists is None:
            self._add(Membership(user=user, centre=centre, role=role, granted_at=self.now))

    def _programme(self, spec: ProgrammeSpec) -> None:
        """Create a programme with its sessions, registrations and attendance, or skip it."""
        if db.session.scalar(select(Programme.id).where(Programme.slug == spec.slug)):
            return
        centre = self.centres[spec.centre]
        zone = ZoneInfo(centre.timezone)
        local_today = self.now.astimezone(zone).date()
        offset, weekday = spec.first_day
        earliest = local_today + timedelta(days=offset)
        first_day = earliest + timedelta(days=(weekday - earliest.weekday()) % 7)
        last_day = first_day + timedelta(days=max(s.day for s in spec.sessions))
        closes_at = _local(first_day - timedelta(days=spec.closes_days_before), "23:59", zone)
        if spec.status == ProgrammeStatus.PUBLISHED:
            opens_at = _local(local_today - timedelta(days=14), "09:00", zone)
        else:
            opens_at = _local(first_day - timedelta(days=60), "09:00", zone)
        confirmed = sum(1 for r in spec.registrations if r[1] == RegistrationStatus.CONFIRMED)
        if confirmed > spec.capacity:
            raise ValueError(f"demo programme {spec.slug} has more confirmed than seats")
        creator_email, recorder_email = CENTRE_STAFF.get(
            spec.centre, ("admin@miti.example", "admin@miti.example")
        )
        programme = Programme(
            centre=centre,
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            description="\n\n".join(spec.paragraphs),
            kind=spec.kind,
            theme=spec.theme,
            format=spec.format,
            venue=spec.venue,
            languages=spec.languages,
            starts_on=first_day,
            ends_on=last_day,
            capacity=spec.capacity,
            seats_taken=confirmed,
            waitlist_length=sum(
                1 for r in spec.registrations if r[1] == RegistrationStatus.WAITLISTED
            ),
            registration_opens_at=opens_at,
            registration_closes_at=closes_at,
            enrolment_policy=spec.policy,
            is_waitlist_enabled=spec.waitlist,
            status=spec.status,
            created_by_id=self.users[creator_email].id,
            published_at=None if spec.status == ProgrammeStatus.DRAFT else opens_at,
            created_at=min(opens_at, self.now) - timedelta(days=7),
        )
        self._add(programme)
        for s in spec.sessions:
            day = first_day + timedelta(days=s.day)
            session = ProgrammeSession(
                title=s.title,
                starts_at=_local(day, s.start, zone),
                ends_at=_local(day, s.end, zone),
                location=s.location or spec.venue,
            )
            programme.sessions.append(session)
            self.added += 1
        self._translations(spec, programme)
        self._questions(spec, programme)
        registrations = self._registrations(spec, programme, opens_at)
        if spec.status == ProgrammeStatus.COMPLETED:
            db.session.flush()
            self._attendance(spec, registrations, programme.sessions, recorder_email)

    def _translations(self, spec: ProgrammeSpec, programme: Programme) -> None:
        """The programme's texts, venue and session titles in the other languages."""
        sessions = list(programme.sessions)
        for code, texts in PROGRAMME_TRANSLATIONS.get(spec.slug, {}).items():
            programme.translations.append(
                ProgrammeTranslation(
                    language=code,
                    title=texts.title,
                    summary=texts.summary,
                    description="\n\n".join(texts.paragraphs),
                    venue=texts.venue,
                )
            )
            for session, title in zip(sessions, texts.sessions, strict=True):
                session.translations.append(SessionTranslation(language=code, title=title))

    def _questions(self, spec: ProgrammeSpec, programme: Programme) -> None:
        """The registration form's questions, with their translations."""
        for position, question in enumerate(QUESTIONS.get(spec.slug, ()), start=1):
            programme.questions.append(
                ProgrammeQuestion(
                    position=position,
                    kind=question.kind,
                    label=question.label,
                    help_text=question.help_text,
                    is_required=question.is_required,
                    choices=list(question.choices),
                    translations=[
                        QuestionTranslation(
                            language=code, label=label, help_text=help_text, choices=list(choices)
                        )
                        for code, (label, help_text, choices) in question.translations.items()
                    ],
                )
            )
            self.added += 1

    def _registrations(
        self, spec: ProgrammeSpec, programme: Programme, opens_at: datetime
    ) -> list[Registration]:
        reviewer = self.users[CENTRE_STAFF.get(spec.centre, ("", "admin@miti.example"))[1]]
        created = []
        waitlist_position = 0
        for index, (email, status, *motivation) in enumerate(spec.registrations):
            user = self.users[email]
            city = user.member_city
            registered_at = min(opens_at + timedelta(hours=7 * (index + 1)), self.now)
            decided = decided_by_staff(programme) and status != RegistrationStatus.APPLIED
            if status == RegistrationStatus.WAITLISTED:
                waitlist_position += 1
            dietary, accessibility = OFFICIAL_NEEDS.get(email, ("", ""))
            registration = Registration(
                programme=programme,
                user=user,
                status=status,
                full_name=user.full_name,
                email=user.email,
                organisation=city.name if city else "",
                # The member city snapshot, as registering does: the network's statistics.
                member_city=city,
                country=city.country if city else "",
                job_title=user.job_title,
                motivation=motivation[0] if motivation else MOTIVATIONS.get((spec.slug, email), ""),
                accessibility_needs=accessibility,
                dietary_needs=dietary,
                consent_data_at=registered_at,
                consent_listing_at=registered_at if index % 2 == 0 else None,
                # Most agree to photos; the others show on the albums' pages for staff.
                consent_photos_at=registered_at if index % 3 != 2 else None,
                waitlist_position=waitlist_position
                if status == RegistrationStatus.WAITLISTED
                else None,
                decided_by=reviewer if decided else None,
                decided_at=min(registered_at + timedelta(days=2), self.now) if decided else None,
                created_at=registered_at,
                updated_at=registered_at,
            )
            self._add(registration)
            created.append(registration)
        return created

    def _attendance(
        self,
        spec: ProgrammeSpec,
        registrations: Iterable[Registration],
        sessions: list[ProgrammeSession],
        recorder_email: str,
    ) -> None:
        exceptions = {(email, index): status for email, index, status in spec.absences}
        recorder = self.users[recorder_email]
        for registration in registrations:
            if registration.status != RegistrationStatus.CONFIRMED:
                continue
            for index, session in enumerate(sessions):
                self._add(
                    Attendance(
                        registration=registration,
                        session=session,
                        status=exceptions.get(
                            (registration.email, index), AttendanceStatus.PRESENT
                        ),
                        recorded_by_id=recorder.id,
                        recorded_at=session.ends_at,
                    )
                )
