"""Call-log statistics against hand-counted rows, with small-count suppression and the CSV.

Every expected number below was counted by hand from FIXTURE; none comes from the code.
"""

from datetime import UTC, date, datetime

from frontdesk.statistics import (
    HIDDEN,
    PRIMARY,
    SECONDARY,
    CallRow,
    Navigation,
    Period,
    by_age_group,
    by_caller,
    by_channel,
    by_need,
    by_outcome,
    contacts_per_month,
    contacts_per_week,
    contacts_per_year,
    counselling_series,
    csv_text,
    ended_without_support,
    narrow,
    navigations_per_provider,
    navigations_per_route,
    no_content_calls,
    protect,
    report,
    share_without_support,
)

ST_LARS = Navigation("anhorigstod-missbruk", "st-larsmottagningen", "service-och-bistand")
ELEONORA = Navigation("anhoriggrupp", "eleonoragruppen", "service-och-bistand")
FAMILY = Navigation("foraldrastod", "familjeteamet", "service-och-bistand")
TALKS = Navigation("stodsamtal", "mottagningen-rad-och-stod", "service")
MONEY = Navigation("ekonomiskt-bistand", "socialkontoret", "bistand")
INQUIRY = Navigation("utredning-barn-och-unga", "socialkontoret", "bistand")

# Monday 29 April to Sunday 12 May 2024: ISO weeks 18 and 19.
PERIOD = Period(date(2024, 4, 29), date(2024, 5, 12))


def call(day, kanal, vem, alder, behov, utfall, insatser=(), serie=""):
    month, dom = day
    return CallRow(
        tidpunkt=datetime(2024, month, dom, 10, 0),
        kanal=kanal,
        vem=vem,
        aldersgrupp=alder,
        behov=tuple(behov),
        utfall=tuple(utfall),
        insatser=tuple(insatser),
        serie=serie,
    )


def silent(day, kind):
    month, dom = day
    return CallRow(tidpunkt=datetime(2024, month, dom, 11, 0), utan_innehall=kind)


# fmt: off
CONTACTS = [
    # week 18
    call((4, 29), "telefon", "narstaende", "25-64", ["missbruk"], ["rad", "hanvisad"], [ST_LARS]),  # noqa: E501
    call((4, 29), "telefon", "narstaende", "25-64", ["missbruk"], ["rad", "hanvisad"], [ST_LARS, ELEONORA]),  # noqa: E501
    call((4, 29), "besok", "jag", "25-64", ["missbruk", "psykisk-ohalsa"], ["rad", "samtal-bokat"], serie="A"),  # noqa: E501
    call((4, 30), "telefon", "jag", "25-64", ["psykisk-ohalsa"], ["rad"]),
    call((4, 30), "epost", "yrkesperson", "13-17", ["familj"], ["rad", "ansokan"], [INQUIRY]),
    call((5, 2), "telefon", "jag", "25-64", ["missbruk"], ["rad"]),
    call((5, 2), "telefon", "narstaende", "25-64", ["missbruk"], ["rad", "hanvisad"], [ST_LARS]),  # noqa: E501
    call((5, 2), "telefon", "jag", "18-24", ["psykisk-ohalsa"], ["rad", "samtal-bokat"], serie="B"),  # noqa: E501
    call((5, 2), "besok", "jag", "25-64", ["missbruk"], ["rad", "samtal-bokat"], serie="A"),
    # week 19
    call((5, 6), "telefon", "narstaende", "25-64", ["missbruk"], ["rad", "hanvisad"], [ELEONORA]),  # noqa: E501
    call((5, 6), "telefon", "narstaende", "25-64", ["missbruk"], ["rad", "hanvisad"], [ST_LARS]),  # noqa: E501
    call((5, 6), "telefon", "jag", "18-24", ["psykisk-ohalsa"], ["rad"]),
    call((5, 6), "telefon", "okand", "25-64", ["ekonomi"], ["ansokan"], [MONEY]),
    call((5, 6), "telefon", "jag", "18-24", ["psykisk-ohalsa"], ["rad", "hanvisad"], [TALKS]),
    call((5, 6), "besok", "jag", "25-64", ["missbruk"], ["rad", "samtal-bokat"], serie="A"),
    call((5, 8), "epost", "narstaende", "25-64", ["missbruk"], ["rad", "hanvisad"], [ST_LARS]),
    call((5, 8), "telefon", "narstaende", "13-17", ["familj"], ["rad", "hanvisad"], [FAMILY]),
    call((5, 8), "telefon", "jag", "18-24", ["psykisk-ohalsa"], ["rad", "samtal-bokat"], serie="B"),  # noqa: E501
    call((5, 8), "epost", "narstaende", "18-24", ["missbruk", "familj"], ["rad"]),
    call((5, 8), "telefon", "jag", "25-64", ["missbruk"], ["ingen-atgard"]),
]
OUTSIDE = [
    call((4, 28), "telefon", "jag", "25-64", ["missbruk"], ["rad"]),
    call((5, 13), "telefon", "jag", "25-64", ["missbruk"], ["rad"]),
    silent((5, 13), "lade-pa"),
]
NO_CONTENT = [silent((5, 2), "fel-nummer")] * 6 + [silent((5, 3), "tyst")] * 2 + [
    silent((5, 7), "tack")
]
# fmt: on
FIXTURE = CONTACTS + OUTSIDE + NO_CONTENT


