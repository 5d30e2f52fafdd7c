"""A proposed balanced group: N places filled from the ranking within the caps.

The algorithm is a single greedy walk down the ranked list: an applicant is taken unless the
group is full, their member city already has its cap (the programme's per-city cap) or their
world region has its cap (the programme's region caps); every applicant gets the reason they
were taken or skipped. Participants already confirmed count towards the caps. The same ranking
and caps always give the same proposal.
"""

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select

from miti_training.extensions import db
from miti_training.models import (
    MemberCity,
    Programme,
    RegionCap,
    Registration,
    RegistrationStatus,
    WorldRegion,
)
from miti_training.selection.ranking import Ranked


class Reason(enum.StrEnum):
    TAKEN = "taken"
    GROUP_FULL = "group_full"
    CITY_CAP = "city_cap"
    REGION_CAP = "region_cap"


@dataclass(frozen=True)
class Choice:
    ranked: Ranked
    reason: Reason
    #: The cap that was reached (places), for the two cap reasons.
    cap: int | None = None

    @property
    def taken(self) -> bool:
        return self.reason == Reason.TAKEN


@dataclass(frozen=True)
class Caps:
    city: int | None
    regions: Mapping[WorldRegion, int]
    #: Confirmed participants already counted per member city and per world region.
    city_taken: Mapping[int, int]
    region_taken: Mapping[WorldRegion, int]


def seats_left(programme: Programme) -> int:
    return max(programme.capacity - programme.seats_taken, 0)


def caps_of(programme: Programme) -> Caps:
    """The programme's caps and the confirmed participants already counted against them."""
    regions = {
        cap.world_region: cap.places
        for cap in db.session.scalars(
            select(RegionCap).where(RegionCap.programme_id == programme.id)
        )
    }
    rows = db.session.execute(
        select(Registration.member_city_id, MemberCity.world_region, func.count())
        .join(MemberCity, MemberCity.id == Registration.member_city_id)
        .where(
            Registration.programme_id == programme.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Registration.member_city_id, MemberCity.world_region)
    ).all()
    city_taken: Counter = Counter()
    region_taken: Counter = Counter()
    for city_id, region, count in rows:
        city_taken[city_id] += count
        region_taken[WorldRegion(region)] += count
    return Caps(programme.city_selection_cap, regions, city_taken, region_taken)


def propose(ranking: Iterable[Ranked], places: int, caps: Caps) -> list[Choice]:
    """Walk the ranking once; take each applicant unless a limit says no (see module)."""
    city_taken = Counter(caps.city_taken)
    region_taken = Counter(caps.region_taken)
    taken = 0
    choices = []
    for ranked in ranking:
        city, region = ranked.member_city_id, ranked.world_region
        region_cap = caps.regions.get(region) if region is not None else None
        if taken >= places:
            choices.append(Choice(ranked, Reason.GROUP_FULL))
        elif city is not None and caps.city is not None and city_taken[city] >= caps.city:
            choices.append(Choice(ranked, Reason.CITY_CAP, caps.city))
        elif region_cap is not None and region_taken[region] >= region_cap:
            choices.append(Choice(ranked, Reason.REGION_CAP, region_cap))
        else:
            taken += 1
            if city is not None:
                city_taken[city] += 1
            if region is not None:
                region_taken[region] += 1
            choices.append(Choice(ranked, Reason.TAKEN))
    return choices
