"""The referral slip (/lapp/) and its plain text (/lapp/text/): public, in Swedish and English,
showing each offering's facts and never a protected address, storing nothing."""

import json
import re

import pytest
from django.conf import settings
from django.test import override_settings

from frontdesk import sms
from providers.models import Location, Offering, Route
from tests.conftest import WEEKDAYS_8_17, make_offering, make_phone, make_provider

pytestmark = pytest.mark.django_db

SLIP = "/lapp/"
TEXT = "/lapp/text/"
MOTTAGNINGEN_NUMBER = "013-20 69 68"  # Mottagningen's line in the real catalogue
PRODUCTION_HOST = "stod.linkoping.se"
CATALOGUE_SLUGS = sorted(
    row["fields"]["slug"]
    for row in json.loads((settings.BASE_DIR / "fixtures" / "catalogue.json").read_text())
    if row["model"] == "providers.offering"
)


def entry_html(html: str, slug: str) -> str:
    """The part of the page about one offering."""
    match = re.search(
        rf'<li [^>]*data-offering="{re.escape(slug)}".*?(?=<li class="card slip-entry"|</ol>)',
        html,
        re.S,
    )
    assert match, f"no entry for {slug}"
    return match.group(0)


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.fixture
def listed(catalogue):
    """An offering with every fact the slip shows: a number with hours, an address, a promise."""
    provider = make_provider(name="Teamet på hörnet", slug="teamet-pa-hornet")
    offering = make_offering(
        provider=provider,
        name="Samtal för anhöriga",
        slug="samtal-for-anhoriga",
        route=Route.SERVICE_OCH_BISTAND,
        response_promise="Ett personligt samtal inom två veckor.",
    )
    make_phone(offering=offering, value="+4613201234", hours=WEEKDAYS_8_17)
    place = Location.objects.create(
        provider=provider, name="Mötesplatsen", street_address="Storgatan 12"
    )
    offering.locations.add(place)
    return offering


# --- What the slip shows -------------------------------------------------------------------------


def test_the_slip_shows_provider_offering_route_phone_hours_address_and_promise(client, listed):
    response = client.get(SLIP, {"insats": listed.slug})
    assert response.status_code == 200
    entry = entry_html(response.content.decode(), listed.slug)
    assert 'data-provider="teamet-pa-hornet"' in entry
    assert 'data-route="service-och-bistand"' in entry
    assert "<h2>Samtal för anhöriga</h2>" in entry
    assert "Teamet på hörnet" in entry
    assert "Du kan kontakta dem direkt – ingen ansökan behövs." in entry
    assert "Mer stöd kan du få efter en ansökan om bistånd." in entry
    assert '<a href="tel:+4613201234">013-20 12 34</a>' in entry
    assert "+4613201234<" not in entry  # the stored E.164 form is never shown as the number
    assert "I dag:" in entry
    assert "måndag–fredag 08.00–17.00" in entry
    assert "Mötesplatsen: Storgatan 12, Linköping" in entry
    assert "Ett personligt samtal inom två veckor." in entry


def test_every_slip_says_applying_is_possible_and_gives_mottagningens_number(client, listed):
    html = client.get(SLIP, {"insats": listed.slug}).content.decode()
    assert "Du kan alltid ansöka om bistånd hos socialkontoret" in html
    assert "Frågor? Ring Mottagningen" in html
    assert f'<a href="tel:+4613206968">{MOTTAGNINGEN_NUMBER}</a>' in html.split("</ol>")[1]


def test_a_protected_address_is_never_shown(client, listed):
    hidden = Location.objects.create(
        provider=listed.provider,
        name="Skyddat boende Ekbacken",
        street_address="Hemliga vägen 7",
        is_confidential=True,
    )
    listed.locations.add(hidden)
    html = client.get(SLIP, {"insats": listed.slug}).content.decode()
    assert "Hemliga vägen" not in html
    assert "Ekbacken" not in html
    assert "Adressen är skyddad." in entry_html(html, listed.slug)
    assert "Storgatan 12" in html  # the public address is still there


def test_a_bistand_offering_shows_how_to_apply_and_a_service_offering_does_not(client, catalogue):
    html = client.get(SLIP, {"insats": ["nybro-gruppboende", "rad-och-stodsamtal"]}).content
    html = html.decode()
    bistand = entry_html(html, "nybro-gruppboende")
    assert "Kräver ansökan om bistånd." in bistand
    assert "Så ansöker du" in bistand
    assert '<a href="tel:+4613206188">013-20 61 88</a>' in bistand  # socialkontoret
    assert 'href="/ansok/" data-apply-link>Ansök här i Stödportalen</a>' in bistand
    assert "Så ansöker du" not in entry_html(html, "rad-och-stodsamtal")


