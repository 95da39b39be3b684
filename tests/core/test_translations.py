"""The interface is French first: no string may ship untranslated.

`python3 dev.py test` refreshes the catalogue with makemessages before the tests, so a new
string without a French translation fails here with its text.
"""

from pathlib import Path

import polib
import pytest
from django.test import Client

CATALOGUE = Path(__file__).resolve().parents[2] / "retex" / "locale" / "fr" / "LC_MESSAGES"


def test_every_french_entry_is_translated_and_reviewed():
    catalogue = polib.pofile(str(CATALOGUE / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"Strings without a French translation: {untranslated}"
    assert not fuzzy, f"Fuzzy (unreviewed) translations: {fuzzy}"


def test_compiled_catalogue_matches_the_sources():
    sources = polib.pofile(str(CATALOGUE / "django.po"))
    compiled = {
        (entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(CATALOGUE / "django.mo"))
    }
    stale = [
        entry.msgid
        for entry in sources.translated_entries()
        if (entry.msgctxt, entry.msgid) not in compiled
        or compiled[(entry.msgctxt, entry.msgid)].msgstr != entry.msgstr
        or compiled[(entry.msgctxt, entry.msgid)].msgstr_plural != entry.msgstr_plural
    ]
    assert not stale, f"django.mo is out of date (run compilemessages): {stale[:10]}"


@pytest.mark.django_db
def test_pages_speak_french_at_the_root_and_english_under_en():
    client = Client()
    french = client.get("/")
    english = client.get("/en/")
    assert french.status_code == english.status_code == 200
    assert 'lang="fr"' in french.text
    assert 'lang="en"' in english.text
