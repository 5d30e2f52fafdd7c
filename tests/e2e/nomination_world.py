"""The world of the nomination journeys, written with the test factories into the live server's
database (the server shares its SQLite file): a centre, two programmes under the nomination
policy (one with a rubric, places for two per city, one selected per city, expiring seat
offers), focal points of Cairo (Arabic) and Tehran (Persian), an official to nominate, three
officials nominated who applied already, two reviewers and a coordinator."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from miti_training import create_app
from miti_training.extensions import db as database
from miti_training.models import (
    EnrolmentPolicy,
    MemberCity,
    MembershipRole,
    NominationStatus,
    ProgrammeKind,
    RegionCap,
    RegistrationStatus,
    RubricCriterion,
    WorldRegion,
    utcnow,
)
from tests.support.factories import (
    PASSWORD,
    make_centre,
    make_member_city,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.nominations import make_focal_point, make_nomination

from .page_states import Account

CENTRE_SLUG = "journey-alexandria"
PROGRAMME_TITLE = "Water Loss Reduction workshop"
PROGRAMME_SLUG = "water-loss-reduction-workshop-journey"
STUDY_VISIT_TITLE = "Heat-Resilient Streets study visit"

#: The official nominated in the browser, and the three nominated and applied beforehand.
NOMINEE = ("Yasmine Fawzy", "yasmine.fawzy@cairo.example", "fr")
CAIRO_OTHER = ("Omar Nabil", "omar.nabil@cairo.example", "en")
TEHRAN = ("Parisa Ahmadi", "parisa.ahmadi@tehran.example", "fa")
MEXICO = ("Lucía Hernández", "lucia.hernandez@mexico.example", "es")

CITIES = {
    "Cairo": ("Egypt", WorldRegion.AFRICA),
    "Tehran": ("Iran", WorldRegion.MIDDLE_EAST),
    "Mexico City": ("Mexico", WorldRegion.LATIN_AMERICA),
    "Seoul": ("Republic of Korea", WorldRegion.ASIA_PACIFIC),
}

#: Each reviewer's scores (relevance weighs 60, experience 40). Ranking: Omar 4.8, Yasmine
#: 4.3, Parisa 3.3, Lucía 3.0 (one sheet: the second reviewer is from Mexico City, recused).
SCORES = {
    "first": {
        CAIRO_OTHER[0]: (5, 5),
        NOMINEE[0]: (4, 4),
        TEHRAN[0]: (4, 3),
        MEXICO[0]: (3, 3),
    },
    "second": {CAIRO_OTHER[0]: (5, 4), NOMINEE[0]: (5, 4), TEHRAN[0]: (3, 3)},
}


@dataclass(frozen=True)
class World:
    programme_id: int
    #: A second programme by nomination, for the invitation of an address without an account.
    study_visit_id: int
    tehran_id: int
    criteria: tuple[int, int]
    focal_point: Account
    tehran_focal_point: Account
    nominee: Account
    mexico: Account
    waitlisted: Account
    reviewers: dict[str, Account]
    coordinator: Account


def _city(name: str) -> MemberCity:
    """The demo's member city of that name, or a new one (the journey does not need the demo)."""
    country, region = CITIES[name]
    found = database.session.scalar(select(MemberCity).filter_by(name=name, country=country))
    return found or make_member_city(name=name, country=country, world_region=region)


def _applied(programme, city, person, focal_point, motivation: str) -> None:
    """An official nominated by the city's focal point who has applied since."""
    name, email, language = person
    user = make_user(full_name=name, email=email, member_city=city, preferred_language=language)
    nomination = make_nomination(
        programme, user, status=NominationStatus.APPLIED, nominated_by_id=focal_point.id
    )
    registration = make_registration(
        programme, user, status=RegistrationStatus.APPLIED, motivation=motivation
    )
    nomination.registration_id = registration.id


