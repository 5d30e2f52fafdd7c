"""The opening forum's Day 1 and Day 2 albums: a few pictures drawn with Pillow when the demo
loads (no file comes from outside), uploaded and captioned in English and Korean as staff
would, through the albums services."""

import io

from PIL import Image, ImageDraw
from sqlalchemy import select

from miti_training.albums import curating, uploading
from miti_training.extensions import db
from miti_training.models import Album, Programme, User

PROGRAMME_SLUG = "miti-opening-forum-sharing-cities"
UPLOADER = "coordinator.seoul@miti.example"

#: Per session (in timetable order): (caption in English, in Korean, sky, ground) per photo.
ALBUMS = (
    (
        (
            "Signing of the memoranda of understanding with the regional centres",
            "지역센터와의 양해각서 서명식",
            (120, 160, 210),
            (70, 60, 60),
        ),
        (
            "Peer Review Process workshop with MITI stakeholders",
            "MITI 이해관계자와 함께한 동료 검토 워크숍",
            (200, 190, 160),
            (90, 110, 90),
        ),
        (
            "Delegations of Cairo, Mashhad, Mexico City and Paris Île-de-France",
            "카이로, 마슈하드, 멕시코시티, 파리 일드프랑스 대표단",
            (150, 200, 230),
            (60, 80, 110),
        ),
    ),
    (
        ("Unveiling of the MITI signboard", "MITI 현판 제막식", (240, 200, 150), (80, 70, 90)),
        ("The Sharing Cities forum", "공유도시 포럼", (170, 210, 240), (110, 80, 60)),
        (
            "Representatives of Metropolis member cities",
            "메트로폴리스 회원도시 대표단",
            (220, 220, 235),
            (70, 90, 70),
        ),
    ),
)


def _picture(sky, ground, seed: int) -> bytes:
    """A 1200 × 800 scene: sky, a skyline, a stage and a row of people."""
    image = Image.new("RGB", (1200, 800), sky)
    draw = ImageDraw.Draw(image)
    for x in range(0, 1200, 90):
        height = 160 + (x * (seed + 3)) % 220
        shade = tuple(max(0, c - 40 - (x // 30) % 30) for c in sky)
        draw.rectangle((x, 520 - height, x + 80, 520), fill=shade)
    draw.rectangle((0, 520, 1200, 800), fill=ground)
    draw.rectangle((300, 470, 900, 540), fill=(150, 30, 40))
    for n in range(11):
        x = 80 + n * 100
        colour = (
            (n * 53 + seed * 40) % 200 + 30,
            (n * 97) % 180 + 40,
            (n * 31 + seed * 70) % 200 + 30,
        )
        draw.ellipse((x, 560, x + 50, 610), fill=(235, 200, 170))
        draw.rectangle((x - 5, 610, x + 55, 740), fill=colour)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def load_albums() -> int:
    """The albums when the forum's sessions have none; returns the photos added."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME_SLUG))
    uploader = db.session.scalar(select(User).where(User.email == UPLOADER))
    if programme is None or uploader is None:
        return 0
    added = 0
    for session, photos in zip(programme.sessions, ALBUMS, strict=False):
        if db.session.scalar(select(Album.id).where(Album.session_id == session.id)):
            continue
        uploads = [
            uploading.Upload(f"day-{session.id}-{n}.jpg", _picture(sky, ground, n))
            for n, (_en, _ko, sky, ground) in enumerate(photos, start=1)
        ]
        made = uploading.add_photos(session, uploads, actor=uploader).photos
        for photo, (english, korean, _sky, _ground) in zip(made, photos, strict=True):
            curating.set_caption(
                photo, caption=english, translations={"ko": {"caption": korean}}, actor=uploader
            )
        curating.set_cover(made[0], actor=uploader)
        added += len(made)
    return added
