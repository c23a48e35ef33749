"""The statistics page and its CSV: who may see it, hand-counted tables as a reader sees them,
small counts hidden in HTML and CSV alike, charts without script, and bad dates refused plainly.

The counts below were worked out by hand from the entries each test creates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.charts import bars, columns, nice_ceiling
from frontdesk.models import CallLogEntry
from frontdesk.statistics import Cell, Table
from portal.permissions import Role
from tests.conftest import make_offering, make_provider, make_staff, sign_in

pytestmark = pytest.mark.django_db

PAGE = "/personal/statistik/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = dt.datetime(2026, 3, 20, 12, 0, tzinfo=STOCKHOLM)
MARCH = "?fran=2026-03-01&till=2026-03-31"
SECRET_NOTE = "Pratade om grannens hund"


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=STOCKHOLM)


def log(author, day=2, **fields) -> CallLogEntry:
    fields.setdefault("utfall", ["rad"])
    insatser = fields.pop("insatser", ())
    entry = CallLogEntry.objects.create(author=author, tidpunkt=at(day), **fields)
    entry.insatser.set(insatser)
    return entry


@pytest.fixture
def navigator(client):
    user = make_staff(Role.MOTTAGNING)
    sign_in(client, user)
    return user


def table_rows(html: str, name: str) -> dict[str, str]:
    """The shown count per row label in the page's table `name`, with "Totalt"."""
    section = re.search(rf'data-table="{name}".*?</section>', html, re.DOTALL).group(0)
    rows = re.findall(r'<th scope="row">([^<]*)</th><td class="num">([^<]*)</td>', section)
    return {label: count.replace("&lt;", "<") for label, count in rows}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_nine_calls_by_channel_hide_the_two_visits_and_the_seven_calls_that_would_reveal_them(
    client, navigator
):
    for day in range(2, 9):
        log(navigator, day, kanal="telefon")
    log(navigator, 9, kanal="besok")
    log(navigator, 10, kanal="besok")
    log(navigator, 11, kanal="epost", utan_innehall="")
    CallLogEntry.objects.filter(kanal="epost").delete()  # none by e-mail after all

    html = client.get(PAGE + MARCH).content.decode()

    # 2 visits are fewer than five; with the total 9 shown, 7 calls would give them away.
    assert table_rows(html, "kanal") == {
        "Telefon": "<5",
        "Besök": "<5",
        "E-post": "0",
        "Chatt": "0",
        "Totalt": "9",
    }
    assert "Små tal visas inte" in html
    assert "Ett antal från 1 till 4 visas som ”&lt;5”" in html

    response = client.get("/personal/statistik/kanal.csv" + MARCH)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines()[0] == "tabell,kategori,period,antal"
    assert csv_rows(response)[1:] == [
        ["kanal", "telefon", "", "<5"],
        ["kanal", "besok", "", "<5"],
        ["kanal", "epost", "", "0"],
        ["kanal", "chatt", "", "0"],
    ]


