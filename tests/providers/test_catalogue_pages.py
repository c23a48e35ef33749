"""The public catalogue pages as a resident uses them."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from providers.hours import STOCKHOLM
from providers.models import Route
from tests.conftest import WEEKDAYS_8_17, make_offering, make_phone, make_provider

pytestmark = pytest.mark.django_db

LIST = "/stod/"


def listed(response) -> list[str]:
    return re.findall(r'data-offering="([^"]+)"', response.content.decode())


def test_list_shows_route_in_plain_words_and_markup_contract(client):
    make_offering(slug="ring-direkt", route=Route.SERVICE, provider=make_provider(slug="p-a"))
    make_offering(slug="ansok", route=Route.BISTAND)
    html = client.get(LIST).content.decode()
    assert 'data-offering="ring-direkt" data-provider="p-a" data-route="service"' in html
    assert "Du kan kontakta dem direkt – ingen ansökan behövs." in html
    assert "Kräver ansökan om bistånd." in html


def test_search_is_case_insensitive_with_swedish_letters(client):
    make_offering(slug="angest", name="Samtal vid ångest och oro")
    make_offering(slug="annat", name="Boendestöd")
    assert listed(client.get(LIST, {"q": "ÅNGEST"})) == ["angest"]
    assert listed(client.get(LIST, {"q": "Ångest oro"})) == ["angest"]


def test_search_finds_provider_names_needs_and_methods(client):
    from providers.models import Method

    Method.objects.create(slug="marte-meo", name="Marte Meo")
    make_offering(slug="hos-lars", provider=make_provider(name="S:t Larsmottagningen"))
    make_offering(slug="om-vald", needs=["vald"])
    make_offering(slug="med-metod", methods=["marte-meo"])
    make_offering(slug="annat", needs=["ekonomi"])
    assert listed(client.get(LIST, {"q": "larsmottagningen"})) == ["hos-lars"]
    assert listed(client.get(LIST, {"q": "våld"})) == ["om-vald"]
    assert listed(client.get(LIST, {"q": "marte meo"})) == ["med-metod"]


def test_filters_combine(client):
    make_offering(slug="vuxen-missbruk", needs=["missbruk"], min_age=18)
    make_offering(slug="barn-missbruk", needs=["missbruk"], max_age=17)
    make_offering(slug="vuxen-bostad", needs=["bostad"], min_age=18, route=Route.BISTAND)
    make_offering(slug="berga", needs=["missbruk"], areas=["berga"])
    params = {"behov": ["missbruk", "bostad"], "alder": "30", "vag": "service", "omrade": "ryd"}
    assert listed(client.get(LIST, params)) == ["vuxen-missbruk"]
    assert set(listed(client.get(LIST, {"behov": "missbruk", "omrade": "berga"}))) == {
        "vuxen-missbruk",
        "barn-missbruk",
        "berga",
    }


def test_route_filter_service_includes_offerings_open_both_ways(client):
    make_offering(slug="s", route=Route.SERVICE)
    make_offering(slug="sb", route=Route.SERVICE_OCH_BISTAND)
    make_offering(slug="b", route=Route.BISTAND)
    assert set(listed(client.get(LIST, {"vag": "service"}))) == {"s", "sb"}
    assert listed(client.get(LIST, {"vag": "bistand"})) == ["b"]


@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=STOCKHOLM), tick=False)
def test_open_now_filter_and_status_text(client):
    open_one = make_offering(slug="oppen")
    make_phone(offering=open_one, hours=WEEKDAYS_8_17)
    closed = make_offering(slug="stangd")
    make_phone(offering=closed, hours=[(0, "13:00", "15:00")])
    response = client.get(LIST, {"oppet_nu": "1"})
    assert listed(response) == ["oppen"]
    assert "Öppet nu, stänger 17.00" in response.content.decode()
    assert "Stängt nu, öppnar kl. 13.00" in client.get(LIST).content.decode()


@time_machine.travel(dt.datetime(2026, 12, 25, 10, 0, tzinfo=STOCKHOLM), tick=False)
def test_open_now_on_christmas_day_shows_only_lines_open_on_holidays(client):
    office = make_offering(slug="kontor")
    make_phone(offering=office, hours=WEEKDAYS_8_17)
    jour = make_offering(slug="jour")
    make_phone(
        offering=jour, hours=[(d, "08:00", "22:00") for d in range(7)], open_on_holidays=True
    )
    assert listed(client.get(LIST, {"oppet_nu": "1"})) == ["jour"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"alder": "trettio"}, "Skriv åldern med siffror, till exempel 34."),
        ({"alder": "-3"}, "Åldern kan inte vara mindre än 0."),
        ({"alder": "400"}, "Skriv en ålder mellan 0 och 120."),
        ({"behov": "rymdresor"}, "Välj behov bland alternativen i listan."),
        ({"vag": "teleport"}, "Välj väg in bland alternativen i listan."),
        ({"omrade": "stockholm"}, "Välj område bland alternativen i listan."),
        ({"oppet_nu": "kanske"}, "Välj ”Öppet just nu” eller ingenting."),
        ({"q": "x" * 101}, "Skriv en kortare sökning, högst 100 tecken."),
    ],
)
def test_invalid_parameters_show_a_message_and_still_list(client, params, message):
    make_offering(slug="finns")
    response = client.get(LIST, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "<title>Fel:" in html
    assert listed(response) == ["finns"]


def test_nonsense_page_number_shows_a_page_not_an_error(client, settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    for n in range(3):
        make_offering(slug=f"m-{n}", name=f"Insats {n}")
    first = client.get(LIST, {"sida": "abc"})
    assert first.status_code == 200
    assert listed(first) == ["m-0", "m-1"]  # the first page
    last = client.get(LIST, {"sida": "9999"})
    assert last.status_code == 200
    assert listed(last) == ["m-2"]  # the last page


def test_pagination_keeps_the_filters(client, settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    for n in range(5):
        make_offering(slug=f"m-{n}", needs=["missbruk"])
    make_offering(slug="annat", needs=["ekonomi"])
    first = client.get(LIST, {"behov": "missbruk"})
    assert "behov=missbruk&amp;sida=2" in first.content.decode()
    third = client.get(LIST, {"behov": "missbruk", "sida": "3"})
    assert listed(third) == ["m-4"]


def test_list_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    def build(count):
        for _ in range(count):
            offering = make_offering(needs=["missbruk", "kris"], methods=[])
            make_phone(offering=offering, hours=WEEKDAYS_8_17)

    build(2)
    client.get(LIST)  # warms the vocabulary cache
    with django_assert_max_num_queries(6) as few:
        response = client.get(LIST, {"behov": "missbruk"})
    assert len(listed(response)) == 2
    build(18)
    with django_assert_max_num_queries(6) as many:
        response = client.get(LIST, {"behov": "missbruk"})
    # An empty page would also keep the count down: the twenty rows must be there, with hours.
    assert len(listed(response)) == 20
    assert (
        response.content.decode().count("Öppet nu") + response.content.decode().count("Stängt nu")
        >= 20
    )
    assert len(many.captured_queries) == len(few.captured_queries)


def test_offering_page_has_everything_a_resident_needs(client):
    offering = make_offering(
        slug="boendestod",
        route=Route.SERVICE_OCH_BISTAND,
        service_hours_cap=6,
        route_conditions="Upp till 6 timmar i veckan som service.",
        response_promise="Personligt samtal inom två veckor.",
        min_age=18,
        anonymity_possible=True,
    )
    make_phone(offering=offering, hours=WEEKDAYS_8_17)
    html = client.get(reverse("providers:offering_detail", args=["boendestod"])).content.decode()
    for text in [
        "Så får du stödet",
        "Upp till 6 timmar i veckan som service.",
        "Personligt samtal inom två veckor.",
        "Från 18 år",
        "Du kan vara anonym",
        "Du kan alltid ansöka om bistånd hos socialkontoret",
        'aria-current="date"',
        "08.00–17.00",
    ]:
        assert text in html, text


def test_confidential_address_is_never_shown(client):
    from providers.models import Location

    offering = make_offering(slug="skyddat")
    location = Location.objects.create(
        provider=offering.provider,
        name="Boendet",
        street_address="Hemliga gatan 1",
        is_confidential=True,
    )
    offering.locations.add(location)
    html = client.get("/stod/skyddat/").content.decode()
    assert "Hemliga gatan" not in html
    assert "Adressen är skyddad" in html
    assert "Hemliga gatan" not in client.get(offering.provider.get_absolute_url()).content.decode()


def test_unpublished_pages_are_404_for_residents_and_a_preview_for_editors(client, editor):
    make_offering(slug="utkast", is_published=False)
    assert client.get("/stod/utkast/").status_code == 404
    client.force_login(editor)
    response = client.get("/stod/utkast/")
    assert response.status_code == 200
    assert "Förhandsgranskning" in response.content.decode()


def test_provider_page_lists_its_published_offerings(client):
    provider = make_provider(slug="familjeteamet-test", name="Familjeteamet")
    make_offering(provider=provider, slug="fft", name="Familjebehandling")
    make_offering(provider=provider, slug="dold", is_published=False)
    response = client.get(provider.get_absolute_url())
    assert listed(response) == ["fft"]
    assert "Du kan alltid ansöka om bistånd hos socialkontoret" in response.content.decode()


def test_unknown_pages_get_the_sites_404(client):
    response = client.get("/stod/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_english_pages_fall_back_to_swedish_where_no_translation(client):
    make_offering(
        slug="en-test", name="Stödsamtal", name_en="Support talks", summary="Bara svenska."
    )
    html = client.get("/en/stod/en-test/").content.decode()
    assert '<html lang="en">' in html
    assert "Support talks" in html
    assert "Bara svenska." in html
    assert "You can always apply" in html


def test_detail_pages_query_count_does_not_grow_with_contacts(
    client, django_assert_max_num_queries
):
    offering = make_offering(slug="manga-kontakter")
    make_phone(offering=offering, hours=WEEKDAYS_8_17)
    client.get("/stod/manga-kontakter/")  # warms the vocabulary cache
    with django_assert_max_num_queries(8) as few:
        client.get("/stod/manga-kontakter/")
    for n in range(5):
        make_phone(offering=offering, hours=WEEKDAYS_8_17, label=f"Linje {n}")
        make_phone(provider=offering.provider, hours=WEEKDAYS_8_17, label=f"Växel {n}")
    with django_assert_max_num_queries(8) as many:
        html = client.get("/stod/manga-kontakter/").content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    # Fewer queries by showing less would not do: every line is there, with its week's hours.
    assert html.count('<div class="contact">') == 6
    assert html.count('<table class="hours">') == 6
    assert all(f"Linje {n}" in html for n in range(5))
    with django_assert_max_num_queries(8):
        html = client.get(offering.provider.get_absolute_url()).content.decode()
    assert all(f"Växel {n}" in html for n in range(5))


def test_an_offering_page_says_when_the_municipality_last_checked_it(client):
    checked = make_offering(last_reviewed=dt.date(2026, 11, 3))
    html = client.get(reverse("providers:offering_detail", args=[checked.slug])).content.decode()
    assert "Kommunen granskade uppgifterna senast 3 november 2026." in html
    english = client.get(f"/en/stod/{checked.slug}/")
    assert "The municipality last checked this information on 3 November 2026." in (
        english.content.decode()
    )
    unchecked = make_offering(last_reviewed=None)  # as every listing from the old sources
    html = client.get(f"/stod/{unchecked.slug}/").content.decode()
    assert "Kommunen har inte granskat de här uppgifterna ännu." in html
    assert "granskade uppgifterna senast" not in html


def test_a_narrow_screen_can_skip_the_filters_to_the_results(client, catalogue):
    html = client.get("/stod/?behov=missbruk").content.decode()
    heading = re.search(r'<h2 id="results-heading"[^>]*>\s*(\d+) stödinsatser', html)
    link = re.search(r'<p class="to-results"><a href="#results-heading">([^<]+)</a>', html)
    assert link, "no link past the filters"
    assert link.group(1) == f"Gå direkt till träffarna ({heading.group(1)} stödinsatser)"
    # Nothing found: nothing to skip to.
    assert "to-results" not in client.get("/stod/?q=zzzxqy").content.decode()


def test_the_page_description_names_the_pages_municipality(client, catalogue):
    def description(url):
        html = client.get(url).content.decode()
        return re.search(r'<meta name="description" content="([^"]*)"', html).group(1)

    assert "socialtjänsten i Kinda kommun" in description("/stod/?kommun=kinda")
    assert "Linköping" not in description("/stod/?kommun=kinda")
    assert "socialtjänsten i Linköpings kommun" in description("/stod/")
    # A page without a municipality (the outage page renders without one) names none.
    from django.template.loader import render_to_string

    outage = render_to_string("base.html", {})
    assert 'content="Hitta rätt stöd från socialtjänsten: vem du kan ringa direkt' in outage
