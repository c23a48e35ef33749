"""`/oppenhet/`: how open each municipality's road is, against a catalogue counted by hand."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from providers.hours import STOCKHOLM
from providers.models import ContactPoint, Municipality, Offering, Route
from providers.openness import figures_from_database, percent, swedish_order
from tests.conftest import WEEKDAYS_8_17, make_offering, make_phone, make_provider

pytestmark = pytest.mark.django_db

PAGE = "/oppenhet/"
CSV_URL = "/oppenhet/kommuner.csv"
TODAY = dt.date(2026, 3, 10)
travel = time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=STOCKHOLM), tick=False)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def little_catalogue(db):
    """Two municipalities with offerings, one with only an unpublished one, one with none.

    Almby, 4 published offerings (route; main phone; promise; last reviewed):
      a1 service; own phone known with hours; 14 days; 10 days ago
      a2 bistand; the provider's phone, known with hours; in words; 180 days ago
      a3 okand; own phone "uppgift saknas" with hours; none; 181 days ago
      a4 service-och-bistand; own contact an e-mail only (no phone); none; never
      (plus an unpublished offering and one of an unpublished provider: not counted)
      → route 3 (75 %), phone 2 (50 %), promise 2 (50 %), reviewed 2 (50 %), direct 2
    Borby, 3 published offerings:
      b1 okand; own on-call line with hours before a regular line without; none; today
      b2 okand; provider's first general phone "uppgift saknas" (the second has hours); none;
         200 days ago
      b3 service; own phone known with hours; 3 days; today (also serves Almby)
      → route 1 (33 %), phone 1 (33 %), promise 1 (33 %), reviewed 2 (67 %), direct 1
    """
    almby = Municipality.objects.create(slug="almby", name="Almby", name_en="Almby Town")
    borby = Municipality.objects.create(slug="borby", name="Borby")
    cederby = Municipality.objects.create(slug="cederby", name="Cederby")
    Municipality.objects.create(slug="dalby", name="Dalby")

    pa = make_provider(municipality=almby)
    make_phone(provider=pa, hours=WEEKDAYS_8_17)  # the provider's general line
    a1 = make_offering(provider=pa, route=Route.SERVICE, response_promise_days=14,
                       last_reviewed=days_ago(10))  # fmt: skip
    make_phone(offering=a1, hours=WEEKDAYS_8_17)
    make_offering(provider=pa, route=Route.BISTAND, response_promise="Svar inom en vecka",
                  last_reviewed=days_ago(180))  # fmt: skip
    a3 = make_offering(provider=pa, route=Route.OKAND, last_reviewed=days_ago(181))
    make_phone(offering=a3, value=ContactPoint.MISSING, hours=WEEKDAYS_8_17)
    a4 = make_offering(provider=pa, route=Route.SERVICE_OCH_BISTAND, last_reviewed=None)
    ContactPoint.objects.create(
        provider=pa, offering=a4, kind=ContactPoint.Kind.EMAIL, label="E-post", value="a@b.se"
    )
    make_offering(provider=pa, route=Route.SERVICE, is_published=False)
    hidden = make_provider(municipality=almby, is_published=False)
    make_offering(provider=hidden, route=Route.SERVICE)

    pb = make_provider(municipality=borby)
    make_phone(provider=pb, value=ContactPoint.MISSING, position=0)
    make_phone(provider=pb, hours=WEEKDAYS_8_17, position=1)
    b1 = make_offering(provider=pb, route=Route.OKAND, last_reviewed=TODAY)
    make_phone(offering=b1, is_on_call=True, hours=WEEKDAYS_8_17, position=0)
    make_phone(offering=b1, position=1)
    make_offering(provider=pb, route=Route.OKAND, last_reviewed=days_ago(200))
    b3 = make_offering(provider=pb, route=Route.SERVICE, response_promise_days=3,
                       last_reviewed=TODAY)  # fmt: skip
    make_phone(offering=b3, hours=WEEKDAYS_8_17)
    b3.serves.add(almby)

    make_offering(provider=make_provider(municipality=cederby), is_published=False)
    cache.clear()


def table_rows(html: str) -> dict[str, dict[str, str]]:
    """{municipality slug: {measure: shown text}} from the page's table."""
    rows = {}
    for slug, body in re.findall(r'<tr data-kommun="([^"]+)">(.*?)</tr>', html, re.S):
        cells = re.findall(r'data-measure="([^"]+)">([^<]*)<', body)
        rows[slug] = {key: text.replace("\u00a0", " ") for key, text in cells}
    return rows


