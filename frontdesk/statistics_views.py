"""The statistics page (roles `mottagning` and `uppfoljning`) and its CSV downloads.

The tables come from frontdesk.statistics (pure, already protected against small counts); this
module loads the rows for the chosen dates, names the categories for people and draws the
charts. No note ever reaches it: the rows are `CallRow`s, which have no note. Only the
viewer's municipality's calls are counted, and only its providers named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from frontdesk import selectors, statistics
from frontdesk.call_log_forms import CallLogFilterForm
from frontdesk.charts import Chart, chart_for
from frontdesk.models import CallLogEntry
from frontdesk.vocabulary import AgeGroup, Caller, Channel, NoContent, Outcome
from portal.permissions import Role, for_user_municipalities, role_required
from providers.models import Need, Offering, Provider, Route

MAX_DAYS = 3 * 366
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
ALL_TABLES = "alla"
ANY = [("", _("Alla"))]
FILTERS = ("kanal", "vem", "aldersgrupp", "behov")
INVALID_CHOICE = _("Välj ett av alternativen i listan.")

# What a reader needs to know to read a table right.
TABLE_NOTES = {
    "behov": _("Ett samtal kan gälla flera behov, så talen kan bli fler än kontakterna."),
    "utfall": _("Ett samtal kan sluta på flera sätt, så talen kan bli fler än kontakterna."),
    "hanvisningar-per-utforare": _(
        "Räknar hänvisningar: ett samtal kan hänvisa till flera insatser. "
        "Utförare utan hänvisningar visas med 0."
    ),
    "hanvisningar-per-vag": _(
        "Räknar hänvisningar efter hur man når insatsen: kontakta direkt eller ansök om bistånd."
    ),
    "utan-vidare-stod": _(
        "Utan vidare stöd: samtalet gav råd eller ingen åtgärd och hänvisade inte till någon "
        "insats. Jämför 2012: 556 av 1 198 kontakter avslutades utan att någon insats inleddes."
    ),
    "samtalsserier": _(
        "Personer räknas med sin kod för samtalsserien, samtal med varje registrerat samtal."
    ),
    "samtal-utan-innehall": _(
        "Fel nummer, tysta samtal och liknande. De räknas bara här, inte i de andra tabellerna."
    ),
}


class StatisticsForm(CallLogFilterForm):
    """The dates (`fran`, `till`) and optional filters, all GET parameters."""

    datum = None  # the call log's one-day shortcut; not used here
    kanal = forms.ChoiceField(label=_("Kanal"), required=False, choices=ANY + Channel.choices)
    vem = forms.ChoiceField(
        label=_("Vem som hörde av sig"), required=False, choices=ANY + Caller.choices
    )
    aldersgrupp = forms.ChoiceField(
        label=_("Åldersgrupp"), required=False, choices=ANY + AgeGroup.choices
    )
    behov = forms.ChoiceField(label=_("Behov"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["behov"].choices = ANY + [(need.slug, need.label) for need in Need.cached()]
        for name in FILTERS:
            self.fields[name].error_messages["invalid_choice"] = INVALID_CHOICE

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        till = data.get("till") or today
        fran = data.get("fran") or twelve_months_before(till)
        if (till - fran).days >= MAX_DAYS:
            self.add_error("fran", _("Välj en period på högst tre år."))
        data["fran"], data["till"] = fran, till
        return data

    def period(self) -> statistics.Period:
        return statistics.Period(self.cleaned_data["fran"], self.cleaned_data["till"])

    def filters(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in FILTERS}


def twelve_months_before(till: date) -> date:
    """The first day of the month eleven months before `till`: twelve whole months to it."""
    month = till.month - 11
    year = till.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


@dataclass
class Section:
    table: statistics.Table
    labels: dict[str, str]
    chart: Chart
    note: str
    csv_url: str

    @property
    def rows(self):
        """(label, shown count) per cell, as the table shows them."""
        for cell in self.table:
            key = cell.period if self.table.over_time else cell.kategori
            yield self.labels.get(key, key), cell.antal


@require_safe
@role_required(Role.MOTTAGNING, Role.UPPFOLJNING)
def statistics_page(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET)
    if not form.is_valid():
        return render(request, "frontdesk/statistics/page.html", {"form": form}, status=400)
    period = form.period()
    tables, entries = _tables(form, request.user)
    query = _dates_query(period, form.filters())
    labels = _labels(tables)
    sections = [
        Section(
            table=table,
            labels=labels[table.name],
            chart=chart_for(table, _chart_labels(table, labels[table.name])),
            note=TABLE_NOTES.get(table.name, ""),
            csv_url=_csv_url(table.name, query),
        )
        for table in tables
    ]
    by_name = {table.name: table for table in tables}
    return render(
        request,
        "frontdesk/statistics/page.html",
        {
            "form": form,
            "period": period,
            "sections": sections,
            "contacts": by_name["utan-vidare-stod"].total,
            "no_content": by_name["samtal-utan-innehall"].total,
            "share_without_support": statistics.share_without_support(by_name["utan-vidare-stod"]),
            "synthetic": entries.filter(syntetisk=True).count(),
            "all_csv_url": _csv_url(ALL_TABLES, query),
            "presets": _presets(form.filters()),
        },
    )


@require_safe
@role_required(Role.MOTTAGNING, Role.UPPFOLJNING)
def statistics_csv(request: HttpRequest, tabell: str) -> HttpResponse:
    """One table, or every table (`alla`), in DOMAIN.md's long format."""
    form = StatisticsForm(request.GET)
    if not form.is_valid():
        errors = [str(message) for messages in form.errors.values() for message in messages]
        return HttpResponse("\n".join(errors), content_type="text/plain; charset=utf-8", status=400)
    tables, _entries = _tables(form, request.user)
    if tabell != ALL_TABLES:
        tables = [table for table in tables if table.name == tabell]
        if not tables:
            raise Http404
    period = form.period()
    response = HttpResponse(statistics.csv_text(tables), content_type=CSV_CONTENT_TYPE)
    filename = f"statistik-{tabell}-{period.fran:%Y%m%d}-{period.till:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _tables(form: StatisticsForm, user):
    """The tables over the user's municipality's calls, and those calls."""
    period = form.period()
    entries = for_user_municipalities(
        CallLogEntry.objects.on_or_after(period.fran).on_or_before(period.till), user
    )
    rows = statistics.narrow(selectors.call_rows(entries), **form.filters())
    providers = for_user_municipalities(
        Provider.objects.filter(pk__in=Offering.objects.published().values("provider_id")), user
    ).values_list("slug", flat=True)
    return statistics.report(rows, period, list(providers)), entries


