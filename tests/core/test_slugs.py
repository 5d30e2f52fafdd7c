from miti_training.slugs import slugify, unique_programme_slug
from tests.support.factories import make_programme


def test_slugify_keeps_ascii_words():
    assert slugify("Peer Review Process — Séoul 2026") == "peer-review-process-seoul-2026"
    assert slugify("مدیریت شهری") == "programme"
    assert len(slugify("x" * 500)) == 100


def test_unique_slug_skips_taken_ones(db):
    make_programme(slug="water-management")
    assert unique_programme_slug("Water management") == "water-management-2"
    assert unique_programme_slug("Water management", taken={"water-management-2"}) == (
        "water-management-3"
    )
