"""Demo content for development, as plain data: centres, member cities, accounts, officials
and programmes. cli.demo loads it.

DEVELOPMENT ONLY: the demo accounts have published passwords. Programme dates are given
relative to today (days from today, then a weekday), so a fresh demo always has open, full,
past and draft programmes.
"""

from dataclasses import dataclass

from miti_training.models import (
    AttendanceStatus,
    CentreKind,
    EnrolmentPolicy,
    MembershipRole,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeStatus,
    RegistrationStatus,
    Theme,
    WorldRegion,
)

# Accounts ------------------------------------------------------------------------------

#: DEVELOPMENT ONLY: published demo passwords (>= 12 characters, not on the common list).
DEMO_ADMIN_PASSWORD = "demo-admin-sharing-cities"  # noqa: S105
DEMO_STAFF_PASSWORD = "demo-staff-peer-review"  # noqa: S105
DEMO_PARTICIPANT_PASSWORD = "demo-participant-seoul"  # noqa: S105

#: DEVELOPMENT ONLY: one confirmed account per role, for the README, manual checks and tests.
#: `memberships` lists (centre slug, role) pairs.
DEMO_ACCOUNTS: list[dict] = [
    {
        "email": "admin@miti.example",
        "password": DEMO_ADMIN_PASSWORD,
        "role": "Administrator of the whole network (Metropolis Secretariat)",
        "full_name": "Laia Soler",
        "member_city": "Metropolis Secretariat",
        "job_title": "Training network officer",
        "is_admin": True,
        "memberships": [],
    },
    {
        "email": "director.seoul@miti.example",
        "password": DEMO_STAFF_PASSWORD,
        "role": "Director of MITI Headquarters Seoul",
        "full_name": "Lee Seo-yeon",
        "member_city": "Seoul",
        "job_title": "Director, MITI Headquarters",
        "is_admin": False,
        "memberships": [("seoul", MembershipRole.DIRECTOR)],
    },
    {
        "email": "coordinator.seoul@miti.example",
        "password": DEMO_STAFF_PASSWORD,
        "role": "Coordinator at MITI Headquarters Seoul",
        "full_name": "Choi Hyun-woo",
        "member_city": "Seoul",
        "job_title": "Training coordinator",
        "is_admin": False,
        "memberships": [("seoul", MembershipRole.COORDINATOR)],
    },
    {
        "email": "director.paris@miti.example",
        "password": DEMO_STAFF_PASSWORD,
        "role": "Director of MITI Regional Centre Paris Île-de-France",
        "full_name": "Camille Martin",
        "member_city": "Paris Île-de-France",
        "job_title": "Director, MITI Regional Centre",
        "is_admin": False,
        "memberships": [("paris-ile-de-france", MembershipRole.DIRECTOR)],
    },
    {
        "email": "coordinator.cairo@miti.example",
        "password": DEMO_STAFF_PASSWORD,
        "role": "Coordinator at MITI Regional Centre Cairo",
        "full_name": "Yasmine Fathy",
        "member_city": "Cairo",
        "job_title": "Training coordinator",
        "is_admin": False,
        "memberships": [("cairo", MembershipRole.COORDINATOR)],
    },
    {
        "email": "reviewer.seoul@miti.example",
        "password": DEMO_STAFF_PASSWORD,
        "role": "Reviewer at MITI Headquarters Seoul (scores applications)",
        "full_name": "Park Ji-min",
        "member_city": "Seoul",
        "job_title": "International relations officer",
        "is_admin": False,
        "memberships": [("seoul", MembershipRole.REVIEWER)],
    },
    {
        "email": "reviewer.barcelona@miti.example",
        "password": DEMO_STAFF_PASSWORD,
        "role": "Reviewer at MITI Headquarters Seoul, from the Metropolis Secretariat",
        "full_name": "Marta Vidal",
        "member_city": "Barcelona",
        "job_title": "Policy officer, Metropolis Secretariat",
        "is_admin": False,
        "memberships": [("seoul", MembershipRole.REVIEWER)],
    },
    {
        "email": "participant@miti.example",
        "password": DEMO_PARTICIPANT_PASSWORD,
        "role": "Participant: city official from Cairo",
        "full_name": "Omar Nabil",
        "member_city": "Cairo",
        "job_title": "Urban planning officer",
        "is_admin": False,
        "memberships": [],
    },
    {
        "email": "focal.cairo@miti.example",
        "password": DEMO_PARTICIPANT_PASSWORD,
        "role": "Focal point of Cairo: nominates its officials",
        "full_name": "Heba Mansour",
        "member_city": "Cairo",
        "job_title": "International relations officer",
        "is_admin": False,
        "memberships": [],
        "focal_point_of": "Cairo",
    },
    {
        "email": "focal.tehran@miti.example",
        "password": DEMO_PARTICIPANT_PASSWORD,
        "role": "Focal point of Tehran: nominates its officials",
        "full_name": "Ali Rezaei",
        "member_city": "Tehran",
        "job_title": "Head of international affairs",
        "is_admin": False,
        "memberships": [],
        "focal_point_of": "Tehran",
    },
    {
        "email": "focal.mexicocity@miti.example",
        "password": DEMO_PARTICIPANT_PASSWORD,
        "role": "Focal point of Mexico City: nominates its officials",
        "full_name": "Gabriela Ruiz",
        "member_city": "Mexico City",
        "job_title": "Coordinator of international affairs",
        "is_admin": False,
        "memberships": [],
        "focal_point_of": "Mexico City",
    },
    {
        "email": "focal.seoul@miti.example",
        "password": DEMO_PARTICIPANT_PASSWORD,
        "role": "Focal point of Seoul: nominates its officials",
        "full_name": "Han Ji-woo",
        "member_city": "Seoul",
        "job_title": "International cooperation officer",
        "is_admin": False,
        "memberships": [],
        "focal_point_of": "Seoul",
    },
]