def _labels(tables: list[statistics.Table]) -> dict[str, dict[str, str]]:
    """Each table's categories (or periods) in words."""
    provider_slugs = {cell.kategori for cell in _named(tables, "hanvisningar-per-utforare")}
    providers = {p.slug: p.name_text for p in Provider.objects.filter(slug__in=provider_slugs)}
    routes = {**dict(Route.choices), "okand": _("Inte angett")}
    labels = {
        "kanal": dict(Channel.choices),
        "vem": dict(Caller.choices),
        "aldersgrupp": dict(AgeGroup.choices),
        "behov": {need.slug: need.label for need in Need.cached()},
        "utfall": dict(Outcome.choices),
        "hanvisningar-per-utforare": providers,
        "hanvisningar-per-vag": routes,
        "utan-vidare-stod": {
            statistics.WITHOUT_SUPPORT: _("Avslutades utan vidare stöd"),
            statistics.WITH_SUPPORT: _("Ledde vidare till stöd"),
        },
        "samtalsserier": {statistics.PEOPLE: _("Personer"), statistics.SESSIONS: _("Samtal")},
        "samtal-utan-innehall": dict(NoContent.choices),
    }
    for table in tables:
        if table.over_time:
            labels[table.name] = {cell.period: _period_label(cell.period) for cell in table}
    return labels


def _named(tables, name):
    return next(table for table in tables if table.name == name)


def _period_label(period: str) -> str:
    """ "2024-W18" → "vecka 18, 2024"; "2024-05" → "maj 2024"; a year stays as it is."""
    if "-W" in period:
        year, week = period.split("-W")
        return _("vecka %(week)s, %(year)s") % {"week": int(week), "year": year}
    if "-" in period:
        year, month = period.split("-")
        return date_format(date(int(year), int(month), 1), "F Y")
    return period


def _chart_labels(table: statistics.Table, labels: dict[str, str]) -> dict[str, str]:
    """Short labels under columns: "v18", "maj", "2024"."""
    if not table.over_time:
        return labels
    short = {}
    for cell in table:
        if "-W" in cell.period:
            short[cell.period] = _("v%(week)s") % {"week": int(cell.period.split("-W")[1])}
        elif "-" in cell.period:
            year, month = cell.period.split("-")
            short[cell.period] = date_format(date(int(year), int(month), 1), "M")
        else:
            short[cell.period] = cell.period
    return short


def _dates_query(period: statistics.Period, filters: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    query["fran"], query["till"] = f"{period.fran:%Y-%m-%d}", f"{period.till:%Y-%m-%d}"
    for name, value in filters.items():
        if value:
            query[name] = value
    return query.urlencode()


def _csv_url(tabell: str, query: str) -> str:
    return reverse("frontdesk:statistics_csv", kwargs={"tabell": tabell}) + "?" + query


def _presets(filters: dict[str, str]) -> list[tuple[str, str]]:
    """Common periods as links, keeping the filters."""
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    periods = [
        (_("De senaste tolv månaderna"), twelve_months_before(today), today),
        (_("Hittills i år"), date(today.year, 1, 1), today),
        (_("Förra året"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        (_("Förra månaden"), last_month_end.replace(day=1), last_month_end),
    ]
    page = reverse("frontdesk:statistics")
    return [
        (label, page + "?" + _dates_query(statistics.Period(fran, till), filters))
        for label, fran, till in periods
    ]
