"""The referral slip: a public page and its plain text. Nothing is stored, no cookie is set."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from frontdesk import selectors, slip
from frontdesk.forms import SlipForm
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
            "text_url": _url("frontdesk:slip_text", offerings),
        },
    )


@require_safe
def slip_text(request: HttpRequest) -> HttpResponse:
    form = SlipForm(request.GET)
    if not form.is_valid():
        errors = [str(message) for message in form.errors["insats"]]
        return HttpResponse("\n".join(errors), content_type=TEXT_CONTENT_TYPE, status=400)
    offerings = form.cleaned_data["insats"]
    mottagningen = shell_contacts().mottagningen
    text = slip.slip_text(
        selectors.text_entries(selectors.slip_entries(offerings)),
        link=request.build_absolute_uri(_url("frontdesk:slip", offerings)),
        mottagningen=mottagningen.number if mottagningen else "",
    )
    return HttpResponse(text, content_type=TEXT_CONTENT_TYPE)


def _url(name: str, offerings) -> str:
    query = QueryDict(mutable=True)
    query.setlist("insats", [offering.slug for offering in offerings])
    return reverse(name) + "?" + query.urlencode()