def test_offerings_are_listed_in_the_links_order_each_once(client, catalogue):
    slugs = ["umgangesstod", "orosanmalan", "umgangesstod", "lss-ansokan"]
    html = client.get(SLIP, {"insats": slugs}).content.decode()
    marked = re.findall(r'<li [^>]*data-offering="([^"]+)"', html)
    assert marked == ["umgangesstod", "orosanmalan", "lss-ansokan"]


def test_eight_offerings_is_the_most_a_slip_holds(client, catalogue):
    response = client.get(SLIP, {"insats": CATALOGUE_SLUGS[:8]})
    assert response.status_code == 200
    assert response.content.decode().count("data-offering=") == 8


# --- Refused links -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Välj minst en stödinsats till lappen."),
        ({"insats": ""}, "Välj minst en stödinsats till lappen."),
        ({"insats": "finns-inte"}, "Vi hittar ingen stödinsats som heter ”finns-inte”."),
        ({"insats": CATALOGUE_SLUGS[:9]}, "En lapp kan ha högst 8 stödinsatser. Ta bort 1"),
    ],
    ids=["none", "empty", "unknown", "nine"],
)
def test_a_bad_link_gets_a_clear_swedish_message_not_a_500(client, catalogue, params, message):
    response = client.get(SLIP, params)
    html = response.content.decode()
    assert response.status_code == 400
    assert title(html).startswith("Fel:")
    assert message in html
    assert "data-offering=" not in html
    assert 'href="/stod/"' in html  # the way on: the list of all support


def test_an_unpublished_offering_or_provider_is_unknown_to_the_slip(client, catalogue):
    hidden = make_offering(slug="dold-insats", is_published=False)
    behind = make_offering(slug="dold-utforare", provider=make_provider(is_published=False))
    for slug in (hidden.slug, behind.slug):
        response = client.get(SLIP, {"insats": ["umgangesstod", slug]})
        assert response.status_code == 400
        assert f"Vi hittar ingen stödinsats som heter ”{slug}”" in response.content.decode()


