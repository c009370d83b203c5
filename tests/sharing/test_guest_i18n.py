"""Guest pages in the guest's language: Accept-Language, a remembered switch, <html lang>, the
consent text shown and recorded per language; studio pages and the API stay English."""
import gettext
import html
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from events.services import event_create
from sharing.consent import CONSENT_TEXT, CONSENT_VERSION
from sharing.models import GuestConsent
from tests.sharing.conftest import guest_client, make_link

LOCALE = Path(settings.BASE_DIR) / "locale"
START = {"en": "Start", "fr": "Commencer", "de": "Los geht", "es": "Empezar"}


@pytest.fixture
def event(studio_a, alice):
    return event_create(studio=studio_a, user=alice, name="Ana & Ben")


def html_lang(response) -> str:
    return re.search(rb'<html lang="([^"]+)"', response.content).group(1).decode()


@pytest.mark.parametrize("header, language", [
    ("fr-FR,fr;q=0.9,en;q=0.8", "fr"), ("de-DE,de;q=0.9", "de"), ("es-ES,es;q=0.9", "es"),
    ("it-IT,it;q=0.9", "en"), ("", "en"),
])
def test_accept_language_picks_the_page_language(event, header, language):
    key = make_link(event, scope="event").token
    page = Client(HTTP_ACCEPT_LANGUAGE=header).get(f"/s/{key}")
    assert page.status_code == 200 and html_lang(page) == language
    assert START[language] in page.content.decode() and page["Content-Language"] == language
    assert "Accept-Language" in page["Vary"]  # caches must not hand a French page to a German guest


def test_the_switcher_is_remembered_over_accept_language(event):
    key = make_link(event, scope="event").token
    browser = Client(HTTP_ACCEPT_LANGUAGE="fr-FR")
    switched = browser.post("/language/", {"language": "de", "next": f"/s/{key}"})
    assert switched.status_code == 302 and switched["Location"] == f"/s/{key}"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == settings.LANGUAGE_COOKIE_AGE
    page = browser.get(f"/s/{key}")
    assert html_lang(page) == "de" and "Los geht" in page.content.decode()


def test_an_outside_next_is_not_followed(event):
    switched = Client().post("/language/", {"language": "es", "next": "https://evil.example/"})
    assert switched.status_code == 302 and "evil.example" not in switched["Location"]


def test_studio_pages_and_the_api_stay_english(event):
    key = make_link(event, scope="event").token
    french = Client(HTTP_ACCEPT_LANGUAGE="fr-FR")
    french.get(f"/s/{key}")  # a French guest page served first on this thread
    assert b"Sign in" in french.get("/login/").content
    api = french.get("/api/v1/guest/nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn/")
    assert api.status_code == 404 and "We don't know this link" in api.json()["error"]["message"]


@pytest.mark.parametrize("language", ["fr", "de", "es"])
def test_consent_is_shown_and_recorded_in_the_guests_language(event, language):
    link = make_link(event, scope="selfie")
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    page = browser.get(f"/s/{link.token}/consent").content.decode()
    assert CONSENT_TEXT[:40] not in page and f'lang="{language}"' in page
    assert f"{CONSENT_VERSION}/{language}-" in page
    assert browser.post(f"/s/{link.token}/consent", {"consent": "yes", "consent_language": language}).status_code == 302
    record = GuestConsent.objects.get(link=link.link)
    assert record.language == language and record.text_version.startswith(f"{CONSENT_VERSION}/{language}-")


def test_consent_records_the_text_shown_even_if_the_language_changed_since(event):
    link = make_link(event, scope="selfie")
    Client(HTTP_ACCEPT_LANGUAGE="de").post(f"/s/{link.token}/consent", {"consent": "yes", "consent_language": "en"})
    record = GuestConsent.objects.get(link=link.link)
    assert (record.language, record.text_version) == ("en", CONSENT_VERSION)


def test_guest_dates_are_localised(event):
    from datetime import datetime, timezone as tz

    key = make_link(event, scope="event", expires_at=datetime(2031, 3, 14, 12, tzinfo=tz.utc)).token
    assert "14 mars 2031" in Client(HTTP_ACCEPT_LANGUAGE="fr").get(f"/s/{key}").content.decode()
    assert "14. März 2031" in Client(HTTP_ACCEPT_LANGUAGE="de").get(f"/s/{key}").content.decode()
    assert "March 14, 2031" in Client().get(f"/s/{key}").content.decode()


