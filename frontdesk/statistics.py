"""Statistics over the call log: pure functions from plain rows to tables that are safe to show.

The view loads call-log entries for a date range, turns them into `CallRow`s and calls
`report()` (or one table function); nothing here touches the database or the request. Every
table comes out already protected, so neither the page, its charts nor the CSV can show a
small count by mistake.

Definitions:
- A *contact* is a row with content. Calls with nothing to record (wrong number, silent, hung
  up, abusive, a thank-you: `utan_innehall` set) are counted apart, in their own table, and in
  no other.
- *Ended without further support* (the seeds' figure, seed 000 §3.4: in 2012 "1198
  rådgivningssamtal inkom till mottagningstelefonen samt 556 kontakter som avslutades utan att
  någon insats initierades"): a contact whose outcomes are at most advice within the contact
  and "no action", and that navigated to no offering. Navigating, recommending an application,
  an orosanmälan, emergency help and booked sessions all start something. The table gives both
  counts and their sum, all contacts; the share is of all contacts. (The seed's "samt" can also
  be read as 556 contacts besides the 1,198 calls; the portal counts one population.)
- *Counselling series*: sessions are contacts with a series code, people are distinct codes.
- *Navigations* count each offering a contact was sent to, so their tables add up to the
  number of navigations, not of contacts.

Small counts (`protect`): every count from 1 to 4 is shown as "<5" (*primary* suppression).
In a table whose cells add up to a total that is shown (or can be read off another table: the
contacts in the range are the sum of every week, of every channel, …), one hidden cell could be
recovered by subtraction. So in such *additive* tables, while a reader who knows this rule
could still pin down any hidden cell exactly, the next-smallest shown non-zero cell is hidden
too (*secondary* suppression; ties go to the cell listed first). "Pinned down" is checked
against what a reader can know: a primary cell is 1–4; a secondary one is at least 5 and at
most the smallest cell still shown; together they add up to the total minus the shown cells.
That covers one hidden cell (always pinned), two hidden 1s (the only way to make 2), a 1 next
to a hidden 5, and so on. A hidden cell is written "<5" too, the only mark the CSV contract
allows, so "<5" reads "fewer than five, or hidden to protect such a cell"; the page's note says
so. Totals are shown as they are (1–4 as "<5"); when the total itself is below 5, every cell of
its table is hidden, zeros included. Tables whose cells overlap (needs, outcomes: a contact can
have several) have no total to subtract from and get primary suppression only.
Categories keep a fixed order (the vocabulary's, or slugs alphabetically), never the order of
their counts, which would tell which hidden cell is larger.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from frontdesk.vocabulary import (
    ENDED_WITHOUT_SUPPORT,
    ROUTES,
    AgeGroup,
    Caller,
    Channel,
    NoContent,
    Outcome,
)
from providers.vocabulary import NEEDS

SMALL = 5  # counts from 1 to SMALL - 1 are never shown
HIDDEN = "<5"
PRIMARY = "liten"  # hidden because it is small
SECONDARY = "skydd"  # hidden so that a small one cannot be worked out
CSV_HEADER = ("tabell", "kategori", "period", "antal")

CONTACTS = "kontakter"
WITHOUT_SUPPORT = "utan-vidare-stod"
WITH_SUPPORT = "med-vidare-stod"
PEOPLE = "personer"
SESSIONS = "samtal"


@dataclass(frozen=True)
class Navigation:
    """One offering a contact was sent to, with its provider and route."""

    offering: str
    provider: str
    route: str


@dataclass(frozen=True)
class CallRow:
    """What the statistics need to know about one call-log entry (never its note)."""

    tidpunkt: datetime
    kanal: str = Channel.PHONE
    vem: str = Caller.UNKNOWN
    aldersgrupp: str = AgeGroup.UNKNOWN
    behov: tuple[str, ...] = ()
    utfall: tuple[str, ...] = ()
    insatser: tuple[Navigation, ...] = ()
    minuter: int | None = None
    serie: str = ""
    utan_innehall: str = ""  # a NoContent code: a call with nothing to record

    @property
    def day(self) -> date:
        when = self.tidpunkt
        return timezone.localtime(when).date() if timezone.is_aware(when) else when.date()

    @property
    def ended_without_support(self) -> bool:
        return not self.insatser and set(self.utfall) <= ENDED_WITHOUT_SUPPORT


@dataclass(frozen=True)
class Cell:
    """One shown count: `value` is None when hidden, and `antal` is what the CSV says."""

    kategori: str
    period: str = ""
    value: int | None = 0
    hidden: str = ""  # "", PRIMARY or SECONDARY

    @property
    def antal(self) -> str:
        return HIDDEN if self.value is None else str(self.value)


@dataclass(frozen=True)
class Table:
    """A protected table: its CSV name, a title, its cells and, if additive, its total."""

    name: str
    title: str | Promise
    cells: tuple[Cell, ...]
    total: Cell | None = None
    over_time: bool = False

    def antal(self) -> dict[str, str]:
        """Category (or period, over time) → shown count, for reading a table at a glance."""
        return {cell.period if self.over_time else cell.kategori: cell.antal for cell in self}

    def __iter__(self):
        return iter(self.cells)


@dataclass(frozen=True)
class Period:
    """The report's date range, both ends included."""

    fran: date
    till: date
    days: tuple[date, ...] = field(init=False)

    def __post_init__(self):
        length = (self.till - self.fran).days + 1
        days = tuple(self.fran + timedelta(days=n) for n in range(max(length, 0)))
        object.__setattr__(self, "days", days)

    def __contains__(self, day: date) -> bool:
        return self.fran <= day <= self.till


