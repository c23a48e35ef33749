"""How open each municipality's road to support is: the figures behind `/oppenhet/`.

Most municipal websites never say whether a resident can just call or must apply (seed 000
ch. 4); these figures show, per municipality, how much of its offer does say.

Every municipality with at least one published offering is counted, from the published
offerings it owns (`Offering.municipality`; an offering that also serves other municipalities
counts for its own only). Per municipality:

- `insatser`: the published offerings.
- `vag_angiven`: the route is stated (anything but `okand`).
- `telefontider_angivna`: the main phone, as `Offering.first_phone()` picks it (the offering's
  own contacts, else its provider's general ones; not an on-call line when there is another),
  has a known number (not "uppgift saknas") and weekly hours.
- `svarslofte`: a response promise, in days or in words.
- `granskad_180_dagar`: reviewed within `settings.REVIEW_INTERVAL_DAYS` (180) of today.
- `utan_ansokan`: reachable without an application (route `service` or `service-och-bistand`).

Shares are whole percent, rounded half up, except that a share is never rounded to 0 % while
one offering counts, nor to 100 % while one does not: "100 %" always means every one.

The figures are one aggregate query over the whole catalogue, grouped by municipality (and
one for the names), cached per catalogue version and day (the review window moves at
midnight).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from frontdesk import charts
from providers.cache import catalogue_cache
from providers.models import (
    ContactPoint,
    Municipality,
    Offering,
    Provider,
    Route,
    WeeklyHours,
)

# The one table `/oppenhet/<table>.csv` serves.
TABLE = "kommuner"
# The CSV's first line: a contract for whoever reads the file. Counts, and each share as an
# integer percent beside its count; `kommun` is the slug (DOMAIN.md), `namn` the Swedish name.
CSV_HEADER = (
    "kommun",
    "namn",
    "insatser",
    "vag_angiven",
    "vag_angiven_procent",
    "telefontider_angivna",
    "telefontider_angivna_procent",
    "svarslofte",
    "svarslofte_procent",
    "granskad_180_dagar",
    "granskad_180_dagar_procent",
    "utan_ansokan",
)


@dataclass(frozen=True)
class Measure:
    """One figure per municipality: its CSV column, its heading and what it counts."""

    key: str
    title: str | Promise
    definition: str | Promise
    is_share: bool = True


MEASURES = (
    Measure(
        "vag_angiven",
        _("Vägen in är angiven"),
        _(
            "Andel insatser där kommunen säger om du kan kontakta dem direkt eller måste "
            "ansöka om bistånd."
        ),
    ),
    Measure(
        "telefontider_angivna",
        _("Telefontider är angivna"),
        _("Andel insatser vars telefonnummer är känt och har tider då någon svarar, varje vecka."),
    ),
    Measure(
        "svarslofte",
        _("Lovar svar"),
        _(
            "Andel insatser som lovar när du får svar eller ett första samtal, till exempel "
            "inom två veckor."
        ),
    ),
    Measure(
        "granskad_180_dagar",
        _("Granskad senaste 180 dagarna"),
        _(
            "Andel insatser som kommunen har gått igenom och bekräftat under de senaste "
            "180 dagarna."
        ),
    ),
    Measure(
        "utan_ansokan",
        _("Utan ansökan"),
        _("Antal insatser du kan kontakta direkt, utan att ansöka om bistånd."),
        is_share=False,
    ),
)


def percent(count: int, total: int) -> int:
    """`count` of `total` in whole percent, half up; 0 and 100 only when exact."""
    if total <= 0:
        return 0
    rounded = (200 * count + total) // (2 * total)
    if 0 < count < total:
        return min(max(rounded, 1), 99)
    return rounded


@dataclass(frozen=True)
class Figures:
    """One municipality's figures: plain values, safe to cache."""

    slug: str
    name: str
    name_en: str
    is_generated: bool
    insatser: int
    vag_angiven: int
    telefontider_angivna: int
    svarslofte: int
    granskad_180_dagar: int
    utan_ansokan: int

    @property
    def label(self) -> str:
        if (get_language() or "sv").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def share(self, key: str) -> int:
        return percent(getattr(self, key), self.insatser)

    def cells(self) -> list[tuple[Measure, int, str]]:
        """(measure, count, shown) for each measure, as the page's table shows them."""
        return [
            (m, getattr(self, m.key), shown_percent(self.share(m.key)) if m.is_share else "")
            for m in MEASURES
        ]


def shown_percent(value: int) -> str:
    """A share as the page shows it, "75 %", with a no-break space so the sign stays on the
    number's line."""
    return f"{value}\u00a0%"


def figures(today: dt.date | None = None) -> list[Figures]:
    """Every municipality's figures, by name: cached per catalogue version and day."""
    today = today or timezone.localdate()
    return catalogue_cache.get_or_set(
        f"openness:{today.isoformat()}", lambda: figures_from_database(today)
    )


