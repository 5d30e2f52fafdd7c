"""Registration state in words (web.templating) and the formatting helpers, at a fixed now."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from miti_training import formatting as ui
from miti_training.models import ProgrammeSession, ProgrammeStatus, ProgrammeTranslation
from miti_training.registrations.window import RegistrationState
from miti_training.web import templating
from tests.support.factories import make_centre, make_programme
from tests.support.pages import plain_spaces

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def request_context(app):
    with app.test_request_context("/"):
        yield


@pytest.fixture
def seoul(db):
    return make_centre(timezone="Asia/Seoul")


def _programme(centre, **kw):
    kw.setdefault("registration_opens_at", datetime(2026, 2, 1, tzinfo=UTC))
    kw.setdefault("registration_closes_at", datetime(2026, 5, 12, 14, 59, tzinfo=UTC))
    return make_programme(centre, starts_on=date(2026, 6, 1), **kw)


@pytest.mark.parametrize(
    ("kw", "state", "words", "tone"),
    [
        ({}, RegistrationState.OPEN, "Open until May 12", "ok"),
        # 16:00 UTC on 12 May is already 01:00 on 13 May in Seoul: the centre's date counts.
        (
            {"registration_closes_at": datetime(2026, 5, 12, 16, 0, tzinfo=UTC)},
            RegistrationState.OPEN,
            "Open until May 13",
            "ok",
        ),
        (
            {"registration_closes_at": datetime(2027, 1, 10, 0, 0, tzinfo=UTC)},
            RegistrationState.OPEN,
            "Open until Jan 10, 2027",
            "ok",
        ),
        (
            {"capacity": 10, "seats_taken": 10, "is_waitlist_enabled": True},
            RegistrationState.WAITLIST,
            "Waiting list open",
            "warn",
        ),
        (
            {"capacity": 10, "seats_taken": 10, "is_waitlist_enabled": False},
            RegistrationState.FULL,
            "Full",
            "warn",
        ),
        (
            {"registration_closes_at": datetime(2026, 2, 20, tzinfo=UTC)},
            RegistrationState.CLOSED,
            "Closed",
            "muted",
        ),
        (
            {"registration_opens_at": datetime(2026, 3, 1, 15, 0, tzinfo=UTC)},
            RegistrationState.NOT_OPEN_YET,
            "Opens Mar 2",  # 15:00 UTC on 1 March is 00:00 on 2 March in Seoul
            "",
        ),
        (
            {"registration_opens_at": datetime(2027, 3, 1, tzinfo=UTC)},
            RegistrationState.NOT_OPEN_YET,
            "Opens Mar 1, 2027",
            "",
        ),
        ({"status": ProgrammeStatus.CANCELLED}, RegistrationState.CANCELLED, "Cancelled", "muted"),
        ({"status": ProgrammeStatus.COMPLETED}, RegistrationState.COMPLETED, "Completed", "muted"),
        ({"status": ProgrammeStatus.DRAFT}, RegistrationState.DRAFT, "Draft", "muted"),
    ],
)
def test_registration_state_in_words(request_context, seoul, kw, state, words, tone):
    programme = _programme(seoul, **kw)
    status = templating.registration_status(programme, NOW)
    assert status.state == state
    assert plain_spaces(status.text) == words
    assert status.tone == tone
    assert templating.registration_state_label(programme, NOW) == status.text
    assert status.is_open == (state in (RegistrationState.OPEN, RegistrationState.WAITLIST))


def test_dates_in_words_follow_the_viewer_locale(request_context, seoul):
    programme = _programme(seoul)
    with force_locale("fr"):
        assert "12 mai" in templating.registration_state_label(programme, NOW)
    with force_locale("ko"):
        assert "5월 12일" in templating.registration_state_label(programme, NOW)
    late = _programme(seoul, registration_opens_at=datetime(2026, 3, 1, 15, tzinfo=UTC))
    with force_locale("es"):
        assert "2 mar" in templating.registration_state_label(late, NOW)


def test_full_programme_without_waiting_list_after_closing_is_closed(request_context, seoul):
    programme = _programme(
        seoul,
        capacity=5,
        seats_taken=5,
        registration_closes_at=datetime(2026, 2, 20, tzinfo=UTC),
    )
    assert templating.registration_state_label(programme, NOW) == "Closed"


def test_paragraphs_split_on_blank_lines_and_keep_line_breaks():
    text = "One.\r\n\r\nTwo,\nstill two.\n   \n\n Three. \n\n\n"
    assert ui.paragraphs(text) == [["One."], ["Two,", "still two."], ["Three."]]
    assert ui.paragraphs("") == []
    assert ui.paragraphs(None) == []


def test_programme_text_and_fallback(request_context, seoul):
    programme = _programme(seoul, title="Water management")
    programme.translations.append(ProgrammeTranslation(language="fr", title="Gestion de l’eau"))
    with force_locale("fr"):
        text = ui.programme_text(programme)
        assert text.title == "Gestion de l’eau" and not ui.is_fallback(text)
    with force_locale("ar"):
        text = ui.programme_text(programme)
        assert text.title == "Water management" and ui.is_fallback(text)
        assert ui.language_name("en") == "الإنجليزية"
    assert ui.language_name("en") == "English"
    assert ui.language_name("zz-not-a-language") == "zz-not-a-language"


def test_session_time_across_the_paris_daylight_saving_change(request_context, db):
    paris = make_centre(timezone="Europe/Paris")
    programme = make_programme(paris, sessions=0)
    before = ProgrammeSession(
        title="Before",
        starts_at=datetime(2026, 3, 27, 8, 30, tzinfo=UTC),
        ends_at=datetime(2026, 3, 27, 16, 0, tzinfo=UTC),
    )
    after = ProgrammeSession(
        title="After",
        starts_at=datetime(2026, 3, 30, 7, 30, tzinfo=UTC),
        ends_at=datetime(2026, 3, 30, 15, 0, tzinfo=UTC),
    )
    programme.sessions.extend([before, after])
    first, second = ui.session_time(before, paris.timezone), ui.session_time(after, paris.timezone)
    # The same wall-clock hours on both sides of 29 March, with the offset that changed.
    assert plain_spaces(first.full) == "Fri, Mar 27, 2026, 9:30 AM – 5:00 PM"
    assert plain_spaces(second.full) == "Mon, Mar 30, 2026, 9:30 AM – 5:00 PM"
    assert (first.offset, second.offset) == ("GMT+01:00", "GMT+02:00")
    assert first.iso == "2026-03-27T09:30:00+01:00" and second.iso == "2026-03-30T09:30:00+02:00"
    with force_locale("fr"):
        assert (
            plain_spaces(ui.session_time(after, paris.timezone).full)
            == "lun. 30 mars 2026, 09:30 – 17:00"
        )


def test_zones_differ_compares_offsets_at_the_session_times(db):
    programme = make_programme(make_centre(timezone="Europe/Paris"))
    sessions = programme.sessions
    assert not ui.zones_differ(sessions, "Europe/Paris", None)
    assert not ui.zones_differ(sessions, "Europe/Paris", "Europe/Paris")
    assert ui.zones_differ(sessions, "Europe/Paris", "Asia/Seoul")
    # Berlin keeps the same clock as Paris: no second column needed.
    assert not ui.zones_differ(sessions, "Europe/Paris", "Europe/Berlin")


def test_date_range(request_context):
    assert plain_spaces(ui.date_range(date(2026, 5, 12), date(2026, 5, 14))) == "May 12 – 14, 2026"
    assert ui.date_range(date(2026, 5, 12), date(2026, 5, 12)) == "May 12, 2026"
    assert ui.date_range(date(2026, 5, 12), None) == "May 12, 2026"
    assert ui.date_range(None, None) == ""
    with force_locale("fr"):
        assert (
            plain_spaces(ui.date_range(date(2026, 5, 30), date(2026, 6, 2)))
            == "30 mai – 2 juin 2026"
        )
