"""The news post of the Sharing Cities opening forum, in English with its Korean, French and
Spanish translations, and a photo of Day 1 as its cover (as plain data, and the few lines that
load it)."""

from datetime import datetime, timedelta

from sqlalchemy import select

from miti_training.albums import public as public_albums
from miti_training.extensions import db
from miti_training.models import (
    NewsPost,
    NewsPostStatus,
    NewsPostTranslation,
    Programme,
    User,
)

PROGRAMME_SLUG = "miti-opening-forum-sharing-cities"
AUTHOR = "director.seoul@miti.example"
#: Published this many days after the forum's first day.
DAYS_AFTER = 3

TITLE = "MITI embarks on a new era for Metropolis training"
BODY = """\
The headquarters of the Metropolis International Training Institute (MITI) were formally opened in Seoul by the Mayor of Seoul and the Secretary General of Metropolis, along with representatives of Cairo, Mashhad, Mexico City and Paris Île-de-France.

With the theme "Sharing Cities", the opening forum marked a historic step for Metropolis in promoting international training and capacity building among the major cities of the world. The Seoul Metropolitan Government signed bilateral memorandums of understanding with the regional centres of Cairo, Mashhad, Mexico City and Paris Île-de-France, overseen by the Metropolis Secretariat in Barcelona.

The event also included a workshop with the "Peer Review Process" method of the Metropolis Initiative on Integrated Urban Governance, led by Berlin, to build the upcoming international training programmes with the input of the regional centres.

Day 1: MoU signing ceremony and Peer Review Process workshop for MITI stakeholders.
Day 2: Public opening, signboard unveiling and Sharing Cities forum.

More about Metropolis: https://www.metropolis.org"""

TRANSLATIONS = {
    "ko": (
        "MITI, 메트로폴리스 교육의 새 시대를 열다",
        """\
메트로폴리스 국제교육원(MITI) 본부가 서울시장과 메트로폴리스 사무총장, 카이로·마슈하드·멕시코시티·파리 일드프랑스 대표단이 함께한 가운데 서울에서 공식 개원했습니다.

"도시를 나누다(Sharing Cities)"를 주제로 열린 개원 포럼은 메트로폴리스가 세계 대도시 간 국제 교육과 역량 강화를 이끄는 역사적인 한 걸음이 되었습니다. 서울특별시는 바르셀로나 메트로폴리스 사무국의 입회 아래 카이로, 마슈하드, 멕시코시티, 파리 일드프랑스 지역센터와 각각 양해각서를 체결했습니다.

행사에서는 베를린이 이끄는 메트로폴리스 통합 도시 거버넌스 이니셔티브의 "동료 검토 프로세스(Peer Review Process)" 방법론을 활용한 워크숍도 열려, 지역센터의 의견을 반영한 국제 교육 프로그램을 함께 설계했습니다.

1일차: 양해각서 체결식 및 MITI 관계자 동료 검토 프로세스 워크숍.
2일차: 공개 개원식, 현판 제막 및 Sharing Cities 포럼.

메트로폴리스 소개: https://www.metropolis.org""",
    ),
    "fr": (
        "Le MITI ouvre une nouvelle ère pour la formation de Metropolis",
        """\
Le siège de l'Institut international de formation de Metropolis (MITI) a été officiellement inauguré à Séoul par le maire de Séoul et le secrétaire général de Metropolis, avec des représentants du Caire, de Mashhad, de Mexico et de Paris Île-de-France.

Placé sous le thème « Sharing Cities », le forum d'ouverture a marqué une étape historique pour Metropolis dans la promotion de la formation internationale et du renforcement des capacités entre les grandes villes du monde. Le gouvernement métropolitain de Séoul a signé des protocoles d'accord bilatéraux avec les centres régionaux du Caire, de Mashhad, de Mexico et de Paris Île-de-France, sous l'égide du Secrétariat de Metropolis à Barcelone.

L'événement comprenait aussi un atelier selon la méthode « Peer Review Process » de l'Initiative de Metropolis sur la gouvernance urbaine intégrée, menée par Berlin, pour bâtir les prochains programmes de formation avec les centres régionaux.

Jour 1 : signature des protocoles d'accord et atelier Peer Review Process pour les acteurs du MITI.
Jour 2 : ouverture publique, dévoilement de l'enseigne et forum Sharing Cities.

En savoir plus sur Metropolis : https://www.metropolis.org""",
    ),
    "es": (
        "El MITI abre una nueva etapa para la formación de Metropolis",
        """\
La sede del Instituto Internacional de Formación de Metropolis (MITI) fue inaugurada oficialmente en Seúl por el alcalde de Seúl y el secretario general de Metropolis, junto con representantes de El Cairo, Mashhad, Ciudad de México y París Île-de-France.

Con el lema «Sharing Cities», el foro de apertura marcó un paso histórico para Metropolis en la promoción de la formación internacional y el fortalecimiento de capacidades entre las grandes ciudades del mundo. El Gobierno Metropolitano de Seúl firmó memorandos de entendimiento bilaterales con los centros regionales de El Cairo, Mashhad, Ciudad de México y París Île-de-France, con la supervisión del Secretariado de Metropolis en Barcelona.

El evento incluyó además un taller con el método «Peer Review Process» de la Iniciativa de Metropolis sobre Gobernanza Urbana Integrada, liderada por Berlín, para construir los próximos programas de formación con los aportes de los centros regionales.

Día 1: firma de los memorandos y taller Peer Review Process para los actores del MITI.
Día 2: apertura pública, descubrimiento del rótulo y foro Sharing Cities.

Más sobre Metropolis: https://www.metropolis.org""",
    ),
}


def _day_1_photo(programme: Programme, now: datetime):
    """The cover of the forum's Day 1 album, if the public sees it (the albums load first)."""
    albums = public_albums.programme_albums(programme, now)
    if not albums or albums[0].session is not programme.sessions[0]:
        return None
    return albums[0].cover


def load_news(now: datetime) -> int:
    """Add the forum's post once (found again by its title); return how many posts were added."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME_SLUG))
    if programme is None:
        return 0
    exists = db.session.scalar(
        select(NewsPost.id).where(NewsPost.programme_id == programme.id, NewsPost.title == TITLE)
    )
    if exists is not None:
        return 0
    author = db.session.scalar(select(User).where(User.email == AUTHOR))
    first_day = programme.starts_on
    published_at = (
        datetime.combine(first_day, datetime.min.time(), tzinfo=now.tzinfo)
        + timedelta(days=DAYS_AFTER, hours=2)
        if first_day is not None
        else now
    )
    post = NewsPost(
        programme=programme,
        title=TITLE,
        body=BODY,
        original_language="en",
        status=NewsPostStatus.PUBLISHED,
        published_at=min(published_at, now),
        author_id=author.id if author is not None else None,
        cover_photo=_day_1_photo(programme, now),
        translations=[
            NewsPostTranslation(language=code, title=title, body=body)
            for code, (title, body) in TRANSLATIONS.items()
        ],
    )
    db.session.add(post)
    db.session.flush()
    return 1
