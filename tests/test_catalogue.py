"""Public pages of programmes and centres."""

from miti_training.models import ProgrammeStatus
from tests.factories import make_centre, make_programme, make_staff


def test_programme_list_paginates_and_keeps_working_on_later_pages(client, db):
    centre = make_centre()
    for n in range(25):
        make_programme(centre, title=f"Course number {n:02d}")
    first = client.get("/programmes").get_data(as_text=True)
    assert first.count('class="card programme-card"') == 20
    assert 'rel="next"' in first and "page=2" in first
    second = client.get("/programmes?page=2")
    assert second.status_code == 200
    html = second.get_data(as_text=True)
    assert html.count('class="card programme-card"') == 5
    assert 'rel="prev"' in html


def test_out_of_range_and_bad_page_numbers_are_not_errors(client, db):
    make_programme()
    assert client.get("/programmes?page=999").status_code == 200
    assert client.get("/programmes?page=abc").status_code == 200
    assert client.get("/programmes?page=-3").status_code == 200


def test_drafts_are_404_for_the_public_and_for_other_centres_staff(client, db, login):
    own, other = make_centre(), make_centre()
    draft = make_programme(own, status=ProgrammeStatus.DRAFT, title="Secret draft")
    assert client.get(f"/programmes/{draft.slug}").status_code == 404
    login(make_staff(other, "director"))
    assert client.get(f"/programmes/{draft.slug}").status_code == 404
    assert "Secret draft" not in client.get("/programmes").get_data(as_text=True)


def test_programme_page_shows_timetable_in_the_centre_time(client, db):
    centre = make_centre(timezone="Asia/Tehran", name="Mashhad centre")
    programme = make_programme(centre, title="Smart city governance")
    response = client.get(f"/programmes/{programme.slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Smart city governance" in html and "Asia/Tehran" in html
    # Factory sessions start at 01:00 UTC, which is 04:30 in Tehran (no DST since 2022).
    assert "4:30" in html


def test_user_text_is_escaped_on_public_pages(client, db):
    programme = make_programme(
        title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"
    )
    html = client.get(f"/programmes/{programme.slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_centre_page_and_unknown_centre(client, db):
    centre = make_centre(slug="cairo", name="MITI Regional Centre Cairo")
    make_programme(centre, title="Water management")
    html = client.get("/centres/cairo").get_data(as_text=True)
    assert "MITI Regional Centre Cairo" in html and "Water management" in html
    assert client.get("/centres/atlantis").status_code == 404


def test_full_programme_card_says_full_and_mentions_the_waiting_list(client, db):
    make_programme(title="Full course", capacity=2, seats_taken=2, is_waitlist_enabled=True)
    make_programme(title="Closed list", capacity=1, seats_taken=1, is_waitlist_enabled=False)
    html = client.get("/programmes").get_data(as_text=True)
    assert "Full — waiting list open" in html
    assert html.count(">Full<") == 1
    assert "0 seats left" not in html
