"""Reads for the guide: candidate offerings for the decision, and the rows to render.

The guide reads the catalogue and never writes it.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from pathways.routing import (
    SECTION_LIMIT,
    SERVICE_ROUTES,
    UNKNOWN_ROUTE,
    Answers,
    Candidate,
    Result,
)
from providers import municipalities, vocabulary
from providers.models import ContactPoint, Offering, Provider
from providers.municipalities import Place
from providers.vocabulary import AUDIENCE_FLAGS, Audience


def candidates(
    answers: Answers, within=None, place: Place | None = None
) -> tuple[list[Candidate], dict[str, int]]:
    """The offerings the decision needs, as plain Candidates, and each section's full count.

    SQL applies the hard rules (published, age, needs, area, route, who may get in touch) and
    ranks with the same keys as routing._score, so only a shortlist per section is loaded,
    however large the catalogue; the fixed providers (emergency, authority, navigator) always
    come along for their own sections. `decide()` then makes the final decision on them.
    Four queries in all.

    `within` (a queryset of offerings, e.g. a catalogue search) narrows the listed sections
    to those offerings; it is used as a subquery, so it adds no query of its own. `place`: the
    municipality (default: settings.DEFAULT_MUNICIPALITY), whose offerings, and whose
    providers in the fixed roles, the result shows.
    """
    place = place or municipalities.default()
    roles = place.roles
    totals, shortlist = {}, []
    for key, section in _listed_sections(answers, place).items():
        if within is not None:
            section = section.filter(pk__in=within.values("pk"))
        rows = list(_ranked(section, answers)[:SHORTLIST])
        totals[key] = rows[0]["total"] if rows else 0
        shortlist += [row["pk"] for row in rows]
    # The fixed providers' offerings by their own (indexed) query: OR-ing the two conditions
    # would make the database scan the whole table.
    fixed = Offering.objects.published().filter(provider__slug__in=roles.providers)
    if within is not None:
        # A search narrows what is listed, not the fixed sections: those keep their offerings.
        # EXISTS per row, not `pk IN (the search)`: these are a dozen rows, and under the OR
        # the database would otherwise build a hash of every offering the search finds.
        fixed = fixed.filter(
            Exists(within.filter(pk=OuterRef("pk")))
            | Q(provider__slug=roles.emergency)
            | Q(slug__in=[roles.navigation_offering, roles.report_offering])
        )
    shortlist += fixed.values_list("pk", flat=True)
    return as_candidates(Offering.objects.filter(pk__in=shortlist)), totals


def section_page(
    answers: Answers, key: str, number: int, place: Place | None = None
) -> tuple[list[Candidate], int]:
    """One page of a listed section's whole list, SECTION_LIMIT offerings a page in the
    decision's order, and the section's total: what the result page leaves out. Two queries."""
    place = place or municipalities.default()
    start = (number - 1) * SECTION_LIMIT
    sections = _listed_sections(answers, place)
    rows = list(_ranked(sections[key], answers)[start : start + SECTION_LIMIT])
    total = rows[0]["total"] if rows else 0
    return as_candidates(Offering.objects.filter(pk__in=[row["pk"] for row in rows])), total


def _listed_sections(answers: Answers, place: Place) -> dict:
    """Every offering that fits each of routing.LISTED_SECTIONS, unranked: the hard rules.

    Providers are matched by id subqueries rather than joins, so the database can answer the
    shortlist from the covering index `offering_guide` alone.
    """
    roles = place.roles
    fitting = (
        Offering.objects.published()
        .for_place(place)
        .exclude(provider_id__in=Provider.objects.filter(slug=roles.emergency).values("pk"))
        .exclude(slug=roles.navigation_offering)
    )
    if answers.alder is not None:
        fitting = fitting.for_age(answers.alder)
    elif answers.vem == Audience.CHILD:
        fitting = fitting.filter(Q(min_age__isnull=True) | Q(min_age__lt=18))
    if answers.behov:
        fitting = fitting.for_needs(answers.behov)
    fitting = fitting.in_area(answers.omrade) if answers.omrade else fitting.city_wide()
    direct = (
        fitting.with_route(SERVICE_ROUTES)
        .exclude(provider_id__in=Provider.objects.filter(slug=roles.authority).values("pk"))
        .filter(_accepts(answers.vem))
    )
    unknown = fitting.with_route([UNKNOWN_ROUTE]).filter(_accepts(answers.vem))
    apply = fitting.with_route(["bistand"]) if answers.behov else Offering.objects.none()
    return {"direktkontakt": direct, "okand-vag": unknown, "ansokan": apply}


# Twice what a section shows, so ties at the cut cannot change what decide() picks.
SHORTLIST = SECTION_LIMIT * 2


def _accepts(vem: str | None) -> Q:
    """SQL twin of Candidate.accepts()."""
    if vem is None:
        return Q()
    accepted = [vem, Audience.SELF] if vem == Audience.PROFESSIONAL else [vem]
    return Q(*((AUDIENCE_FLAGS[who], True) for who in accepted), _connector=Q.OR)


def _ranked(offerings, answers: Answers):
    """Primary keys in routing._score order (its SQL twin), each with the section's total.

    Idea in SQL: the needs asked for that an offering matches are counted from its needs_mask
    (one CASE per need), booleans sort true-first with DESC, and COUNT(*) OVER () gives the
    number of fitting rows alongside the first few, in one query without joins.
    """
    order = []
    if answers.behov:
        matched = _bits_set("needs_mask", answers.behov)
        offerings = offerings.annotate(needs_matched=matched)
        order.append(F("needs_matched").desc())
    if answers.anonym:
        order.append(_flag(Q(anonymity_possible=True)).desc())
    if answers.omrade:
        order.append(
            _flag(_has_bit("areas_mask", vocabulary.AREA_BITS.get(answers.omrade, 0))).desc()
        )
    if answers.vem:
        order.append(_flag(_made_for(answers.vem)).desc())
    if answers.behov:
        # Needs the offering also covers but nobody asked about: a specialised unit first.
        order.append(_bits_set("needs_mask", vocabulary.NEEDS) - F("needs_matched"))
    span = Coalesce("max_age", Value(120)) - Coalesce("min_age", Value(0))
    return (
        offerings.annotate(total=Window(Count("pk")))
        .order_by(*order, span, "slug")
        .values("pk", "total")
    )


def _has_bit(field: str, bit: int) -> GreaterThan:
    return GreaterThan(F(field).bitand(bit), 0)


def _bits_set(field: str, slugs):
    """How many of the slugs' need bits are set in the field (a portable popcount)."""
    terms = [
        Case(When(_has_bit(field, vocabulary.NEED_BITS[slug]), then=Value(1)), default=Value(0))
        for slug in slugs
        if slug in vocabulary.NEED_BITS
    ]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _flag(condition) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _made_for(vem: str) -> Q:
    """Only the asker's own kind of person may get in touch (e.g. support for relatives)."""
    return Q(**{flag: name == vem for name, flag in AUDIENCE_FLAGS.items()})


