"""Reads for the guide: candidate offerings for the decision, and the rows to render.

The guide reads the catalogue and never writes it.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Coalesce

from pathways.routing import (
    AUTHORITY,
    EMERGENCY,
    NAVIGATION_OFFERING,
    NAVIGATOR,
    SECTION_LIMIT,
    SERVICE_ROUTES,
    Answers,
    Candidate,
    Result,
)
from providers.models import Area, Offering


def candidates(answers: Answers) -> tuple[list[Candidate], dict[str, int]]:
    """The offerings the decision needs, as plain Candidates, and each section's full count.

    SQL applies the hard rules (published, age, needs, area, route, who may get in touch) and
    ranks with the same keys as routing._score, so only a shortlist per section is loaded
    however large the catalogue; the fixed providers (emergency, authority, navigator) always
    come along for their own sections. `decide()` then makes the final decision on them.
    """
    published = Offering.objects.published()
    fitting = published.exclude(provider__slug=EMERGENCY).exclude(slug=NAVIGATION_OFFERING)
    if answers.alder is not None:
        fitting = fitting.for_age(answers.alder)
    elif answers.vem == "barn":
        fitting = fitting.filter(Q(min_age__isnull=True) | Q(min_age__lt=18))
    if answers.behov:
        fitting = fitting.for_needs(answers.behov)
    fitting = (
        fitting.in_area(answers.omrade)
        if answers.omrade
        else fitting.filter(areas__slug=Area.WHOLE_MUNICIPALITY)
    )
    direct = (
        fitting.with_route(SERVICE_ROUTES).exclude(provider__slug=AUTHORITY).filter(_accepts(answers.vem))
    )
    apply = fitting.with_route(["bistand"]) if answers.behov else Offering.objects.none()
    fixed = published.filter(provider__slug__in=[AUTHORITY, EMERGENCY, NAVIGATOR])
    shortlist = Offering.objects.filter(
        Q(pk__in=_ranked(direct, answers)[:SHORTLIST])
        | Q(pk__in=_ranked(apply, answers)[:SHORTLIST])
        | Q(pk__in=fixed.values("pk"))
    )
    totals = {"direktkontakt": direct.count(), "ansokan": apply.count()}
    return as_candidates(shortlist), totals


# Twice what a section shows, so ties at the cut cannot change what decide() picks.
SHORTLIST = SECTION_LIMIT * 2

AUDIENCE_FLAGS = {
    "jag": "accepts_self",
    "barn": "accepts_parent",
    "narstaende": "accepts_relative",
    "yrkesperson": "accepts_professional",
}


def _accepts(vem: str | None) -> Q:
    """SQL twin of Candidate.accepts()."""
    if vem is None:
        return Q()
    if vem == "yrkesperson":
        return Q(accepts_professional=True) | Q(accepts_self=True)
    return Q(**{AUDIENCE_FLAGS[vem]: True})


def _ranked(offerings, answers: Answers):
    """Primary keys in routing._score order (its SQL twin).

    Idea in SQL: JOIN the offering's needs once, GROUP BY offering, and count all needs and the
    asked-for ones from that one join; booleans sort true-first with DESC.
    """
    behov = list(answers.behov)
    ranked = offerings.annotate(
        needs_total=Count("needs"),
        span=Coalesce("max_age", Value(120)) - Coalesce("min_age", Value(0)),
    )
    # Keys that are constant for these answers are left out: they cannot change the order.
    order = []
    if behov:
        ranked = ranked.annotate(needs_matched=Count("needs", filter=Q(needs__slug__in=behov)))
        order.append(F("needs_matched").desc())
    if answers.anonym:
        order.append(_flag(Q(anonymity_possible=True)).desc())
    if answers.omrade:
        areas = Offering.areas.through.objects.filter(
            offering=OuterRef("pk"), area__slug=answers.omrade
        )
        order.append(_flag(Exists(areas)).desc())
    if answers.vem:
        order.append(_flag(_made_for(answers.vem)).desc())
    if behov:
        order.append(F("needs_total") - F("needs_matched"))
    return ranked.order_by(*order, "span", "provider__slug", "slug").values("pk")


def _flag(condition) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _made_for(vem: str) -> Q:
    """Only the asker's own kind of person may get in touch (e.g. support for relatives)."""
    return Q(**{flag: name == vem for name, flag in AUDIENCE_FLAGS.items()})


def as_candidates(offerings) -> list[Candidate]:
    """Plain Candidates for a queryset of offerings, in three queries whatever its size."""
    rows = list(
        offerings.values(
            "pk",
            "slug",
            "provider__slug",
            "route",
            "min_age",
            "max_age",
            "anonymity_possible",
            "service_hours_cap",
            "accepts_self",
            "accepts_parent",
            "accepts_relative",
            "accepts_professional",
        )
    )
    ids = [row["pk"] for row in rows]
    needs, areas = defaultdict(set), defaultdict(set)
    for offering_id, slug in Offering.needs.through.objects.filter(offering_id__in=ids).values_list(
        "offering_id", "need__slug"
    ):
        needs[offering_id].add(slug)
    for offering_id, slug in Offering.areas.through.objects.filter(offering_id__in=ids).values_list(
        "offering_id", "area__slug"
    ):
        areas[offering_id].add(slug)
    return [
        Candidate(
            slug=row["slug"],
            provider=row["provider__slug"],
            route=row["route"],
            needs=frozenset(needs[row["pk"]]),
            areas=frozenset(areas[row["pk"]]),
            audiences=frozenset(
                vem
                for vem, flag in (
                    ("jag", "accepts_self"),
                    ("barn", "accepts_parent"),
                    ("narstaende", "accepts_relative"),
                    ("yrkesperson", "accepts_professional"),
                )
                if row[flag]
            ),
            min_age=row["min_age"],
            max_age=row["max_age"],
            anonymity_possible=row["anonymity_possible"],
            service_hours_cap=row["service_hours_cap"],
        )
        for row in rows
    ]


def offerings_for(result: Result) -> dict[str, Offering]:
    """The full rows for every offering the result shows, by slug, in a fixed number of queries."""
    slugs = {m.candidate.slug for section in result.sections.values() for m in section.matches}
    return {o.slug: o for o in Offering.objects.filter(slug__in=slugs).for_listing()}
