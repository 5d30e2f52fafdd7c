"""Six languages: complete catalogs, no English leftovers, right-to-left, Babel formatting."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import force_locale

from miti_training import formatting as ui
from miti_training.models import ProgrammeStatus
from miti_training.programmes import lifecycle
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "miti_training" / "translations"
LANGUAGES = ["fr", "es", "ar", "fa", "ko"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
#: Words that are the same in every language (brand names) and may stay untranslated.
SAME_EVERYWHERE = {
    "MITI Training",
    "MITI",
    "Metropolis",
    "Metropolis International Training Institute",  # a proper name some languages keep
}


def _catalog(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _source_msgids() -> set[str]:
    """Extract the messages from the source now, so a new string cannot hide."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalog = _catalog(language)
    missing, fuzzy, broken = [], [], []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(key)
        if message.fuzzy:
            fuzzy.append(key)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            found = set(PLACEHOLDER.findall(text or ""))
            if found - wanted or (len(strings) == 1 and found != wanted):
                broken.append((key, text))
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{language}: fuzzy entries {fuzzy[:5]}"
    assert not broken, f"{language}: placeholders differ {broken[:5]}"


def test_catalogs_hold_every_message_of_the_source():
    source = _source_msgids()
    for language in LANGUAGES:
        catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(language) if m.id}
        assert not source - catalog, (
            f"{language}: run `make messages` and translate: {sorted(source - catalog)[:5]}"
        )


def test_arabic_has_six_plural_forms():
    assert _catalog("ar").num_plurals == 6


def _english_sentences() -> list[str]:
    """Catalog sentences long enough that finding one on a page means it was not translated."""
    catalog = _catalog("fr")
    return [
        m.id
        for m in catalog
        if isinstance(m.id, str)
        and len(m.id.split()) >= 3
        and "%" not in m.id
        and m.id not in SAME_EVERYWHERE
    ]


MAIN_PAGES = ["/", "/programmes", "/account/login", "/account/signup", "/account/forgot-password"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_have_no_english_leftovers(client, db, language):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    programme = make_programme(centre, title="Peer Review Process workshop")
    client.post("/language", data={"lang": language, "next": "/"})
    sentences = _english_sentences()
    for path in [*MAIN_PAGES, f"/programmes/{programme.slug}", "/centres/seoul", "/nowhere"]:
        html = client.get(path).get_data(as_text=True)
        assert f'<html lang="{language}"' in html, path
        leftovers = [s for s in sentences if s in html]
        assert not leftovers, f"{language} {path}: English left: {leftovers[:5]}"


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("ko", "ltr")])
def test_text_direction_follows_the_language(client, language, direction):
    html = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
    assert f'<html lang="{language}" dir="{direction}">' in html


def test_session_across_a_daylight_saving_change_is_formatted_per_locale(app):
    before = datetime(2026, 3, 28, 8, 0, tzinfo=UTC)  # 09:00 in Paris (UTC+1)
    after = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 in Paris (UTC+2)
    with app.test_request_context("/"):
        for language, expected in [("fr", "09:00"), ("ko", "9:00"), ("en", "9:00")]:
            with force_locale(language):
                for moment in (before, after):
                    assert expected in ui.format_in_zone(moment, "Europe/Paris", "short")
        with force_locale("fa"):
            text = ui.format_in_zone(after, "Europe/Paris", "short")
        assert "۹:۰۰" in text or "9:00" in text


def test_email_goes_out_in_the_recipients_language_whoever_triggers_it(db, outbox):
    centre = make_centre(name="MITI Regional Centre Paris Île-de-France", timezone="Europe/Paris")
    director = make_staff(centre, "director", preferred_language="fr")
    programme = make_programme(centre, status=ProgrammeStatus.PUBLISHED, starts_on=date(2027, 1, 5))
    participant = make_user(preferred_language="fa", full_name="زهرا احمدی")
    make_registration(programme, participant)
    lifecycle.cancel_programme(programme, reason="Raison d'annulation", actor=director)
    db.session.commit()
    [message] = [m for m in outbox if m.to == participant.email]
    assert message.locale == "fa"
    english = {"cancelled", "Hello", "programme"}
    assert not any(word in message.subject for word in english), message.subject
    assert re.search(r"[\u0600-\u06ff]", message.subject)
    assert "زهرا احمدی" in message.body
