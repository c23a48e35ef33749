"""Reads for the guide: candidate offerings for the decision, and the rows to render.

The guide reads the catalogue and never writes it.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import connection

from pathways.routing import (
    LISTED_SECTIONS,
    SECTION_LIMIT,
    UNKNOWN_ROUTE,
    WHOLE_MUNICIPALITY,
    Answers,
    Candidate,
    Result,
)
from providers import cards, municipalities, vocabulary
from providers.municipalities import Place
from providers.vocabulary import AUDIENCE_FLAGS, Audience


class Shortlist(NamedTuple):
    candidates: list[Candidate]
    totals: dict[str, int]  # each listed section's full count
    listed: dict[str, dict]  # each candidate's card values by slug (providers.cards.FIELDS)


def candidates(answers: Answers, within=None, place: Place | None = None) -> Shortlist:
    """The offerings the decision needs, as plain Candidates, each section's full count, and
    what their cards show.

    SQL applies the hard rules (published, age, needs, area, route, who may get in touch) and
    ranks with the same keys as routing._score, so only a shortlist per section is loaded,
    however large the catalogue; the fixed providers (emergency, authority, navigator) always
    come along for their own sections. `decide()` then makes the final decision on them.
    One query in all: the sections' shortlists and the fixed rows as one statement, joined to
    the columns a Candidate and its card need.

    `within` (a queryset of offerings, e.g. a catalogue search) narrows the listed sections
    to those offerings, as a subquery. `place`: the municipality (default:
    settings.DEFAULT_MUNICIPALITY), whose offerings, and whose providers in the fixed roles,
    the result shows.
    """
    place = place or municipalities.default()
    parts, params = [], []
    for key in LISTED_SECTIONS:
        sql, section_params = _section_sql(answers, place, key, within, SHORTLIST, 0)
        if sql:
            parts.append(sql)
            params += section_params
    sql, fixed_params = _fixed_sql(place, within)
    parts.append(sql)
    params += fixed_params
    rows = _candidate_rows(" UNION ALL ".join(parts), params)
    totals = {key: 0 for key in LISTED_SECTIONS}
    for key, total, _candidate, _listed in rows:
        if key in totals:
            totals[key] = total
    unique = {candidate.slug: candidate for _key, _total, candidate, _listed in rows}
    listed = {candidate.slug: card for _key, _total, candidate, card in rows}
    return Shortlist(list(unique.values()), totals, listed)


def section_page(answers: Answers, key: str, number: int, place: Place | None = None) -> Shortlist:
    """One page of a listed section's whole list, SECTION_LIMIT offerings a page in the
    decision's order, and the section's total: what the result page leaves out. One query."""
    place = place or municipalities.default()
    start = (number - 1) * SECTION_LIMIT
    sql, params = _section_sql(answers, place, key, None, SECTION_LIMIT, start)
    rows = _candidate_rows(sql, params) if sql else []
    return Shortlist(
        [candidate for _key, _total, candidate, _listed in rows],
        {key: rows[0][1] if rows else 0},
        {candidate.slug: card for _key, _total, candidate, card in rows},
    )


# Twice what a section shows, so ties at the cut cannot change what decide() picks.
SHORTLIST = SECTION_LIMIT * 2

# Offerings a resident can see (SQL twin of OfferingQuerySet.published()). Excluding the few
# unpublished providers (a partial index holds them), not including the many published ones.
_LISTED = (
    "o.is_published AND o.provider_id NOT IN "
    "(SELECT id FROM providers_provider WHERE NOT is_published)"
)
# What ranking reads: all in the covering index offering_guide, so PostgreSQL reads no rows.
_RANKED_COLUMNS = (
    "o.id, o.slug, o.needs_mask, o.areas_mask, o.min_age, o.max_age, o.anonymity_possible, "
    + ", ".join(f"o.{flag}" for flag in AUDIENCE_FLAGS.values())
)
# What a Candidate holds, in as_candidate()'s order.
_CANDIDATE_COLUMNS = (
    "o.slug, p.slug, o.route, o.min_age, o.max_age, o.anonymity_possible, o.service_hours_cap, "
    "o.needs_mask, o.areas_mask, " + ", ".join(f"o.{flag}" for flag in AUDIENCE_FLAGS.values())
)


def _candidate_rows(ranked_sql: str, params: list) -> list[tuple[str, int, Candidate, dict]]:
    """(section, section total, Candidate, card values) for each row of ranked sections' ids."""
    # MATERIALIZED: the ranking runs once, whatever the planner believes of the tables' sizes
    # (with stale statistics PostgreSQL once ran it again for every offering in a join).
    sql = (
        f"WITH r AS MATERIALIZED ({ranked_sql}) "  # noqa: S608
        f"SELECT r.section, r.total, {_CANDIDATE_COLUMNS}, {cards.SQL_COLUMNS} FROM r "
        "JOIN providers_offering o ON o.id = r.id JOIN providers_provider p ON p.id = o.provider_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (row[0], row[1], as_candidate(row[2:_CARD_START]), cards.from_row(row[_CARD_START:]))
            for row in cursor.fetchall()
        ]