# Centres and member cities -------------------------------------------------------------

CENTRES = [
    {
        "slug": "seoul",
        "name": "MITI Headquarters Seoul",
        "city": "Seoul",
        "country": "Republic of Korea",
        "timezone": "Asia/Seoul",
        "kind": CentreKind.HEADQUARTERS,
        "host_institution": "Seoul Human Resources Development Centre (SHRDC)",
        "contact_email": "seoul@miti.example",
    },
    {
        "slug": "cairo",
        "name": "MITI Regional Centre Cairo",
        "city": "Cairo",
        "country": "Egypt",
        "timezone": "Africa/Cairo",
        "kind": CentreKind.REGIONAL,
        "host_institution": "Cairo Governorate",
        "contact_email": "cairo@miti.example",
    },
    {
        "slug": "mashhad",
        "name": "MITI Regional Centre Mashhad",
        "city": "Mashhad",
        "country": "Iran",
        "timezone": "Asia/Tehran",
        "kind": CentreKind.REGIONAL,
        "host_institution": "Mashhad Municipality",
        "contact_email": "mashhad@miti.example",
    },
    {
        "slug": "mexico-city",
        "name": "MITI Regional Centre Mexico City",
        "city": "Mexico City",
        "country": "Mexico",
        "timezone": "America/Mexico_City",
        "kind": CentreKind.REGIONAL,
        "host_institution": "Government of Mexico City",
        "contact_email": "mexico-city@miti.example",
    },
    {
        "slug": "paris-ile-de-france",
        "name": "MITI Regional Centre Paris Île-de-France",
        "city": "Paris",
        "country": "France",
        "timezone": "Europe/Paris",
        "kind": CentreKind.REGIONAL,
        "host_institution": "Île-de-France Region, Department of International Affairs",
        "contact_email": "paris-ile-de-france@miti.example",
    },
]

_A = WorldRegion.AFRICA
_AP = WorldRegion.ASIA_PACIFIC
_EU = WorldRegion.EUROPE
_LA = WorldRegion.LATIN_AMERICA
_ME = WorldRegion.MIDDLE_EAST
_NA = WorldRegion.NORTH_AMERICA

#: (name, country, world region, IANA zone for the demo users from there, is a city).
MEMBER_CITIES: list[tuple[str, str, WorldRegion, str, bool]] = [
    ("Seoul", "Republic of Korea", _AP, "Asia/Seoul", True),
    ("Busan", "Republic of Korea", _AP, "Asia/Seoul", True),
    ("Guangzhou", "China", _AP, "Asia/Shanghai", True),
    ("Wuhan", "China", _AP, "Asia/Shanghai", True),
    ("Surabaya", "Indonesia", _AP, "Asia/Jakarta", True),
    ("Manila", "Philippines", _AP, "Asia/Manila", True),
    ("Bangkok", "Thailand", _AP, "Asia/Bangkok", True),
    ("Kuala Lumpur", "Malaysia", _AP, "Asia/Kuala_Lumpur", True),
    ("Hanoi", "Viet Nam", _AP, "Asia/Ho_Chi_Minh", True),
    ("Bengaluru", "India", _AP, "Asia/Kolkata", True),
    ("Cairo", "Egypt", _A, "Africa/Cairo", True),
    ("Giza", "Egypt", _A, "Africa/Cairo", True),
    ("Dakar", "Senegal", _A, "Africa/Dakar", True),
    ("Lagos", "Nigeria", _A, "Africa/Lagos", True),
    ("Mashhad", "Iran", _ME, "Asia/Tehran", True),
    ("Tehran", "Iran", _ME, "Asia/Tehran", True),
    ("Shiraz", "Iran", _ME, "Asia/Tehran", True),
    ("Beirut", "Lebanon", _ME, "Asia/Beirut", True),
    ("Mexico City", "Mexico", _LA, "America/Mexico_City", True),
    ("Bogotá", "Colombia", _LA, "America/Bogota", True),
    ("São Paulo", "Brazil", _LA, "America/Sao_Paulo", True),
    ("Paris Île-de-France", "France", _EU, "Europe/Paris", True),
    ("Barcelona", "Spain", _EU, "Europe/Madrid", True),
    ("Berlin", "Germany", _EU, "Europe/Berlin", True),
    ("Warsaw", "Poland", _EU, "Europe/Warsaw", True),
    ("Dublin", "Ireland", _EU, "Europe/Dublin", True),
    ("Montréal", "Canada", _NA, "America/Toronto", True),
    ("Metropolis Secretariat", "Spain", _EU, "Europe/Madrid", False),
]