# --- suppression ---------------------------------------------------------------------------


def protect(
    name: str,
    title: str | Promise,
    counts: Sequence[tuple[str, str, int]],
    *,
    additive: bool,
    over_time: bool = False,
) -> Table:
    """A table from (kategori, period, count) triples, with small counts hidden (see above)."""
    values = [count for _kategori, _period, count in counts]
    hidden = {i: PRIMARY for i, value in enumerate(values) if 0 < value < SMALL}
    total = None
    if additive:
        total_value = sum(values)
        total = Cell("totalt", value=total_value if not 0 < total_value < SMALL else None)
        if total.value is None:
            hidden = {i: hidden.get(i, SECONDARY) for i in range(len(values))}
        else:
            while hidden and _pinned(values, hidden):
                shown = [i for i, value in enumerate(values) if value and i not in hidden]
                if not shown:
                    break
                hidden[min(shown, key=lambda i: values[i])] = SECONDARY
    cells = tuple(
        Cell(kategori, period, None if i in hidden else count, hidden.get(i, ""))
        for i, (kategori, period, count) in enumerate(counts)
    )
    return Table(name, title, cells, total, over_time)


def _pinned(values: Sequence[int], hidden: dict[int, str]) -> bool:
    """Whether a reader could work out some hidden cell exactly from the total (see above).

    It assumes the reader can tell primary from secondary cells, so it errs towards hiding.
    """
    shown = [value for i, value in enumerate(values) if value and i not in hidden]
    rest = sum(values[i] for i in hidden)  # the total minus every shown cell
    ceiling = min(shown, default=rest)
    bounds = {
        i: (1, SMALL - 1) if why == PRIMARY else (SMALL, ceiling) for i, why in hidden.items()
    }
    for i, (low, high) in bounds.items():
        others_low = sum(bounds[j][0] for j in bounds if j != i)
        others_high = sum(bounds[j][1] for j in bounds if j != i)
        if max(low, rest - others_high) == min(high, rest - others_low):
            return True
    return False


# --- the tables ----------------------------------------------------------------------------


def narrow(
    rows: Iterable[CallRow],
    *,
    kanal: str = "",
    vem: str = "",
    aldersgrupp: str = "",
    behov: str = "",
) -> list[CallRow]:
    """The rows that match every filter given ("" matches anything).

    Calls without content have no caller, age or need, so any filter but the channel leaves
    them out.
    """
    return [
        row
        for row in rows
        if (not kanal or row.kanal == kanal)
        and (not vem or (row.vem == vem and not row.utan_innehall))
        and (not aldersgrupp or (row.aldersgrupp == aldersgrupp and not row.utan_innehall))
        and (not behov or behov in row.behov)
    ]


def contacts_in(rows: Iterable[CallRow], period: Period) -> list[CallRow]:
    """The contacts (rows with content) whose day falls in the period."""
    return [row for row in rows if not row.utan_innehall and row.day in period]


def contacts_per_week(rows: Iterable[CallRow], period: Period) -> Table:
    return _over_time("kontakter-per-vecka", _("Kontakter per vecka"), rows, period, _iso_week)


def contacts_per_month(rows: Iterable[CallRow], period: Period) -> Table:
    return _over_time(
        "kontakter-per-manad", _("Kontakter per månad"), rows, period, lambda d: f"{d:%Y-%m}"
    )


def contacts_per_year(rows: Iterable[CallRow], period: Period) -> Table:
    return _over_time("kontakter-per-ar", _("Kontakter per år"), rows, period, lambda d: f"{d:%Y}")


def by_channel(rows: Iterable[CallRow], period: Period) -> Table:
    counts = Counter(row.kanal for row in contacts_in(rows, period))
    return _breakdown("kanal", _("Kontakter per kanal"), counts, Channel.values, additive=True)


def by_caller(rows: Iterable[CallRow], period: Period) -> Table:
    counts = Counter(row.vem for row in contacts_in(rows, period))
    return _breakdown("vem", _("Vem som hörde av sig"), counts, Caller.values, additive=True)


def by_age_group(rows: Iterable[CallRow], period: Period) -> Table:
    counts = Counter(row.aldersgrupp for row in contacts_in(rows, period))
    return _breakdown(
        "aldersgrupp", _("Kontakter per åldersgrupp"), counts, AgeGroup.values, additive=True
    )