def as_candidates(offerings) -> list[Candidate]:
    """Plain Candidates for a queryset of offerings, in one query whatever its size."""
    rows = offerings.values(
        "slug",
        "provider__slug",
        "route",
        "min_age",
        "max_age",
        "anonymity_possible",
        "service_hours_cap",
        "needs_mask",
        "areas_mask",
        *AUDIENCE_FLAGS.values(),
    )
    return [
        Candidate(
            slug=row["slug"],
            provider=row["provider__slug"],
            route=row["route"],
            needs=vocabulary.unmask(row["needs_mask"], vocabulary.NEED_BITS),
            areas=vocabulary.unmask(row["areas_mask"], vocabulary.AREA_BITS),
            audiences=frozenset(vem for vem, flag in AUDIENCE_FLAGS.items() if row[flag]),
            min_age=row["min_age"],
            max_age=row["max_age"],
            anonymity_possible=row["anonymity_possible"],
            service_hours_cap=row["service_hours_cap"],
        )
        for row in rows
    ]


def result_rows(result: Result) -> dict[str, list[dict]]:
    """Each section's rows to render: the offering, its phone's status now, the decision's notes."""
    offerings = offerings_for(result)
    now = timezone.now()
    return {
        section.key: [
            {
                "offering": offerings[m.candidate.slug],
                "status": offerings[m.candidate.slug].phone_status(now),
                "notes": m.notes,
            }
            for m in section.matches
            if m.candidate.slug in offerings
        ]
        for section in result.sections.values()
    }


def offerings_for(result: Result) -> dict[str, Offering]:
    """The full rows for every offering the result shows, by slug, in a fixed number of queries."""
    slugs = {m.candidate.slug for section in result.sections.values() for m in section.matches}
    offerings = ContactPoint.attach(Offering.objects.filter(slug__in=slugs).for_listing())
    return {o.slug: o for o in offerings}
