"""Full-text search through the catalogue page, the API and the staff's registration search,
with the same expected results on SQLite and PostgreSQL (the suite runs on either backend).

Case and accents are ignored in every script the network writes: Latin accents, Arabic with
or without its short vowels, Persian typed on an Arabic keyboard (ي/ك) or a Persian one
(ی/ک), Korean words as typed (the last word may be cut short, which also finds it with its
particle). Titles rank above summaries above descriptions.
"""

import re
from datetime import timedelta

import pytest

from miti_training.models import ProgrammeTranslation, Theme
from tests.support.factories import make_centre, make_programme, make_staff, make_user, today
from tests.support.factories import make_registration as _make_registration
from tests.support.pages import text_of
from tests.support.testdata import hostile_strings

API = "/api/v1/programmes"


def catalogue_slugs(client, q: str) -> list[str]:
    response = client.get("/programmes", query_string={"q": q})
    assert response.status_code == 200
    return re.findall(r'class="card-title"><a href="/programmes/([^"]+)"', text_of(response))


def api_slugs(client, q: str) -> list[str]:
    response = client.get(API, query_string={"q": q})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["slug"] for item in response.get_json()["items"]]


def found(client, q: str) -> list[str]:
    """The slugs the catalogue page finds for q, after checking the API finds the same."""
    on_page = catalogue_slugs(client, q)
    assert api_slugs(client, q) == on_page, q
    return on_page


def translate(programme, language: str, title: str, summary: str = "", description: str = ""):
    programme.translations.append(
        ProgrammeTranslation(
            language=language, title=title, summary=summary, description=description
        )
    )


@pytest.fixture
def catalogue(db):
    paris = make_centre(slug="paris", name="MITI Regional Centre Paris Île-de-France")
    cairo = make_centre(slug="cairo", name="MITI Regional Centre Cairo")
    mashhad = make_centre(slug="mashhad", name="MITI Regional Centre Mashhad")
    seoul = make_centre(slug="seoul", name="MITI Headquarters Seoul")

    def programme(centre, slug, title, days, **kw):
        kw.setdefault("summary", "A training programme.")
        kw.setdefault("description", "Lectures and site visits.")
        kw.setdefault("theme", Theme.HOUSING)
        return make_programme(
            centre, slug=slug, title=title, starts_on=today() + timedelta(days=days), **kw
        )

    programme(paris, "ecole", "École des maires", 10)
    programme(cairo, "madrasa", "مَدْرَسَةُ المُدُنِ", 11)  # with its short vowels
    programme(cairo, "planning", "التخطيط العمراني", 12)  # without them
    programme(mashhad, "persian-water", "مدیریت یکپارچه آب شهری", 13)  # Persian ی
    programme(mashhad, "arabic-keyboard", "كارگاه بازآفريني شهري", 14)  # Arabic ك and ي
    programme(seoul, "quake", "지진 대비 연수", 15)
    programme(seoul, "seoul-forum", "서울에서 열리는 도시 포럼", 16)
    governance = programme(seoul, "governance", "Urban governance forum", 17)
    translate(governance, "fr", "Forum sur la gouvernance métropolitaine")
    translate(governance, "ko", "도시 거버넌스 포럼")
    # The same word in a description, starting sooner, and in a title, starting later.
    programme(seoul, "described", "Resilience course", 18, description="Flood water plans.")
    programme(seoul, "summarised", "Housing course", 19, summary="Water and housing.")
    programme(seoul, "titled", "Water futures", 20)
    programme(seoul, "mobility", "Sustainable mobility study visit", 21)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Latin: case and accents, both ways; the centre's name is searched.
        ("ecole", ["ecole"]),
        ("ÉCOLE", ["ecole"]),
        ("Ecole des Maires", ["ecole"]),
        ("ile-de-france", ["ecole"]),
        ("Île de France", ["ecole"]),
        # Arabic with and without short vowels, both ways.
        ("مدرسة المدن", ["madrasa"]),
        ("مَدْرَسَة", ["madrasa"]),
        ("التَّخْطِيط العُمْرانيّ", ["planning"]),
        ("التخطيط", ["planning"]),
        ("التخـــطيط", ["planning"]),  # tatweel
        # Persian from either keyboard, both ways.
        ("مديريت يكپارچه", ["persian-water"]),
        ("مدیریت یکپارچه", ["persian-water"]),
        ("کارگاه بازآفرینی", ["arabic-keyboard"]),
        ("كارگاه بازآفريني", ["arabic-keyboard"]),
        # Korean as typed; the last word is a prefix, which finds it with its particle.
        ("지진", ["quake"]),
        ("지진 대비", ["quake"]),
        ("서울", ["seoul-forum"]),
        ("도시 거버", ["governance"]),
        # A translated title alone finds the programme.
        ("gouvernance métropolitaine", ["governance"]),
        ("거버넌스", ["governance"]),
        # Prefix of the last word only.
        ("sustain", ["mobility"]),
        ("sustain visit", []),
        ("visi sustainable", []),
        # Title above summary above description; date order among equals.
        ("water", ["titled", "summarised", "described"]),
        ("nothing-like-this", []),
    ],
)
def test_catalogue_and_api_find_the_same(client, catalogue, q, expected):
    assert found(client, q) == expected


