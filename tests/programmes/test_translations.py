"""Translations of every text staff write: programmes (venue too), sessions, questions, centres
and member cities: edited on the staff forms, read in the viewer's language, with the original
as fallback; the demo's flagship programmes found by their translated titles."""

import html as html_lib
import re

import pytest
from sqlalchemy import select

from miti_training.cli.demo import load_demo_data
from miti_training.models import (
    Centre,
    CentreTranslation,
    MemberCity,
    MemberCityTranslation,
    Programme,
    ProgrammeQuestion,
    ProgrammeTranslation,
    QuestionKind,
    QuestionTranslation,
    SessionTranslation,
)
from miti_training.programmes import lifecycle
from miti_training.programmes.catalogue import CatalogueFilters, filtered_programmes
from tests.support.factories import (
    make_admin,
    make_centre,
    make_member_city,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.forms import centre_form, city_form, programme_form, session_form
from tests.support.pages import field_errors, main_of, text_of, translated
from tests.support.testdata import hostile_strings


@pytest.fixture
def seoul(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    return {"centre": centre, "director": make_staff(centre, "director")}


def _question(programme, kind=QuestionKind.SINGLE_CHOICE, **kw):
    question = ProgrammeQuestion(
        programme=programme,
        position=len(programme.questions) + 1,
        kind=kind,
        label=kw.pop("label", "How will you travel?"),
        help_text=kw.pop("help_text", "Tell us how you come."),
        choices=kw.pop("choices", ["By train", "By plane"]),
        **kw,
    )
    programme.questions.append(question)
    return question


# Reading: the viewer's language, else the original -----------------------------------------


def test_each_translatable_object_reads_its_translation_or_falls_back(db):
    centre = make_centre(name="MITI Regional Centre Cairo")
    centre.translations.append(CentreTranslation(language="ar", name="مركز القاهرة"))
    city = make_member_city(name="Tehran")
    city.translations.append(MemberCityTranslation(language="fa", name="تهران"))
    programme = make_programme(centre, venue="City Hall")
    programme.translations.append(ProgrammeTranslation(language="fr", title="Atelier"))
    session = programme.sessions[0]
    session.translations.append(SessionTranslation(language="ko", title="1일 차"))
    question = _question(programme)
    question.translations.append(
        QuestionTranslation(language="fa", label="چگونه سفر می‌کنید؟", choices=["با قطار"])
    )
    db.session.flush()

    assert (centre.text_in("ar").name, centre.text_in("ar").is_original) == ("مركز القاهرة", False)
    # An empty translated field shows the original one.
    assert centre.text_in("ar").description == centre.description
    assert centre.text_in("ko").name == "MITI Regional Centre Cairo"
    assert centre.text_in("ko").language == "en"
    assert city.text_in("fa").name == "تهران" and city.text_in("es").name == "Tehran"
    assert programme.text_in("fr").venue == "City Hall"
    assert session.text_in("ko").title == "1일 차" and session.text_in("fa").title == "Day 1"
    persian = question.text_in("fa")
    assert persian.label == "چگونه سفر می‌کنید؟" and persian.help_text == "Tell us how you come."
    # Choices without one translation per original choice show the originals.
    assert persian.choices == ["By train", "By plane"]


# Staff forms: every translatable field round-trips ----------------------------------------


def test_programme_venue_translation_round_trips_and_shows_on_the_page(app, client, sign_in, seoul):
    sign_in(seoul["director"])
    response = client.post(
        "/manage/seoul/programmes/new",
        data=programme_form(title_fa="کارگاه داوری همتا", venue_fa="مرکز توسعهٔ منابع انسانی"),
    )
    assert response.status_code == 302, field_errors(response)
    programme = seoul["centre"].programmes[0]
    [translation] = programme.translations
    assert (translation.language, translation.venue) == ("fa", "مرکز توسعهٔ منابع انسانی")
    form = text_of(client.get(f"/manage/seoul/programmes/{programme.id}/edit"))
    assert 'name="venue_fa"' in form and 'value="مرکز توسعهٔ منابع انسانی"' in form
    programme.status = "published"
    visitor = app.test_client()
    html = main_of(visitor.get(f"/programmes/{programme.slug}", headers={"Accept-Language": "fa"}))
    assert '<bdi lang="fa">مرکز توسعهٔ منابع انسانی</bdi>' in html


def test_session_title_translation_round_trips(client, sign_in, seoul):
    sign_in(seoul["director"])
    programme = make_programme(seoul["centre"], sessions=0, status="draft")
    base = f"/manage/seoul/programmes/{programme.id}/sessions"
    day = programme.starts_on
    response = client.post(f"{base}/new", data=session_form(day, title_ko="1일 차: 강의"))
    assert response.status_code == 302, field_errors(response)
    [session] = programme.sessions
    assert [(t.language, t.title) for t in session.translations] == [("ko", "1일 차: 강의")]
    page = text_of(client.get(f"{base}/{session.id}/edit"))
    assert 'name="title_ko"' in page and 'value="1일 차: 강의"' in page
    # The programme's original language has no fieldset.
    assert 'name="title_en"' not in page

    response = client.post(f"{base}/{session.id}/edit", data=session_form(day, title_ko=""))
    assert response.status_code == 302
    assert session.translations == []


def test_question_label_help_and_choices_round_trip(client, sign_in, seoul):
    sign_in(seoul["director"])
    programme = make_programme(seoul["centre"])
    base = f"/manage/seoul/programmes/{programme.id}/questions"
    data = {
        "kind": "single_choice",
        "label": "How will you travel?",
        "help_text": "",
        "choices": "By train\nBy plane",
        "label_fa": "چگونه سفر می‌کنید؟",
        "help_text_fa": "یک گزینه را برگزینید.",
        "choices_fa": "با قطار\r\nبا هواپیما",
    }
    response = client.post(f"{base}/new", data=data)
    assert response.status_code == 302, field_errors(response)
    [question] = programme.questions
    [translation] = question.translations
    assert (translation.label, translation.help_text, translation.choices) == (
        "چگونه سفر می‌کنید؟",
        "یک گزینه را برگزینید.",
        ["با قطار", "با هواپیما"],
    )
    page = html_lib.unescape(text_of(client.get(f"{base}/{question.id}/edit")))
    assert "با قطار\nبا هواپیما</textarea>" in page
    assert 'name="label_fa"' in page and 'lang="fa"' in page and 'dir="auto"' in page


def test_question_translation_needs_its_label_and_one_line_per_choice(client, sign_in, seoul):
    sign_in(seoul["director"])
    programme = make_programme(seoul["centre"])
    base = f"/manage/seoul/programmes/{programme.id}/questions"
    data = {"kind": "single_choice", "label": "How?", "choices": "By train\nBy plane"}
    response = client.post(f"{base}/new", data={**data, "choices_fr": "En train"})
    assert field_errors(response)["label_fr"] == (
        "Enter the question in French too, or empty all the fields of this translation to remove it."
    )
    response = client.post(
        f"{base}/new", data={**data, "label_fr": "Comment ?", "choices_fr": "En train"}
    )
    assert field_errors(response)["choices_fr"] == (
        "Give 2 lines, one for each choice, in the same order as the original."
    )
    assert programme.questions == []
    # The fieldset with the error is open, so the message is seen without JavaScript.
    assert '<details class="translation" open>' in text_of(response)


def test_centre_name_and_description_translations_round_trip(app, client, sign_in, db):
    admin = sign_in(make_admin())
    assert admin.is_admin
    response = client.post(
        "/admin/centres/new",
        data=centre_form(
            description="The regional centre for Africa.",
            name_ar="مركز MITI الإقليمي في القاهرة",
            description_ar="المركز الإقليمي لأفريقيا.",
        ),
    )
    assert response.status_code == 302, field_errors(response)
    centre = db.session.scalar(select(Centre).where(Centre.slug == "cairo"))
    assert centre.description == "The regional centre for Africa."
    assert [(t.language, t.name, t.description) for t in centre.translations] == [
        ("ar", "مركز MITI الإقليمي في القاهرة", "المركز الإقليمي لأفريقيا.")
    ]
    page = text_of(client.get(f"/admin/centres/{centre.id}/edit"))
    assert 'value="مركز MITI الإقليمي في القاهرة"' in page
    visitor = app.test_client()
    arabic = main_of(visitor.get("/centres/cairo", headers={"Accept-Language": "ar"}))
    assert "Shown in the original language" not in arabic
    assert "مركز MITI الإقليمي في القاهرة" in arabic and "المركز الإقليمي لأفريقيا." in arabic
    # The country is named by CLDR in the viewer's language.
    assert "مصر" in arabic
    korean = main_of(visitor.get("/centres/cairo", headers={"Accept-Language": "ko"}))
    assert "MITI Regional Centre Cairo" in korean
    assert (
        translated("Shown in the original language (%(language)s)", "ko", language="영어") in korean
    )
    home = main_of(visitor.get("/", headers={"Accept-Language": "ko"}))
    assert "MITI Regional Centre Cairo" in home and "이집트" in home


def test_member_city_name_translation_round_trips_and_names_it_in_the_lists(client, sign_in, db):
    sign_in(make_admin())
    response = client.post("/admin/member-cities/new", data=city_form(name_fa="سورابایا"))
    assert response.status_code == 302, field_errors(response)
    city = db.session.scalar(select(MemberCity).where(MemberCity.name == "Surabaya"))
    assert [(t.language, t.name) for t in city.translations] == [("fa", "سورابایا")]
    page = text_of(client.get(f"/admin/member-cities/{city.id}/edit"))
    assert 'value="سورابایا"' in page
    response = client.post(f"/admin/member-cities/{city.id}/edit", data=city_form(name_fa=""))
    assert response.status_code == 302
    assert city.translations == []


def test_translations_of_centres_and_cities_are_for_admins_only(client, sign_in, seoul):
    sign_in(seoul["director"])
    centre = seoul["centre"]
    response = client.post(
        f"/admin/centres/{centre.id}/edit", data=centre_form(slug="seoul", name_ko="서울 본부")
    )
    assert response.status_code == 403
    assert centre.translations == []


def test_hostile_input_in_translations_is_stored_as_text_and_shown_escaped(
    client, sign_in, db, seoul
):
    sign_in(seoul["director"])
    programme = make_programme(seoul["centre"], sessions=1)
    question = _question(programme, kind=QuestionKind.SHORT_TEXT, choices=[])
    db.session.flush()
    base = f"/manage/seoul/programmes/{programme.id}/questions/{question.id}/edit"
    for value in hostile_strings():
        response = client.post(
            base,
            data={"kind": "short_text", "label": question.label, "label_ar": value},
        )
        assert response.status_code in (200, 302), value
        if response.status_code == 200:
            assert field_errors(response), value
            continue
        stored = question.text_in("ar").label
        assert stored and stored.strip() == stored
        page = text_of(client.get(base))
        assert "<script>alert(1)" not in page and "<img src=x onerror" not in page


def test_hostile_translated_question_is_escaped_on_the_registration_form(client, login, db):
    programme = make_programme()
    question = _question(programme, kind=QuestionKind.SHORT_TEXT, choices=[])
    question.translations.append(
        QuestionTranslation(
            language="fa", label="<script>alert(1)</script>", help_text='"><img src=x>'
        )
    )
    login(make_user(preferred_language="fa"))
    html = main_of(client.get(f"/programmes/{programme.slug}/register"))
    assert "<script>alert(1)" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Emails in the recipient's language ---------------------------------------------------------


def test_cancellation_email_names_the_centre_and_programme_in_the_recipients_language(db, outbox):
    centre = make_centre(name="MITI Regional Centre Mashhad", timezone="Asia/Tehran")
    centre.translations.append(CentreTranslation(language="fa", name="مرکز منطقه‌ای MITI در مشهد"))
    director = make_staff(centre, "director", preferred_language="en")
    programme = make_programme(centre, title="Water management")
    programme.translations.append(ProgrammeTranslation(language="fa", title="مدیریت آب"))
    persian = make_user(preferred_language="fa")
    english = make_user(preferred_language="en")
    for participant in (persian, english):
        make_registration(programme, participant)
    lifecycle.cancel_programme(programme, reason="Flooding.", actor=director)
    db.session.commit()
    by_recipient = {message.to: message.body for message in outbox}
    assert "مرکز منطقه‌ای MITI در مشهد" in by_recipient[persian.email]
    assert "مدیریت آب" in by_recipient[persian.email]
    assert "MITI Regional Centre Mashhad" in by_recipient[english.email]


# The registration form in the participant's language -------------------------------------


def test_persian_registration_form_asks_the_persian_questions_with_their_direction(
    client, login, db
):
    programme = make_programme()
    question = _question(programme, label="How will you travel?")
    question.translations.append(
        QuestionTranslation(
            language="fa",
            label="چگونه سفر می‌کنید؟",
            help_text="یک گزینه را برگزینید.",
            choices=["با قطار", "با هواپیما"],
        )
    )
    untranslated = _question(programme, kind=QuestionKind.SHORT_TEXT, label="Your department.")
    untranslated.choices = []
    login(make_user(preferred_language="fa"))
    html = main_of(client.get(f"/programmes/{programme.slug}/register"))
    assert '<span lang="fa" dir="auto">چگونه سفر می‌کنید؟</span>' in html
    assert '<span lang="fa" dir="auto">یک گزینه را برگزینید.</span>' in html
    # The choices are translated, the value sent (and stored) is the original.
    assert re.search(
        r'value="By train"[^>]*>\s*<label[^>]*><span lang="fa" dir="auto">با قطار', html
    )
    # An untranslated question keeps its own direction: its full stop stays on its right,
    # and a note says the form shows some questions in their original language.
    assert '<span lang="en" dir="auto">Your department.</span>' in html
    assert (
        translated("Shown in the original language (%(language)s)", "fa", language="انگلیسی")
        in html
    )


# Search and the demo ----------------------------------------------------------------------


@pytest.fixture
def demo(db):
    load_demo_data()
    db.session.commit()


@pytest.mark.parametrize("words", ["داوری همتا", "동료 검토", "évaluation par les pairs"])
def test_search_finds_the_peer_review_workshop_by_its_translated_titles(db, demo, words):
    found = db.session.scalars(filtered_programmes(CatalogueFilters(q=words))).all()
    assert "peer-review-process-workshop" in [p.slug for p in found]


def test_catalogue_page_finds_the_workshop_by_its_persian_title(client, demo):
    html = main_of(client.get("/programmes", query_string={"q": "داوری همتا"}))
    assert "کارگاه فرایند داوری همتا" in html or "Peer Review Process workshop" in html


def test_demo_flagship_programmes_are_translated_in_every_language(db, demo):
    for slug in ("peer-review-process-workshop", "miti-opening-forum-sharing-cities"):
        programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
        assert [t.language for t in programme.translations] == ["ar", "es", "fa", "fr", "ko"]
        for code in ("fr", "es", "ar", "fa", "ko"):
            text = programme.text_in(code)
            assert not text.is_original and text.venue != programme.venue
            assert text.description.count("\n\n") == programme.description.count("\n\n")
            for session in programme.sessions:
                assert session.text_in(code).title != session.title
            assert programme.questions
            for question in programme.questions:
                translated_question = question.text_in(code)
                assert translated_question.label != question.label
                assert len(translated_question.choices) == len(question.choices)
                if question.help_text:
                    assert translated_question.help_text != question.help_text
    seoul = db.session.scalar(select(Centre).where(Centre.slug == "seoul"))
    assert seoul.text_in("ko").name == "MITI 서울 본부" and seoul.description


def test_demo_workshop_page_in_korean_shows_the_korean_texts(client, demo):
    html = main_of(
        client.get("/programmes/peer-review-process-workshop", headers={"Accept-Language": "ko"})
    )
    assert '<bdi lang="ko">동료 검토 프로세스 워크숍</bdi>' in html
    assert "1일 차: 동료 검토 프로세스의 단계와 역할" in html
    assert "서울시인재개발원(SHRDC), 서울 서초구" in html
    assert "MITI 서울 본부" in html
    assert (
        translated("Shown in the original language (%(language)s)", "ko", language="영어")
        not in html
    )


def test_demo_workshop_calendar_file_in_persian_names_the_sessions_in_persian(client, demo):
    response = client.get(
        "/programmes/peer-review-process-workshop.ics", headers={"Accept-Language": "fa"}
    )
    body = response.get_data(as_text=True).replace("\r\n ", "")
    assert "کارگاه فرایند داوری همتا — روز نخست: فرایند داوری همتا" in body
    assert "مرکز توسعهٔ منابع انسانی سئول" in body


def test_deleting_a_question_or_a_session_deletes_its_translations(db, seoul):
    from miti_training.programmes import sessions
    from miti_training.registrations import questions

    programme = make_programme(seoul["centre"], sessions=2, status="draft")
    question = _question(programme)
    question.translations.append(QuestionTranslation(language="ko", label="질문"))
    programme.sessions[0].translations.append(SessionTranslation(language="ko", title="1일 차"))
    db.session.commit()
    db.session.expire_all()
    questions.delete_question(programme.questions[0], actor=seoul["director"])
    sessions.remove_session(programme.sessions[0], actor=seoul["director"])
    db.session.commit()
    assert db.session.scalars(select(QuestionTranslation)).all() == []
    assert db.session.scalars(select(SessionTranslation)).all() == []
