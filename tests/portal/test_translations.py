"""English is complete: every interface string has a reviewed translation."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries():
    return PO.read_text(encoding="utf-8").split("\n\n")[1:]  # the first block is the header


def translations(entry: str) -> list[str]:
    """Each msgstr (or msgstr[n]) of an entry, its continuation lines joined."""
    found = []
    for line in entry.splitlines():
        if line.startswith("msgstr"):
            found.append(re.match(r'msgstr(?:\[\d+\])? "(.*)"$', line).group(1))
        elif line.startswith('"') and found:
            found[-1] += line[1:-1]
    return found


def test_no_string_is_left_untranslated_or_machine_guessed():
    assert len(entries()) > 100, "the catalogue was read"
    missing = [
        entry
        for entry in entries()
        if "#, fuzzy" in entry or not translations(entry) or not all(translations(entry))
    ]
    assert not missing, "\n---\n".join(missing)


def test_english_pages_use_the_translations(client, db):
    html = client.get("/en/hitta-stod/").content.decode()
    assert "Is anyone in danger right now?" in html
    assert "Leave this page quickly" in html
    assert "Är någon i fara" not in html