def test_ranking_only_with_a_query(client, catalogue):
    """Without text the catalogue keeps its order: soonest first."""
    slugs = catalogue_slugs(client, "")
    assert slugs.index("described") < slugs.index("summarised") < slugs.index("titled")


def test_search_follows_every_change_of_a_document(client, db, catalogue):
    from sqlalchemy import select

    from miti_training.models import Centre, CentreTranslation, Programme

    titled = db.session.scalar(select(Programme).where(Programme.slug == "titled"))
    titled.title = "Rivers ahead"
    db.session.commit()
    assert found(client, "water") == ["summarised", "described"]
    assert found(client, "rivers") == ["titled"]

    translate(titled, "es", "Ríos del futuro")
    db.session.commit()
    assert found(client, "rios") == ["titled"]
    titled.translations[0].title = "Caminos"
    db.session.commit()
    assert found(client, "rios") == [] and found(client, "caminos") == ["titled"]
    titled.translations.clear()
    db.session.commit()
    assert found(client, "caminos") == []

    mashhad = db.session.scalar(select(Centre).where(Centre.slug == "mashhad"))
    mashhad.name = "Khorasan centre"
    mashhad.translations.append(CentreTranslation(language="fa", name="مرکز خراسان"))
    db.session.commit()
    # Equally relevant: bm25 (SQLite) prefers the shorter document, ts_rank does not.
    assert sorted(found(client, "khorasan")) == ["arabic-keyboard", "persian-water"]
    assert sorted(found(client, "خراسان")) == ["arabic-keyboard", "persian-water"]
    mashhad.translations.clear()
    db.session.commit()
    assert found(client, "خراسان") == []

    db.session.delete(titled)
    db.session.commit()
    assert found(client, "rivers") == []


# Hostile input -----------------------------------------------------------------------------

QUERY_SYNTAX = [
    '"',
    "'",
    "\\",
    "*",
    "water*",
    '"water',
    'water" OR "x',
    "water OR housing",
    "NOT water",
    "-water",
    "^water",
    "title:water",
    "{title summary}: water",
    "NEAR(water housing)",
    "water & housing | !x",
    "water:*",
    "':*",
    "(",
    ")",
    "a AND",
    "or",
    "<->",
    "%",
    "_",
    "  ",
    "٪؟،",
    "x" * 200,
    "w " * 100,
]


@pytest.mark.parametrize("q", QUERY_SYNTAX + list(hostile_strings()))
def test_hostile_text_gives_results_or_none(client, catalogue, q):
    page = client.get("/programmes", query_string={"q": q})
    assert page.status_code == 200
    api = client.get(API, query_string={"q": q})
    # The API refuses control characters and empty or over-long values by name.
    assert api.status_code == 200 or (api.status_code == 400 and api.get_json()["field"] == "q")


