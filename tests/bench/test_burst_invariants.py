"""The HTTP registration burst's verdict: it passes a correct outcome and names each
broken invariant (it exits non-zero on any)."""

from bench.burst_http import _problems

REDIRECT = (0.0, 0.1, 302, "/my/registrations/7")


def _outcome(**changes) -> dict:
    outcome = {
        "seats_taken": 5,
        "waitlist_counter": 25,
        "confirmed": 5,
        "positions": list(range(1, 26)),
        "rows": 30,
    }
    return outcome | changes


def test_a_correct_burst_has_no_problem():
    assert _problems(_outcome(), [REDIRECT] * 30, 30, 5) == []
    assert _problems(_outcome(waitlist_counter=None), [REDIRECT] * 30, 30, 5) == []


def test_each_broken_invariant_is_named():
    results = [REDIRECT] * 29 + [(0.0, 0.1, 500, "")]
    assert any("5xx" in p for p in _problems(_outcome(), results, 30, 5))
    assert any(
        "seats_taken" in p for p in _problems(_outcome(seats_taken=6), [REDIRECT] * 30, 30, 5)
    )
    gap = _outcome(positions=[1, 2, 4, *range(5, 27)])
    assert any("waiting list" in p for p in _problems(gap, [REDIRECT] * 30, 30, 5))
    assert any(
        "counter" in p for p in _problems(_outcome(waitlist_counter=24), [REDIRECT] * 30, 30, 5)
    )
    lost = [REDIRECT] * 29 + [(0.0, 0.1, 0, "ConnectionError")]
    assert any("5xx or no answer" in p for p in _problems(_outcome(), lost, 30, 5))
