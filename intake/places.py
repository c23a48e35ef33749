"""Which municipality's social office receives what a resident submits.

The municipality travels in the URL (`kommun=`, DOMAIN.md): every link, form action and redirect
of the public intake pages keeps it, so a Kinda resident's application stays Kinda's through
every step. The whole country (`kommun=alla`) or a generated test municipality has no social
office to send to: the person chooses a municipality first.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from portal.templatetags.portal_tags import with_kommun
from portal.views import choose_municipality
from providers import municipalities
from providers.models.municipality import default_municipality_id


def no_social_office(request: HttpRequest) -> HttpResponse | None:
    """The choose-municipality page when the page is about no one municipality's social office;
    None when it is."""
    place = request.municipality
    if place.is_all or place.is_generated:
        return choose_municipality(request)
    return None


def url(name: str, query: str = "") -> str:
    """A public intake page's path, keeping the page's municipality (`kommun=`)."""
    return with_kommun(reverse(name), query)


def municipality_id(request: HttpRequest) -> int:
    """The id of the page's municipality, whose social office receives the submission."""
    return request.municipality.id or default_municipality_id()


def municipality_label(receipt: dict) -> str:
    """The name of the municipality a receipt's submission went to, in the page's language."""
    place = municipalities.places().get(receipt.get("municipality") or "")
    return place.label if place else ""
