"""The whole country's catalogue search from precomputed per-word ranks (PostgreSQL): the same
offerings as the full-text search, in the same order for one word, kept current by every write."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from providers import services
from providers.models import Offering, SearchPosting

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the ranked search runs on PostgreSQL"
    ),
]


def listed(client, query: str) -> tuple[list[str], int]:
    """Every offering the list shows for `query` over the whole country, following the pages,
    and the count the page states."""
    slugs, url, stated = [], f"/stod/?kommun=alla&q={query}", None
    while url:
        html = client.get(url).content.decode()
        if stated is None:
            counted = re.search(r"(\d+) stödinsats", html)
            stated = int(counted.group(1)) if counted else 0
        slugs += re.findall(r'data-offering="([^"]+)"', html)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = "/stod/" + unescape(following.group(1)) if following else None
    return slugs, stated


@pytest.fixture
def big_catalogue(catalogue):
    from providers.management.commands.generate_catalogue import generate

    generate(offerings=300, seed=3, municipalities=12)
    return catalogue


@pytest.mark.parametrize(
    "query", ["samtal", "stöd", "alkohol", "familj barn", "stöd familj barn", "Boendestöd"]
)
def test_the_same_offerings_as_the_full_text_search(client, big_catalogue, query):
    expected = list(Offering.objects.published().search(query).values_list("slug", flat=True))
    slugs, stated = listed(client, query)
    assert stated == len(expected) == len(slugs)
    assert sorted(slugs) == sorted(expected)
    if " " not in query:
        # One word: the same ranking as ts_rank over every match, best first.
        assert slugs == expected


def test_a_misspelt_word_finds_the_right_one(client, big_catalogue):
    slugs, _ = listed(client, "alkohl")
    assert slugs and slugs == listed(client, "alkohol")[0]


def test_the_page_costs_the_same_queries_however_many_match(client, big_catalogue):
    client.get("/stod/", {"kommun": "alla", "q": "ångest"})  # cached labels and numbers read
    counts = []
    for query in ("samtal", "tourette"):
        with CaptureQueriesContext(connection) as queries:
            client.get("/stod/", {"kommun": "alla", "q": query})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_edit_is_found_at_once_and_an_unpublished_offering_is_gone(client, catalogue):
    offering = Offering.objects.get(slug="familjebehandling-familjeteamet")
    offering.name = "Familjebehandling Zebrastigen"
    services.catalogue_row_save(row=offering)
    assert listed(client, "zebrastigen")[0] == [offering.slug]
    offering.is_published = False
    services.catalogue_row_save(row=offering)
    assert listed(client, "zebrastigen") == ([], 0)
    assert not SearchPosting.objects.filter(offering=offering).exists()