@travel
def test_page_shows_the_hand_counted_figures(client, little_catalogue):
    html = client.get(PAGE).content.decode()
    assert table_rows(html) == {
        "almby": {
            "insatser": "4",
            "vag_angiven": "75 %",
            "telefontider_angivna": "50 %",
            "svarslofte": "50 %",
            "granskad_180_dagar": "50 %",
            "utan_ansokan": "2",
        },
        "borby": {
            "insatser": "3",
            "vag_angiven": "33 %",
            "telefontider_angivna": "33 %",
            "svarslofte": "33 %",
            "granskad_180_dagar": "67 %",
            "utan_ansokan": "1",
        },
    }


@travel
def test_municipalities_without_published_offerings_are_left_out(client, little_catalogue):
    html = client.get(PAGE).content.decode()
    assert "Cederby" not in html
    assert "Dalby" not in html
    assert list(table_rows(html)) == ["almby", "borby"]  # by name


@travel
def test_csv_gives_counts_and_integer_percent(client, little_catalogue):
    response = client.get(CSV_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="oppenhet-kommuner-20260310.csv"' in response["Content-Disposition"]
    assert response.content.decode("utf-8").splitlines() == [
        "kommun,namn,insatser,vag_angiven,vag_angiven_procent,telefontider_angivna,"
        "telefontider_angivna_procent,svarslofte,svarslofte_procent,granskad_180_dagar,"
        "granskad_180_dagar_procent,utan_ansokan",
        "almby,Almby,4,3,75,2,50,2,50,2,50,2",
        "borby,Borby,3,1,33,1,33,1,33,2,67,1",
    ]


def test_an_unknown_csv_table_is_not_found(client):
    assert client.get("/oppenhet/finns-inte.csv").status_code == 404


@travel
def test_each_name_links_to_its_start_page(client, little_catalogue):
    html = client.get(PAGE).content.decode()
    assert '<a href="/?kommun=almby">Almby</a>' in html
    assert '<a href="/?kommun=borby">Borby</a>' in html


@travel
def test_the_chart_draws_the_route_share_on_a_fixed_scale(client, little_catalogue):
    html = client.get(PAGE).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    widths = [int(w) for w in re.findall(r'<rect class="chart-mark"[^>]*width="(\d+)"', svg)]
    # Almby 75 %, Borby 33 % of the same full length: the ratio is kept, not stretched.
    assert len(widths) == 2
    assert widths[0] / widths[1] == pytest.approx(75 / 33, rel=0.03)
    assert "style=" not in html.split("<main", 1)[1]
    assert "<script" not in svg


@travel
def test_page_explains_why_and_defines_every_measure(client, little_catalogue):
    html = client.get(PAGE).content.decode()
    assert "De flesta kommuners webbplatser säger aldrig om du kan ringa direkt" in html
    definitions = re.search(r"<dl[^>]*data-definitions>(.*?)</dl>", html, re.S).group(1)
    assert definitions.count("<dt>") == 6
    assert 'href="/oppenhet/kommuner.csv"' in html


@travel
def test_the_english_page_renders(client, little_catalogue):
    response = client.get("/en" + PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert '<a href="/en/?kommun=almby">Almby Town</a>' in html
    assert table_rows(html)["almby"]["vag_angiven"] == "75 %"


def build(municipalities: int, offerings: int) -> None:
    for m in range(municipalities):
        place = Municipality.objects.create(slug=f"m{m}-{municipalities}", name=f"M {m}")
        provider = make_provider(municipality=place)
        make_phone(provider=provider, hours=WEEKDAYS_8_17)
        for _ in range(offerings):
            offering = make_offering(provider=provider, route=Route.OKAND)
            make_phone(offering=offering, hours=WEEKDAYS_8_17)


def page_queries(client) -> int:
    cache.clear()  # the figures are cached per catalogue version: count a fresh computation
    with CaptureQueriesContext(connection) as context:
        assert client.get(PAGE).status_code == 200
    return len(context.captured_queries)


def figure_queries(expected_rows: int) -> list[str]:
    """The statements computing the figures, without transaction bookkeeping."""
    with CaptureQueriesContext(connection) as context:
        assert len(figures_from_database(TODAY)) == expected_rows
    bookkeeping = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT", "SET LOCAL")
    return [q["sql"] for q in context.captured_queries if not q["sql"].startswith(bookkeeping)]


def test_queries_do_not_grow_with_the_municipalities(client):
    build(2, 2)
    small = figure_queries(2)
    small_page = page_queries(client)
    build(6, 4)
    assert len(figure_queries(8)) == len(small) == 2  # the counts, then the names
    assert page_queries(client) == small_page


def test_figures_are_cached_until_the_catalogue_changes(client, little_catalogue):
    client.get(PAGE)
    with CaptureQueriesContext(connection) as context:
        client.get(PAGE)
    assert not any("providers_offering" in q["sql"] for q in context.captured_queries)


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [(0, 4, 0), (3, 4, 75), (1, 3, 33), (2, 3, 67), (1, 8, 13), (199, 200, 99), (1, 300, 1),
     (5, 5, 100), (0, 0, 0)],
)  # fmt: skip
def test_percent_rounds_half_up_and_keeps_0_and_100_exact(count, total, expected):
    assert percent(count, total) == expected


# --- The real catalogue -------------------------------------------------------------------------


def test_real_catalogue_linkoping_states_every_route_and_others_do_not(client, catalogue):
    cache.clear()
    html = client.get(PAGE).content.decode()
    rows = table_rows(html)
    assert rows["linkoping"]["vag_angiven"] == "100 %"
    assert any(row["vag_angiven"] != "100 %" for slug, row in rows.items() if slug != "linkoping")
    assert set(rows) == {"linkoping", "boxholm", "finspang", "kinda", "mjolby", "nacka"}


def phone_counts_from_first_phone() -> dict[str, int]:
    """Per municipality, the published offerings whose Offering.first_phone() is known and has
    weekly hours: what the pages show, offering by offering."""
    counts: dict[str, int] = {}
    for offering in Offering.objects.published().select_related("municipality"):
        phone = offering.first_phone()
        stated = phone is not None and phone.is_known and phone.has_hours()
        slug = offering.municipality.slug
        counts[slug] = counts.get(slug, 0) + int(stated)
    return counts


def test_phone_figure_is_the_sql_twin_of_first_phone(little_catalogue):
    expected = phone_counts_from_first_phone()
    assert expected == {"almby": 2, "borby": 1}
    assert {row.slug: row.telefontider_angivna for row in figures_from_database(TODAY)} == expected


def test_real_catalogue_phone_figure_matches_first_phone(catalogue):
    # The sources give exact hours only for numbers they do not give ("uppgift saknas"), so
    # today every municipality has 0 here; the SQL must still agree with the pages.
    expected = phone_counts_from_first_phone()
    assert {row.slug: row.telefontider_angivna for row in figures_from_database(TODAY)} == expected


def test_names_sort_the_swedish_way():
    names = ["Örebro", "Åre", "Ystad", "Älmhult", "Boxholm"]
    assert sorted(names, key=swedish_order) == ["Boxholm", "Ystad", "Åre", "Älmhult", "Örebro"]


@travel
def test_a_measure_no_municipality_meets_is_explained_not_left_to_look_broken(
    client, little_catalogue
):
    html = client.get(PAGE).content.decode()
    assert "data-met-nowhere" not in html  # every measure is met somewhere in Almby or Borby
    Offering.objects.update(response_promise="", response_promise_days=None)
    cache.clear()
    html = client.get(PAGE).content.decode()
    assert {row["svarslofte"] for row in table_rows(html).values()} == {"0 %"}
    assert re.findall(r'data-met-nowhere="([^"]+)"', html) == ["svarslofte"]
    assert "”Lovar svar” är 0\u00a0% i alla kommuner" in html
    english = client.get("/en" + PAGE).content.decode()
    assert "is 0\u00a0% in every municipality" in english
