"""The publishing service without HTTP: drafts, translations, sessions across daylight-saving
changes, publication checks, cancellation (registrations, seats, audit, email), completion and
new editions."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from miti_training.errors import DomainError, FieldError, PermissionDenied
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
    RegistrationStatus,
)
from miti_training.programmes import drafts, editions, lifecycle, rules, sessions
from miti_training.programmes.drafts import ProgrammeValues, TranslationValues
from miti_training.programmes.editing import PublishRefused
from tests.support.audit import audit_entries
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)


@pytest.fixture
def paris(db):
    return make_centre(slug="paris", name="MITI Paris Île-de-France", timezone="Europe/Paris")


@pytest.fixture
def director(paris):
    return make_staff(paris, "director", full_name="Claire Director")


@pytest.fixture
def coordinator(paris):
    return make_staff(paris, "coordinator", full_name="Omar Coordinator")


def _values(**overrides) -> ProgrammeValues:
    data = {
        "title": "Peer Review Process workshop",
        "summary": "The Metropolis peer review method for integrated urban governance.",
        "description": "Day one: the method.\n\nDay two: the review.",
        "original_language": "en",
        "kind": "workshop",
        "theme": "urban_governance",
        "format": "in_person",
        "venue": "Maison de la Région, Paris",
        "languages": ("en", "fr"),
        "starts_on": date(2026, 11, 16),
        "ends_on": date(2026, 11, 17),
        "capacity": 15,
        "registration_opens_at": datetime(2026, 9, 1, 9, 0),
        "registration_closes_at": datetime(2026, 11, 1, 18, 0),
        "enrolment_policy": "review",
        "is_waitlist_enabled": True,
        "completion_threshold": 80,
    }
    data.update(overrides)
    return ProgrammeValues(**data)


def _draft(centre, actor, **overrides) -> Programme:
    return drafts.create_draft(centre, _values(**overrides), actor=actor)


def _ready_draft(centre, actor, **overrides) -> Programme:
    """A draft with two sessions inside its dates: publishable."""
    programme = _draft(centre, actor, **overrides)
    sessions.add_session(
        programme,
        title="Day 1: MoU signing and PRP workshop",
        starts_at=datetime(2026, 11, 16, 9, 0),
        ends_at=datetime(2026, 11, 16, 17, 0),
        actor=actor,
    )
    sessions.add_session(
        programme,
        title="Day 2: public opening and forum",
        starts_at=datetime(2026, 11, 17, 9, 30),
        ends_at=datetime(2026, 11, 17, 16, 0),
        actor=actor,
    )
    return programme


# Drafts ------------------------------------------------------------------------------------


def test_create_draft_stores_local_times_as_utc_and_is_audited(db, paris, coordinator):
    programme = _draft(paris, coordinator)
    db.session.commit()
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.slug == "peer-review-process-workshop"
    assert programme.centre_id == paris.id and programme.created_by_id == coordinator.id
    assert programme.languages == "en,fr"
    assert programme.seats_taken == 0
    # 09:00 in Paris on 1 September (summer time, UTC+2) is 07:00 UTC.
    assert programme.registration_opens_at == datetime(2026, 9, 1, 7, 0, tzinfo=UTC)
    # 18:00 on 1 November (winter time, UTC+1) is 17:00 UTC.
    assert programme.registration_closes_at == datetime(2026, 11, 1, 17, 0, tzinfo=UTC)
    [entry] = audit_entries("programme.create")
    assert entry.programme_id == programme.id and entry.actor_id == coordinator.id
    assert entry.to_state == "draft"


def test_second_programme_with_the_same_title_gets_its_own_slug(db, paris, director):
    first = _draft(paris, director)
    second = _draft(paris, director)
    assert first.slug != second.slug
    assert second.slug == "peer-review-process-workshop-2"


@pytest.mark.parametrize("who", ["participant", "other_director"])
def test_only_staff_of_the_centre_create_drafts(db, paris, who):
    actor = make_user() if who == "participant" else make_staff(make_centre(), "director")
    with pytest.raises(PermissionDenied):
        _draft(paris, actor)


def test_nonexistent_registration_time_is_a_field_error(db, paris, director):
    with pytest.raises(FieldError) as caught:
        _draft(paris, director, registration_opens_at=datetime(2026, 3, 29, 2, 30))
    assert caught.value.field == "registration_opens_at"
    assert "does not exist in Paris" in str(caught.value.message)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "   "}, "title", "Enter the programme's title."),
        ({"kind": "party"}, "kind", "Choose a kind of programme from the list."),
        ({"languages": ()}, "languages", "Choose at least one working language."),
        ({"languages": ("en", "xx")}, "languages", "Choose working languages from the list."),
        ({"original_language": "de"}, "original_language", "Choose the language"),
        ({"ends_on": date(2026, 11, 1)}, "ends_on", "The last day cannot be before the first day."),
        ({"capacity": -1}, "capacity", "Enter a number of seats from 0 to 10000."),
        ({"completion_threshold": 101}, "completion_threshold", "Enter a percentage"),
        ({"title": "x" * 201}, "title", "Use at most 200 characters."),
        (
            {"registration_closes_at": datetime(2026, 8, 1, 9, 0)},
            "registration_closes_at",
            "Registration must close after it opens.",
        ),
    ],
)
def test_values_are_checked_with_a_message_for_the_field(
    db, paris, director, overrides, field, message
):
    with pytest.raises(FieldError) as caught:
        _draft(paris, director, **overrides)
    assert caught.value.field == field
    assert message in str(caught.value.message)


def test_update_records_the_changed_fields(db, paris, coordinator):
    programme = _draft(paris, coordinator)
    changed = drafts.update_programme(
        programme, _values(capacity=12, venue="Hôtel de Ville"), actor=coordinator
    )
    assert set(changed) == {"capacity", "venue"}
    [entry] = audit_entries("programme.update")
    assert entry.reason == "venue, capacity"
    assert (
        drafts.update_programme(
            programme, _values(capacity=12, venue="Hôtel de Ville"), actor=coordinator
        )
        == []
    )
    assert len(audit_entries("programme.update")) == 1


def test_text_with_windows_line_ends_keeps_its_paragraphs(db, paris, director):
    programme = _draft(paris, director, description="First.\r\n\r\nSecond.")
    assert programme.description == "First.\n\nSecond."


# Translations ------------------------------------------------------------------------------


def test_translations_are_set_replaced_and_removed(db, paris, director):
    programme = drafts.create_draft(
        paris,
        _values(),
        actor=director,
        translations={
            "fr": TranslationValues("Atelier Peer Review", "La méthode.", "Premier jour."),
            "es": TranslationValues(),
        },
    )
    assert [t.language for t in programme.translations] == ["fr"]
    assert programme.text_in("fr").title == "Atelier Peer Review"
    assert programme.text_in("es").title == "Peer Review Process workshop"

    drafts.set_translations(
        programme,
        {
            "fr": TranslationValues("Atelier d'évaluation par les pairs"),
            "ko": TranslationValues("동료 검토 워크숍"),
        },
        actor=director,
    )
    assert {t.language: t.title for t in programme.translations} == {
        "fr": "Atelier d'évaluation par les pairs",
        "ko": "동료 검토 워크숍",
    }
    # A translation without summary uses the original's.
    assert programme.text_in("ko").summary == programme.summary

    drafts.set_translations(programme, {"fr": TranslationValues()}, actor=director)
    db.session.flush()
    assert [t.language for t in programme.translations] == ["ko"]


def test_translation_needs_a_title_and_another_language_than_the_original(db, paris, director):
    programme = _draft(paris, director)
    with pytest.raises(FieldError) as caught:
        drafts.set_translations(
            programme, {"fr": TranslationValues(summary="Sans titre")}, actor=director
        )
    assert caught.value.field == "title_fr"
    assert "Enter the title in French too" in str(caught.value.message)
    with pytest.raises(FieldError) as caught:
        drafts.set_translations(
            programme, {"en": TranslationValues("Same language")}, actor=director
        )
    assert caught.value.field == "title_en"


# Sessions across daylight-saving changes ---------------------------------------------------


def _session(programme, actor, start: datetime, hours: int = 2):
    return sessions.add_session(
        programme,
        title="Session",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        actor=actor,
    )


def test_paris_session_in_the_spring_gap_is_refused(db, paris, director):
    programme = _draft(paris, director, starts_on=date(2026, 3, 28), ends_on=date(2026, 3, 30))
    with pytest.raises(FieldError) as caught:
        _session(programme, director, datetime(2026, 3, 29, 2, 30))
    assert caught.value.field == "starts_at"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ProgrammeSession)) == 0


def test_paris_session_in_the_repeated_autumn_hour_is_its_first_occurrence(db, paris, director):
    programme = _draft(paris, director, starts_on=date(2026, 10, 24), ends_on=date(2026, 10, 26))
    session = _session(programme, director, datetime(2026, 10, 25, 2, 30))
    db.session.commit()
    db.session.refresh(session)
    assert session.starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # 04:30 local is after the change (UTC+1 again): 03:30 UTC, so the session lasts 3 hours.
    assert session.ends_at == datetime(2026, 10, 25, 3, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        # Mexico City has had no daylight saving time since October 2022: UTC-6 all year.
        ("America/Mexico_City", datetime(2026, 7, 1, 9, 0), datetime(2026, 7, 1, 15, 0)),
        ("America/Mexico_City", datetime(2026, 1, 15, 9, 0), datetime(2026, 1, 15, 15, 0)),
        # Before that, summer time was UTC-5.
        ("America/Mexico_City", datetime(2022, 7, 1, 9, 0), datetime(2022, 7, 1, 14, 0)),
        # Tehran: UTC+3:30 all year since 2022; UTC+4:30 in summer before.
        ("Asia/Tehran", datetime(2026, 6, 1, 9, 0), datetime(2026, 6, 1, 5, 30)),
        ("Asia/Tehran", datetime(2021, 6, 1, 9, 0), datetime(2021, 6, 1, 4, 30)),
        ("Asia/Seoul", datetime(2026, 6, 1, 9, 0), datetime(2026, 6, 1, 0, 0)),
    ],
)
def test_sessions_of_other_centres_are_stored_in_utc(db, zone, local, utc):
    centre = make_centre(timezone=zone)
    director = make_staff(centre, "director")
    day = local.date()
    programme = _draft(
        centre,
        director,
        starts_on=day,
        ends_on=day,
        registration_opens_at=None,
        registration_closes_at=None,
    )
    session = _session(programme, director, local)
    db.session.commit()
    db.session.refresh(session)
    assert session.starts_at == utc.replace(tzinfo=UTC)


def test_session_must_end_after_it_starts(db, paris, director):
    programme = _draft(paris, director)
    with pytest.raises(FieldError) as caught:
        _session(programme, director, datetime(2026, 11, 16, 9, 0), hours=0)
    assert caught.value.field == "ends_at"
    assert "must end after it starts" in str(caught.value.message)


def test_session_changes_are_audited(db, paris, director):
    programme = _ready_draft(paris, director)
    first = programme.sessions[0]
    assert sessions.update_session(
        first,
        title="Day 1",
        starts_at=datetime(2026, 11, 16, 10, 0),
        ends_at=datetime(2026, 11, 16, 17, 0),
        actor=director,
    )
    assert first.starts_at == datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    sessions.remove_session(programme.sessions[1], actor=director)
    db.session.commit()
    assert len(programme.sessions) == 1
    assert [len(audit_entries(a)) for a in ("session.add", "session.update", "session.remove")] == [
        2,
        1,
        1,
    ]


def test_session_with_attendance_cannot_be_removed(db, paris, director):
    programme = _ready_draft(paris, director)
    registration = make_registration(programme)
    db.session.add(
        Attendance(
            registration=registration,
            session=programme.sessions[0],
            status=AttendanceStatus.PRESENT,
        )
    )
    db.session.flush()
    with pytest.raises(DomainError, match="Attendance has been recorded"):
        sessions.remove_session(programme.sessions[0], actor=director)


# Publishing --------------------------------------------------------------------------------


def test_a_complete_draft_is_published_and_audited(db, paris, director):
    programme = _ready_draft(paris, director)
    assert rules.publish_problems(programme) == []
    lifecycle.publish(programme, actor=director)
    db.session.commit()
    assert programme.status == ProgrammeStatus.PUBLISHED
    assert programme.published_at is not None
    [entry] = audit_entries("programme.publish")
    assert (entry.from_state, entry.to_state, entry.actor_id) == ("draft", "published", director.id)


def test_an_empty_draft_lists_every_problem(db, paris, director):
    programme = _draft(
        paris,
        director,
        capacity=0,
        registration_opens_at=None,
        registration_closes_at=None,
    )
    with pytest.raises(PublishRefused) as caught:
        lifecycle.publish(programme, actor=director)
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        "Set the capacity to at least one seat.",
        "Add at least one session to the timetable.",
        "Set when registration opens.",
        "Set when registration closes.",
    ]
    assert programme.status == ProgrammeStatus.DRAFT


def test_registration_closing_after_the_first_session_is_refused(db, paris, director):
    programme = _ready_draft(paris, director, registration_closes_at=datetime(2026, 11, 16, 9, 1))
    [problem] = rules.publish_problems(programme)
    assert str(problem).startswith(
        "Registration must close no later than the start of the first session ("
    )
    assert "Paris)" in str(problem) and "set an earlier closing time" in str(problem)


def test_registration_may_close_when_the_first_session_starts(db, paris, director):
    programme = _ready_draft(paris, director, registration_closes_at=datetime(2026, 11, 16, 9, 0))
    assert rules.publish_problems(programme) == []
    lifecycle.publish(programme, actor=director)
    assert programme.status == ProgrammeStatus.PUBLISHED


def test_sessions_outside_the_programme_dates_are_named(db, paris, director):
    programme = _ready_draft(paris, director)
    _session(programme, director, datetime(2026, 11, 20, 9, 0)).title = "Site visit"
    # 00:30 on 16 November in Paris is still 15 November in UTC: inside the dates.
    _session(programme, director, datetime(2026, 11, 16, 0, 30), hours=1)
    problems = [str(p) for p in rules.publish_problems(programme)]
    assert len(problems) == 1
    assert problems[0].startswith("The session “Site visit” (")
    assert (
        "is outside the programme dates: move the session or change the first and last day."
        in problems[0]
    )


def test_title_dates_and_window_order_problems(db, paris, director):
    programme = _ready_draft(paris, director)
    # Values the service itself refuses, as an import or an old row might have them.
    programme.title = " "
    programme.registration_opens_at = datetime(2026, 11, 2, tzinfo=UTC)
    programme.starts_on = None
    problems = [str(p) for p in rules.publish_problems(programme)]
    assert problems == [
        "Give the programme a title.",
        "Set the first and the last day of the programme.",
        "Registration opens after it closes: set the opening before the closing time.",
    ]


def test_coordinators_cannot_publish(db, paris, coordinator):
    programme = _ready_draft(paris, coordinator)
    with pytest.raises(PermissionDenied):
        lifecycle.publish(programme, actor=coordinator)


def test_only_drafts_are_published(db, paris, director):
    programme = make_programme(paris, status=ProgrammeStatus.PUBLISHED)
    with pytest.raises(
        DomainError, match="Only a draft can be published; this programme is published."
    ):
        lifecycle.publish(programme, actor=director)


# Changing a published programme --------------------------------------------------------------


def test_capacity_of_a_published_programme_cannot_drop_below_seats_taken(db, paris, director):
    programme = _ready_draft(paris, director)
    lifecycle.publish(programme, actor=director)
    programme.seats_taken = 10
    db.session.commit()
    with pytest.raises(FieldError) as caught:
        drafts.update_programme(programme, _values(capacity=9), actor=director)
    assert caught.value.field == "capacity"
    assert str(caught.value.message) == (
        "10 seats are already taken, so the capacity cannot be lower than 10."
    )
    db.session.rollback()
    drafts.update_programme(programme, _values(capacity=10), actor=director)


def test_a_published_programme_must_stay_complete(db, paris, director):
    programme = _ready_draft(paris, director)
    lifecycle.publish(programme, actor=director)
    db.session.commit()
    sessions.remove_session(programme.sessions[1], actor=director)
    with pytest.raises(PublishRefused) as caught:
        sessions.remove_session(programme.sessions[0], actor=director)
    assert [str(p) for p in caught.value.problems] == ["Add at least one session to the timetable."]
    db.session.rollback()
    with pytest.raises(PublishRefused):
        drafts.update_programme(programme, _values(ends_on=date(2026, 11, 16)), actor=director)


def test_coordinators_cannot_change_published_programmes(db, paris, director, coordinator):
    programme = _ready_draft(paris, director)
    lifecycle.publish(programme, actor=director)
    with pytest.raises(PermissionDenied):
        drafts.update_programme(programme, _values(capacity=20), actor=coordinator)
    with pytest.raises(PermissionDenied):
        _session(programme, coordinator, datetime(2026, 11, 17, 17, 0))


# Cancellation ------------------------------------------------------------------------------


@pytest.fixture
def published_with_registrations(db, paris, director):
    programme = _ready_draft(paris, director)
    lifecycle.publish(programme, actor=director)
    programme.translations.append(ProgrammeTranslation(language="fr", title="Atelier Peer Review"))
    people = {
        "confirmed": make_user(full_name="Li Wei", email="li.wei@guangzhou.example"),
        "waitlisted": make_user(
            full_name="Amélie Durand", email="amelie@lyon.example", preferred_language="fr"
        ),
        "applied": make_user(full_name="Budi Santoso", email="budi@surabaya.example"),
        "withdrawn": make_user(full_name="Old Withdrawn", email="gone@warsaw.example"),
        "declined": make_user(full_name="Old Declined", email="no@manila.example"),
    }
    registrations = {
        status: make_registration(
            programme,
            user,
            status=RegistrationStatus(status),
            waitlist_position=1 if status == "waitlisted" else None,
        )
        for status, user in people.items()
    }
    programme.seats_taken = 1
    db.session.commit()
    return programme, registrations


def test_cancelling_cancels_active_registrations_resets_seats_audits_and_emails(
    db, outbox, director, published_with_registrations
):
    programme, registrations = published_with_registrations
    reason = "The venue is closed for renovation."
    cancelled = lifecycle.cancel_programme(programme, reason, actor=director)
    assert outbox == []  # mail leaves only after the commit
    db.session.commit()

    assert {r.id for r in cancelled} == {
        registrations[s].id for s in ("confirmed", "waitlisted", "applied")
    }
    assert programme.status == ProgrammeStatus.CANCELLED
    assert programme.cancellation_reason == reason and programme.cancelled_at is not None
    assert programme.seats_taken == 0
    for status, registration in registrations.items():
        db.session.refresh(registration)
        expected = "cancelled" if status in ("confirmed", "waitlisted", "applied") else status
        assert registration.status == expected
        assert registration.waitlist_position is None

    entries = audit_entries("registration.cancel")
    assert sorted(
        (e.registration_id, e.from_state, e.to_state, e.reason) for e in entries
    ) == sorted(
        (registrations[s].id, s, "cancelled", reason)
        for s in ("confirmed", "waitlisted", "applied")
    )
    assert all(e.actor_id == director.id and e.programme_id == programme.id for e in entries)
    [programme_entry] = audit_entries("programme.cancel")
    assert (programme_entry.from_state, programme_entry.to_state) == ("published", "cancelled")

    assert sorted(m.to for m in outbox) == [
        "amelie@lyon.example",
        "budi@surabaya.example",
        "li.wei@guangzhou.example",
    ]
    by_address = {m.to: m for m in outbox}
    english = by_address["li.wei@guangzhou.example"]
    assert english.subject == "Cancelled: Peer Review Process workshop"
    assert "Hello Li Wei," in english.body
    assert "“Peer Review Process workshop” of MITI Paris Île-de-France" in english.body
    assert reason in english.body
    assert f"/programmes/{programme.slug}" in english.body
    # The French participant reads the French title.
    assert "Atelier Peer Review" in by_address["amelie@lyon.example"].subject


def test_cancelling_needs_a_reason_a_published_programme_and_a_director(
    db, paris, director, coordinator, published_with_registrations
):
    programme, _ = published_with_registrations
    with pytest.raises(FieldError) as caught:
        lifecycle.cancel_programme(programme, "   ", actor=director)
    assert caught.value.field == "reason"
    with pytest.raises(PermissionDenied):
        lifecycle.cancel_programme(programme, "Budget", actor=coordinator)
    draft = _draft(paris, director)
    with pytest.raises(DomainError, match="Only a published programme can be cancelled"):
        lifecycle.cancel_programme(draft, "Budget", actor=director)
    lifecycle.cancel_programme(programme, "Budget", actor=director)
    with pytest.raises(DomainError, match="this one is cancelled"):
        lifecycle.cancel_programme(programme, "Again", actor=director)
    with pytest.raises(DomainError, match="can no longer be changed"):
        drafts.update_programme(programme, _values(), actor=director)


def test_a_programme_cancelled_meanwhile_is_not_cancelled_twice(
    db, outbox, director, published_with_registrations
):
    programme, _ = published_with_registrations
    # Another request cancels it; this session still holds the old, published state.
    db.session.execute(
        update(Programme)
        .where(Programme.id == programme.id)
        .values(status=ProgrammeStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    assert programme.status == ProgrammeStatus.PUBLISHED
    with pytest.raises(DomainError, match="Someone else changed this programme meanwhile"):
        lifecycle.cancel_programme(programme, "Twice", actor=director)
    db.session.rollback()
    assert audit_entries("registration.cancel") == []
    assert outbox == []


# Completion --------------------------------------------------------------------------------


def test_completed_only_after_the_last_session(db, paris, director):
    programme = _ready_draft(paris, director)
    with pytest.raises(DomainError, match="Only a published programme"):
        lifecycle.mark_completed(programme, actor=director)
    lifecycle.publish(programme, actor=director)
    last_end = programme.sessions[-1].ends_at
    with pytest.raises(DomainError, match="once its last session has ended"):
        lifecycle.mark_completed(programme, actor=director, now=last_end - timedelta(minutes=1))
    lifecycle.mark_completed(programme, actor=director, now=last_end)
    assert programme.status == ProgrammeStatus.COMPLETED
    [entry] = audit_entries("programme.complete")
    assert (entry.from_state, entry.to_state) == ("published", "completed")


# New editions ------------------------------------------------------------------------------


def test_new_edition_copies_everything_and_keeps_the_wall_clock_time(db, paris, director):
    programme = drafts.create_draft(
        paris,
        _values(
            starts_on=date(2026, 3, 2),
            ends_on=date(2026, 3, 3),
            registration_opens_at=datetime(2026, 1, 5, 9, 0),
            registration_closes_at=datetime(2026, 2, 20, 18, 0),
        ),
        actor=director,
        translations={"fr": TranslationValues("Atelier", "Résumé", "Texte")},
    )
    _session(programme, director, datetime(2026, 3, 2, 9, 0))
    _session(programme, director, datetime(2026, 3, 3, 9, 0))
    lifecycle.publish(programme, actor=director)
    make_registration(programme)
    programme.seats_taken = 1
    db.session.commit()

    # Four weeks later Paris is on summer time: 09:00 local is 07:00 UTC instead of 08:00.
    edition = editions.duplicate_as_new_edition(programme, actor=director, shift_days=28)
    db.session.commit()
    assert edition.id != programme.id and edition.edition_of_id == programme.id
    assert edition.status == ProgrammeStatus.DRAFT
    assert edition.slug == "peer-review-process-workshop-2"
    assert (edition.starts_on, edition.ends_on) == (date(2026, 3, 30), date(2026, 3, 31))
    assert [s.starts_at for s in edition.sessions] == [
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 31, 7, 0, tzinfo=UTC),
    ]
    assert edition.registration_opens_at == datetime(2026, 2, 2, 8, 0, tzinfo=UTC)
    assert edition.registration_closes_at == datetime(2026, 3, 20, 17, 0, tzinfo=UTC)
    assert [(t.language, t.title) for t in edition.translations] == [("fr", "Atelier")]
    assert (edition.capacity, edition.seats_taken) == (programme.capacity, 0)
    assert edition.venue == programme.venue and edition.languages == programme.languages
    assert rules.publish_problems(edition) == []
    [entry] = audit_entries("programme.duplicate")
    assert entry.programme_id == edition.id
    # The original is untouched.
    assert programme.status == ProgrammeStatus.PUBLISHED and len(programme.sessions) == 2


def test_new_edition_by_new_first_day(db, paris, director):
    programme = _ready_draft(paris, director)
    edition = editions.duplicate_as_new_edition(
        programme, actor=director, new_starts_on=date(2027, 11, 15), title="PRP workshop 2027"
    )
    assert edition.title == "PRP workshop 2027" and edition.slug == "prp-workshop-2027"
    assert (edition.starts_on, edition.ends_on) == (date(2027, 11, 15), date(2027, 11, 16))
    assert edition.sessions[0].starts_at == datetime(2027, 11, 15, 8, 0, tzinfo=UTC)


def test_new_edition_needs_exactly_one_way_of_moving_and_a_director(
    db, paris, director, coordinator
):
    programme = _ready_draft(paris, director)
    with pytest.raises(FieldError):
        editions.duplicate_as_new_edition(programme, actor=director)
    with pytest.raises(FieldError):
        editions.duplicate_as_new_edition(
            programme, actor=director, shift_days=7, new_starts_on=date(2027, 1, 1)
        )
    with pytest.raises(FieldError, match="at most"):
        editions.duplicate_as_new_edition(programme, actor=director, shift_days=100_000)
    with pytest.raises(PermissionDenied):
        editions.duplicate_as_new_edition(programme, actor=coordinator, shift_days=7)


def test_new_edition_landing_in_the_spring_gap_says_which_session(db, paris, director):
    programme = _draft(
        paris,
        director,
        starts_on=date(2026, 3, 22),
        ends_on=date(2026, 3, 22),
        registration_opens_at=None,
        registration_closes_at=None,
    )
    _session(programme, director, datetime(2026, 3, 22, 2, 30)).title = "Night watch"
    with pytest.raises(
        DomainError, match="The session “Night watch” would fall in the hour skipped"
    ):
        editions.duplicate_as_new_edition(programme, actor=director, shift_days=7)


def test_raising_the_capacity_gives_the_new_seats_to_the_waiting_list(db, paris, director, outbox):
    from miti_training.models import RegistrationStatus
    from tests.support.factories import make_registration

    programme = _ready_draft(paris, director, capacity=1)
    lifecycle.publish(programme, actor=director)
    make_registration(programme, status=RegistrationStatus.CONFIRMED)
    programme.seats_taken = 1
    first = make_registration(programme, status=RegistrationStatus.WAITLISTED, waitlist_position=1)
    second = make_registration(programme, status=RegistrationStatus.WAITLISTED, waitlist_position=2)
    db.session.commit()

    drafts.update_programme(programme, _values(capacity=2), actor=director)
    db.session.commit()

    assert (first.status, first.waitlist_position) == (RegistrationStatus.CONFIRMED, None)
    assert (second.status, second.waitlist_position) == (RegistrationStatus.WAITLISTED, 1)
    assert programme.seats_taken == 2
    assert any(m.to == first.email for m in outbox)