def test_a_month_of_contacts_by_need_outcome_and_provider(client, navigator):
    provider = make_provider(slug="st-lars", name="S:t Larsmottagningen")
    group = make_offering(slug="anhoriggrupp-test", provider=provider, route="service")
    inquiry = make_offering(slug="utredning-test", route="bistand")
    idle = make_offering(slug="ingen-hanvisning-test")
    for day in range(2, 8):  # six relatives worried about drinking, sent to the group
        log(
            navigator,
            day,
            vem="narstaende",
            behov=["missbruk"],
            utfall=["rad", "hanvisad"],
            insatser=[group],
        )
    for day in range(9, 14):  # five parents, advice only
        log(navigator, day, vem="barn", behov=["familj"], utfall=["rad"])
    log(navigator, 16, vem="jag", behov=["missbruk", "ekonomi"], utfall=["ansokan"])
    log(navigator, 17, vem="jag", behov=["ekonomi"], utfall=["hanvisad"], insatser=[inquiry])
    log(navigator, 18, utan_innehall="tyst", utfall=[])
    log(navigator, 1, vem="jag", behov=["missbruk"], utfall=["rad"])  # 1 March: in range
    CallLogEntry.objects.create(author=navigator, tidpunkt=at(1) - dt.timedelta(days=2))

    html = client.get(PAGE + MARCH).content.decode()

    # 14 contacts in March (6 + 5 + 1 + 1 + 1); the silent call is counted apart; February not.
    assert 'data-summary="kontakter"' in html
    assert "Kontakter: <strong>14</strong>" in html
    assert table_rows(html, "vem") == {
        "Personen själv": "<5",  # 3, fewer than five
        "Förälder som söker för sitt barn": "<5",  # 5, or 14 - 6 - 5 would give the 3 away
        "Närstående": "6",
        "Yrkesperson": "0",
        "Okänt": "0",
        "Totalt": "14",
    }
    # Needs overlap (no total to subtract from): only small counts are hidden.
    needs = table_rows(html, "behov")
    assert needs["Alkohol, droger, spel"] == "8"
    assert needs["Familj och föräldraskap"] == "5"
    assert needs["Ekonomi"] == "<5"  # 2
    assert "Totalt" not in needs
    # Ended without further support: 5 parents + 1 March → 6; the other 8 went on.
    assert table_rows(html, "utan-vidare-stod") == {
        "Avslutades utan vidare stöd": "6",
        "Ledde vidare till stöd": "8",
        "Totalt": "14",
    }
    assert "Andel som avslutades utan vidare stöd: <strong>43 %</strong>" in html
    # 7 navigations: 6 to S:t Lars, 1 to the inquiry's provider; with the total shown, the 6
    # would give the 1 away, so both are hidden. Providers nobody was sent to show 0.
    providers = table_rows(html, "hanvisningar-per-utforare")
    assert providers["S:t Larsmottagningen"] == "<5"
    assert providers[inquiry.provider.name] == "<5"
    assert providers["Totalt"] == "7"
    assert providers[idle.provider.name] == "0"
    assert table_rows(html, "samtal-utan-innehall")["Tyst samtal"] == "<5"

    everything = csv_rows(client.get("/personal/statistik/alla.csv" + MARCH))
    assert everything[0] == ["tabell", "kategori", "period", "antal"]
    assert ["kontakter-per-manad", "kontakter", "2026-03", "14"] in everything
    assert ["hanvisningar-per-vag", "service", "", "<5"] in everything  # 6, protecting the 1
    assert ["hanvisningar-per-vag", "bistand", "", "<5"] in everything
    assert ["hanvisningar-per-vag", "service-och-bistand", "", "0"] in everything
    assert all(row[3] == "0" or row[3] == "<5" or int(row[3]) >= 5 for row in everything[1:])
    assert {row[0] for row in everything[1:]} >= {"kontakter-per-vecka", "samtal-utan-innehall"}


def test_filters_narrow_every_table(client, navigator):
    for day in range(2, 8):
        log(navigator, day, kanal="telefon", vem="narstaende")
    for day in range(2, 7):
        log(navigator, day, kanal="chatt", vem="jag")

    html = client.get(PAGE + MARCH + "&kanal=chatt").content.decode()
    assert "Kontakter: <strong>5</strong>" in html
    assert table_rows(html, "vem")["Personen själv"] == "5"
    assert table_rows(html, "vem")["Närstående"] == "0"
    rows = csv_rows(client.get("/personal/statistik/kanal.csv" + MARCH + "&kanal=chatt"))
    assert ["kanal", "telefon", "", "0"] in rows


def test_follow_up_staff_see_the_statistics_and_never_a_note(client):
    author = make_staff(Role.MOTTAGNING)
    for day in range(2, 9):
        log(author, day, anteckning=SECRET_NOTE)
    sign_in(client, make_staff(Role.UPPFOLJNING))

    page = client.get(PAGE + MARCH)
    assert page.status_code == 200
    assert SECRET_NOTE not in page.content.decode()
    everything = client.get("/personal/statistik/alla.csv" + MARCH)
    assert everything.status_code == 200
    assert SECRET_NOTE not in everything.content.decode()
    assert client.get("/personal/mottagning/samtal/").status_code == 403
    assert "/personal/statistik/" in client.get("/personal/").content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?fran=2026-13-01", "Skriv datumet som 2026-03-01."),
        ("?fran=igår", "Skriv datumet som 2026-03-01."),
        ("?till=31/3", "Skriv datumet som 2026-03-31."),
        (
            "?fran=2026-03-10&till=2026-03-01",
            "Välj ett till-datum som är samma dag som eller efter från-datumet.",
        ),
        ("?fran=2020-01-01&till=2026-03-01", "Välj en period på högst tre år."),
        ("?kanal=brevduva", "Välj ett av alternativen i listan."),
        ("?behov=allt", "Välj ett av alternativen i listan."),
    ],
)
def test_bad_dates_and_filters_get_a_plain_message(client, navigator, query, message):
    response = client.get(PAGE + query)
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r"<title>\s*Fel:", html)
    assert message in html
    assert 'data-table="' not in html
    text = client.get("/personal/statistik/kanal.csv" + query)
    assert text.status_code == 400
    assert message in text.content.decode()