def test_a_hostile_slug_is_quoted_back_escaped(client, catalogue):
    html = client.get(SLIP, {"insats": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Language, cookies, methods ------------------------------------------------------------------


def test_the_english_slip_is_translated_and_switches_back_to_swedish(client, catalogue):
    html = client.get("/en/lapp/", {"insats": "nybro-gruppboende"}).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Support to contact</h1>" in html
    assert "Nybro group home in Landeryd" in html
    assert "Requires an application for assistance (bistånd)." in html
    assert "Questions? Call Mottagningen" in html
    assert "How to apply" in entry_html(html, "nybro-gruppboende")
    assert 'href="/lapp/?insats=nybro-gruppboende" lang="sv"' in html
    assert "Stöd att kontakta" not in html


def test_the_swedish_slip_links_to_the_same_slip_in_english(client, catalogue):
    html = client.get(SLIP, {"insats": ["umgangesstod", "orosanmalan"]}).content.decode()
    assert 'href="/en/lapp/?insats=umgangesstod&amp;insats=orosanmalan" lang="en"' in html


@pytest.mark.parametrize(
    "path",
    [
        f"{SLIP}?insats=umgangesstod",
        f"{TEXT}?insats=umgangesstod",
        f"{SLIP}?insats=finns-inte",
        "/en/lapp/?insats=umgangesstod",
    ],
)
def test_the_slip_sets_no_cookie_and_stores_nothing(client, catalogue, path):
    from django.contrib.sessions.models import Session

    response = client.get(path)
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert Session.objects.count() == 0


@pytest.mark.parametrize("path", [SLIP, TEXT])
def test_head_answers_as_get_does_without_a_body(client, catalogue, path):
    get = client.get(path, {"insats": "umgangesstod"})
    head = client.head(path, {"insats": "umgangesstod"})
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


@pytest.mark.parametrize("path", [SLIP, TEXT])
def test_the_slip_refuses_post(client, catalogue, path):
    assert client.post(path, {"insats": "umgangesstod"}).status_code == 405


def test_query_count_does_not_grow_with_the_number_of_offerings(
    client, catalogue, django_assert_max_num_queries
):
    slugs = []
    for n in range(8):
        offering = make_offering(slug=f"lappinsats-{n}", response_promise="Inom en vecka.")
        make_phone(offering=offering, value="+4613201234", hours=WEEKDAYS_8_17)
        make_phone(provider=offering.provider, value="+4613205678", hours=WEEKDAYS_8_17)
        place = Location.objects.create(provider=offering.provider, name=f"Plats {n}")
        offering.locations.add(place)
        slugs.append(offering.slug)
    client.get(SLIP, {"insats": slugs[:1]})  # warms the vocabulary and shell caches
    with django_assert_max_num_queries(8) as one:
        html_one = client.get(SLIP, {"insats": slugs[:1]}).content.decode()
    with django_assert_max_num_queries(8) as eight:
        html_eight = client.get(SLIP, {"insats": slugs}).content.decode()
    assert len(eight.captured_queries) == len(one.captured_queries)
    # Fewer queries by showing less would not do: every entry is there with its hours and place.
    assert html_one.count("måndag–fredag 08.00–17.00") == 1
    assert html_eight.count("måndag–fredag 08.00–17.00") == 8
    assert all(f"Plats {n}" in html_eight for n in range(8))


# --- The plain text ------------------------------------------------------------------------------


def test_the_text_is_plain_utf8_with_an_absolute_link_to_the_slip(client, catalogue):
    response = client.get(TEXT, {"insats": "rad-och-stodsamtal"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("Råd och stödsamtal")
    assert "Ring 013-20 69 68" in text
    assert text.endswith("\nhttp://testserver/lapp/?insats=rad-och-stodsamtal")


def test_the_english_text_is_in_english_and_links_to_the_english_slip(client, catalogue):
    text = client.get("/en/lapp/text/", {"insats": "rad-och-stodsamtal"}).content.decode()
    assert text.startswith("Advice and supportive talks")
    assert "Call 013-20 69 68" in text
    assert text.endswith("/en/lapp/?insats=rad-och-stodsamtal")


def test_the_text_for_several_offerings_lists_each_and_may_take_several_sms(client, catalogue):
    slugs = ["lss-ansokan", "rad-och-stodsamtal", "boendestod-neuropsykiatri"]
    text = client.get(TEXT, {"insats": slugs}).content.decode()
    assert "Ansök om stöd enligt LSS" in text
    assert "Kräver ansökan. Ring 013-20 67 36" in text
    assert "Råd och stödsamtal" in text
    assert "Boendestöd vid neuropsykiatrisk funktionsnedsättning" in text
    assert text.endswith(
        "?insats=lss-ansokan&insats=rad-och-stodsamtal&insats=boendestod-neuropsykiatri"
    )
    assert sms.is_gsm(text)
    assert sms.part_count(text) == 3


def test_a_bad_text_link_gets_the_message_as_plain_text(client, catalogue):
    response = client.get(TEXT, {"insats": "finns-inte"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Vi hittar ingen stödinsats som heter ”finns-inte”." in response.content.decode()


@override_settings(ALLOWED_HOSTS=[PRODUCTION_HOST])
@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("slug", CATALOGUE_SLUGS)
def test_each_offering_in_the_catalogue_fits_one_sms_with_its_link(client, catalogue, slug, prefix):
    response = client.get(
        f"{prefix}{TEXT}", {"insats": slug}, HTTP_HOST=PRODUCTION_HOST, secure=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    link = f"https://{PRODUCTION_HOST}{prefix}/lapp/?insats={slug}"
    assert text.endswith("\n" + link)
    assert sms.is_gsm(text), text
    assert sms.septets(text) <= 160, text
    assert sms.part_count(text) == 1


def test_the_catalogue_has_the_offerings_this_test_walks(catalogue):
    """Linköping's: the slips above are walked for the default municipality's catalogue."""
    linkoping = Offering.objects.published().filter(municipality__slug="linkoping")
    assert set(CATALOGUE_SLUGS) == set(linkoping.values_list("slug", flat=True))


@pytest.mark.django_db
def test_an_unknown_number_gets_no_open_now_beside_it(client):
    offering = make_offering()
    make_phone(
        offering=offering, value="uppgift saknas", hours=[(d, "00:00", "23:59") for d in range(7)]
    )
    html = client.get("/lapp/", {"insats": offering.slug}).content.decode()
    assert "uppgift saknas" in html
    assert "Öppet nu" not in html and "Stängt nu" not in html