def test_contacts_per_week_month_and_year():
    assert contacts_per_week(FIXTURE, PERIOD).antal() == {"2024-W18": "9", "2024-W19": "11"}
    # April has exactly five contacts: five is shown
    assert contacts_per_month(FIXTURE, PERIOD).antal() == {"2024-04": "5", "2024-05": "15"}
    assert contacts_per_year(FIXTURE, PERIOD).antal() == {"2024": "20"}


def test_no_content_calls_are_counted_apart_and_nowhere_else():
    assert by_channel(FIXTURE, PERIOD).total.antal == "20"
    table = no_content_calls(FIXTURE, PERIOD)
    assert table.antal() == {
        "fel-nummer": "6",
        "tyst": HIDDEN,
        "lade-pa": "0",
        "krankande": "0",
        "tack": HIDDEN,
    }
    assert table.total.antal == "9"


def test_two_small_cells_protect_each_other():
    # besök 3 and e-post 3: the total minus telefon leaves 6, which 1+5 … 4+2 all make
    table = by_channel(FIXTURE, PERIOD)
    assert table.antal() == {"telefon": "14", "besok": HIDDEN, "epost": HIDDEN, "chatt": "0"}
    assert [cell.hidden for cell in table] == ["", PRIMARY, PRIMARY, ""]


def test_one_small_cell_hides_the_next_smallest_too():
    # 13–17: 2 is small; 18–24: 5 is hidden so that 20 − 13 = 7 cannot be split in one way
    table = by_age_group(FIXTURE, PERIOD)
    assert table.antal() == {
        "0-12": "0",
        "13-17": HIDDEN,
        "18-24": HIDDEN,
        "25-64": "13",
        "65-": "0",
        "okand": "0",
    }
    assert [cell.hidden for cell in table] == ["", PRIMARY, SECONDARY, "", "", ""]
    assert table.total.antal == "20"


def test_the_total_cannot_reveal_the_hidden_cells():
    # What a reader knows from the age table: the two hidden cells add up to 20 − 13 = 7, the
    # small one is 1–4, the other at least 5 and at most 13. More than one answer is left.
    left = [(small, 7 - small) for small in range(1, 5) if 5 <= 7 - small <= 13]
    assert left == [(1, 6), (2, 5)]


def test_two_hidden_ones_are_not_enough():
    # yrkesperson 1 and okänd 1 would add up to 20 − 10 − 8 = 2: only 1 + 1 makes that, so
    # närstående (8, smaller than jag's 10) is hidden too
    table = by_caller(FIXTURE, PERIOD)
    assert table.antal() == {
        "jag": "10",
        "barn": "0",
        "narstaende": HIDDEN,
        "yrkesperson": HIDDEN,
        "okand": HIDDEN,
    }
    assert [cell.hidden for cell in table] == ["", "", SECONDARY, PRIMARY, PRIMARY]


def test_needs_count_each_contact_once_per_need_with_primary_suppression_only():
    assert by_need(FIXTURE, PERIOD).antal() == {
        "psykisk-ohalsa": "6",
        "neuropsykiatri": "0",
        "missbruk": "12",
        "familj": HIDDEN,
        "separation": "0",
        "vald": "0",
        "kris": "0",
        "vardagsstod": "0",
        "sysselsattning": "0",
        "bostad": "0",
        "ekonomi": HIDDEN,
    }
    assert by_need(FIXTURE, PERIOD).total is None


