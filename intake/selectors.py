"""Reads for intake that other apps' pages need too."""

from __future__ import annotations

from django.db.models import QuerySet

from providers.models import Offering, Route


def contact_request_offerings() -> QuerySet[Offering]:
    """Published offerings a resident can ask to be contacted by: a route that includes
    contacting them directly, and a provider with at least one active staff account linked in
    the portal, so someone will read the request. (No account, no door: Sociala jouren and
    socialkontoret have none, so their emergency line and report line take no requests.)"""
    return (
        Offering.objects.published()
        .with_route(Route.with_service())
        # One filter() call: the same account must be active and hold the provider role.
        .filter(provider__staff__is_active=True, provider__staff__groups__name="utforare")
        .distinct()
    )


def takes_contact_requests(offering: Offering) -> bool:
    return contact_request_offerings().filter(pk=offering.pk).exists()
