"""How open is each municipality's road (`/oppenhet/`): placeholder until issue 9 §3 lands."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def openness(request: HttpRequest) -> HttpResponse:
    raise Http404


@require_safe
def openness_csv(request: HttpRequest, table: str) -> HttpResponse:
    raise Http404
