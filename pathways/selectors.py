"""Reads for the guide: candidate offerings for the decision, and the rows to render.

The guide reads the catalogue and never writes it.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from pathways.routing import AUTHORITY, EMERGENCY, NAVIGATOR, Answers, Candidate, Result
from providers.models import Area, Offering


def candidates(answers: Answers) -> list[Candidate]:
    """Published offerings that could fit, as plain Candidates, in three queries.

    SQL does the coarse cut (age, area, needs) so a large catalogue stays fast; the fixed
    providers (emergency, authority, navigator) always come along for their own sections.
    """
    published = Offering.objects.published()
    fitting = published
    if answers.alder is not None:
        fitting = fitting.for_age(answers.alder)
    if answers.behov:
        fitting = fitting.for_needs(answers.behov)
    fitting = (
        fitting.in_area(answers.omrade)
        if answers.omrade
        else fitting.filter(areas__slug=Area.WHOLE_MUNICIPALITY)
    )
    fixed = published.filter(provider__slug__in=[AUTHORITY, EMERGENCY, NAVIGATOR])
    return as_candidates(
        Offering.objects.filter(Q(pk__in=fitting.values("pk")) | Q(pk__in=fixed.values("pk")))
    )


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