_CARD_START = 2 + len(_CANDIDATE_COLUMNS.split(", "))


def as_candidates(offerings) -> list[Candidate]:
    """Plain Candidates for a queryset of offerings, in one query whatever its size."""
    fields = [
        column.removeprefix("o.").replace("p.slug", "provider__slug")
        for column in _CANDIDATE_COLUMNS.split(", ")
    ]
    return [as_candidate(row) for row in offerings.values_list(*fields)]


def as_candidate(row) -> Candidate:
    """A Candidate from a row in _CANDIDATE_COLUMNS' order."""
    slug, provider, route, min_age, max_age, anonymous, cap, needs, areas, *flags = row
    return Candidate(
        slug=slug,
        provider=provider,
        route=route,
        needs=vocabulary.unmask(needs, vocabulary.NEED_BITS),
        areas=vocabulary.unmask(areas, vocabulary.AREA_BITS),
        audiences=frozenset(vem for vem, flag in zip(AUDIENCE_FLAGS, flags, strict=True) if flag),
        min_age=min_age,
        max_age=max_age,
        anonymity_possible=bool(anonymous),
        service_hours_cap=cap,
    )


def _section_sql(
    answers: Answers, place: Place, key: str, within, limit: int, offset: int
) -> tuple[str, list]:
    """One listed section's ranked ids with the section's total: the hard rules as WHERE, the
    SQL twin of routing._score as ORDER BY. ("", []) when the section lists nothing.

    Idea: the needs asked for that an offering matches are counted from its needs_mask (one
    CASE per need), booleans sort true-first with DESC, and COUNT(*) OVER () gives the number
    of fitting rows alongside the first few, in one scan of the covering index without joins.
    Ages are compared through COALESCE so that the planner keeps to that index.
    """
    roles = place.roles
    if key == "ansokan" and not answers.behov:
        return "", []  # without any need named, listing every bistånd offering would confuse
    if key not in LISTED_SECTIONS:  # a constant in the SQL, never a value from a request
        raise ValueError(key)
    where, params = [_LISTED], []
    # The emergency line's and (for direct contact) the social office's offerings have
    # sections of their own.
    _leave_out_provider(where, params, place.emergency_id, roles.emergency)
    where.append("o.slug <> %s")
    params.append(roles.navigation_offering)
    if answers.alder is not None:
        where.append("COALESCE(o.min_age, 0) <= %s AND COALESCE(o.max_age, 1000) >= %s")
        params += [answers.alder, answers.alder]
    elif answers.vem == Audience.CHILD:
        where.append("COALESCE(o.min_age, 0) < 18")
    if answers.behov:
        where.append("(o.needs_mask & %s) <> 0")
        params.append(vocabulary.mask(answers.behov, vocabulary.NEED_BITS))
    areas = [answers.omrade, WHOLE_MUNICIPALITY] if answers.omrade else [WHOLE_MUNICIPALITY]
    where.append("(o.areas_mask & %s) <> 0")
    params.append(vocabulary.mask(areas, vocabulary.AREA_BITS))
    if key == "direktkontakt":
        where.append("o.route IN ('service', 'service-och-bistand')")
        _leave_out_provider(where, params, place.social_office_id, roles.authority)
    elif key == "okand-vag":
        where.append(f"o.route = '{UNKNOWN_ROUTE}'")
    else:
        where.append("o.route = 'bistand'")
    if key != "ansokan" and answers.vem:
        where.append(_accepts_sql(answers.vem))
    if within is not None:
        within_sql, within_params = within.order_by().values("pk").query.sql_with_params()
        where.append(f"o.id IN ({within_sql})")
        params += list(within_params)
    source, params = _offerings_of(place, " AND ".join(where), params)
    order, order_params = _order_sql(answers)
    sql = (
        f"SELECT * FROM (SELECT '{key}' AS section, o.id, COUNT(*) OVER () AS total "  # noqa: S608
        f"FROM {source} ORDER BY {order} LIMIT %s OFFSET %s) AS listed"
    )
    return sql, [*params, *order_params, limit, offset]


def _leave_out_provider(where: list, params: list, provider_id: int | None, slug: str) -> None:
    """A condition that leaves out one provider's offerings: by its id, which the municipality
    keeps (no subquery to plan per branch), else by its slug (a place from the fixture)."""
    if provider_id is not None:
        where.append("o.provider_id <> %s")
        params.append(provider_id)
    elif slug:
        where.append("o.provider_id NOT IN (SELECT id FROM providers_provider WHERE slug = %s)")
        params.append(slug)


