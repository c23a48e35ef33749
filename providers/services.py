"""Writes to the catalogue. Views and admin call these; nothing here runs from save() or signals."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from providers import vocabulary
from providers.models import Offering, Provider, SearchTerm
from providers.search import normalise


def offering_search_text(offering: Offering) -> str:
    parts = [
        offering.name,
        offering.name_en,
        offering.summary,
        offering.summary_en,
        offering.description,
        offering.route_conditions,
        offering.provider.name,
        offering.provider.name_en,
    ]
    for related in (offering.needs.all(), offering.methods.all(), offering.areas.all()):
        for item in related:
            parts.extend([item.name, item.name_en])
    return normalise(" ".join(p for p in parts if p))


def offering_derived_fields(offering: Offering) -> dict:
    """The derived columns: search text and the needs/areas bit masks."""
    return {
        "search_text": offering_search_text(offering),
        "needs_mask": vocabulary.mask((n.slug for n in offering.needs.all()), vocabulary.NEED_BITS),
        "areas_mask": vocabulary.mask((a.slug for a in offering.areas.all()), vocabulary.AREA_BITS),
    }


@transaction.atomic
def offering_reindex(*, offering: Offering) -> None:
    """Rebuild one offering's derived columns after it or its relations changed."""
    derived = offering_derived_fields(offering)
    Offering.objects.filter(pk=offering.pk).update(**derived)
    search_terms_add(texts=[derived["search_text"]])


@transaction.atomic
def catalogue_reindex(*, providers: list[Provider] | None = None) -> int:
    """Rebuild derived columns for all offerings (or some providers'). Returns the count."""
    offerings = Offering.objects.select_related("provider").prefetch_related(
        "needs", "methods", "areas"
    )
    if providers is not None:
        offerings = offerings.filter(provider__in=providers)
    batch = []
    for offering in offerings.iterator(chunk_size=2000):
        for name, value in offering_derived_fields(offering).items():
            setattr(offering, name, value)
        batch.append(offering)
    Offering.objects.bulk_update(batch, DERIVED_FIELDS, batch_size=1000)
    search_terms_rebuild()
    return len(batch)


def search_terms_add(*, texts) -> None:
    """Add the words of some search texts to the typo dictionary (SearchTerm)."""
    words = {w for text in texts for w in text.split() if 2 < len(w) <= 100 and not w.isdigit()}
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=2000
    )


@transaction.atomic
def search_terms_rebuild() -> None:
    SearchTerm.objects.all().delete()
    search_terms_add(texts=Offering.objects.values_list("search_text", flat=True).iterator())


DERIVED_FIELDS = ["search_text", "needs_mask", "areas_mask"]


@transaction.atomic
def catalogue_load(*, fixture: str = "catalogue") -> int:
    """Load (or refresh) the catalogue fixture and rebuild the search index."""
    call_command("loaddata", fixture, verbosity=0)
    return catalogue_reindex()


@transaction.atomic
def listing_mark_reviewed(*, listings, on: dt.date | None = None) -> int:
    """Record that an editor has checked the listings' facts (they leave the review list)."""
    on = on or timezone.localdate()
    count = 0
    for listing in listings:
        listing.last_reviewed = on
        listing.save(update_fields=["last_reviewed", "updated_at"])
        count += 1
    return count
