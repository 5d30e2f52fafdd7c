"""Photo album benchmark: processing an upload, serving public photos, the staff zip.

Run from the repository root:

    .venv/bin/python bench/photos.py            # 7 runs per upload size, 300 requests per URL
    .venv/bin/python bench/photos.py --quick    # 2 runs, 50 requests, 2 zips

A fresh SQLite file database is migrated (the real migrations) with the Seoul centre, a
coordinator, and two programmes whose single session has ended: one with an album of 20
photos, one with an album of 200 (PHOTO_MAX_PER_ALBUM). Their rows share the renditions of
one 12 MP upload, processed for real; the original column holds the web-size bytes too, since
nothing measured here reads it. Every time is also given as a multiple of GET /healthz (the
app stack and one SELECT 1), measured in the same run, one /healthz before each measured call,
so that the ratios carry over to another machine or another load.

1. Processing: albums.images.process on camera-like JPEGs (gradients, shapes and noise,
   quality 90, EXIF with a GPS position) of 2, 12 and 24 MP: the median of several calls, the
   peak of Python allocations (tracemalloc; Pillow's pixel buffers are not Python allocations)
   and the peak resident memory the call adds (VmHWM, reset through /proc/self/clear_refs,
   in a forked process so that the parent's free memory does not hide it).
2. Serving, anonymous, through the Flask test client: a thumbnail and a web-size image (200,
   and 304 for If-None-Match), the public photo page of each album: median and p95.
3. The staff zip of the 200-photo album through its route, signed in as a coordinator, the
   streamed body read chunk by chunk and dropped: wall time, MB/s and the peak of Python
   allocations during the download (a separate, traced run), against the same zip built
   whole in memory (every web-size image read at once, zipfile into a BytesIO).
"""

import argparse
import io
import logging
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from PIL import Image, ImageChops, ImageDraw  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from miti_training import create_app  # noqa: E402
from miti_training.albums import images, uploading  # noqa: E402
from miti_training.extensions import db  # noqa: E402
from miti_training.models import Album, MembershipRole, Photo, PhotoFile  # noqa: E402
from tests.support.factories import (  # noqa: E402
    PASSWORD,
    make_centre,
    make_programme,
    make_staff,
    today,
)

COORDINATOR_EMAIL = "coordinator@seoul.example"
#: Camera sizes: a small phone picture, a phone's 12 MP, a 24 MP camera.
UPLOADS = {"2 MP": (1728, 1152), "12 MP": (4032, 3024), "24 MP": (6000, 4000)}
#: Standard deviation of the luminance noise: about 0.32 bytes a pixel at quality 90, as a
#: camera's JPEG of a detailed scene.
NOISE_SIGMA = 8
ALBUMS = {"small": 20, "large": 200}
MB = 1e6


def camera_jpeg(width: int, height: int, seed: int = 7) -> bytes:
    """A JPEG as a camera writes one: gradients, shapes with edges, sensor-like noise, EXIF."""
    rng, size = random.Random(seed), (width, height)
    gradient = Image.linear_gradient("L")
    image = Image.merge(
        "RGB",
        (
            gradient.resize(size),
            Image.radial_gradient("L").resize(size),
            gradient.rotate(90).resize(size),
        ),
    )
    draw = ImageDraw.Draw(image)
    for _ in range(80):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(width // 60, width // 8)
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x - r, y - r, x + r, y + r), fill=colour)
    noise = Image.effect_noise(size, NOISE_SIGMA).convert("RGB")
    image = ImageChops.add(image, noise, scale=1.0, offset=-128)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "BenchCam", "BC-24"  # Make, Model
    exif[0x0132] = "2026:12:04 10:30:00"  # DateTime
    exif[0x0112] = 1  # Orientation: upright
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (37.0, 33.0, 59.0), "E", (126.0, 58.0, 41.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, exif=exif)
    return out.getvalue()


