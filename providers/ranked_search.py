"""The catalogue search's fast path on PostgreSQL: a page of the best matches and their count
from precomputed per-word ranks (SearchPosting), not from ranking every match.

For a common word ("samtal": one offering in four at national scale) `ts_rank` over every match
reads every matching row; here a one-word search reads the first rows of an index, and the
count reads the word's postings alone. Several words: an offering must have all of them (as
`plainto_tsquery` requires) and ranks by the sum of its ranks for each. A word the catalogue
does not know is replaced by the most similar one (SearchTerm), as Offering.search does.

`OfferingQuerySet.search` stays the general search (with filters, in the console, on SQLite);
the list page uses this when the query is a search and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from providers import cards
from providers.models import SearchTerm
from providers.search import search_words

LISTED = (
    "o.is_published AND o.provider_id IN (SELECT id FROM providers_provider WHERE is_published)"
)


def available() -> bool:
    return connection.vendor == "postgresql"


def postings_rebuild(offering_ids: Iterable[int] | None = None) -> None:
    """Rewrite the postings of some offerings (None: all). Offerings no resident can see get
    none. Part of every catalogue write (providers.services)."""
    if not available():
        return
    ids = None if offering_ids is None else sorted(set(offering_ids))
    if ids == []:
        return
    where, params = ("", []) if ids is None else (" AND o.id = ANY(%s)", [ids])
    with connection.cursor() as cursor:
        if ids is None:
            # DELETE, not TRUNCATE: searches running meanwhile keep reading the old rows until
            # this commits (TRUNCATE would lock them out, and refuses pending constraint checks).
            cursor.execute("DELETE FROM providers_searchposting")
        else:
            cursor.execute("DELETE FROM providers_searchposting WHERE offering_id = ANY(%s)", [ids])
        # Fixed SQL: `where` is one of two constants; the ids are a parameter.
        insert = (
            "INSERT INTO providers_searchposting (lexeme, offering_id, name, rank) "
            "SELECT t.lexeme, o.id, o.name, "
            "ts_rank(o.search_vector, quote_literal(t.lexeme)::tsquery) "
            "FROM providers_offering o "
            "CROSS JOIN LATERAL unnest(o.search_vector) AS t(lexeme, positions, weights) "
            "WHERE " + LISTED + where
        )
        cursor.execute(insert, params)


class RankedSearch:
    """The list page's matches for a query, best first, as a Paginator's object list of cards
    (providers.cards): it counts with one query and loads a page of cards with one more (plus
    their contacts). With several words, the count comes with the first page."""

    def __init__(self, text: str, first_page: tuple[int, int] | None = None) -> None:
        self.text = text
        # (start, size) of the page about to be shown: with several words the count and that
        # page come from one aggregation instead of two.
        self.first_page = first_page
        self._pages: dict[tuple[int, int], list[dict]] = {}
        self._lexemes: list[str] | None = None
        self._count: int | None = None

    def lexemes(self) -> list[str]:
        """The query's Swedish stems; unknown words first replaced by the closest known."""
        if self._lexemes is None:
            words = search_words(self.text)
            lexemes = _stems(words)
            self._count = self._counted(lexemes)
            if lexemes and self._count == 0:
                corrected = SearchTerm.corrections(words)
                if corrected != words:
                    lexemes = _stems(corrected)
                    self._count = self._counted(lexemes)
            self._lexemes = lexemes
        return self._lexemes

    def _counted(self, lexemes: list[str]) -> int:
        if not lexemes:
            return 0
        if len(lexemes) > 1 and self.first_page is not None:
            rows, total = _page_with_total(lexemes, *self.first_page)
            self._pages = {self.first_page: rows}
            return total
        return _count(lexemes)

    def count(self) -> int:
        self.lexemes()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict]:
        lexemes = self.lexemes()
        if not lexemes:
            return []
        start = window.start or 0
        size = (window.stop or start) - start
        rows = self._pages.get((start, size))
        if rows is None:
            rows = _page(lexemes, start, size)
        return cards.from_rows(rows)


def _stems(words: list[str]) -> list[str]:
    if not words:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT lexeme FROM unnest(to_tsvector('pg_catalog.swedish', %s))",
            [" ".join(words)],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _all_words(lexemes: list[str]) -> tuple[str, str, list]:
    """FROM and rank for offerings with every word: one posting per word, joined on the
    offering (a merge of per-word runs in offering order, posting_lexeme_offering)."""
    joins = "".join(
        f" JOIN providers_searchposting p{n} ON p{n}.offering_id = p0.offering_id"
        f" AND p{n}.lexeme = %s"
        for n in range(1, len(lexemes))
    )
    rank = " + ".join(f"p{n}.rank" for n in range(len(lexemes)))
    return (
        f"providers_searchposting p0{joins} WHERE p0.lexeme = %s",
        rank,
        [*lexemes[1:], lexemes[0]],
    )


def _count(lexemes: list[str]) -> int:
    source, _rank, params = _all_words(lexemes)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {source}", params)  # noqa: S608 (fixed SQL)
        return cursor.fetchone()[0]


def _page(lexemes: list[str], start: int, size: int) -> list[dict]:
    return [cards.from_row(row[1:]) for row in _ranked(lexemes, start, size, with_total=False)]


def _page_with_total(lexemes: list[str], start: int, size: int) -> tuple[list[dict], int]:
    """Several words: one page and the number of offerings with all of them, in one query."""
    rows = _ranked(lexemes, start, size, with_total=True)
    if rows or start == 0:
        return [cards.from_row(row[1:]) for row in rows], (rows[0][0] if rows else 0)
    return [], _count(lexemes)  # past the last page: the count alone


def _ranked(lexemes: list[str], start: int, size: int, *, with_total: bool) -> list[tuple]:
    """One page of matches, best first: each row the number of matches (or NULL) and then
    the card's columns (providers.cards.SQL_COLUMNS)."""
    source, rank, params = _all_words(lexemes)
    total = "COUNT(*) OVER ()" if with_total else "NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            # MATERIALIZED: the page is found from the postings alone, then joined to its rows.
            f"WITH page AS MATERIALIZED (SELECT p0.offering_id AS id, {rank} AS rank, "  # noqa: S608 (fixed SQL)
            f"p0.name, {total} AS total FROM {source} "
            f"ORDER BY {rank} DESC, p0.name, p0.offering_id LIMIT %s OFFSET %s) "
            f"SELECT page.total, {cards.SQL_COLUMNS} FROM page "
            "JOIN providers_offering o ON o.id = page.id "
            "JOIN providers_provider p ON p.id = o.provider_id "
            "ORDER BY page.rank DESC, page.name, page.id",
            [*params, size, start],
        )
        return cursor.fetchall()