#: Fictional officials (as in tests/data/officials.csv): full name, email, member city,
#: country, job title, preferred language. (Its spreadsheet-formula rows are left out:
#: they belong in the export tests, not in the demo.)
OFFICIALS: list[tuple[str, str, str, str, str, str]] = [
    ("Mona El-Sayed", "mona.elsayed@cairo.example", "Cairo", "Egypt", "Urban planner", "ar"),
    ("منى السيد", "mona.s@giza.example", "Giza", "Egypt", "مهندسة تخطيط عمراني", "ar"),
    ("Karim Haddad", "k.haddad@beirut.example", "Beirut", "Lebanon", "Transport analyst", "fr"),
    ("زهرا احمدی", "z.ahmadi@mashhad.example", "Mashhad", "Iran", "کارشناس مدیریت شهری", "fa"),
    (
        "Reza Karimi",
        "r.karimi@tehran.example",
        "Tehran",
        "Iran",
        "Water management engineer",
        "fa",
    ),
    ("김지은", "jieun.kim@seoul.example", "Seoul", "Republic of Korea", "스마트시티 정책관", "ko"),
    (
        "Park Min-jun",
        "minjun.park@busan.example",
        "Busan",
        "Republic of Korea",
        "E-government officer",
        "ko",
    ),
    ("王芳", "wang.fang@guangzhou.example", "Guangzhou", "China", "Climate policy officer", "en"),
    (
        "Lucía Hernández Ortega",
        "lucia.hernandez@cdmx.example",
        "Mexico City",
        "Mexico",
        "Coordinadora de movilidad",
        "es",
    ),
    (
        "José Ángel Muñoz",
        "ja.munoz@bogota.example",
        "Bogotá",
        "Colombia",
        "Asesor de gobierno abierto",
        "es",
    ),
    (
        "João Pedro Gonçalves",
        "jp.goncalves@saopaulo.example",
        "São Paulo",
        "Brazil",
        "Housing analyst",
        "en",
    ),
    (
        "Chloé Lefèvre",
        "chloe.lefevre@paris-idf.example",
        "Paris Île-de-France",
        "France",
        "Chargée de mission",
        "fr",
    ),
    (
        "Björn Müller-Lüdenscheidt",
        "b.mueller@berlin.example",
        "Berlin",
        "Germany",
        "Governance advisor",
        "en",
    ),
    (
        "Núria Puig i Ferrer",
        "nuria.puig@barcelona.example",
        "Barcelona",
        "Spain",
        "Tècnica de cooperació",
        "es",
    ),
    (
        "Aminata Diallo",
        "a.diallo@dakar.example",
        "Dakar",
        "Senegal",
        "Chargée de la planification",
        "fr",
    ),
    (
        "Chukwuemeka Okonkwo-Adeyemi",
        "c.okonkwo@lagos.example",
        "Lagos",
        "Nigeria",
        "Resilience officer",
        "en",
    ),
    (
        "Siti Nurhaliza binti Abdullah",
        "siti.n@kualalumpur.example",
        "Kuala Lumpur",
        "Malaysia",
        "Smart city officer",
        "en",
    ),
    (
        "Nguyễn Thị Hương",
        "huong.nguyen@hanoi.example",
        "Hanoi",
        "Viet Nam",
        "Urban data specialist",
        "en",
    ),
    (
        "Priya Raghunathan",
        "priya.r@bengaluru.example",
        "Bengaluru",
        "India",
        "Municipal commissioner's aide",
        "en",
    ),
    (
        "O'Brien Siobhán",
        "s.obrien@dublin.example",
        "Dublin",
        "Ireland",
        "Policy officer, climate",
        "en",
    ),
]