def test_search_syntax_is_taken_as_words(client, catalogue):
    """Operators of either query language are words like any other (or mean nothing)."""
    assert found(client, "water OR housing") == []  # "or" is a word none of them has
    assert found(client, 'water" OR "x') == []
    assert found(client, "-water") == ["titled", "summarised", "described"]
    assert found(client, "water*") == ["titled", "summarised", "described"]
    assert found(client, "%") == []


# The staff's registration search -----------------------------------------------------------


@pytest.fixture
def registrations(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    coordinator = make_staff(centre, "coordinator", full_name="Kim Min-ji")
    programme = make_programme(centre, title="Peer review", capacity=20)
    people = [
        ("مُنى السَّيِّد", "mona.elsayed@cairo.example", "محافظة القاهرة"),
        ("Élodie Dupré", "elodie.dupre@paris.example", "Métropole du Grand Paris"),
        ("محمد كريمي", "m.karimi@mashhad.example", "شهرداری مشهد"),
        ("김민준", "minjun.kim@seoul.example", "서울특별시청"),
        ("Carlos Ruiz", "carlos.ruiz@cdmx.example", "Municipalité de Montréal"),
    ]
    for name, email, organisation in people:
        user = make_user(full_name=name, email=email)
        _make_registration(programme, user, organisation=organisation)
    return {"coordinator": coordinator, "programme": programme}


def _names(client, programme, q: str) -> list[str]:
    response = client.get(
        f"/manage/seoul/programmes/{programme.id}/registrations", query_string={"q": q}
    )
    assert response.status_code == 200
    return sorted(
        re.sub(r"<[^>]+>", "", name)
        for name in re.findall(
            r'<th scope="row"><a href="/manage/[^"]+/registrations/\d+">(.*?)</a></th>',
            text_of(response),
        )
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("منى", ["مُنى السَّيِّد"]),
        ("مُنى السَّيِّد", ["مُنى السَّيِّد"]),
        ("القاهرة", ["مُنى السَّيِّد"]),
        ("elodie dupre", ["Élodie Dupré"]),
        ("DUPRÉ", ["Élodie Dupré"]),
        ("grand paris", ["Élodie Dupré"]),
        ("montreal", ["Carlos Ruiz"]),
        ("کریمی", ["محمد كريمي"]),  # typed on a Persian keyboard
        ("كريمي", ["محمد كريمي"]),
        ("شهرداري", ["محمد كريمي"]),
        ("김민", ["김민준"]),
        ("서울특별시청", ["김민준"]),
        # Addresses are their words: the whole, the name part, the domain, cut short.
        ("mona.elsayed@cairo.example", ["مُنى السَّيِّد"]),
        ("MONA.ELSAYED@CAIRO.EXAMPLE", ["مُنى السَّيِّد"]),
        ("elsayed@cairo", ["مُنى السَّيِّد"]),
        ("mona.els", ["مُنى السَّيِّد"]),
        ("cairo.example", ["مُنى السَّيِّد"]),
        ("example", sorted(["مُنى السَّيِّد", "Élodie Dupré", "محمد كريمي", "김민준", "Carlos Ruiz"])),
        ("sayed", []),  # inside a word: not a word of the address
        ("%", []),
        ('"', []),
    ],
)
def test_staff_search(client, sign_in, registrations, q, expected):
    sign_in(registrations["coordinator"])
    assert _names(client, registrations["programme"], q) == expected


def test_staff_search_follows_a_changed_name(client, sign_in, db, registrations):
    from sqlalchemy import select

    from miti_training.models import Registration

    sign_in(registrations["coordinator"])
    carlos = db.session.scalar(select(Registration).where(Registration.full_name == "Carlos Ruiz"))
    carlos.full_name, carlos.email, carlos.organisation = "Deleted participant", "", ""
    db.session.commit()
    assert _names(client, registrations["programme"], "carlos") == []
    assert _names(client, registrations["programme"], "deleted") == ["Deleted participant"]


@pytest.mark.parametrize("q", QUERY_SYNTAX + list(hostile_strings()))
def test_staff_search_survives_hostile_text(client, sign_in, registrations, q):
    sign_in(registrations["coordinator"])
    response = client.get(
        f"/manage/seoul/programmes/{registrations['programme'].id}/registrations",
        query_string={"q": q},
    )
    assert response.status_code == 200