def _po_catalogue(path: Path) -> list[dict]:
    """The live entries of a .po file: {"msgid", "plural", "strs" (msgstr, or msgstr[0..n]), "fuzzy"}."""
    entries, entry, field = [], {}, None
    unquote = lambda line: line[1:-1].replace('\\"', '"').replace("\\\\", "\\")  # noqa: E731

    def close():
        if entry.get("msgid"):  # the header has an empty msgid
            entries.append({"msgid": entry["msgid"], "plural": entry.get("msgid_plural"), "fuzzy": entry.get("fuzzy", False),
                            "strs": [entry[k] for k in sorted(entry) if k.startswith("msgstr")]})

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            close()
            entry, field = {}, None
        elif line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif line.startswith(("msgid", "msgstr")):
            field, text = line.split(" ", 1)
            entry[field] = unquote(text)
        elif line.startswith('"') and field:
            entry[field] += unquote(line)
        else:
            field = None  # comments and obsolete (#~) entries
    return entries


@pytest.mark.parametrize("language", ["fr", "de", "es"])
def test_every_string_is_translated_and_the_committed_mo_is_current(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    with open(po.with_suffix(".mo"), "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    entries = _po_catalogue(po)
    assert len(entries) > 80
    untranslated = [e["msgid"] for e in entries if e["fuzzy"] or not all(e["strs"])]
    stale = [e["msgid"] for e in entries if e["plural"] is None and compiled.gettext(e["msgid"]) != e["strs"][0]]
    stale += [e["msgid"] for e in entries if e["plural"] is not None
              and [compiled.ngettext(e["msgid"], e["plural"], n) for n in (1, 5)] != [e["strs"][0], e["strs"][-1]]]
    assert not untranslated and not stale, (untranslated, stale)  # run compilemessages and commit the .mo


def _make_messages_ignores() -> list[str]:
    """The Makefile's --ignore list: studio sources (web/, the owners' e-mail) stay out of the catalogues."""
    line = next(line for line in (Path(settings.BASE_DIR) / "Makefile").read_text().splitlines() if "makemessages" in line)
    return re.findall(r"--ignore=(\S+)", line)


def _copy_sources(destination: Path) -> None:
    """What `make messages` reads and the catalogues it updates."""
    skipped = {".venv", "var", "tests", "docs", ".git", "test-artifacts", "node_modules", "__pycache__"}
    for child in Path(settings.BASE_DIR).iterdir():
        if child.is_dir() and child.name not in skipped:
            shutil.copytree(child, destination / child.name, ignore=lambda folder, names: [
                n for n in names if n in skipped or (Path(folder, n).is_file() and not n.endswith((".py", ".html", ".txt", ".po")))])


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs gettext (apt-get install gettext)")
def test_make_messages_leaves_nothing_to_translate(tmp_path, monkeypatch, settings):
    """A guest string added to a template or a service after the catalogues were written shows in
    English to every French, German and Spanish guest: `make messages` on a copy must find none."""
    _copy_sources(tmp_path)
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["fr", "de", "es"], no_location=True, verbosity=0,
                 ignore_patterns=_make_messages_ignores())
    missing = {language: [e["msgid"] for e in _po_catalogue(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po")
                          if e["fuzzy"] or not all(e["strs"])] for language in ("fr", "de", "es")}
    assert missing == {"fr": [], "de": [], "es": []}


def test_a_french_guest_locked_out_by_wrong_pins_reads_the_wait_in_french(event):
    created = make_link(event, pin="4821")
    page = Client(REMOTE_ADDR="203.0.113.60", HTTP_ACCEPT_LANGUAGE="fr-FR")
    wrong = page.post(f"/s/{created.token}/pin", {"pin": "0000"})
    assert "Ce code PIN n'est pas le bon. Encore 4 essais avant une pause." in html.unescape(wrong.content.decode())
    for _ in range(4):
        locked = page.post(f"/s/{created.token}/pin", {"pin": "0000"})
    assert locked.status_code == 429 and locked["Retry-After"] == str(15 * 60)
    text = html.unescape(locked.content.decode())
    assert "Trop de codes PIN erronés. Patientez 15 minutes, puis réessayez." in text and "Please wait" not in text


def test_the_api_keeps_the_wait_in_english_after_a_french_page(event):
    created = make_link(event, pin="4821")
    Client(HTTP_ACCEPT_LANGUAGE="fr-FR").post(f"/s/{created.token}/pin", {"pin": "0000"})
    api = guest_client("203.0.113.61")
    for _ in range(5):
        answer = api.post(f"/api/v1/guest/{created.token}/session", {"consent": True, "pin": "0000"}, format="json")
    assert answer.json()["error"]["message"] == "Too many wrong PINs. Please wait 15 minutes, then try again."


@pytest.mark.parametrize("band, language, words", [
    ("very_likely", "en", "Very likely you"), ("probably", "fr", "Probablement vous"), ("maybe", "de", "Vielleicht Sie"),
    (None, "en", "97% match"), (None, "fr", "97\u00a0% de correspondance"),
])
def test_confidence_reads_as_words_from_the_band_else_the_percent(band, language, words):
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    item = SimpleNamespace(confidence=97.2, **({"confidence_band": band} if band else {}))
    with translation.override(language):
        assert render_to_string("sharing/_confidence.html", {"item": item}) == words