def by_need(rows: Iterable[CallRow], period: Period) -> Table:
    counts = Counter(need for row in contacts_in(rows, period) for need in set(row.behov))
    return _breakdown("behov", _("Kontakter per behov"), counts, NEEDS, additive=False)


def by_outcome(rows: Iterable[CallRow], period: Period) -> Table:
    counts = Counter(outcome for row in contacts_in(rows, period) for outcome in set(row.utfall))
    return _breakdown("utfall", _("Kontakter per utfall"), counts, Outcome.values, additive=False)


def navigations_per_provider(
    rows: Iterable[CallRow], period: Period, providers: Sequence[str] = ()
) -> Table:
    """Navigations per provider; `providers` are listed even with none (then alphabetically)."""
    counts = Counter(nav.provider for row in contacts_in(rows, period) for nav in row.insatser)
    order = sorted(set(providers) | set(counts))
    return _breakdown(
        "hanvisningar-per-utforare", _("Hänvisningar per utförare"), counts, order, additive=True
    )


def navigations_per_route(rows: Iterable[CallRow], period: Period) -> Table:
    counts = Counter(nav.route for row in contacts_in(rows, period) for nav in row.insatser)
    return _breakdown(
        "hanvisningar-per-vag", _("Hänvisningar per väg till stödet"), counts, ROUTES, additive=True
    )


def ended_without_support(rows: Iterable[CallRow], period: Period) -> Table:
    """Contacts that ended without further support, beside those that did not (see above)."""
    contacts = contacts_in(rows, period)
    without = sum(row.ended_without_support for row in contacts)
    counts = Counter({WITHOUT_SUPPORT: without, WITH_SUPPORT: len(contacts) - without})
    return _breakdown(
        "utan-vidare-stod",
        _("Kontakter som avslutades utan vidare stöd"),
        counts,
        (WITHOUT_SUPPORT, WITH_SUPPORT),
        additive=True,
    )


def share_without_support(table: Table) -> int | None:
    """The whole-percent share of `ended_without_support`'s first cell; None if hidden."""
    first = table.cells[0]
    if first.value is None or table.total is None or not table.total.value:
        return None
    return round(100 * first.value / table.total.value)


def counselling_series(rows: Iterable[CallRow], period: Period) -> Table:
    """People (distinct series codes) and sessions (contacts with a code)."""
    sessions = [row.serie for row in contacts_in(rows, period) if row.serie]
    counts = Counter({PEOPLE: len(set(sessions)), SESSIONS: len(sessions)})
    title = _("Samtalsserier: personer och samtal")
    return _breakdown("samtalsserier", title, counts, (PEOPLE, SESSIONS), additive=False)


def no_content_calls(rows: Iterable[CallRow], period: Period) -> Table:
    """Calls with nothing to record, by kind; they appear in no other table."""
    counts = Counter(row.utan_innehall for row in rows if row.utan_innehall and row.day in period)
    return _breakdown(
        "samtal-utan-innehall", _("Samtal utan innehåll"), counts, NoContent.values, additive=True
    )


def report(rows: Iterable[CallRow], period: Period, providers: Sequence[str] = ()) -> list[Table]:
    """Every table of the statistics page, in the page's order."""
    rows = list(rows)
    return [
        contacts_per_week(rows, period),
        contacts_per_month(rows, period),
        contacts_per_year(rows, period),
        by_channel(rows, period),
        by_caller(rows, period),
        by_age_group(rows, period),
        by_need(rows, period),
        by_outcome(rows, period),
        navigations_per_provider(rows, period, providers),
        navigations_per_route(rows, period),
        ended_without_support(rows, period),
        counselling_series(rows, period),
        no_content_calls(rows, period),
    ]


def _breakdown(name, title, counts: Counter, order: Sequence[str], *, additive: bool) -> Table:
    """One cell per category in `order`, then any unexpected ones alphabetically."""
    categories = list(order) + sorted(set(counts) - set(order))
    return protect(name, title, [(c, "", counts[c]) for c in categories], additive=additive)


def _over_time(name, title, rows, period: Period, label) -> Table:
    """Contacts per period label, every period the range touches listed, empty ones as 0."""
    counts = Counter(label(row.day) for row in contacts_in(rows, period))
    labels = list(dict.fromkeys(label(day) for day in period.days))
    cells = [(CONTACTS, key, counts[key]) for key in labels]
    return protect(name, title, cells, additive=True, over_time=True)


def _iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


# --- CSV -----------------------------------------------------------------------------------


def write_csv(tables: Iterable[Table], out) -> None:
    """The long format DOMAIN.md fixes: `tabell,kategori,period,antal`, one row per cell."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for table in tables:
        for cell in table:
            writer.writerow((table.name, cell.kategori, cell.period, cell.antal))


def csv_text(tables: Iterable[Table]) -> str:
    out = io.StringIO()
    write_csv(tables, out)
    return out.getvalue()
