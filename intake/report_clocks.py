"""The legal clocks of a report of concern about a child, as a pure function of its dates.

Socialtjänstlagen gives the social office three deadlines, one after the other:

1. **Skyddsbedömning** (safety assessment): at once when the report comes in, and within
   24 hours. Until it is recorded, this is the clock that shows.
2. **Förhandsbedömning** (whether to open an investigation): within 14 days of the report
  . Shown as "day N of 14", day 1 being the first 24 hours after the report.
3. **Utredning** (the investigation): finished within four months of its start, unless
   extended for a recorded reason. Shown as "month N of M", month 1 being the
   first calendar month after the start; M is 4, or more when the deadline was extended.

A report that is closed, or where no investigation was opened, has no running clock.

`clock()` takes the dates and the moment to judge them at and touches neither the database nor
the system clock, so it is tested case by case with fixed times (tests/intake/test_report.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from intake.services import add_months

SAFETY_LIMIT = timedelta(hours=24)
PRELIMINARY_DAYS = 14
INVESTIGATION_MONTHS = 4

# The statuses (ConcernReport.Status values) in which a report is still on the board.
RECEIVED = "mottagen"
SAFETY_ASSESSED = "skyddsbedomd"
INVESTIGATING = "utreds"
OPEN_STATUSES = (RECEIVED, SAFETY_ASSESSED, INVESTIGATING)

SAFETY = "skyddsbedomning"
PRELIMINARY = "forhandsbedomning"
INVESTIGATION = "utredning"


@dataclass(frozen=True)
class Clock:
    """The clock that runs now for one report."""

    kind: str  # SAFETY, PRELIMINARY or INVESTIGATION
    due_at: datetime
    overdue: bool
    number: int = 0  # day N (preliminary) or month N (investigation)
    of: int = 0  # 14 days, or the investigation's months (4 unless extended)
    extended: bool = False  # the investigation's deadline was extended
    urgent: bool = False  # the reporter said the child is in danger now

    @property
    def label(self) -> str:
        """What the board says, e.g. "Förhandsbedömning dag 3 av 14"."""
        if self.kind == SAFETY:
            when = date_format(timezone.localtime(self.due_at), "j F H:i")
            return _("Skyddsbedömning senast %(when)s") % {"when": when}
        if self.kind == PRELIMINARY:
            return _("Förhandsbedömning dag %(day)d av %(of)d") % {
                "day": self.number,
                "of": self.of,
            }
        return _("Utredning månad %(month)d av %(of)d") % {"month": self.number, "of": self.of}

    @property
    def sort_key(self) -> tuple:
        """Overdue first, then a child said to be in danger, then the nearest deadline."""
        return (not self.overdue, not self.urgent, self.due_at)


def months_between(start: datetime, end: datetime) -> int:
    """Whole calendar months from `start` until `end` (0 when `end` is in the first month)."""
    months = 0
    while add_months(start, months + 1) <= end:
        months += 1
    return months


def clock(
    *,
    status: str,
    created_at: datetime,
    now: datetime,
    investigation_started_at: datetime | None = None,
    investigation_due_at: datetime | None = None,
    extended: bool = False,
    danger: bool = False,
) -> Clock | None:
    """The clock that applies to a report in `status` at `now`; None when none runs."""
    if status == RECEIVED:
        due = created_at + SAFETY_LIMIT
        return Clock(SAFETY, due, overdue=now > due, urgent=danger)
    if status == SAFETY_ASSESSED:
        due = created_at + timedelta(days=PRELIMINARY_DAYS)
        elapsed = max(now - created_at, timedelta(0))
        day = elapsed // timedelta(days=1) + 1
        return Clock(PRELIMINARY, due, overdue=now > due, number=day, of=PRELIMINARY_DAYS)
    if status == INVESTIGATING and investigation_started_at is not None:
        # Calendar months are counted on the Stockholm clock (as the deadline was set), so a
        # change to or from summer time moves nothing.
        start = _local(investigation_started_at)
        due = _local(investigation_due_at) if investigation_due_at else None
        due = due or add_months(start, INVESTIGATION_MONTHS)
        # The months the deadline spans, a started month counted whole: 4 unless extended.
        span = months_between(start, due)
        if add_months(start, span) < due:
            span += 1
        month = months_between(start, max(now, start)) + 1
        return Clock(
            INVESTIGATION,
            due,
            overdue=now > due,
            number=month,
            of=max(span, INVESTIGATION_MONTHS),
            extended=extended,
        )
    return None


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def clock_of(report, now: datetime) -> Clock | None:
    """`clock()` for a ConcernReport (or anything with its attributes)."""
    return clock(
        status=report.status,
        created_at=report.created_at,
        now=now,
        investigation_started_at=report.investigation_started_at,
        investigation_due_at=report.investigation_due_at,
        extended=bool(report.extension_reason),
        danger=report.fara_nu,
    )
