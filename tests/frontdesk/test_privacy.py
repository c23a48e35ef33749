"""The personal-data guard on call-log notes, case by case (a pure function, no database)."""

import pytest
from django.core.exceptions import ValidationError

from frontdesk.privacy import (
    EMAIL,
    PERSONNUMMER,
    PHONE,
    SAMORDNINGSNUMMER,
    luhn_valid,
    personal_data_in,
    validate_no_personal_data,
)

# Personnummer below carry a correct Luhn check digit (850412-1230, Skatteverket's
# "Tolvan" 121212-1212); 850412-1234 has a wrong one.
REFUSED = [
    # personnummer, every way it is written
    ("Ringde om sonen, pnr 19850412-1230.", PERSONNUMMER, "19850412-1230"),
    ("850412-1230", PERSONNUMMER, "850412-1230"),
    ("Hon är över hundra, 850412+1230", PERSONNUMMER, "850412+1230"),
    ("8504121230", PERSONNUMMER, "8504121230"),
    ("198504121230", PERSONNUMMER, "198504121230"),
    ("19850412 1230 ringer igen", PERSONNUMMER, "19850412 1230"),
    ("850412 1230", PERSONNUMMER, "850412 1230"),
    ("Tolvan 121212–1212", PERSONNUMMER, "121212–1212"),
    ("född på skottdagen 000229-1235", PERSONNUMMER, "000229-1235"),
    # samordningsnummer: day + 60
    ("Samordningsnr 850472-1237", SAMORDNINGSNUMMER, "850472-1237"),
    ("198504721237", SAMORDNINGSNUMMER, "198504721237"),
    # Swedish phone numbers
    ("Ring 070-123 45 67 i morgon", PHONE, "070-123 45 67"),
    ("0701234567", PHONE, "0701234567"),
    ("070 123 45 67", PHONE, "070 123 45 67"),
    ("070 - 123 45 67", PHONE, "070 - 123 45 67"),
    ("070-1234567", PHONE, "070-1234567"),
    ("+46 70 123 45 67", PHONE, "+46 70 123 45 67"),
    ("+46701234567", PHONE, "+46701234567"),
    ("+46 (0)70-123 45 67", PHONE, "+46 (0)70-123 45 67"),
    ("0046 70 123 45 67", PHONE, "0046 70 123 45 67"),
    ("Hänvisad, Mottagningen 013-20 69 68", PHONE, "013-20 69 68"),
    ("013206968", PHONE, "013206968"),
    ("(013) 20 69 68", PHONE, "(013) 20 69 68"),
    ("08-123 456 78", PHONE, "08-123 456 78"),
    ("08-12 34 56", PHONE, "08-12 34 56"),
    ("020-91 00 91", PHONE, "020-91 00 91"),
    ("0140-123 45", PHONE, "0140-123 45"),
    ("Ring 070-123 45 67 2 gånger", PHONE, "070-123 45 67"),
    # a 10-digit mobile number that is also a valid personnummer reads as a phone number
    ("0701234569", PHONE, "0701234569"),
    # a caller's foreign number
    ("Norskt nummer +47 912 34 567", PHONE, "+47 912 34 567"),
    # e-mail addresses
    ("anna.svensson@example.se", EMAIL, "anna.svensson@example.se"),
    ("mejla kim_92+stod@post.example.com senare", EMAIL, "kim_92+stod@post.example.com"),
    ("anna(at)example.se", EMAIL, "anna(at)example.se"),
    ("anna [at] example.se", EMAIL, "anna [at] example.se"),
]

PASSED = [
    "Samtal 2024-05-12 kl 14.30, 45 min.",
    "Ringer tillbaka den 12/5.",
    "Möte 12.05.2024",
    "Nytt samtal den 3 maj",
    "Öppet 08:00–17:00",
    "Öppet 08.30-17.00",
    "Öppet 0800-1700",
    "Öppet 0830-1700",
    "Kl 08–17, sedan 09–16",
    "Erbjuden 4–5 samtal",
    "1198 samtal under 2012",
    "År 1990-2000 bodde hon i Ryd",
    "Skuld på 1 500 kr",
    "Skuld på 10 000 000 kr",
    "10 000-15 000 kr i månaden",
    "Väntar i rum 0123",
    "Mamman är 35 år",
    "Två barn, 4 och 7 år, 0–5 år på förskola",
    "Arbetar 75 % av tiden",
    "Samtalet tog 0,5 h, sedan 1 h 30 min",
    "Bokat 3 samtal 13/5, 20/5 och 27/5 kl 10",
    "Vecka 19, 2024-05-06–2024-05-12",
    "Datum 01-05-2024",
    "Datum 08-12-2024",
    "Datum 01052024",
    "Ärende 2024/0123",
    "Linköpings kommun, org.nr 212000-0142",
    # shaped like a personnummer, but the check digit is wrong and it is no phone number
    "850412-1234",
    "Ring 112 eller 1177 vid akut läge",
    "Ring 113 13 om polisen",
    "Hänvisad till Sociala jouren och Familjeteamet",
    "Skickade e-post via @mottagningen-kontot",
    "",
]


@pytest.mark.parametrize(("note", "kind", "text"), REFUSED)
def test_personal_data_is_found(note, kind, text):
    [finding] = personal_data_in(note)
    assert (finding.kind, finding.text) == (kind, text)
    assert note[finding.start : finding.end] == text


@pytest.mark.parametrize("note", PASSED)
def test_ordinary_note_passes(note):
    assert personal_data_in(note) == []
    validate_no_personal_data(note)


def test_enough_cases_both_ways():
    assert len(REFUSED) >= 20
    assert len(PASSED) >= 20


def test_luhn_check_digit():
    assert luhn_valid("8504121230")
    assert not luhn_valid("8504121234")


def test_impossible_date_is_no_personnummer():
    # month 13 and 31 April: a correct Luhn digit does not make them dates
    assert luhn_valid("8513321235")
    assert personal_data_in("851332-1235") == []
    assert luhn_valid("8504311237")
    assert personal_data_in("850431-1237") == []


def test_every_finding_is_listed_in_reading_order():
    note = "Mejla a@b.se eller ring 070-123 45 67, pnr 850412-1230"
    kinds = [finding.kind for finding in personal_data_in(note)]
    assert kinds == [EMAIL, PHONE, PERSONNUMMER]


def test_message_says_what_to_remove_and_why():
    with pytest.raises(ValidationError) as raised:
        validate_no_personal_data("Ringde om sonen, pnr 19850412-1230.")
    assert raised.value.code == "personal_data"
    assert raised.value.messages == [
        "Ta bort personnumret 19850412-1230 ur anteckningen. Anteckningen får inte "
        "innehålla namn, personnummer, telefonnummer eller e-postadresser."
    ]


def test_message_names_each_finding():
    with pytest.raises(ValidationError) as raised:
        validate_no_personal_data("070-123 45 67 och a@b.se, samordningsnr 850472-1237")
    [message] = raised.value.messages
    assert message.startswith(
        "Ta bort telefonnumret 070-123 45 67 ur anteckningen. "
        "Ta bort e-postadressen a@b.se ur anteckningen. "
        "Ta bort samordningsnumret 850472-1237 ur anteckningen. "
    )


def test_message_in_english():
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        validate_no_personal_data("ring 070-123 45 67")
    assert raised.value.messages == [
        "Remove the phone number 070-123 45 67 from the note. The note must not contain "
        "names, personal identity numbers, phone numbers or e-mail addresses."
    ]
