from tests.support.factories import make_centre, make_programme


def test_home_lists_centres_and_upcoming(client, db):
    centre = make_centre(name="MITI Regional Centre Cairo", city="Cairo")
    make_programme(centre, title="Peer Review Process workshop")
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "MITI Regional Centre Cairo" in html
    assert "Peer Review Process workshop" in html
