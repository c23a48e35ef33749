"""English is complete: every interface string has a reviewed translation."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries():
    return PO.read_text(encoding="utf-8").split("\n\n")[1:]  # the first block is the header


def test_no_string_is_left_untranslated_or_machine_guessed():
    missing = [
        entry
        for entry in entries()
        if "#, fuzzy" in entry
        or re.search(r'msgstr(\[\d\])? ""\s*$', entry)
        and not re.search(r'msgstr(\[\d\])? ""\n"', entry)
    ]
    assert not missing, "\n---\n".join(missing)


def test_english_pages_use_the_translations(client, db):
    html = client.get("/en/hitta-stod/").content.decode()
    assert "Is anyone in danger right now?" in html
    assert "Leave this page quickly" in html
    assert "Är någon i fara" not in html
