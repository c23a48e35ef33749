"""The SMS arithmetic and the slip's text, as pure functions: no database, no request."""

import datetime as dt

import pytest

from frontdesk import sms
from frontdesk.slip import TextEntry, day_runs, slip_text, week_text, week_text_short

LINK = "https://stod.linkoping.se/lapp/?insats=beroendebehandling-st-lars"
MOTTAGNINGEN = "013-20 69 68"
WEEKDAYS_8_17 = [(day, dt.time(8), dt.time(17)) for day in range(5)]


# --- The alphabet --------------------------------------------------------------------------------


def test_the_default_alphabet_has_its_127_characters_and_the_extension_table_its_ten():
    assert len(sms.GSM_BASIC) == len(set(sms.GSM_BASIC)) == 127
    assert len(sms.GSM_EXTENSION) == 10
    assert not set(sms.GSM_BASIC) & set(sms.GSM_EXTENSION)


@pytest.mark.parametrize("char", list("åäöÅÄÖéÉüÜæøÆØ@£$¥§¤_!?\"'"))
def test_swedish_letters_and_common_signs_are_in_the_default_alphabet(char):
    assert sms.is_gsm(char)
    assert sms.septets(char) == 1


@pytest.mark.parametrize("char", list("€[]{}|^~\\"))
def test_extension_characters_count_two(char):
    assert sms.is_gsm(char)
    assert sms.septets(char) == 2
    assert sms.septets(f"a{char}b") == 4


@pytest.mark.parametrize("char", [*"–—’‘“”…`çáêõ", "\u00a0"])
def test_common_characters_outside_the_alphabet_are_not_gsm(char):
    assert not sms.is_gsm(char)
    with pytest.raises(ValueError):
        sms.septets(char)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Råd, stöd och hälsa – för barn 6–15 år", "Råd, stöd och hälsa - för barn 6-15 år"),
        ("Skilda världar’s ”grupp”…", 'Skilda världar\'s "grupp"...'),
        ("013\u00a020\u202f69 68", "013 20 69 68"),
        ("Café Señor Müller", "Café Señor Müller"),  # é, ñ and ü are GSM already
        ("Zoë, François, Łódź, Ana", "Zoe, Francois, Lodz, Ana"),
        ("e\u0301", "é"),  # a decomposed é is composed, not stripped
        ("soft\u00adhyphen", "softhyphen"),
        ("Hej 🙂", "Hej ?"),
        ("{€}", "{€}"),  # the extension table is GSM: kept, at two septets each
    ],
)
def test_to_gsm_keeps_swedish_and_replaces_the_rest(text, expected):
    assert sms.to_gsm(text) == expected
    assert sms.is_gsm(sms.to_gsm(text))


# --- Parts ---------------------------------------------------------------------------------------


def test_160_septets_is_one_sms_and_161_is_two():
    assert sms.part_count("a" * 160) == 1
    assert sms.part_count("a" * 161) == 2
    assert sms.fits_one_sms("ö" * 160)
    assert not sms.fits_one_sms("ö" * 161)


def test_concatenated_parts_hold_153_septets_each():
    assert sms.part_count("a" * 306) == 2
    assert sms.part_count("a" * 307) == 3


def test_an_extension_character_makes_a_160_character_text_two_sms():
    text = "a" * 159 + "€"  # 161 septets
    assert len(text) == 160
    assert sms.part_count(text) == 2
    assert not sms.fits_one_sms(text)


def test_an_escape_sequence_is_never_split_between_parts():
    # 306 septets, two parts' worth; but "€" after 152 septets would end part one at 154,
    # so it moves whole to part two, and the last septet needs a third part.
    assert sms.part_count("a" * 152 + "€" + "a" * 152) == 3
    assert sms.part_count("a" * 152 + "€" + "a" * 151) == 2


def test_one_character_outside_gsm_makes_the_whole_text_ucs2_with_70_and_67():
    assert sms.part_count("–" + "a" * 69) == 1
    assert sms.part_count("–" + "a" * 70) == 2
    assert sms.part_count("–" + "a" * 133) == 2
    assert sms.part_count("–" + "a" * 134) == 3
    assert not sms.fits_one_sms("– kort")


def test_no_text_takes_no_sms():
    assert sms.part_count("") == 0


# --- Hours in words ------------------------------------------------------------------------------


