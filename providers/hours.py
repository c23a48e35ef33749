"""Opening hours: "open now", "closes 17.00", "opens Monday 08.00", in Europe/Stockholm.

Pure functions over plain values so they can be tested without a database. Swedish public
holidays and the de facto holidays (midsommarafton, julafton, nyårsafton) close ordinary hours
unless a contact point stays open on holidays (on-call lines) or an exception says otherwise.
Times are wall-clock times in Stockholm, so daylight-saving changes need no special handling:
08.00 is 08.00 on both sides of the change.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

STOCKHOLM = ZoneInfo("Europe/Stockholm")

WEEKDAY_CHOICES = [
    (0, gettext_lazy("måndag")),
    (1, gettext_lazy("tisdag")),
    (2, gettext_lazy("onsdag")),
    (3, gettext_lazy("torsdag")),
    (4, gettext_lazy("fredag")),
    (5, gettext_lazy("lördag")),
    (6, gettext_lazy("söndag")),
]
WEEKDAY_NAMES = dict(WEEKDAY_CHOICES)

# How far ahead "opens …" looks; beyond that a contact point counts as having no next opening.
LOOKAHEAD_DAYS = 14

Interval = tuple[dt.time, dt.time]


@lru_cache(maxsize=32)
def _holidays_for(year: int) -> dict[dt.date, str]:
    calendar = holidays.Sweden(
        years=year, include_sundays=False, categories=("public", "de_facto"), language="sv"
    )
    return dict(calendar.items())


def holiday_name(day: dt.date) -> str | None:
    """The Swedish name of a public or de facto holiday, or None on an ordinary day."""
    return _holidays_for(day.year).get(day)


def is_holiday(day: dt.date) -> bool:
    return holiday_name(day) is not None


def format_time(value: dt.time) -> str:
    """Swedish style: 08.00, 17.30."""
    return f"{value.hour:02d}.{value.minute:02d}"


# The earliest moment at which something the current page shows about opening hours changes
# (portal.page_cache: a cached page must expire then). None: nothing noted, or not watching.
next_change: ContextVar[list | None] = ContextVar("hours_next_change", default=None)


def note_change(when: dt.datetime | None) -> None:
    """Record that what is shown changes at `when` (None: at any moment, e.g. "open now")."""
    watched = next_change.get()
    if watched is None:
        return
    if when is None:
        watched.append(None)
    else:
        watched.append(when)


@dataclass(frozen=True)
class Status:
    """Whether a contact point is open at a moment, and when that changes."""

    is_open: bool
    now: dt.datetime
    closes_at: dt.datetime | None = None
    opens_at: dt.datetime | None = None

    @property
    def text(self) -> str:
        if self.is_open and self.closes_at:
            return _("Öppet nu, stänger %(time)s") % {"time": format_time(self.closes_at.time())}
        if self.opens_at is None:
            return _("Stängt nu")
        when = format_time(self.opens_at.time())
        days = (self.opens_at.date() - self.now.date()).days
        if days == 0:
            return _("Stängt nu, öppnar kl. %(time)s") % {"time": when}
        if days == 1:
            return _("Stängt nu, öppnar i morgon kl. %(time)s") % {"time": when}
        return _("Stängt nu, öppnar %(day)s kl. %(time)s") % {
            "day": WEEKDAY_NAMES[self.opens_at.weekday()],
            "time": when,
        }


@dataclass
class Schedule:
    """Weekly intervals plus dated exceptions (None = closed all day) for one contact point."""

    weekly: list[tuple[int, dt.time, dt.time]] = field(default_factory=list)
    exceptions: dict[dt.date, Interval | None] = field(default_factory=dict)
    open_on_holidays: bool = False

    def intervals_on(self, day: dt.date) -> list[Interval]:
        if day in self.exceptions:
            special = self.exceptions[day]
            return [special] if special else []
        if is_holiday(day) and not self.open_on_holidays:
            return []
        return sorted((o, c) for weekday, o, c in self.weekly if weekday == day.weekday())

    def status(self, now: dt.datetime) -> Status:
        status = self._status(now)
        # The status's words change when it opens or closes, and at midnight ("i morgon").
        midnight = _at(status.now.date() + dt.timedelta(days=1), dt.time(0, 0))
        note_change(min(t for t in (status.closes_at, status.opens_at, midnight) if t))
        return status

    def _status(self, now: dt.datetime) -> Status:
        local = now.astimezone(STOCKHOLM)
        today, time = local.date(), local.time()
        for opens, closes in self.intervals_on(today):
            if opens <= time < closes:
                return Status(True, local, closes_at=_at(today, closes))
        for offset in range(LOOKAHEAD_DAYS + 1):
            day = today + dt.timedelta(days=offset)
            for opens, _closes in self.intervals_on(day):
                if offset or opens > time:
                    return Status(False, local, opens_at=_at(day, opens))
        return Status(False, local)

    def week(self, start: dt.date) -> list[tuple[dt.date, list[Interval], str | None]]:
        """Seven days from `start`: each date, its intervals and a holiday name if any."""
        days = []
        for offset in range(7):
            day = start + dt.timedelta(days=offset)
            days.append((day, self.intervals_on(day), holiday_name(day)))
        return days


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    # fold=0 picks the first of two identical wall-clock times when autumn clocks go back.
    return dt.datetime.combine(day, time, tzinfo=STOCKHOLM)