def _offerings_of(place: Place, where: str, params: list) -> tuple[str, list]:
    """The FROM of a section: the place's offerings that meet `where`, as `o`.

    Offerings of other municipalities that also serve this one are a second branch of the
    same conditions (UNION ALL), not an OR: each branch then reads one index alone.
    """
    if place.id is None:
        return f"providers_offering o WHERE {where}", params
    own = f"SELECT {_RANKED_COLUMNS} FROM providers_offering o WHERE o.municipality_id = %s"  # noqa: S608
    if not place.served_ids:
        return f"providers_offering o WHERE o.municipality_id = %s AND {where}", [place.id, *params]
    served = (
        f"SELECT {_RANKED_COLUMNS} FROM providers_offering o "  # noqa: S608
        f"WHERE o.id IN {_in(place.served_ids)} AND o.municipality_id <> %s"
    )
    sql = f"({own} AND {where} UNION ALL {served} AND {where}) AS o"
    return sql, [place.id, *params, *place.served_ids, place.id, *params]


def _fixed_sql(place: Place, within) -> tuple[str, list]:
    """The fixed providers' offerings (emergency, authority, navigator), for their own
    sections; a search (`within`) narrows only what they list besides those sections."""
    roles = place.roles
    where, params = [_LISTED, f"p.slug IN {_in(roles.providers)}"], list(roles.providers)
    if within is not None:
        within_sql, within_params = within.order_by().values("pk").query.sql_with_params()
        where.append(f"(o.id IN ({within_sql}) OR p.slug = %s OR o.slug IN (%s, %s))")
        params += [*within_params, roles.emergency]
        params += [roles.navigation_offering, roles.report_offering]
    sql = (
        "SELECT * FROM (SELECT 'fixed' AS section, o.id, 0 AS total "  # noqa: S608
        "FROM providers_offering o JOIN providers_provider p ON p.id = o.provider_id "
        f"WHERE {' AND '.join(where)}) AS fixed"
    )
    return sql, params


def _in(values) -> str:
    """Placeholders for `IN`, the same on both databases; never an empty list."""
    return "(" + ", ".join(["%s"] * len(values)) + ")" if values else "(NULL)"


def _accepts_sql(vem: str) -> str:
    """SQL twin of Candidate.accepts() (a fixed vocabulary: column names, no values)."""
    accepted = [vem, Audience.SELF] if vem == Audience.PROFESSIONAL else [vem]
    return "(" + " OR ".join(f"o.{AUDIENCE_FLAGS[who]}" for who in accepted) + ")"


def _order_sql(answers: Answers) -> tuple[str, list]:
    """SQL twin of routing._score: the same keys in the same order."""
    order, params = [], []
    matched = " + ".join(
        "(CASE WHEN (o.needs_mask & %s) <> 0 THEN 1 ELSE 0 END)" for _need in answers.behov
    )
    matched_params = [vocabulary.NEED_BITS[need] for need in answers.behov]
    if answers.behov:
        order.append(f"({matched}) DESC")
        params += matched_params
    if answers.anonym:
        order.append("o.anonymity_possible DESC")
    if answers.omrade:
        order.append("((o.areas_mask & %s) <> 0) DESC")
        params.append(vocabulary.AREA_BITS.get(answers.omrade, 0))
    if answers.vem:
        made_for = " AND ".join(
            f"o.{flag} = {'TRUE' if name == answers.vem else 'FALSE'}"
            for name, flag in AUDIENCE_FLAGS.items()
        )
        order.append(f"({made_for}) DESC")
    if answers.behov:
        # Needs the offering also covers but nobody asked about: a specialised unit first.
        every = " + ".join(
            "(CASE WHEN (o.needs_mask & %s) <> 0 THEN 1 ELSE 0 END)" for _need in vocabulary.NEEDS
        )
        order.append(f"({every}) - ({matched})")
        params += [vocabulary.NEED_BITS[need] for need in vocabulary.NEEDS] + matched_params
    order.append("(COALESCE(o.max_age, 120) - COALESCE(o.min_age, 0))")
    order.append("o.slug")
    return ", ".join(order), params


def result_rows(result: Result, listed: dict[str, dict], place: Place) -> dict[str, list[dict]]:
    """Each section's rows to render: a card (providers.cards) per offering the decision shows,
    with the decision's notes and, for an offering of another municipality that serves this one
    (Kinda's families and Linköping's Sociala jouren), that municipality's name as `elsewhere`.
    `listed`: the card values the shortlist brought (Shortlist)."""
    slugs = {m.candidate.slug for section in result.sections.values() for m in section.matches}
    shown = {card["slug"]: card for card in cards.from_rows([listed[slug] for slug in slugs])}
    for card in shown.values():
        card["elsewhere"] = card["municipality"] if card["municipality_id"] != place.id else ""
    return {
        section.key: [
            {**shown[m.candidate.slug], "notes": m.notes}
            for m in section.matches
            if m.candidate.slug in shown
        ]
        for section in result.sections.values()
    }