#: What some officials write under "Dietary needs" and "Accessibility needs" when they
#: register, as typed (spellings vary, as on real forms: the export page counts them
#: together): email -> (dietary needs, accessibility needs). Every registration of theirs
#: carries them.
OFFICIAL_NEEDS: dict[str, tuple[str, str]] = {
    "mona.elsayed@cairo.example": ("Halal", ""),
    "mona.s@giza.example": ("halal", ""),
    "r.karimi@tehran.example": ("Halal", "Step-free access, please: I use a wheelchair."),
    "a.diallo@dakar.example": ("Vegetarian", ""),
    "c.okonkwo@lagos.example": ("HALAL", ""),
    "z.ahmadi@mashhad.example": ("حلال", ""),
    "jieun.kim@seoul.example": ("", "Sign language interpretation (Korean Sign Language)"),
    "b.mueller@berlin.example": ("vegetarian", ""),
    "nuria.puig@barcelona.example": ("Vegan", ""),
    "siti.n@kualalumpur.example": ("Halal", ""),
    "wang.fang@guangzhou.example": ("No  pork", ""),
    "priya.r@bengaluru.example": ("Vegetarian", ""),
    "chloe.lefevre@paris-idf.example": ("Gluten-free", ""),
    "s.obrien@dublin.example": ("", "Hearing loop or a seat near the speakers"),
    "participant@miti.example": ("halal", ""),
}

#: Motivations of registrations that give none in their programme's list (first-come
#: programmes ask for none, but officials often write one): (programme slug, email) -> text.
MOTIVATIONS: dict[tuple[str, str], str] = {
    (
        "peer-review-process-workshop",
        "b.mueller@berlin.example",
    ): "Berlin leads the initiative that developed the method; I train the next review teams.",
    (
        "peer-review-process-workshop",
        "wang.fang@guangzhou.example",
    ): "Guangzhou will host a peer review of its climate plan next year.",
    (
        "peer-review-process-workshop",
        "siti.n@kualalumpur.example",
    ): "Kuala Lumpur wants to review its smart city blueprint with partner cities.",
    (
        "integrated-urban-water-management",
        "a.diallo@dakar.example",
    ): "Dakar is planning wastewater reuse for its peri-urban farms.",
    (
        "integrated-urban-water-management",
        "c.okonkwo@lagos.example",
    ): "Lagos loses a large share of its treated water in the network.",
}

# Programmes ----------------------------------------------------------------------------

_CONFIRMED = RegistrationStatus.CONFIRMED
_APPLIED = RegistrationStatus.APPLIED
_WAITLISTED = RegistrationStatus.WAITLISTED

_MON, _TUE, _WED, _SUN = 0, 1, 2, 6


@dataclass(frozen=True)
class SessionSpec:
    day: int  #: days after the programme's first day
    start: str  #: local "HH:MM" in the centre's zone
    end: str
    title: str
    location: str = ""


@dataclass(frozen=True)
class ProgrammeSpec:
    centre: str
    slug: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    kind: ProgrammeKind
    theme: Theme
    format: ProgrammeFormat
    venue: str
    languages: str
    capacity: int
    #: (days from today, weekday): the first day is that weekday on or after today + days.
    first_day: tuple[int, int]
    sessions: tuple[SessionSpec, ...]
    #: (participant email, status[, motivation]), in order of registration.
    registrations: tuple[tuple, ...] = ()
    policy: EnrolmentPolicy = EnrolmentPolicy.FIRST_COME
    status: ProgrammeStatus = ProgrammeStatus.PUBLISHED
    waitlist: bool = True
    #: Registration closes at 23:59 local time this many days before the first day.
    closes_days_before: int = 7
    #: Attendance other than "present" for completed programmes: (email, session index, status).
    absences: tuple[tuple[str, int, AttendanceStatus], ...] = ()


_SHRDC = "Seoul Human Resources Development Centre (SHRDC), Seocho-gu, Seoul"

