"""Catalogue search on both databases; PostgreSQL adds stemming, ranking and typo tolerance."""

import pytest
from django.db import connection

from providers.models import Offering
from tests.conftest import make_offering

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Swedish full-text search runs on PostgreSQL"
)


def found(text):
    return list(Offering.objects.search(text).values_list("slug", flat=True))


def test_every_word_must_match_and_case_and_swedish_letters_do_not_matter():
    make_offering(slug="angest", name="Samtal vid ÅNGEST", summary="För dig som är orolig.")
    make_offering(slug="ovrigt", name="Samtal om ekonomi")
    assert found("ångest samtal") == ["angest"]
    assert found("Ångest") == ["angest"]
    assert found("samtal") and set(found("samtal")) == {"angest", "ovrigt"}


def test_empty_or_punctuation_only_query_matches_everything():
    make_offering(slug="a", name="Samtal")
    make_offering(slug="b", name="Boende")
    assert sorted(found("  ,.!  ")) == ["a", "b"]
    assert sorted(found("")) == ["a", "b"]


def test_query_text_cannot_inject_sql_or_like_wildcards():
    make_offering(slug="a", name="Stöd")
    make_offering(slug="b", name="Boende")
    assert sorted(found("%")) == ["a", "b"]  # no words: nothing to filter on
    # "_" is a word character, so it reaches the query: it must match only itself, not (as a
    # LIKE wildcard) any one letter, which would find "stöd".
    assert found("st_d") == []
    assert found("'; DROP TABLE providers_offering; --") == []
    assert Offering.objects.count() == 2


@postgres_only
def test_swedish_stemming_finds_inflected_forms():
    make_offering(slug="samtalen", name="Samtalen för familjer")
    assert "samtalen" in found("samtal familj")


@postgres_only
def test_best_match_first():
    make_offering(slug="svag", name="Boendestöd", summary="Ibland handlar det om alkohol.")
    make_offering(
        slug="stark", name="Alkohol och droger", summary="Behandling vid alkohol och droger."
    )
    assert found("alkohol")[0] == "stark"


@postgres_only
def test_typo_falls_back_to_trigram_similarity():
    make_offering(slug="alkohol", name="Stöd vid alkoholproblem")
    make_offering(slug="annat", name="Ekonomisk rådgivning")
    assert found("alkohl") == ["alkohol"]


@postgres_only
def test_a_search_used_as_a_subquery_matches_on_its_own_rows():
    """The console narrows the guide's sections with `pk__in=search.values("pk")`. The
    subquery must test its own rows: pointing at the outer query's row instead would make it
    a correlated subquery, evaluated again for every offering the outer query reads (seconds
    at 60,000 offerings)."""
    make_offering(slug="alkohol", name="Samtal om alkohol")
    make_offering(slug="annat", name="Boende")
    search = Offering.objects.search("alkohol")
    narrowed = Offering.objects.filter(pk__in=search.values("pk"))
    sql = str(narrowed.query)
    assert 'U0."search_vector" @@' in sql
    assert '"providers_offering"."search_vector"' not in sql
    assert list(narrowed.values_list("slug", flat=True)) == ["alkohol"]
    assert search.count() == 1  # still an ordinary query, which a page can count
