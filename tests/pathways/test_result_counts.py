"""A long section on the result page: "we show the 12 that fit best of 30", and the whole list."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from pathways.routing import SECTION_LIMIT
from providers.models import Route
from tests.conftest import make_offering

pytestmark = pytest.mark.django_db

ANSWERS = "vem=jag&alder=30&behov=missbruk"
RESULT = f"/hitta-stod/resultat/?{ANSWERS}"


def section_html(html: str, key: str) -> str:
    match = re.search(rf'<section[^>]*data-section="{key}".*?</section>', html, re.S)
    assert match, f"no section {key}"
    return match.group(0)


def offerings_in(html: str, key: str) -> list[str]:
    return re.findall(r'data-offering="([^"]+)"', section_html(html, key))


def more_link(html: str, key: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" data-more>', section_html(html, key))
    return unescape(found.group(1)) if found else None


def whole_list(client, url: str, key: str) -> list[str]:
    """Every offering listed on the section's pages, following "Nästa sida" to the end."""
    listed, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        listed += offerings_in(html, key)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = urlsplit(url).path + unescape(following.group(1)) if following else None
        pages += 1
        assert pages < 20
    return listed


@pytest.fixture
def thirty_to_contact_directly(db):
    return {make_offering(needs=("missbruk",), route=Route.SERVICE).slug for _ in range(30)}


def test_a_long_section_says_how_many_it_shows_of_how_many(client, thirty_to_contact_directly):
    html = client.get(RESULT).content.decode()
    assert len(offerings_in(html, "direktkontakt")) == SECTION_LIMIT
    assert "Vi visar de 12 som passar bäst av 30." in section_html(html, "direktkontakt")


def test_the_link_to_the_rest_keeps_the_answers(client, thirty_to_contact_directly):
    link = more_link(client.get(RESULT).content.decode(), "direktkontakt")
    assert link is not None
    assert urlsplit(link).path == "/hitta-stod/resultat/direktkontakt/"
    assert parse_qs(urlsplit(link).query) == {
        "vem": ["jag"],
        "alder": ["30"],
        "behov": ["missbruk"],
    }


def test_the_link_leads_to_every_fitting_offering_once(client, thirty_to_contact_directly):
    link = more_link(client.get(RESULT).content.decode(), "direktkontakt")
    listed = whole_list(client, link, "direktkontakt")
    assert sorted(listed) == sorted(thirty_to_contact_directly)


def test_the_whole_list_leaves_out_what_does_not_fit(client, thirty_to_contact_directly):
    other_need = make_offering(needs=("ekonomi",), route=Route.SERVICE).slug
    only_by_application = make_offering(needs=("missbruk",), route=Route.BISTAND).slug
    for_parents_only = make_offering(
        needs=("missbruk",), accepts_self=False, accepts_parent=True
    ).slug
    listed = whole_list(client, f"/hitta-stod/resultat/direktkontakt/?{ANSWERS}", "direktkontakt")
    assert not {other_need, only_by_application, for_parents_only} & set(listed)
    assert len(listed) == 30


def test_the_applications_section_has_its_whole_list_too(client, db):
    apply = {make_offering(needs=("missbruk",), route=Route.BISTAND).slug for _ in range(14)}
    html = client.get(RESULT).content.decode()
    assert "Vi visar de 12 som passar bäst av 14." in section_html(html, "ansokan")
    listed = whole_list(client, more_link(html, "ansokan"), "ansokan")
    assert sorted(listed) == sorted(apply)


def test_a_short_section_has_no_link_to_more(client, db):
    for _ in range(3):
        make_offering(needs=("missbruk",), route=Route.SERVICE)
    html = client.get(RESULT).content.decode()
    assert len(offerings_in(html, "direktkontakt")) == 3
    assert more_link(html, "direktkontakt") is None
    assert "som passar bäst av" not in html


def test_the_whole_list_reads_a_fixed_number_of_queries(
    client, thirty_to_contact_directly, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        client.get(f"/hitta-stod/resultat/direktkontakt/?{ANSWERS}&sida=2")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/hitta-stod/resultat/direktkontakt/?{ANSWERS}&sida=nonsens", 200),
        (f"/hitta-stod/resultat/direktkontakt/?{ANSWERS}&sida=-3", 200),
        (f"/hitta-stod/resultat/direktkontakt/?{ANSWERS}&sida=99", 404),
        (f"/hitta-stod/resultat/direktkontakt/?{ANSWERS}&sida=99999999999999999999999", 200),
        (f"/hitta-stod/resultat/akut/?{ANSWERS}", 404),
        ("/hitta-stod/resultat/direktkontakt/?alder=sjuttio", 200),
    ],
)
def test_odd_addresses_for_the_whole_list_never_give_an_error(
    client, thirty_to_contact_directly, url, status
):
    assert client.get(url).status_code == status
