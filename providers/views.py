"""Public catalogue pages: the list of offerings, an offering, a provider."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from providers import municipalities, selectors
from providers.filters import OfferingFilter
from providers.models import ContactPoint, Offering


@require_safe
def offering_list(request: HttpRequest) -> HttpResponse:
    offerings = Offering.objects.published().for_place(request.municipality)
    filterset = OfferingFilter(request.GET or None, queryset=offerings)
    offerings = filterset.qs.for_listing()
    page = Paginator(offerings, settings.CATALOGUE_PAGE_SIZE).get_page(request.GET.get("sida"))
    page.object_list = ContactPoint.attach(page.object_list)
    now = timezone.now()
    return render(
        request,
        "providers/offering_list.html",
        {
            "filter": filterset,
            "errors": filterset.form.errors if filterset.is_bound else {},
            "page": page,
            "rows": [(o, o.phone_status(now)) for o in page.object_list],
            "query_string": selectors.query_string_without_page(request.GET),
        },
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
            "offerings": offerings.for_listing(),  # contacts are shown once, for the provider
            "contacts": selectors.contacts_with_hours(provider.contact_points.all()),
            "locations": provider.locations.all(),
            "is_preview": not provider.is_published,
        },
    )