def summary(samples: list[float]) -> tuple[float, float]:
    """(median, 95th percentile)."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


class Site:
    """The app on its seeded database, an anonymous client and a coordinator's."""

    def __init__(self, url: str):
        self.app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=False)
        self.anonymous = self.app.test_client()
        with self.app.app_context():
            upgrade(revision="head")
            self.limits = uploading.limits()
            self.albums = self._seed()
        self.staff = self.app.test_client()
        login = {"email": COORDINATOR_EMAIL, "password": PASSWORD}
        assert self.staff.post("/account/login", data=login).status_code == 302

    def _seed(self) -> dict[str, dict]:
        done = images.process(camera_jpeg(*UPLOADS["12 MP"]), "seed.jpg", self.limits)
        centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
        make_staff(centre, MembershipRole.COORDINATOR, email=COORDINATOR_EMAIL)
        albums = {}
        for name, count in ALBUMS.items():
            programme = make_programme(
                centre, slug=f"{name}-album-forum", starts_on=today() - timedelta(days=3)
            )
            album = Album(session=programme.sessions[0])
            db.session.add(album)
            db.session.flush()
            photo = {
                "album_id": album.id,
                "width": done.web.width,
                "height": done.web.height,
                "thumb_width": done.thumbnail.width,
                "thumb_height": done.thumbnail.height,
                "web_digest": done.web.digest,
                "thumb_digest": done.thumbnail.digest,
                "original_type": "image/jpeg",
                "original_bytes": len(done.web.data),
            }
            db.session.execute(insert(Photo), [{**photo, "position": n} for n in range(count)])
            ids = db.session.scalars(select(Photo.id).where(Photo.album_id == album.id)).all()
            files = {"original": done.web.data, "web": done.web.data}
            rows = [{"photo_id": i, **files, "thumbnail": done.thumbnail.data} for i in ids]
            db.session.execute(insert(PhotoFile), rows)
            albums[name] = {
                "album": album.id,
                "photo": ids[len(ids) // 2],
                "page": f"/programmes/{programme.slug}/photos/{ids[len(ids) // 2]}",
                "zip": f"/manage/seoul/programmes/{programme.id}/sessions/"
                f"{programme.sessions[0].id}/album/photos.zip",
            }
        self.web_bytes, self.thumb_bytes = len(done.web.data), len(done.thumbnail.data)
        self.web_size = f"{done.web.width} x {done.web.height}"
        self.digests = {"web": done.web.digest, "thumb": done.thumbnail.digest}
        db.session.commit()
        return albums

    def get(self, url: str, status: int = 200, client=None, **kw) -> float:
        """ms of GET url, body read."""
        began = time.perf_counter()
        response = (client or self.anonymous).get(url, **kw)
        response.get_data()
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == status, (url, response.status_code)
        return elapsed

    def healthz(self) -> float:
        return self.get("/healthz")


def _rss_child(data: bytes, limits: images.Limits, pipe) -> None:
    """In a new process: the peak resident memory one processing adds, in bytes."""

    def status(key: str) -> int:
        line = next(
            x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith(key)
        )
        return int(line.split()[1]) * 1024

    Path("/proc/self/clear_refs").write_text("5")  # the peak becomes the present size
    before = status("VmRSS:")
    images.process(data, "upload.jpg", limits)
    pipe.send(status("VmHWM:") - before)
    pipe.close()


def rss_growth(data: bytes, limits: images.Limits) -> int:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_rss_child, args=(data, limits, child))
    process.start()
    child.close()
    grown = parent.recv()
    process.join()
    return grown


