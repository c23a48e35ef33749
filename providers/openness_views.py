"""How open each municipality's road is (`/oppenhet/`): the public page and its CSV.

The figures and their definitions are in providers.openness; this module only serves them.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from providers.openness import MEASURES, TABLE, csv_text, figures, route_chart

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@require_safe
def openness(request: HttpRequest) -> HttpResponse:
    rows = figures()
    return render(
        request,
        "providers/openness.html",
        {
            "rows": rows,
            "measures": MEASURES,
            # A column of 0 % everywhere looks like a fault: the page says it is the data's.
            "met_nowhere": [
                m
                for m in MEASURES
                if m.is_share and rows and not any(getattr(r, m.key) for r in rows)
            ],
            "chart": route_chart(rows),
            "csv_url": reverse("providers:openness_csv", kwargs={"table": TABLE}),
        },
    )


@require_safe
def openness_csv(request: HttpRequest, table: str) -> HttpResponse:
    """The page's table as CSV (providers.openness.CSV_HEADER); any other table is a 404."""
    if table != TABLE:
        raise Http404
    response = HttpResponse(csv_text(figures()), content_type=CSV_CONTENT_TYPE)
    filename = f"oppenhet-{TABLE}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