def test_outcomes():
    assert by_outcome(FIXTURE, PERIOD).antal() == {
        "rad": "18",
        "hanvisad": "8",
        "ansokan": HIDDEN,
        "orosanmalan": "0",
        "akut": "0",
        "samtal-bokat": "5",
        "ingen-atgard": HIDDEN,
    }


def test_navigations_per_provider_add_up_to_navigations_not_contacts():
    table = navigations_per_provider(FIXTURE, PERIOD, providers=["stodteam-psykiatri"])
    # four hidden cells share 11 − 5 = 6 in more than one way (3+1+1+1, 2+2+1+1, …)
    assert table.antal() == {
        "eleonoragruppen": HIDDEN,
        "familjeteamet": HIDDEN,
        "mottagningen-rad-och-stod": HIDDEN,
        "socialkontoret": HIDDEN,
        "st-larsmottagningen": "5",
        "stodteam-psykiatri": "0",
    }
    assert table.total.antal == "11"


def test_navigations_per_route():
    table = navigations_per_route(FIXTURE, PERIOD)
    assert table.antal() == {
        "service": HIDDEN,
        "service-och-bistand": "8",
        "bistand": HIDDEN,
        "okand": "0",
    }


def test_contacts_that_ended_without_further_support():
    # rows 4, 6, 12, 19 (advice only) and 20 (no action); every other one started something
    table = ended_without_support(FIXTURE, PERIOD)
    assert table.antal() == {"utan-vidare-stod": "5", "med-vidare-stod": "15"}
    assert share_without_support(table) == 25


def test_share_is_not_given_when_the_count_is_hidden():
    rows = [call((5, 6), "telefon", "jag", "25-64", [], ["rad"])] + [
        call((5, 6), "telefon", "jag", "25-64", [], ["hanvisad"], [TALKS])
    ] * 9
    table = ended_without_support(rows, PERIOD)
    assert table.antal() == {"utan-vidare-stod": HIDDEN, "med-vidare-stod": HIDDEN}
    assert share_without_support(table) is None


def test_seeds_figure_as_a_share():
    # seed 000 §3.4: 556 of 1,198 contacts ended without support being started
    rows = [call((5, 6), "telefon", "jag", "25-64", [], ["rad"])] * 556 + [
        call((5, 6), "telefon", "jag", "25-64", [], ["hanvisad"], [TALKS])
    ] * 642
    table = ended_without_support(rows, PERIOD)
    assert table.antal() == {"utan-vidare-stod": "556", "med-vidare-stod": "642"}
    assert share_without_support(table) == 46


def test_counselling_series_count_people_and_sessions():
    # series A: 3 sessions, B: 2 sessions; not additive, so 5 sessions stay shown
    assert counselling_series(FIXTURE, PERIOD).antal() == {"personer": HIDDEN, "samtal": "5"}


def test_small_week_hides_the_next_smallest_week():
    period = Period(date(2024, 5, 6), date(2024, 5, 26))
    rows = [call((5, 7), "telefon", "jag", "25-64", [], ["rad"])] * 7 + [
        call((5, 14), "telefon", "jag", "25-64", [], ["rad"])
    ] * 3
    table = contacts_per_week(rows, period)
    assert table.antal() == {"2024-W19": HIDDEN, "2024-W20": HIDDEN, "2024-W21": "0"}
    assert contacts_per_year(rows, period).antal() == {"2024": "10"}


def test_aware_times_count_on_the_local_day():
    # 22:30 UTC on 12 May is 00:30 on 13 May in Linköping: outside the period
    late = CallRow(tidpunkt=datetime(2024, 5, 12, 22, 30, tzinfo=UTC))
    early = CallRow(tidpunkt=datetime(2024, 5, 12, 21, 30, tzinfo=UTC))
    assert contacts_per_year([late, early] * 5, PERIOD).antal() == {"2024": "5"}


# --- protect(), the suppression rule on its own ---------------------------------------------


def cells(*counts):
    return [(f"k{n}", "", count) for n, count in enumerate(counts, start=1)]


def shown(table):
    return [cell.antal for cell in table]


def test_nothing_is_hidden_without_small_counts():
    table = protect("t", "T", cells(12, 0, 5), additive=True)
    assert shown(table) == ["12", "0", "5"]
    assert table.total.antal == "17"