PROGRAMMES: list[ProgrammeSpec] = [
    ProgrammeSpec(
        centre="seoul",
        slug="miti-opening-forum-sharing-cities",
        title="MITI Opening Forum: Sharing Cities",
        summary=(
            "Two days in Seoul that opened the headquarters of the Metropolis International "
            "Training Institute, together with the regional centres of Cairo, Mashhad, "
            "Mexico City and Paris Île-de-France."
        ),
        paragraphs=(
            "Under the theme “Sharing Cities”, this forum formally opened the MITI "
            "headquarters in Seoul. The Mayor of Seoul and the Secretary General of Metropolis "
            "inaugurated the institute with representatives of the regional centres in Cairo, "
            "Mashhad, Mexico City and Paris Île-de-France.",
            "On the first day the Seoul Metropolitan Government signed a bilateral memorandum "
            "of understanding with each regional centre, overseen by the Metropolis Secretariat "
            "in Barcelona. MITI stakeholders then met in a workshop using the Peer Review "
            "Process of the Metropolis Initiative on Integrated Urban Governance, led by "
            "Berlin, to shape the first international training programmes with the input of "
            "the regional centres.",
            "The second day was open to the public: the MITI signboard was unveiled, followed "
            "by the Sharing Cities forum with representatives of Metropolis member cities and "
            "partner institutions.",
            "Metropolis has offered training and capacity building to its members since 1996. "
            "In 2012 its Board of Directors chose Seoul as the training headquarters, working "
            "with Cairo, Mashhad, Mexico City and Paris Île-de-France and aligned with the "
            "Secretariat in Barcelona.",
        ),
        kind=ProgrammeKind.FORUM,
        theme=Theme.URBAN_GOVERNANCE,
        format=ProgrammeFormat.IN_PERSON,
        venue=_SHRDC,
        languages="en,ko",
        capacity=80,
        first_day=(-60, _WED),
        sessions=(
            SessionSpec(
                0,
                "09:30",
                "17:30",
                "Day 1: MoU signing ceremony and Peer Review Process workshop for MITI "
                "stakeholders",
            ),
            SessionSpec(
                1,
                "10:00",
                "18:00",
                "Day 2: Public opening, signboard unveiling and Sharing Cities forum",
            ),
        ),
        registrations=(
            ("jieun.kim@seoul.example", _CONFIRMED),
            ("minjun.park@busan.example", _CONFIRMED),
            ("mona.elsayed@cairo.example", _CONFIRMED),
            ("z.ahmadi@mashhad.example", _CONFIRMED),
            ("lucia.hernandez@cdmx.example", _CONFIRMED),
            ("chloe.lefevre@paris-idf.example", _CONFIRMED),
            ("b.mueller@berlin.example", _CONFIRMED),
            ("nuria.puig@barcelona.example", _CONFIRMED),
            ("participant@miti.example", _CONFIRMED),
        ),
        status=ProgrammeStatus.COMPLETED,
        closes_days_before=10,
        absences=(("nuria.puig@barcelona.example", 1, AttendanceStatus.EXCUSED),),
    ),
    ProgrammeSpec(
        centre="seoul",
        slug="peer-review-process-workshop",
        title="Peer Review Process workshop",
        summary=(
            "Learn the Peer Review Process, the method of the Metropolis Initiative on "
            "Integrated Urban Governance led by Berlin, and practise it on a Seoul case."
        ),
        paragraphs=(
            "In a peer review, a host city opens one of its policies to a small team of "
            "officials from other cities. They study it, meet the people who run it and give "
            "candid, structured feedback. The Metropolis Initiative on Integrated Urban "
            "Governance, led by Berlin, developed the Peer Review Process so that cities can "
            "learn from each other systematically.",
            "Over two days you learn the method step by step: choosing a policy for review, "
            "preparing the background report, running interviews and site visits, and writing "
            "recommendations the host city can act on. The group practises on a real case "
            "from Seoul.",
            "The workshop is for officials who coordinate cross-departmental policies or "
            "international cooperation. Member cities nominate their officials through their "
            "focal points; the centre then selects a balanced group.",
        ),
        kind=ProgrammeKind.WORKSHOP,
        theme=Theme.URBAN_GOVERNANCE,
        format=ProgrammeFormat.IN_PERSON,
        venue=_SHRDC,
        languages="en,ko",
        capacity=15,
        first_day=(35, _TUE),
        sessions=(
            SessionSpec(0, "09:30", "17:30", "Day 1: The Peer Review Process, its steps and roles"),
            SessionSpec(1, "09:30", "16:00", "Day 2: Practice review of a Seoul policy"),
        ),
        # Applications on nominations (PEER_REVIEW_NOMINATIONS): the centre selects.
        registrations=(
            ("participant@miti.example", _APPLIED),
            ("r.karimi@tehran.example", _APPLIED),
            ("lucia.hernandez@cdmx.example", _APPLIED),
            ("jieun.kim@seoul.example", _APPLIED),
        ),
        policy=EnrolmentPolicy.NOMINATION,
    ),
    ProgrammeSpec(
        centre="seoul",
        slug="urban-transportation-sustainable-mobility",
        title="Urban Transportation and Sustainable Mobility",
        summary=(
            "A ten-day course for about fifteen city officials on how Seoul reformed its "
            "buses, traffic operations and streets, with site visits and a closing action plan."
        ),
        paragraphs=(
            "Seoul rebuilt its public transport in a few years: median bus lanes, a reorganised "
            "bus network with integrated fares, real-time traffic operations and streets given "
            "back to pedestrians. This course looks at how those decisions were made and what "
            "other cities can adapt.",
            "Lectures by Seoul officials alternate with site visits. Each participant presents "
            "the transport policy of their own city, and the course ends with group work on an "
            "action plan that every participant takes home.",
            "Before arriving, participants complete a short self-paced online module on the "
            "basics of sustainable urban mobility.",
            "Applications are reviewed by the MITI headquarters team, who aim for a group of "
            "about fifteen officials from different world regions. Please tell us in your "
            "application what you work on and what you hope to take back.",
        ),
        kind=ProgrammeKind.COURSE,
        theme=Theme.URBAN_TRANSPORTATION,
        format=ProgrammeFormat.IN_PERSON,
        venue=_SHRDC,
        languages="en,ko",
        capacity=15,
        first_day=(56, _MON),
        sessions=(
            SessionSpec(
                0, "09:00", "17:00", "Opening, orientation and Seoul's public transport reform"
            ),
            SessionSpec(
                1, "09:00", "17:00", "City presentations: transport policies of participants"
            ),
            SessionSpec(
                2,
                "09:30",
                "16:30",
                "Site visit: Transport Operation and Information Service (TOPIS)",
                "TOPIS, Seoul City Hall, Jung-gu, Seoul",
            ),
            SessionSpec(3, "09:00", "17:00", "Median bus lanes, bus network and integrated fares"),
            SessionSpec(
                4,
                "10:00",
                "16:00",
                "Site visit: Cheonggyecheon restoration and pedestrian streets",
                "Cheonggye Plaza, Jongno-gu, Seoul",
            ),
            SessionSpec(
                7, "09:00", "17:00", "Cycling, walking and shared mobility; group discussion"
            ),
            SessionSpec(8, "09:00", "17:00", "Group work: drafting city action plans"),
            SessionSpec(9, "09:30", "15:00", "Action plan presentations and closing ceremony"),
        ),
        registrations=(
            (
                "wang.fang@guangzhou.example",
                _CONFIRMED,
                "Guangzhou is extending its bus rapid transit corridors; I would like to "
                "compare how Seoul managed the transition for passengers.",
            ),
            (
                "huong.nguyen@hanoi.example",
                _CONFIRMED,
                "I analyse traffic data for Hanoi and want to learn how TOPIS uses real-time "
                "data in daily operations.",
            ),
            (
                "priya.r@bengaluru.example",
                _APPLIED,
                "Bengaluru is planning integrated fares between metro and buses.",
            ),
            (
                "k.haddad@beirut.example",
                _APPLIED,
                "I work on the reorganisation of informal minibus lines in Beirut.",
            ),
            (
                "minjun.park@busan.example",
                _APPLIED,
                "Busan wants to connect its transport data with e-government services.",
            ),
            (
                "participant@miti.example",
                _APPLIED,
                "Cairo is building new metro lines; I plan the streets around the stations.",
            ),
        ),
        policy=EnrolmentPolicy.REVIEW,
        closes_days_before=21,
    ),
    ProgrammeSpec(
        centre="cairo",
        slug="integrated-urban-water-management",
        title="Integrated Urban Water Management",
        summary=(
            "Five days in Cairo on water security for a growing metropolis: supply, "
            "wastewater reuse and reducing losses, with a visit to a treatment plant."
        ),
        paragraphs=(
            "Greater Cairo supplies water to more than twenty million people from a single "
            "river. This course looks at how a fast-growing metropolis plans supply, treats "
            "and reuses wastewater, and reduces the water lost in its networks.",
            "The week combines lectures by engineers of the water utility, a visit to a "
            "drinking water treatment plant, presentations by participants on their own "
            "cities, and a closing session in which each participant drafts an action plan.",
            "The course follows the Egyptian working week, from Sunday to Thursday.",
        ),
        kind=ProgrammeKind.COURSE,
        theme=Theme.WATER_MANAGEMENT,
        format=ProgrammeFormat.IN_PERSON,
        venue="MITI Regional Centre Cairo, Garden City, Cairo",
        languages="ar,en",
        capacity=20,
        first_day=(42, _SUN),
        sessions=(
            SessionSpec(0, "09:00", "15:00", "Water security in a growing metropolis"),
            SessionSpec(
                1,
                "09:00",
                "14:00",
                "Site visit: a drinking water treatment plant on the Nile",
                "Water treatment plant, Greater Cairo",
            ),
            SessionSpec(2, "09:00", "15:00", "Wastewater reuse and non-revenue water"),
            SessionSpec(3, "09:00", "15:00", "City presentations and group discussion"),
            SessionSpec(4, "09:00", "13:00", "Action plans and closing"),
        ),
        registrations=(
            ("mona.s@giza.example", _CONFIRMED),
            ("r.karimi@tehran.example", _CONFIRMED),
            ("a.diallo@dakar.example", _CONFIRMED),
            ("c.okonkwo@lagos.example", _CONFIRMED),
        ),
    ),
    ProgrammeSpec(
        centre="cairo",
        slug="upgrading-informal-areas",
        title="Upgrading Informal Areas",
        summary=(
            "A three-day course on participatory upgrading of informal neighbourhoods, "
            "with a visit to upgraded areas of Greater Cairo."
        ),
        paragraphs=(
            "A large share of the residents of many metropolises live in areas built without "
            "formal planning. This course presents approaches to upgrading them with their "
            "residents: secure tenure, basic services, public space and safer housing.",
            "Participants visit upgraded neighbourhoods of Greater Cairo, meet the local "
            "teams and work in groups on an action plan for their own city.",
        ),
        kind=ProgrammeKind.COURSE,
        theme=Theme.URBAN_PLANNING,
        format=ProgrammeFormat.IN_PERSON,
        venue="MITI Regional Centre Cairo, Garden City, Cairo",
        languages="ar,en",
        capacity=20,
        first_day=(-95, _SUN),
        sessions=(
            SessionSpec(0, "09:00", "15:00", "Participatory upgrading of informal areas"),
            SessionSpec(
                1,
                "09:00",
                "15:00",
                "Site visit: upgraded neighbourhoods of Greater Cairo",
                "Greater Cairo",
            ),
            SessionSpec(2, "09:00", "14:00", "Group work and action plans"),
        ),
        registrations=(
            ("mona.elsayed@cairo.example", _CONFIRMED),
            ("mona.s@giza.example", _CONFIRMED),
            ("a.diallo@dakar.example", _CONFIRMED),
            ("k.haddad@beirut.example", _CONFIRMED),
            ("participant@miti.example", _CONFIRMED),
        ),
        status=ProgrammeStatus.COMPLETED,
        absences=(("k.haddad@beirut.example", 2, AttendanceStatus.ABSENT),),
    ),
    ProgrammeSpec(
        centre="mashhad",
        slug="smart-city-governance-webinars",
        title="Smart City Governance",
        summary=(
            "Three online sessions, a week apart, on governing data and digital services "
            "in a smart city, with examples from Mashhad and partner cities."
        ),
        paragraphs=(
            "Smart city projects succeed or fail on governance: who owns the data, how "
            "departments share it and how residents are served and protected. This webinar "
            "series looks at these questions with practitioners from Mashhad and other "
            "member cities.",
            "Each session lasts ninety minutes, with time for questions. The link to the video "
            "conference is sent to registered participants before each session.",
        ),
        kind=ProgrammeKind.WEBINAR,
        theme=Theme.SMART_CITY,
        format=ProgrammeFormat.ONLINE,
        venue="Online",
        languages="fa,en",
        capacity=100,
        first_day=(20, _TUE),
        sessions=(
            SessionSpec(0, "14:00", "15:30", "Part 1: Data governance and open data", "Online"),
            SessionSpec(7, "14:00", "15:30", "Part 2: Digital public services", "Online"),
            SessionSpec(14, "14:00", "15:30", "Part 3: Smart city projects in practice", "Online"),
        ),
        registrations=(
            ("z.ahmadi@mashhad.example", _CONFIRMED),
            ("r.karimi@tehran.example", _CONFIRMED),
            ("k.haddad@beirut.example", _CONFIRMED),
            ("huong.nguyen@hanoi.example", _CONFIRMED),
            ("priya.r@bengaluru.example", _CONFIRMED),
            ("siti.n@kualalumpur.example", _CONFIRMED),
        ),
        closes_days_before=1,
    ),
    ProgrammeSpec(
        centre="mexico-city",
        slug="seismic-resilience-workshop",
        title="Seismic Resilience: Preparing a Metropolis for Earthquakes",
        summary=(
            "An intensive three-day exchange with Mexico City's civil protection teams, "
            "limited to three visiting officials. A waiting list is open."
        ),
        paragraphs=(
            "Mexico City has learned from its earthquakes how to warn, build and respond: a "
            "seismic early-warning system, stricter building codes and neighbourhood drills. "
            "Visiting officials spend three days with the teams who run these systems.",
            "The exchange is deliberately small, with three seats, so that visitors can join "
            "the teams in their daily work. When it is full you can join the waiting list; "
            "if a seat becomes free it is offered to the first person on the list.",
        ),
        kind=ProgrammeKind.WORKSHOP,
        theme=Theme.RESILIENCE,
        format=ProgrammeFormat.IN_PERSON,
        venue="MITI Regional Centre Mexico City, Centro Histórico, Mexico City",
        languages="es,en",
        capacity=3,
        first_day=(40, _MON),
        sessions=(
            SessionSpec(0, "09:00", "17:00", "Early warning and emergency operations"),
            SessionSpec(1, "09:00", "17:00", "Building codes and structural retrofitting"),
            SessionSpec(2, "09:00", "15:00", "Neighbourhood drills and action plans"),
        ),
        registrations=(
            ("lucia.hernandez@cdmx.example", _CONFIRMED),
            ("ja.munoz@bogota.example", _CONFIRMED),
            ("jp.goncalves@saopaulo.example", _CONFIRMED),
            ("c.okonkwo@lagos.example", _WAITLISTED),
            ("s.obrien@dublin.example", _WAITLISTED),
        ),
    ),
    ProgrammeSpec(
        centre="paris-ile-de-france",
        slug="climate-adaptation-study-visit",
        title="Climate Adaptation in the Paris Region: Study Visit",
        summary=(
            "Four days in the Paris Region on heat waves, greener schoolyards and flood "
            "risk; join on site or follow the talks online."
        ),
        paragraphs=(
            "The Paris Region is preparing for hotter summers and a higher risk of floods on "
            "the Seine. This study visit shows what the region and its cities are doing: heat "
            "wave plans, cooler schoolyards and streets, and flood protection.",
            "The programme is hybrid. Visits are for participants on site; the talks are also "
            "streamed for participants who follow online.",
        ),
        kind=ProgrammeKind.STUDY_VISIT,
        theme=Theme.CLIMATE_CHANGE,
        format=ProgrammeFormat.HYBRID,
        venue="Île-de-France Region headquarters, Saint-Ouen-sur-Seine, and online",
        languages="fr,en",
        capacity=12,
        first_day=(70, _MON),
        sessions=(
            SessionSpec(
                0, "09:30", "17:00", "The regional climate plan and heat-wave preparedness"
            ),
            SessionSpec(
                1,
                "09:30",
                "16:30",
                "Site visit: cooler schoolyards and streets in Paris",
                "Paris",
            ),
            SessionSpec(
                2,
                "09:30",
                "16:30",
                "Site visit: flood management on the Seine",
                "Seine valley, Île-de-France",
            ),
            SessionSpec(3, "09:30", "13:00", "Round table and action plans"),
        ),
        registrations=(
            ("chloe.lefevre@paris-idf.example", _CONFIRMED),
            ("a.diallo@dakar.example", _CONFIRMED),
            ("s.obrien@dublin.example", _CONFIRMED),
            ("nuria.puig@barcelona.example", _CONFIRMED),
        ),
    ),
    ProgrammeSpec(
        centre="paris-ile-de-france",
        slug="affordable-housing-urban-renewal",
        title="Affordable Housing and Urban Renewal",
        summary="Draft: a course on social housing and the renewal of large housing estates.",
        paragraphs=(
            "Draft programme, not yet published. Planned content: financing social housing, "
            "renewing large post-war housing estates with their residents, and keeping "
            "renewed neighbourhoods affordable.",
        ),
        kind=ProgrammeKind.COURSE,
        theme=Theme.HOUSING,
        format=ProgrammeFormat.IN_PERSON,
        venue="Île-de-France Region headquarters, Saint-Ouen-sur-Seine",
        languages="fr,en",
        capacity=15,
        first_day=(120, _MON),
        sessions=(
            SessionSpec(0, "09:30", "17:00", "Financing social housing"),
            SessionSpec(1, "09:30", "17:00", "Site visit: a renewed housing estate"),
            SessionSpec(2, "09:30", "13:00", "Action plans"),
        ),
        status=ProgrammeStatus.DRAFT,
        closes_days_before=14,
    ),
]

