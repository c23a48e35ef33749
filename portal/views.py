"""The start page and the site's error pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from providers.models import Need


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"needs": Need.cached()})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers, and the benchmarks' baseline: only the middleware runs."""
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors' database work: the database may be what failed.
    return render(request, "500.html", status=500)