def test_every_count_from_one_to_four_is_hidden():
    table = protect("t", "T", cells(1, 2, 3, 4, 0, 5, 40), additive=False)
    assert shown(table) == [HIDDEN, HIDDEN, HIDDEN, HIDDEN, "0", "5", "40"]
    assert [cell.value for cell in table][:4] == [None] * 4


def test_a_lone_small_cell_in_an_additive_table_takes_the_next_smallest_with_it():
    table = protect("t", "T", cells(20, 7, 3, 0), additive=True)
    assert shown(table) == ["20", HIDDEN, HIDDEN, "0"]
    assert table.total.antal == "30"


def test_a_lone_small_cell_in_a_table_without_total_stays_alone():
    table = protect("t", "T", cells(20, 7, 3), additive=False)
    assert shown(table) == ["20", "7", HIDDEN]
    assert table.total is None


def test_ties_hide_the_first_listed_and_the_other_stays_shown():
    # hidden 2 and 6 add up to 8; the shown 6 caps the hidden one at 6: 2+6 or 3+5
    table = protect("t", "T", cells(20, 6, 6, 2), additive=True)
    assert shown(table) == ["20", HIDDEN, "6", HIDDEN]


def test_a_hidden_one_beside_a_hidden_five_is_protected_further():
    # 1 + 5 = 6 can only be split as 1 + 5, so 100 is hidden as well: the whole table hides,
    # the total stays (it can be read off other tables anyway)
    table = protect("t", "T", cells(1, 5, 100), additive=True)
    assert shown(table) == [HIDDEN, HIDDEN, HIDDEN]
    assert table.total.antal == "106"


def test_a_total_below_five_hides_every_cell_and_itself():
    table = protect("t", "T", cells(2, 0, 1), additive=True)
    assert shown(table) == [HIDDEN, HIDDEN, HIDDEN]
    assert table.total.antal == HIDDEN


# --- CSV -------------------------------------------------------------------------------------


def test_csv_text_is_the_long_format_exactly():
    tables = [contacts_per_month(FIXTURE, PERIOD), by_channel(FIXTURE, PERIOD)]
    assert csv_text(tables) == (
        "tabell,kategori,period,antal\n"
        "kontakter-per-manad,kontakter,2024-04,5\n"
        "kontakter-per-manad,kontakter,2024-05,15\n"
        "kanal,telefon,,14\n"
        "kanal,besok,,<5\n"
        "kanal,epost,,<5\n"
        "kanal,chatt,,0\n"
    )


def test_full_report_csv_holds_only_allowed_counts():
    text = csv_text(report(FIXTURE, PERIOD))
    lines = text.splitlines()
    assert lines[0] == "tabell,kategori,period,antal"
    names = {line.split(",")[0] for line in lines[1:]}
    assert names == {
        "kontakter-per-vecka",
        "kontakter-per-manad",
        "kontakter-per-ar",
        "kanal",
        "vem",
        "aldersgrupp",
        "behov",
        "utfall",
        "hanvisningar-per-utforare",
        "hanvisningar-per-vag",
        "utan-vidare-stod",
        "samtalsserier",
        "samtal-utan-innehall",
    }
    for line in lines[1:]:
        antal = line.rsplit(",", 1)[1]
        assert antal in ("0", "<5") or int(antal) >= 5, line


def test_filters_keep_matching_contacts_and_drop_calls_without_content_unless_by_channel():
    # Relatives (hand-counted above): 8 contacts, none without content.
    assert by_channel(narrow(FIXTURE, vem="narstaende"), PERIOD).total.antal == "8"
    assert no_content_calls(narrow(FIXTURE, vem="narstaende"), PERIOD).total.antal == "0"
    # The 9 calls without content came by phone (CallRow's default channel).
    assert no_content_calls(narrow(FIXTURE, kanal="telefon"), PERIOD).total.antal == "9"
    # By e-mail: 3 contacts; a need filter keeps contacts that had that need among others.
    assert by_channel(narrow(FIXTURE, kanal="epost"), PERIOD).total.antal == HIDDEN
    assert by_age_group(narrow(FIXTURE, behov="familj"), PERIOD).antal()["13-17"] == HIDDEN
    assert len(narrow(FIXTURE, behov="familj", aldersgrupp="18-24")) == 1
