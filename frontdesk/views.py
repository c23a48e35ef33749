"""The referral slip: a public page and its plain text. Nothing is stored, no cookie is set."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from frontdesk import selectors, slip
from frontdesk.forms import SlipForm
from providers import municipalities
from providers.municipalities import Place
from providers.selectors import shell_contacts

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"


@require_safe
def slip_page(request: HttpRequest) -> HttpResponse:
    form = SlipForm(request.GET)
    if not form.is_valid():
        return render(request, "frontdesk/slip.html", {"form": form}, status=400)
    offerings = form.cleaned_data["insats"]
    return render(
        request,
        "frontdesk/slip.html",
        {
            "form": form,
            "entries": selectors.slip_entries(offerings),
            "text_url": _url("frontdesk:slip_text", offerings, _page_place(request)),
        },
    )


@require_safe
def slip_text(request: HttpRequest) -> HttpResponse:
    form = SlipForm(request.GET)
    if not form.is_valid():
        errors = [str(message) for message in form.errors["insats"]]
        return HttpResponse("\n".join(errors), content_type=TEXT_CONTENT_TYPE, status=400)
    return HttpResponse(
        text_for(request, form.cleaned_data["insats"]), content_type=TEXT_CONTENT_TYPE
    )


def text_for(request: HttpRequest, offerings, place: Place | None = None) -> str:
    """The slip's plain text for SMS or e-mail, with the absolute link to the slip: the one
    text /lapp/text/ serves and the staff console shows. `place`: whose navigator the text
    names and the slip's link keeps (default: the page's municipality)."""
    place = place or _page_place(request)
    mottagningen = shell_contacts(place).mottagningen
    return slip.slip_text(
        selectors.text_entries(selectors.slip_entries(offerings)),
        link=request.build_absolute_uri(slip_url(offerings, place)),
        mottagningen=mottagningen.number if mottagningen else "",
    )


def slip_url(offerings, place=None) -> str:
    """The public slip's path for these offerings, in the active language, with `kommun=` when
    the municipality is not the default, so the slip shows that municipality's numbers."""
    return _url("frontdesk:slip", offerings, place)


def _page_place(request: HttpRequest) -> Place:
    place = getattr(request, "municipality", None)
    return municipalities.default() if place is None or place.is_all else place


def _url(name: str, offerings, place=None) -> str:
    """`place`: a Place or a Municipality (anything with its `slug`)."""
    query = QueryDict(mutable=True)
    if place is not None and place.slug != settings.DEFAULT_MUNICIPALITY:
        query[municipalities.PARAM] = place.slug
    query.setlist("insats", [offering.slug for offering in offerings])
    return reverse(name) + "?" + query.urlencode()