def figures_from_database(today: dt.date) -> list[Figures]:
    """Two queries, whatever the number of municipalities: the counts, then the names.

    SQL idea: SELECT municipality_id, COUNT(*), COUNT(*) FILTER (WHERE route <> 'okand'), …
    FROM published offerings GROUP BY municipality_id (an integer: cheaper to group on than
    the names). PostgreSQL's JIT compiler, which the cost of reading the whole catalogue
    switches on, takes longer to compile this query than the query takes to run (0.8 s
    against 0.15 s at 60,000 offerings), so it is off for this one transaction.
    """
    since = today - dt.timedelta(days=settings.REVIEW_INTERVAL_DAYS)
    counts = (
        Offering.objects.published()
        .alias(phone_stated=_main_phone_stated())
        .values("municipality_id")
        .annotate(
            insatser=Count("pk"),
            vag_angiven=Count("pk", filter=~Q(route=Route.OKAND)),
            telefontider_angivna=Count("pk", filter=Q(phone_stated=True)),
            svarslofte=Count(
                "pk", filter=Q(response_promise_days__isnull=False) | ~Q(response_promise="")
            ),
            granskad_180_dagar=Count("pk", filter=Q(last_reviewed__gte=since)),
            utan_ansokan=Count("pk", filter=Q(route__in=Route.with_service())),
        )
        .order_by()
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        by_id = {row.pop("municipality_id"): row for row in counts}
    by_id.pop(None, None)  # a row saved around Offering.save(), without its municipality
    places = Municipality.objects.filter(pk__in=by_id).values(
        "pk", "slug", "name", "name_en", "is_generated"
    )
    rows = [
        Figures(
            slug=place["slug"],
            name=place["name"],
            name_en=place["name_en"],
            is_generated=place["is_generated"],
            **by_id[place["pk"]],
        )
        for place in places
    ]
    return sorted(rows, key=lambda row: (swedish_order(row.name), row.slug))


def swedish_order(text: str) -> str:
    """A sort key that puts å, ä and ö after z, in that order (Åre after Ystad, Örebro last)."""
    return text.casefold().translate(_AFTER_Z)


_AFTER_Z = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def _main_phone_stated():
    """Whether the offering's main phone (Offering.first_phone) is known and has weekly hours.

    SQL idea: CASE WHEN EXISTS (own contact point) THEN (the first own phone's flag) ELSE
    provider_id IN (providers whose first general phone is stated) END, each "first" ordered
    as first_phone orders: regular lines before on-call ones, then by position. The provider
    list is one uncorrelated subquery (a hashed set in PostgreSQL), so the general lines are
    judged once per provider, not once per offering: most offerings have no contacts of their
    own, and at national scale that is the difference between 60,000 lookups and 6,000.
    """
    phones = (
        ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE)
        .order_by("is_on_call", "position", "pk")
        .annotate(
            stated=Case(
                When(
                    ~Q(value="")
                    & ~Q(value__icontains="saknas")
                    & Exists(WeeklyHours.objects.filter(contact_point=OuterRef("pk"))),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .values("stated")
    )
    own = phones.filter(offering=OuterRef("pk"))
    general = phones.filter(provider=OuterRef("pk"), offering__isnull=True)
    stated_providers = (
        Provider.objects.alias(general_stated=Subquery(general[:1]))
        .filter(general_stated=True)
        .values("pk")
    )
    has_own = ContactPoint.objects.filter(offering=OuterRef("pk"))
    return Case(
        When(Exists(has_own), then=Subquery(own[:1])),
        default=ExpressionWrapper(Q(provider_id__in=stated_providers), BooleanField()),
        output_field=BooleanField(),
    )


def csv_text(rows: Iterable[Figures]) -> str:
    """The table as CSV, `CSV_HEADER` first, one line per municipality."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        line: list[str | int] = [row.slug, row.name, row.insatser]
        for measure in MEASURES:
            line.append(getattr(row, measure.key))
            if measure.is_share:
                line.append(row.share(measure.key))
        writer.writerow(line)
    return out.getvalue()


def route_chart(rows: Sequence[Figures]) -> charts.Chart:
    """Bars of the share with a stated route, on a fixed 0–100 % scale (frontdesk.charts'
    geometry), so a short bar always means a small share, whatever the others are."""
    marks = []
    for i, row in enumerate(rows):
        value = row.share("vag_angiven")
        top = i * charts.ROW_HEIGHT
        length = round((charts.BAR_RIGHT - charts.BAR_LEFT) * value / 100)
        bar_y = top + 18 + charts.LABEL_GAP
        marks.append(
            charts.Mark(
                label=row.label,
                shown=shown_percent(value),
                hidden=False,
                x=charts.BAR_LEFT,
                y=bar_y,
                width=length,
                height=charts.BAR_HEIGHT,
                label_x=charts.BAR_LEFT,
                label_y=top + 16,
                value_x=charts.BAR_LEFT + length + 6,
                value_y=bar_y + charts.BAR_HEIGHT - 3,
            )
        )
    height = max(len(rows), 1) * charts.ROW_HEIGHT
    return charts.Chart("bars", charts.BARS_WIDTH, height, tuple(marks))