def test_without_dates_the_page_shows_the_last_twelve_whole_months(client, navigator):
    log(navigator, 2)
    html = client.get(PAGE).content.decode()
    # April 2025 to 20 March 2026: twelve months, each in the month table.
    months = table_rows(html, "kontakter-per-manad")
    assert list(months)[0] == "april 2025"
    assert list(months)[-2] == "mars 2026"
    assert len(months) == 13  # twelve months and the total
    assert "Från 1 april 2025 till 20 mars 2026" in html


def test_an_unknown_table_is_not_found(client, navigator):
    assert client.get("/personal/statistik/namn.csv" + MARCH).status_code == 404


def test_each_table_has_a_chart_without_script_and_a_csv_link(client, navigator):
    for day in range(2, 12):
        log(navigator, day)
    html = client.get(PAGE + MARCH).content.decode()
    sections = re.findall(r'data-table="([^"]+)"', html)
    assert len(sections) == 13
    assert html.count('<svg class="chart') == 13
    assert html.count('role="img"') >= 13
    assert "<script" not in html.split("<main", 1)[1]
    assert " style=" not in html
    for name in sections:
        assert f"/personal/statistik/{name}.csv?fran=2026-03-01&amp;till=2026-03-31" in html


def test_synthetic_entries_are_announced(client, navigator):
    log(navigator, 2, syntetisk=True)
    log(navigator, 3)
    html = client.get(PAGE + MARCH).content.decode()
    assert "data-synthetic" in html
    assert "1 av samtalen i perioden är påhittade testdata" in html


def test_the_page_costs_the_same_queries_for_ten_or_a_hundred_contacts(client, navigator):
    offering = make_offering()

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(PAGE + MARCH).status_code == 200
        return len(context.captured_queries)

    queries()  # the first page fills the shared cache with the needs' names
    for day in range(2, 12):
        log(navigator, day, utfall=["hanvisad"], insatser=[offering])
    few = queries()
    for _ in range(9):
        for day in range(2, 12):
            log(navigator, day, utfall=["hanvisad"], insatser=[offering])
    assert queries() == few


def test_the_english_page(client, navigator):
    for day in range(2, 8):
        log(navigator, day)
    html = client.get("/en" + PAGE + MARCH).content.decode()
    assert '<html lang="en"' in html
    assert "Small numbers are not shown" in html
    assert table_rows(html, "kanal")["Phone"] == "6"


# --- the charts' geometry -------------------------------------------------------------------


def test_round_chart_scales():
    assert [nice_ceiling(n) for n in (0, 3, 5, 6, 11, 23, 26, 51, 120, 999)] == [
        5,
        5,
        5,
        10,
        20,
        25,
        50,
        100,
        200,
        1000,
    ]


def test_a_hidden_count_draws_no_bar_whose_size_would_tell_it():
    table = Table(
        "kanal",
        "Kanal",
        (Cell("telefon", value=None, hidden="skydd"), Cell("besok", value=40), Cell("epost")),
    )
    chart = bars(table, {"telefon": "Telefon"})
    hidden, big, empty = chart.marks
    assert hidden.hidden and hidden.width == 0 and hidden.shown == "<5"
    assert hidden.label == "Telefon"
    assert big.width > 0 and empty.width == 0
    over_time = Table(
        "v",
        "V",
        (Cell("kontakter", "2026-W10", None, "liten"), Cell("kontakter", "2026-W11", 20)),
        over_time=True,
    )
    chart = columns(over_time, {})
    assert chart.marks[0].height == 0
    assert chart.marks[1].height == chart.baseline - chart.ticks[-1].y  # 20 reaches the top
