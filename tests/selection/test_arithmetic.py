"""The numbers of scored selection: sheet scores, means, spreads and the order of the ranked
list, with exact expected values."""

from fractions import Fraction

import pytest

from miti_training.selection import arithmetic, ranking
from miti_training.selection.access import is_recused
from tests.support.factories import make_centre, make_member_city, make_staff
from tests.support.selection import add_criteria, apply, make_reviewed_programme, score_sheet


def test_a_sheet_is_the_weighted_mean_of_its_values():
    weights = {1: 3, 2: 1, 3: 2}
    # (3·4 + 1·2 + 2·5) / 6 = 24 / 6
    assert arithmetic.sheet_score({1: 4, 2: 2, 3: 5}, weights) == Fraction(4)
    # (3·5 + 1·1 + 2·3) / 6 = 22 / 6
    assert arithmetic.sheet_score({1: 5, 2: 1, 3: 3}, weights) == Fraction(11, 3)
    # A draft with one value scores on what it has; one without any has no score.
    assert arithmetic.sheet_score({2: 2}, weights) == Fraction(2)
    assert arithmetic.sheet_score({}, weights) is None
    # A value for a criterion no longer in the rubric does not count.
    assert arithmetic.sheet_score({9: 1, 1: 5}, weights) == Fraction(5)


def test_the_mean_and_spread_of_sheets():
    summary = arithmetic.summarise([Fraction(4), Fraction(11, 3), Fraction(5, 2)])
    assert summary.mean == Fraction(61, 18)  # (4 + 11/3 + 5/2) / 3
    assert summary.sheets == 3
    assert summary.spread == Fraction(3, 2)
    assert summary.disagree  # 1.5 points apart: flagged
    close = arithmetic.summarise([Fraction(4), Fraction(14, 5)])
    assert close.spread == Fraction(6, 5) and not close.disagree
    single = arithmetic.summarise([Fraction(3)])
    assert (single.mean, single.sheets, single.spread) == (3, 1, 0)
    assert arithmetic.summarise([]) == arithmetic.Summary(None, 0, None)


@pytest.fixture
def scored(db):
    centre = make_centre(slug="seoul")
    programme = make_reviewed_programme(centre)
    criteria = add_criteria(programme, 3, 1, 2)
    first, second = make_staff(centre, "reviewer"), make_staff(centre, "reviewer")
    return centre, programme, criteria, first, second


def test_the_ranked_list_from_submitted_sheets_only(db, scored):
    centre, programme, criteria, first, second = scored
    early = apply(programme, minutes_ago=30)
    late = apply(programme, minutes_ago=10)
    top = apply(programme, minutes_ago=20)
    unscored = apply(programme, minutes_ago=40)
    score_sheet(early, first, criteria, [4, 2, 5])  # 4
    score_sheet(early, second, criteria, [5, 1, 3])  # 11/3
    score_sheet(late, first, criteria, [4, 4, 4])  # 4
    score_sheet(late, second, criteria, [4, 2, 3])  # (12 + 2 + 6) / 6 = 10/3
    score_sheet(top, first, criteria, [5, 5, 5])
    score_sheet(top, second, criteria, [1, 1, 1], submitted=False)  # a draft does not count

    ranked = ranking.ranked_applications(programme)

    assert [r.registration.id for r in ranked] == [top.id, early.id, late.id, unscored.id]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]
    assert ranked[0].mean == 5 and ranked[0].summary.sheets == 1
    assert ranked[1].mean == Fraction(23, 6)  # (4 + 11/3) / 2
    assert ranked[1].summary.spread == Fraction(1, 3)
    assert ranked[2].mean == Fraction(11, 3)  # (4 + 10/3) / 2
    assert ranked[3].mean is None and ranked[3].summary.sheets == 0


def test_ties_go_to_the_earlier_application_then_the_smaller_id(db, scored):
    _centre, programme, criteria, first, _second = scored
    later = apply(programme, minutes_ago=5)
    earlier = apply(programme, minutes_ago=50)
    same_time = apply(programme, minutes_ago=50)
    same_time.created_at = earlier.created_at
    for registration in (later, earlier, same_time):
        score_sheet(registration, first, criteria, [3, 3, 3])
    ranked = [r.registration.id for r in ranking.ranked_applications(programme)]
    assert ranked == [earlier.id, same_time.id, later.id]
    assert ranked == [r.registration.id for r in ranking.ranked_applications(programme)]


def test_balance_indicators_first_time_city_and_language(db, scored):
    centre, programme, _criteria, _first, _second = scored
    seen = make_member_city(name="Cairo", country="Egypt", world_region="africa")
    new = make_member_city(name="Surabaya", country="Indonesia")
    earlier = make_reviewed_programme(centre, title="Earlier edition")
    apply(earlier, seen).status = "confirmed"
    # A confirmed participant at another centre does not count.
    elsewhere = make_reviewed_programme(make_centre(slug="paris"))
    apply(elsewhere, new).status = "confirmed"
    from_seen = apply(programme, seen, preferred_language="ar")
    from_new = apply(programme, new, preferred_language="fr")
    db.session.flush()

    by_id = {r.registration.id: r for r in ranking.ranked_applications(programme)}

    assert by_id[from_seen.id].first_time_city is False
    assert by_id[from_new.id].first_time_city is True
    assert by_id[from_seen.id].world_region == "africa"
    assert by_id[from_seen.id].country == "Egypt"
    assert (by_id[from_seen.id].language, by_id[from_new.id].language) == ("ar", "fr")


def test_a_reviewer_from_the_applicants_city_is_recused(db, scored):
    centre, programme, _criteria, first, _second = scored
    applicant = apply(programme, first.member_city)
    other = apply(programme)
    assert is_recused(first, applicant)
    assert not is_recused(first, other)
    nowhere = make_staff(centre, "reviewer", member_city=None)
    assert not is_recused(nowhere, other)