def test_consecutive_days_with_the_same_hours_are_one_run():
    weekly = [*WEEKDAYS_8_17, (5, dt.time(10), dt.time(14))]
    assert [(first, last) for first, last, _ in day_runs(weekly)] == [(0, 4), (5, 5)]
    assert week_text(weekly) == "måndag–fredag 08.00–17.00; lördag 10.00–14.00"
    assert week_text_short(weekly) == "mån-fre 8-17; lör 10-14"


def test_a_day_with_two_intervals_breaks_the_run_and_shows_both():
    weekly = [
        (0, dt.time(7, 45), dt.time(17)),
        (1, dt.time(13), dt.time(17)),
        (1, dt.time(8), dt.time(12)),
    ]
    assert week_text_short(weekly) == "mån 7.45-17; tis 8-12, 13-17"


def test_no_hours_no_words():
    assert week_text([]) == week_text_short([]) == ""


# --- The slip's text -----------------------------------------------------------------------------


def entry(**fields):
    defaults = {
        "name": "Stödsamtal för anhöriga",
        "provider": "S:t Larsmottagningen",
        "needs_application": False,
        "phone": "013-20 00 00",
        "hours": "mån-fre 8-17",
    }
    return TextEntry(**{**defaults, **fields})


def test_one_offering_names_it_its_provider_number_hours_and_link():
    text = slip_text([entry()], link=LINK, mottagningen=MOTTAGNINGEN)
    assert text.startswith("Stödsamtal för anhöriga - S:t Larsmottagningen\n")
    assert "Ring 013-20 00 00, mån-fre 8-17" in text
    assert text.endswith("\n" + LINK)
    assert sms.fits_one_sms(text)


def test_the_closing_line_is_added_only_when_it_costs_no_extra_sms():
    short = slip_text(
        [entry(name="Stöd", provider="Team")], link="https://x.se/l", mottagningen=MOTTAGNINGEN
    )
    assert "Du kan alltid ansöka om bistånd. Frågor: Mottagningen 013-20 69 68\n" in short
    assert sms.fits_one_sms(short)
    assert short.endswith("\nhttps://x.se/l")
    full = slip_text([entry()], link=LINK, mottagningen=MOTTAGNINGEN)
    assert "Du kan alltid ansöka" not in full
    assert sms.fits_one_sms(full)


def test_a_long_name_drops_the_provider_then_the_hours_then_is_shortened():
    long_name = "Samtal och grupper för vuxna anhöriga och för dig med eget beroende"
    texts = [
        slip_text([entry(name=name)], link=LINK, mottagningen=MOTTAGNINGEN)
        for name in (long_name, long_name + " och mycket mer", long_name * 2)
    ]
    assert all(sms.fits_one_sms(t) and t.endswith("\n" + LINK) for t in texts)
    assert "S:t Larsmottagningen" not in texts[0]
    assert "Ring 013-20 00 00" in texts[2]
    assert texts[2].split("\n")[0].endswith("...")
    assert sms.septets(texts[2]) <= 160


def test_a_bistand_offering_says_an_application_is_needed():
    with_phone = slip_text([entry(needs_application=True)], link=LINK, mottagningen=MOTTAGNINGEN)
    assert "Kräver ansökan. Ring 013-20 00 00" in with_phone
    without = slip_text(
        [entry(needs_application=True, phone="", hours="")], link=LINK, mottagningen=MOTTAGNINGEN
    )
    assert "Kräver ansökan. Frågor: Mottagningen 013-20 69 68" in without


def test_without_a_known_number_the_text_sends_the_caller_to_mottagningen():
    text = slip_text([entry(phone="", hours="")], link=LINK, mottagningen=MOTTAGNINGEN)
    assert "Ring Mottagningen 013-20 69 68" in text


def test_the_text_is_gsm_even_when_the_catalogue_writes_dashes_and_quotes():
    text = slip_text(
        [entry(name="Skilda världar – grupp för ”barn”")], link=LINK, mottagningen=MOTTAGNINGEN
    )
    assert sms.is_gsm(text)
    assert 'Skilda världar - grupp för "barn"' in text


def test_several_offerings_list_each_and_count_their_parts():
    entries = [entry(name=f"Insats nummer {n} med ett ganska långt namn") for n in range(1, 5)]
    text = slip_text(entries, link=LINK, mottagningen=MOTTAGNINGEN)
    assert all(f"Insats nummer {n} " in text for n in range(1, 5))
    assert text.endswith("\n" + LINK)
    assert sms.part_count(text) == 3