#: Staff who created a centre's programmes and recorded attendance, by centre slug.
CENTRE_STAFF = {
    "seoul": ("director.seoul@miti.example", "coordinator.seoul@miti.example"),
    "cairo": ("admin@miti.example", "coordinator.cairo@miti.example"),
    "paris-ile-de-france": ("director.paris@miti.example", "director.paris@miti.example"),
}


# Nominations ---------------------------------------------------------------------------

#: The Peer Review Process workshop: its nomination window (days from today), the places per
#: city (default, overrides) and region caps.
PEER_REVIEW_SLUG = "peer-review-process-workshop"
PEER_REVIEW_WINDOW = (-10, 21)
PEER_REVIEW_DEFAULT_PLACES = 2
PEER_REVIEW_CITY_PLACES = {"Tehran": 3}
PEER_REVIEW_REGION_CAPS = {WorldRegion.ASIA_PACIFIC: 5, WorldRegion.MIDDLE_EAST: 4}

#: (focal point email, official email or invited address, full name, language), in order;
#: officials with a registration for the programme have applied on their nomination.
PEER_REVIEW_NOMINATIONS = (
    ("focal.cairo@miti.example", "participant@miti.example", "", "en"),
    ("focal.cairo@miti.example", "mona.elsayed@cairo.example", "", "ar"),
    ("focal.tehran@miti.example", "r.karimi@tehran.example", "", "fa"),
    ("focal.tehran@miti.example", "sara.rahimi@tehran.example", "Sara Rahimi", "fa"),
    ("focal.mexicocity@miti.example", "lucia.hernandez@cdmx.example", "", "es"),
    ("focal.seoul@miti.example", "jieun.kim@seoul.example", "", "ko"),
)