def build_world(live_server) -> World:
    """Write the world into the live server's database; the ids and accounts the journeys need."""
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=live_server.env["DATABASE_URL"],
        MAIL_OUTBOX_DIR=str(live_server.outbox),
    )
    with app.app_context():
        cairo, tehran, mexico, seoul = (
            _city(n) for n in ("Cairo", "Tehran", "Mexico City", "Seoul")
        )
        centre = make_centre(
            slug=CENTRE_SLUG,
            name="MITI Regional Centre Alexandria",
            city="Alexandria",
            country="Egypt",
            timezone="Africa/Cairo",
        )
        now = utcnow()
        programme = make_programme(
            centre,
            slug=PROGRAMME_SLUG,
            title=PROGRAMME_TITLE,
            enrolment_policy=EnrolmentPolicy.NOMINATION,
            capacity=3,
            nomination_opens_at=now - timedelta(days=1),
            nomination_closes_at=now + timedelta(days=10),
            default_allocation=2,
            city_selection_cap=1,
            offers_expire=True,
            offer_hours=48,
        )
        study_visit = make_programme(
            centre,
            slug=f"{PROGRAMME_SLUG}-study-visit",
            title=STUDY_VISIT_TITLE,
            kind=ProgrammeKind.STUDY_VISIT,
            enrolment_policy=EnrolmentPolicy.NOMINATION,
            nomination_opens_at=now - timedelta(days=1),
            nomination_closes_at=now + timedelta(days=10),
        )
        database.session.add(
            RegionCap(programme_id=programme.id, world_region=WorldRegion.EUROPE, places=2)
        )
        criteria = [
            RubricCriterion(
                programme_id=programme.id,
                name="Relevance of the motivation",
                weight=60,
                position=1,
            ),
            RubricCriterion(
                programme_id=programme.id, name="Experience in the field", weight=40, position=2
            ),
        ]
        database.session.add_all(criteria)
        focal_point = make_focal_point(
            cairo,
            full_name="Hoda Mansour",
            email="hoda.mansour@cairo.example",
            preferred_language="ar",
        )
        tehran_focal_point = make_focal_point(
            tehran,
            full_name="Reza Karimi",
            email="reza.karimi@tehran.example",
            preferred_language="fa",
        )
        mexico_focal_point = make_focal_point(
            mexico, email="focal.journey@mexico.example", preferred_language="es"
        )
        name, email, language = NOMINEE
        make_user(full_name=name, email=email, member_city=cairo, preferred_language=language)
        _applied(
            programme,
            cairo,
            CAIRO_OTHER,
            focal_point,
            "Our utility loses a third of its water; I lead the metering programme.",
        )
        _applied(
            programme,
            tehran,
            TEHRAN,
            tehran_focal_point,
            "Tehran's district networks need pressure management; I plan it.",
        )
        _applied(
            programme,
            mexico,
            MEXICO,
            mexico_focal_point,
            "I manage leak detection crews in two boroughs.",
        )
        reviewers = {
            "first": make_staff(
                centre,
                MembershipRole.REVIEWER,
                member_city=seoul,
                email="reviewer.one@journey.example",
                full_name="Jiwoo Han",
            ),
            "second": make_staff(
                centre,
                MembershipRole.REVIEWER,
                member_city=mexico,
                email="reviewer.two@journey.example",
                full_name="Diego Morales",
            ),
        }
        coordinator = make_staff(
            centre,
            MembershipRole.COORDINATOR,
            member_city=cairo,
            email="coordinator@journey.example",
            full_name="Nadia Saleh",
        )
        database.session.commit()
        built = World(
            programme_id=programme.id,
            study_visit_id=study_visit.id,
            tehran_id=tehran.id,
            criteria=(criteria[0].id, criteria[1].id),
            focal_point=Account(focal_point.email, PASSWORD),
            tehran_focal_point=Account(tehran_focal_point.email, PASSWORD),
            nominee=Account(email, PASSWORD),
            mexico=Account(MEXICO[1], PASSWORD),
            waitlisted=Account(CAIRO_OTHER[1], PASSWORD),
            reviewers={k: Account(u.email, PASSWORD) for k, u in reviewers.items()},
            coordinator=Account(coordinator.email, PASSWORD),
        )
        database.session.remove()
        for engine in database.engines.values():
            engine.dispose()
    return built
