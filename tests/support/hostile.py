"""Hostile values for property-based tests, and what a safe answer to them looks like."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from miti_training.bidi import strip_controls
from tests.support.pages import flashes, follow
from tests.support.testdata import hostile_strings

NASTY = st.one_of(
    st.sampled_from(hostile_strings()),
    st.text(min_size=0, max_size=300),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Mn", "So"]), max_size=50),
    st.from_regex(r"-?[0-9]{1,30}(\.[0-9]{0,5})?(e[0-9]{1,4})?", fullmatch=True),
    st.sampled_from(["2026-02-30", "2026-13-01T25:61", "NaN", "1e309", "-1", "0", "x" * 20_000]),
)


def one_line(value: str) -> str:
    """What a one-line field stores of value: bidirectional controls out, ends trimmed."""
    return strip_controls(value).strip()


FORM_SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def hostile_form(data, form: dict) -> tuple[dict, list[str]]:
    """The form with some of its fields (at least one) replaced by hostile values."""
    fields = sorted(form) or ["unexpected"]
    chosen = data.draw(st.sets(st.sampled_from(fields), min_size=1), label="fields")
    values = {field: data.draw(NASTY, label=field) for field in sorted(chosen)}
    mutated = dict(form)
    for field, value in values.items():
        mutated[field] = value
    return mutated, list(values.values())


def assert_safe_answer(client, response, values: list[str]) -> bool:
    """No 500, no raw reflection; True when the request was refused (an error was shown)."""
    assert response.status_code < 500, (response.status_code, values)
    body = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        for value in values:
            if "<" in value and len(value) > 3:
                assert value not in body, f"reflected unescaped: {value!r}"
    if response.status_code >= 400:
        return True
    if response.status_code == 200:
        return True  # the form again, with its errors
    landing = follow(client, response)
    assert landing.status_code < 500
    return any(category == "error" for category, _ in flashes(landing))


def post_hostile_form(client, url: str, form: dict, data, snapshot) -> None:
    """Post form to url with hostile values in some fields: the answer is safe, and when the
    input is refused, snapshot() (what the form could change) is unchanged."""
    mutated, hostile = hostile_form(data, form)
    before = snapshot()

    response = client.post(url, data=mutated)

    if assert_safe_answer(client, response, hostile):
        assert snapshot() == before, f"{url} refused the input but changed data"
