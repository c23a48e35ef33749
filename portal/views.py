"""The start page, the health checks and the site's error pages."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_safe

from portal import outage
from portal.context_processors import language_switch, site
from providers import openness
from providers.models import Need

# How long a client (or a monitor) should wait before trying again during an outage.
RETRY_AFTER_SECONDS = 30


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if request.municipality.is_all:
        return choose_municipality(request)
    here = request.municipality.slug
    # Whether the municipality leaves the road unsaid for some of its offer (route `okand`):
    # the start page then says so instead of promising what it cannot show. From the open-road
    # page's figures, cached per catalogue version and day.
    unsaid = any(f.slug == here and f.vag_angiven < f.insatser for f in openness.figures())
    return render(request, "home.html", {"needs": Need.cached(), "road_unsaid": unsaid})


def choose_municipality(request: HttpRequest, unknown: str = "") -> HttpResponse:
    """Choose a municipality: for a `kommun=` the portal does not know (404), or where a page
    needs one municipality and was asked for the whole country (400)."""
    return render(
        request,
        "choose_municipality.html",
        {
            "unknown": unknown[:50],
            "path": request.path,
            # The resident's other answers ride along, so choosing does not start them over.
            "carried": [
                (name, value)
                for name in request.GET
                if name != "kommun"
                for value in request.GET.getlist(name)[:20]
            ][:50],
        },
        status=404 if unknown else 400,
    )


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers, and the benchmarks' baseline: only the middleware runs."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def healthz_db(request: HttpRequest) -> HttpResponse:
    """Readiness for load balancers: 200 when this server can reach the database, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if outage.database_unavailable():
        return service_unavailable(request)
    return render(request, "500.html", status=500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The friendly outage page (503) with the numbers to call, at once.

    Rendered from an explicit context, without the context processors, and with the database
    refused: the shell's numbers then come from the cache or the fixture, never from another
    wait for a database that has just failed.
    """
    with outage.database_refused():
        context = {"request": request, **site(request), **language_switch(request)}
        html = loader.get_template("503.html").render(context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
