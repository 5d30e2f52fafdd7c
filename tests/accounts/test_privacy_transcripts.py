"""The personal-data download holds the official's transcripts: each one's verification code,
when it was issued and what it listed (never the PDF), and nobody else's."""

import json
from datetime import date, timedelta

from miti_training.models import Certificate, ProgrammeStatus, utcnow
from miti_training.training_record import transcripts
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_user,
    mark_present,
)
from tests.support.pages import text_of
from tests.support.sql import statements_for

DATA = "/account/data.json"
ALICE_CODE = "A1CE-2345-6789"


def _attended(db, user, centre, title: str, code: str | None = None) -> None:
    """user attended every session of a completed programme, with a certificate if code."""
    programme = make_programme(
        centre,
        title=title,
        starts_on=date.today() - timedelta(days=20),
        sessions=2,
        status=ProgrammeStatus.COMPLETED,
    )
    registration = make_registration(programme, user)
    mark_present(registration)
    if code:
        db.session.add(
            Certificate(
                registration=registration,
                code=code,
                full_name=user.full_name,
                attendance_percent=100,
            )
        )
    db.session.flush()


def test_the_download_lists_each_transcript_and_what_it_listed(client, login, db):
    centre = make_centre(name="Seoul Centre")
    alice = make_user(full_name="Alice Quellenberg")
    bob = make_user(full_name="Bartholomew Oyelaran")
    _attended(db, alice, centre, "Bus rapid transit", ALICE_CODE)
    first = transcripts.issue(alice, now=utcnow() - timedelta(days=3))
    _attended(db, alice, centre, "Smart water")
    second = transcripts.issue(alice)
    _attended(db, bob, centre, "Urban mobility")
    bobs = transcripts.issue(bob)
    db.session.commit()

    login(alice)
    body = text_of(client.get(DATA))
    data = json.loads(body)

    codes = [t["verification_code"] for t in data["transcripts"]]
    assert codes == [first.code, second.code]
    older, newer = data["transcripts"]
    assert older["issued_at"] == first.issued_at.isoformat()
    assert older["printed_name"] == "Alice Quellenberg"
    assert older["lists"] == [
        {
            "programme": "Bus rapid transit",
            "centre": "Seoul Centre",
            "starts_on": (date.today() - timedelta(days=20)).isoformat(),
            "ends_on": older["lists"][0]["ends_on"],
            "sessions_attended": 2,
            "sessions": 2,
            "attendance_percent": 100,
            "certificate_code": ALICE_CODE,
        }
    ]
    assert sorted(line["programme"] for line in newer["lists"]) == [
        "Bus rapid transit",
        "Smart water",
    ]
    assert bobs.code not in body and "Urban mobility" not in body
    # What was printed, not the printout.
    assert set(older) == {"verification_code", "printed_name", "language", "issued_at", "lists"}
    assert "%PDF" not in body


def test_someone_without_transcripts_gets_an_empty_list(client, login, db):
    login(make_user())
    assert json.loads(text_of(client.get(DATA)))["transcripts"] == []


def test_transcripts_cost_one_statement_whatever_their_number(app, client, login, db):
    centre = make_centre()
    few_user, many_user = make_user(), make_user()
    for user, number in ((few_user, 1), (many_user, 6)):
        _attended(db, user, centre, "Peer review")
        for _ in range(number):
            transcripts.issue(user)
    db.session.commit()
    other = app.test_client()
    login(few_user)
    few = statements_for(app, client, DATA)
    login(many_user, target_client=other)
    many = statements_for(app, other, DATA)
    assert len(json.loads(text_of(other.get(DATA)))["transcripts"]) == 6
    assert many == few
