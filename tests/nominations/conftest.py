"""A centre with a programme under the nomination policy, and focal points of two cities."""

from datetime import timedelta

import pytest

from miti_training.models import EnrolmentPolicy, utcnow
from tests.support.factories import make_centre, make_member_city, make_programme
from tests.support.nominations import make_focal_point


@pytest.fixture
def centre(db):
    return make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")


@pytest.fixture
def programme(centre):
    """Published, by nomination, window open, two places per city."""
    now = utcnow()
    return make_programme(
        centre,
        slug="peer-review",
        title="Peer Review Process",
        enrolment_policy=EnrolmentPolicy.NOMINATION,
        nomination_opens_at=now - timedelta(days=1),
        nomination_closes_at=now + timedelta(days=10),
        default_allocation=2,
    )


@pytest.fixture
def cairo(db):
    return make_member_city(name="Cairo", country="Egypt")


@pytest.fixture
def tehran(db):
    return make_member_city(name="Tehran", country="Iran")


@pytest.fixture
def focal(cairo):
    return make_focal_point(cairo, full_name="Focal Cairo")


@pytest.fixture
def other_focal(tehran):
    return make_focal_point(tehran, full_name="Focal Tehran")
