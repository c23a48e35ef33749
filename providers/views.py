"""Public catalogue pages: the list of offerings, an offering, a provider."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from providers import municipalities, ranked_search, selectors
from providers.cards import cards
from providers.filters import OfferingFilter
from providers.models import ContactPoint, Offering
from providers.search import search_words


@require_safe
def offering_list(request: HttpRequest) -> HttpResponse:
    place = request.municipality
    offerings = Offering.objects.published().for_place(place)
    filterset = OfferingFilter(request.GET or None, queryset=offerings)
    if _only_a_search(filterset, place):
        # The whole country's catalogue searched for words, nothing else: the precomputed
        # ranking finds a page of the best matches without ranking every match.
        size = settings.CATALOGUE_PAGE_SIZE
        number = request.GET.get("sida")
        start = (int(number) - 1) * size if number and number.isdigit() and int(number) else 0
        found = ranked_search.RankedSearch(filterset.form.cleaned_data["q"], (start, size))
        page = Paginator(found, size).get_page(number)
    else:
        size = settings.CATALOGUE_PAGE_SIZE
        page = Paginator(filterset.qs, size).get_page(request.GET.get("sida"))
        page.object_list = cards(page.object_list)
    return render(
        request,
        "providers/offering_list.html",
        {
            "filter": filterset,
            "errors": filterset.form.errors if filterset.is_bound else {},
            "page": page,
            "query_string": selectors.query_string_without_page(request.GET),
        },
    )


def _only_a_search(filterset: OfferingFilter, place) -> bool:
    """A valid search of the whole country with words and no other filter."""
    if not (ranked_search.available() and place.id is None and filterset.is_bound):
        return False
    if not filterset.form.is_valid():
        return False
    data = filterset.form.cleaned_data
    others = [value for name, value in data.items() if name != "q"]
    return bool(search_words(data.get("q") or "")) and not any(
        value not in (None, "", []) for value in others
    )


@require_safe
def offering_detail(request: HttpRequest, slug: str) -> HttpResponse:
    preview = selectors.can_preview(request.user, "offering")
    offerings = Offering.objects.all() if preview else Offering.objects.published()
    offering = get_object_or_404(offerings.for_detail(), slug=slug)
    municipalities.follow_listing(request, offering.municipality_id)
    ContactPoint.attach([offering])
    return render(
        request,
        "providers/offering_detail.html",
        {
            "offering": offering,
            "provider": offering.provider,
            "contacts": selectors.contacts_with_hours(offering.all_contact_points()),
            "locations": offering.locations.all(),
            "is_preview": not (offering.is_published and offering.provider.is_published),
        },
    )


@require_safe
def provider_detail(request: HttpRequest, slug: str) -> HttpResponse:
    preview = selectors.can_preview(request.user, "provider")
    provider = get_object_or_404(
        selectors.provider_for_page(include_unpublished=preview), slug=slug
    )
    municipalities.follow_listing(request, provider.municipality_id)
    offerings = provider.offerings.all() if preview else provider.offerings.published()
    return render(
        request,
        "providers/provider_detail.html",
        {
            "provider": provider,
            # The provider's contacts are shown once, below, not on each card.
            "offerings": cards(offerings, with_phone=False),
            "contacts": selectors.contacts_with_hours(provider.contact_points.all()),
            "locations": provider.locations.all(),
            "is_preview": not provider.is_published,
        },
    )
