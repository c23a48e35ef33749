"""Mottagningen's console: the resident's grouping, search, staff-only facts, the slip, roles."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from frontdesk import sms
from portal.permissions import Role
from providers.models import Offering, OfferingStaffFacts, Provider, Route
from tests.conftest import make_offering, make_phone, make_staff, sign_in

pytestmark = pytest.mark.django_db

CONSOLE = "/personal/mottagning/"
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Swedish full-text search runs on PostgreSQL"
)
ANSWER_SETS = [
    "vem=jag&alder=45&behov=missbruk",
    "vem=narstaende&alder=40&behov=missbruk&behov=psykisk-ohalsa&anonym=ja",
    "vem=barn&alder=9&behov=psykisk-ohalsa&oro_barn=ja",
    "vem=yrkesperson&alder=11&behov=vald&oro_barn=ja",
    "vem=jag&alder=30&behov=ekonomi&omrade=berga",
]
SECRET_NOTE = "Fråga efter Kim, som har jour på tisdagar"
SECRET_PHONE = "013-26 26 26"
SECRET_CAPACITY = "Sex veckors kö just nu"


@pytest.fixture
def navigator(client, db):
    return sign_in(client, make_staff(Role.MOTTAGNING))


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def sequence(html: str) -> list[tuple[str, str]]:
    """(section, offering) for every offering shown, in page order."""
    found = []
    for section in re.finditer(r'<section[^>]*data-section="([^"]+)".*?</section>', html, re.S):
        for slug in re.findall(r'data-offering="([^"]+)"', section.group(0)):
            found.append((section.group(1), slug))
    return found


def offerings(html: str) -> list[str]:
    return re.findall(r'data-offering="([^"]+)"', html)


def slip_link(html: str) -> str:
    match = re.search(r'<a href="([^"]+)" data-slip-link>', html)
    assert match, "no slip link"
    return unescape(match.group(1))


def sms_text(html: str) -> str:
    match = re.search(r"<textarea[^>]*data-slip-text>(.*?)</textarea>", html, re.S)
    assert match, "no SMS text"
    return unescape(match.group(1))


# --- The resident's grouping --------------------------------------------------------------------


@pytest.mark.parametrize("answers", ANSWER_SETS)
def test_results_are_grouped_exactly_as_on_the_residents_result_page(catalogue, navigator, answers):
    console = html_of(navigator.get(f"{CONSOLE}?{answers}"))
    result = html_of(navigator.get(f"/hitta-stod/resultat/?{answers}"))
    assert sequence(console) == sequence(result)
    assert sequence(console), "the answers should show something"
    for attribute in ("data-provider", "data-route"):
        assert re.findall(rf'{attribute}="([^"]+)"', console) == re.findall(
            rf'{attribute}="([^"]+)"', result
        )


def test_an_empty_console_shows_the_search_box_with_focus_and_no_results(navigator):
    html = html_of(navigator.get(CONSOLE))
    assert re.search(r'<input type="search" name="q"[^>]*autofocus', html)
    assert "data-section" not in html


def test_search_words_narrow_the_listed_offerings(navigator, catalogue):
    make_offering(slug="zebrastod", name="Stöd vid zebrafobi", needs=("missbruk",))
    make_offering(slug="alkoholstod", name="Samtal om alkohol", needs=("missbruk",))
    everything = offerings(html_of(navigator.get(f"{CONSOLE}?behov=missbruk&vem=jag")))
    narrowed = sequence(html_of(navigator.get(f"{CONSOLE}?q=zebrafobi&behov=missbruk&vem=jag")))
    assert {"zebrastod", "alkoholstod"} <= set(everything)
    listed = [slug for key, slug in narrowed if key in ("direktkontakt", "ansokan")]
    assert listed == ["zebrastod"]


def test_search_alone_lists_what_the_catalogue_search_finds(navigator, catalogue):
    make_offering(
        slug="anhorigstod-alkohol", name="Stöd till anhörig vid alkohol", needs=("missbruk",)
    )
    html = html_of(navigator.get(f"{CONSOLE}?q=alkohol+anhörig"))
    assert "anhorigstod-alkohol" in offerings(html)


def test_search_words_narrow_the_authoritys_offerings_but_not_the_fixed_lines(navigator, catalogue):
    authority = Provider.objects.get(slug="socialkontoret")
    make_offering(
        provider=authority,
        slug="zebrabistand",
        name="Bistånd vid zebrafobi",
        needs=("missbruk",),
        route=Route.BISTAND,
    )
    found = sequence(html_of(navigator.get(f"{CONSOLE}?q=zebrafobi&behov=missbruk&vem=jag")))
    other = sequence(html_of(navigator.get(f"{CONSOLE}?q=giraffer&behov=missbruk&vem=jag")))
    assert ("ansokan", "zebrabistand") in found
    assert "zebrabistand" not in [slug for _key, slug in other]
    # Mottagningen's own line is never narrowed away by the search.
    assert [key for key, _slug in found if key == "mottagningen"]
    assert [key for key, _slug in other if key == "mottagningen"]


@postgres_only
def test_a_misspelt_search_still_finds_the_offering(navigator, catalogue):
    html = html_of(navigator.get(f"{CONSOLE}?q=alkohl"))
    direct = [slug for key, slug in sequence(html) if key in ("direktkontakt", "ansokan")]
    assert direct


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("vem=kanske", "Vi förstod inte vem stödet är för."),
        ("alder=tolv", "Åldern i länken är inte en siffra."),
        ("alder=300", "Åldern i länken måste vara mellan 0 och 120."),
        ("behov=finns-inte", "Ett av behoven i länken finns inte: finns-inte."),
        ("omrade=atlantis", "Området i länken finns inte."),
        ("anonym=kanske", "Svaret ska vara ja eller nej."),
        ("oro_barn=2", "Svaret ska vara ja eller nej."),
        ("insats=finns-inte", "Vi hittar ingen stödinsats som heter ”finns-inte”."),
    ],
)
def test_bad_parameters_get_the_result_pages_message_never_a_500(
    navigator, catalogue, query, message
):
    response = navigator.get(f"{CONSOLE}?q=samtal&{query}")
    html = unescape(html_of(response))
    assert message in html
    assert "<title>Fel:" in html


def test_a_very_long_search_is_refused_with_a_message(navigator, catalogue):
    html = unescape(html_of(navigator.get(CONSOLE + "?q=" + "a" * 201)))
    assert "Skriv en kortare sökning, högst 200 tecken." in html


# --- Staff-only facts ---------------------------------------------------------------------------


@pytest.fixture
def offering_with_secrets(catalogue):
    offering = make_offering(
        slug="hemlig-fakta",
        name="Samtalsstöd vid alkohol",
        needs=("missbruk",),
        last_reviewed=dt.date(2026, 3, 14),
    )
    make_phone(offering=offering, value="013-20 00 00")
    facts = OfferingStaffFacts(
        offering=offering,
        navigator_note=SECRET_NOTE,
        professional_phone=SECRET_PHONE,
        capacity=SECRET_CAPACITY,
        capacity_updated=dt.date(2026, 11, 2),
    )
    facts.full_clean()
    facts.save()
    return offering


def test_the_console_shows_staff_facts_and_when_the_listing_was_reviewed(
    navigator, offering_with_secrets
):
    html = unescape(html_of(navigator.get(f"{CONSOLE}?q=alkohol&behov=missbruk")))
    facts = re.search(r'data-staff-facts="hemlig-fakta".*?</dl>', html, re.S).group(0)
    assert SECRET_NOTE in facts
    assert SECRET_PHONE in facts and 'href="tel:+4613262626"' in facts
    assert SECRET_CAPACITY in facts and "2 november 2026" in facts
    assert "14 mars 2026" in facts


@pytest.mark.parametrize(
    "url",
    [
        "/stod/hemlig-fakta/",
        "/stod/?q=alkohol",
        "/hitta-stod/resultat/?vem=jag&alder=40&behov=missbruk",
        "/hitta-stod/resultat/direktkontakt/?vem=jag&alder=40&behov=missbruk",
        "/lapp/?insats=hemlig-fakta",
        "/lapp/text/?insats=hemlig-fakta",
        "/en/stod/hemlig-fakta/",
        "/en/lapp/?insats=hemlig-fakta",
    ],
)
def test_staff_facts_never_reach_a_public_page(client, offering_with_secrets, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = unescape(response.content.decode())
    assert "hemlig-fakta" in body  # the offering is on the page, its staff facts are not
    for secret in (SECRET_NOTE, SECRET_CAPACITY, SECRET_PHONE, "013-262626", "+4613262626"):
        assert secret not in body


def test_an_offering_has_no_attribute_leading_to_its_staff_facts(offering_with_secrets):
    assert not any("stafffacts" in name.replace("_", "") for name in dir(offering_with_secrets))


def test_the_direct_number_is_checked_like_a_contact_phone(offering_with_secrets):
    facts = OfferingStaffFacts.objects.get(offering=offering_with_secrets)
    assert facts.professional_phone == "+4613262626"
    facts.professional_phone = "0900-123 45 67"
    with pytest.raises(ValidationError) as error:
        facts.full_clean()
    assert error.value.error_dict["professional_phone"][0].code == "premium"


def test_a_waiting_time_needs_the_date_it_was_true(offering_with_secrets):
    facts = OfferingStaffFacts.objects.get(offering=offering_with_secrets)
    facts.capacity_updated = None
    with pytest.raises(ValidationError) as error:
        facts.full_clean()
    assert "capacity_updated" in error.value.error_dict


# --- The slip -----------------------------------------------------------------------------------


def test_each_result_has_an_add_to_slip_checkbox(navigator, offering_with_secrets):
    html = html_of(navigator.get(f"{CONSOLE}?q=alkohol&behov=missbruk"))
    assert re.search(r'<input type="checkbox" name="insats" value="hemlig-fakta"', html)
    assert "Lägg till på lappen" in html


def test_picked_offerings_give_the_slip_link_and_the_sms_text_with_its_length(
    navigator, client, catalogue
):
    first, second = (
        make_offering(slug=slug, name=name, needs=("missbruk",))
        for slug, name in (("forsta", "Första stödet"), ("andra", "Andra stödet"))
    )
    make_phone(offering=first, hours=[(0, "08:00", "17:00")])
    html = html_of(navigator.get(f"{CONSOLE}?behov=missbruk&insats=forsta&insats=andra"))
    link = slip_link(html)
    assert urlsplit(link).path == "/lapp/"
    assert parse_qs(urlsplit(link).query) == {"insats": ["forsta", "andra"]}
    text = sms_text(html)
    assert text == client.get("/lapp/text/?insats=forsta&insats=andra").content.decode()
    count = f"{sms.septets(text)} tecken, {sms.part_count(text)} sms"
    assert count in html
    assert 'value="forsta" id="pick-direktkontakt-' in html.replace(" checked", "")
    assert re.search(r'value="forsta" id="[^"]+" checked', html)


def test_one_picked_offering_fits_one_sms(navigator, offering_with_secrets):
    html = html_of(navigator.get(f"{CONSOLE}?insats=hemlig-fakta"))
    assert "1 sms" in html
    assert SECRET_NOTE not in sms_text(html)


def test_a_pick_not_among_the_results_stays_on_the_slip_as_a_checked_box(
    navigator, offering_with_secrets
):
    html = html_of(navigator.get(f"{CONSOLE}?q=ekonomi&insats=hemlig-fakta"))
    assert re.search(r'name="insats" value="hemlig-fakta" id="kept-1" checked', html)


def test_the_call_log_link_carries_the_needs_picks_who_age_and_area(
    navigator, offering_with_secrets
):
    html = html_of(
        navigator.get(
            f"{CONSOLE}?vem=narstaende&alder=45&omrade=ryd&behov=missbruk&insats=hemlig-fakta"
        )
    )
    href = unescape(re.search(r'<a class="button" href="([^"]+)" data-call-log>', html).group(1))
    assert urlsplit(href).path == "/personal/mottagning/samtal/ny/"
    assert parse_qs(urlsplit(href).query) == {
        "behov": ["missbruk"],
        "insatser": ["hemlig-fakta"],
        "vem": ["narstaende"],
        "alder": ["45"],
        "omrade": ["ryd"],
    }
    assert "Logga samtalet" in html
    form = html_of(navigator.get(href))
    assert re.search(r'value="25-64"[^>]*checked', form)  # the age became its group
    assert re.search(r'<option value="ryd" selected', form)


def test_more_than_eight_picks_are_refused_with_a_message(navigator, catalogue):
    slugs = [make_offering(needs=("missbruk",)).slug for _ in range(9)]
    query = "&".join(f"insats={slug}" for slug in slugs)
    html = unescape(html_of(navigator.get(f"{CONSOLE}?{query}")))
    assert "En lapp kan ha högst 8 stödinsatser. Ta bort 1 och försök igen." in html
    assert "data-slip-link" not in html


# --- Roles and speed ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_sign_in(client):
    response = client.get(CONSOLE)
    assert response.status_code == 302
    assert response.url.startswith("/personal/logga-in/?next=")


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.MOTTAGNING])
def test_other_roles_are_refused(client, role):
    sign_in(client, make_staff(role))
    assert client.get(CONSOLE).status_code == 403


def test_the_start_page_offers_the_console_to_mottagning_only(client, navigator):
    assert 'href="/personal/mottagning/"' in html_of(navigator.get("/personal/"))
    navigator.logout()
    sign_in(client, make_staff(Role.UPPFOLJNING))
    assert 'href="/personal/mottagning/"' not in html_of(client.get("/personal/"))


def test_the_number_of_queries_does_not_grow_with_the_results(
    navigator, catalogue, django_assert_max_num_queries
):
    def page(count: int) -> str:
        return f"{CONSOLE}?q=stöd&behov=missbruk&vem=jag" + "".join(
            f"&insats={slug}" for slug in picked[:count]
        )

    picked = [make_offering(needs=("missbruk",), name=f"Stöd {n}").slug for n in range(8)]
    for slug in picked[:4]:
        OfferingStaffFacts.objects.create(
            offering=Offering.objects.get(slug=slug),
            navigator_note="Not",
        )
    navigator.get(page(1))  # warm the caches a first request fills
    with django_assert_max_num_queries(30) as few:
        html_of(navigator.get(page(1)))
    for _ in range(12):
        make_offering(needs=("missbruk",), name="Stöd extra", route=Route.SERVICE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = html_of(navigator.get(page(8)))
    assert len(offerings(html)) > 12