def traced_peak(call) -> int:
    """Peak of Python allocations during call(), in bytes."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_processing(site: Site, runs: int) -> None:
    print("\n## Processing one upload (albums.images.process)\n")
    print(
        "| upload | pixels | file MB | median ms | /healthz ms | x /healthz "
        "| tracemalloc peak MB | RSS peak growth MB |"
    )
    print("| --- | --- | ---:| ---:| ---:| ---:| ---:| ---:|")
    for name, (width, height) in UPLOADS.items():
        data = camera_jpeg(width, height)
        images.process(data, "upload.jpg", site.limits)  # warm-up
        times, yard = [], []
        for _ in range(runs):
            yard.append(site.healthz())
            began = time.perf_counter()
            images.process(data, "upload.jpg", site.limits)
            times.append((time.perf_counter() - began) * 1000)
        peak = traced_peak(lambda d=data: images.process(d, "upload.jpg", site.limits))
        rss = rss_growth(data, site.limits)
        median, healthz = statistics.median(times), statistics.median(yard)
        print(
            f"| {name} | {width} x {height} | {len(data) / MB:.2f} | {median:.1f} | "
            f"{healthz:.2f} | {median / healthz:.0f} | {peak / MB:.1f} | {rss / MB:.1f} |"
        )


def bench_serving(site: Site, requests: int) -> None:
    large, small = site.albums["large"], site.albums["small"]
    thumb, web = f"/photos/{large['photo']}/thumb.jpg", f"/photos/{large['photo']}/web.jpg"
    cases = {
        f"thumbnail ({site.thumb_bytes / 1000:.0f} KB)": (thumb, 200, {}),
        f"web size ({site.web_size}, {site.web_bytes / 1000:.0f} KB)": (web, 200, {}),
        "thumbnail, If-None-Match: 304": (thumb, 304, {"If-None-Match": site.digests["thumb"]}),
        "web size, If-None-Match: 304": (web, 304, {"If-None-Match": site.digests["web"]}),
        "photo page, album of 20": (small["page"], 200, {}),
        "photo page, album of 200": (large["page"], 200, {}),
    }
    print(f"\n## Serving public photos ({requests} requests each, anonymous)\n")
    print("| request | median ms | p95 ms | /healthz median ms | x /healthz (median) | x (p95) |")
    print("| --- | ---:| ---:| ---:| ---:| ---:|")
    for name, (url, status, headers) in cases.items():
        for _ in range(10):  # warm-up
            site.get(url, status, headers=headers)
        times, yard = [], []
        for _ in range(requests):
            yard.append(site.healthz())
            times.append(site.get(url, status, headers=headers))
        (median, p95), (y_median, y_p95) = summary(times), summary(yard)
        print(
            f"| {name} | {median:.2f} | {p95:.2f} | {y_median:.2f} | "
            f"{median / y_median:.2f} | {p95 / y_p95:.2f} |"
        )


def stream_zip(site: Site, url: str) -> tuple[int, int, int]:
    """(bytes, chunks, largest chunk) of the zip downloaded through its route, each chunk
    dropped once counted, as a server writes it to the socket."""
    response = site.staff.get(url)
    assert response.status_code == 200, response.status_code
    size = chunks = largest = 0
    for chunk in response.response:
        size, chunks, largest = size + len(chunk), chunks + 1, max(largest, len(chunk))
    response.close()
    return size, chunks, largest


def zip_in_memory(site: Site, album_id: int) -> int:
    """The same zip built whole: every web-size image read in one statement, then zipped."""
    with site.app.app_context():
        rows = db.session.execute(
            select(Photo.id, PhotoFile.web)
            .join(PhotoFile, PhotoFile.photo_id == Photo.id)
            .where(Photo.album_id == album_id, Photo.is_hidden.is_(False))
            .order_by(Photo.position, Photo.id)
        ).all()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for number, (photo_id, data) in enumerate(rows, start=1):
                archive.writestr(f"{number:03d}-photo-{photo_id}.jpg", data)
        return len(buffer.getvalue())


def bench_zip(site: Site, runs: int) -> None:
    large = site.albums["large"]
    # The streamed zip holds every photo, and differs from the one built whole only by the
    # data descriptor (16 bytes) a zip written to a stream it cannot seek puts after each.
    body = site.staff.get(large["zip"]).get_data()
    assert len(zipfile.ZipFile(io.BytesIO(body)).namelist()) == ALBUMS["large"]
    assert len(body) - zip_in_memory(site, large["album"]) == 16 * ALBUMS["large"]
    del body
    ways = {
        "streamed (HTTP route)": lambda: stream_zip(site, large["zip"]),
        "built in memory (BytesIO)": lambda: (zip_in_memory(site, large["album"]), 1, 0),
    }
    figures = {}
    for name, way in ways.items():
        times, yard = [], []
        for _ in range(runs):
            yard.append(site.healthz())
            began = time.perf_counter()
            size, chunks, largest = way()
            times.append((time.perf_counter() - began) * 1000)
        healthz_peak = traced_peak(site.healthz)
        peak = traced_peak(way)
        figures[name] = (statistics.median(times), statistics.median(yard), peak, healthz_peak)
        figures[name] += (size, chunks, largest)
    print(f"\n## Staff zip of an album of {ALBUMS['large']} photos ({runs} runs each)\n")
    print(
        "| zip | MB | median ms | MB/s | /healthz ms | x /healthz | tracemalloc peak MB "
        "| /healthz peak KB | chunks (largest KB) |"
    )
    print("| --- | ---:| ---:| ---:| ---:| ---:| ---:| ---:| --- |")
    for name, (ms, healthz, peak, healthz_peak, size, chunks, largest) in figures.items():
        parts = f"{chunks} ({largest / 1000:.0f})" if largest else "1 (whole)"
        print(
            f"| {name} | {size / MB:.1f} | {ms:.0f} | {size / MB / (ms / 1000):.0f} | "
            f"{healthz:.2f} | {ms / healthz:.0f} | {peak / MB:.2f} | "
            f"{healthz_peak / 1000:.0f} | {parts} |"
        )
    streamed, whole = figures.values()
    print(
        f"\nstreamed / built in memory: time {streamed[0] / whole[0]:.2f}x, "
        f"peak memory {streamed[2] / whole[2]:.3f}x ({whole[2] / streamed[2]:.0f} times less)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and requests")
    args = parser.parse_args()
    runs, requests, zips = (2, 50, 2) if args.quick else (7, 300, 5)
    logging.disable(logging.INFO)  # migration chatter
    with tempfile.TemporaryDirectory(prefix="miti-bench-") as folder:
        began = time.perf_counter()
        site = Site(f"sqlite:///{Path(folder) / 'photos.db'}")
        print(f"seeded albums of {ALBUMS} photos in {time.perf_counter() - began:.1f} s")
        bench_processing(site, runs)
        bench_serving(site, requests)
        bench_zip(site, zips)
        with site.app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
