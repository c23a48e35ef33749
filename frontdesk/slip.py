"""The referral slip in words: weekly hours grouped by day, and its plain text for SMS or e-mail.

Pure functions over plain values, tested without a database; `selectors.py` reads the catalogue
into them. The text for one offering fits one SMS (160 GSM-7 characters, link included): when
the full text is too long it drops the provider's name, then the hours, and only then shortens
the offering's name. The link to the slip is never shortened: it carries everything else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from frontdesk import sms
from providers.hours import WEEKDAY_NAMES, format_time

Weekly = list[tuple[int, dt.time, dt.time]]  # (weekday, opens, closes), as hours.Schedule has it

SHORT_DAYS = [
    pgettext_lazy("veckodag, kort", "mån"),
    pgettext_lazy("veckodag, kort", "tis"),
    pgettext_lazy("veckodag, kort", "ons"),
    pgettext_lazy("veckodag, kort", "tor"),
    pgettext_lazy("veckodag, kort", "fre"),
    pgettext_lazy("veckodag, kort", "lör"),
    pgettext_lazy("veckodag, kort", "sön"),
]
ELLIPSIS = "..."  # three full stops: "…" is not in the GSM-7 alphabet


def day_runs(weekly: Weekly) -> list[tuple[int, int, tuple[tuple[dt.time, dt.time], ...]]]:
    """Consecutive weekdays with the same hours, as (first day, last day, intervals)."""
    runs: list[tuple[int, int, tuple[tuple[dt.time, dt.time], ...]]] = []
    for day in range(7):
        intervals = tuple(sorted((o, c) for weekday, o, c in weekly if weekday == day))
        if not intervals:
            continue
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == intervals:
            runs[-1] = (runs[-1][0], day, intervals)
        else:
            runs.append((day, day, intervals))
    return runs


def week_text(weekly: Weekly) -> str:
    """An ordinary week for a page: "måndag–fredag 08.00–17.00; lördag 10.00–14.00"."""
    return "; ".join(
        _days(first, last, WEEKDAY_NAMES, "–")
        + " "
        + ", ".join(f"{format_time(o)}–{format_time(c)}" for o, c in intervals)
        for first, last, intervals in day_runs(weekly)
    )


def week_text_short(weekly: Weekly) -> str:
    """An ordinary week for an SMS: "mån-fre 8-12, 13-17; lör 10-14"."""
    return "; ".join(
        _days(first, last, SHORT_DAYS, "-")
        + " "
        + ", ".join(f"{_short_time(o)}-{_short_time(c)}" for o, c in intervals)
        for first, last, intervals in day_runs(weekly)
    )


def _days(first: int, last: int, names, dash: str) -> str:
    if first == last:
        return str(names[first])
    return f"{names[first]}{dash}{names[last]}"


def _short_time(value: dt.time) -> str:
    return str(value.hour) if not value.minute else f"{value.hour}.{value.minute:02d}"


# --- The plain text ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextEntry:
    """What the text says about one offering, in the page's language."""

    name: str
    provider: str
    needs_application: bool
    phone: str = ""  # a full number in display form, or "" when none can be called
    hours: str = ""  # week_text_short of that phone, or ""


def slip_text(entries: list[TextEntry], *, link: str, mottagningen: str) -> str:
    """The slip as GSM-7 text: each offering, then the link. One offering fits one SMS.

    The closing line (applying is always possible, Mottagningen's number) is added only when
    it costs no extra SMS part.
    """
    if len(entries) == 1:
        body = _single(entries[0], link=link, mottagningen=mottagningen)
    else:
        blocks = [_entry(e, mottagningen=mottagningen) for e in entries]
        body = sms.to_gsm("\n\n".join(blocks) + "\n" + link)
    closing = sms.to_gsm(
        _("Du kan alltid ansöka om bistånd. Frågor: Mottagningen %(phone)s")
        % {"phone": mottagningen}
    )
    head, _newline, tail = body.rpartition("\n")
    longer = f"{head}\n{closing}\n{tail}"
    if mottagningen and sms.part_count(longer) == sms.part_count(body):
        return longer
    return body


def _single(entry: TextEntry, *, link: str, mottagningen: str) -> str:
    variants = [
        _entry(entry, mottagningen=mottagningen),
        _entry(entry, mottagningen=mottagningen, with_provider=False),
        _entry(entry, mottagningen=mottagningen, with_provider=False, with_hours=False),
    ]
    for variant in variants:
        text = sms.to_gsm(f"{variant}\n{link}")
        if sms.fits_one_sms(text):
            return text
    # Still too long: shorten the name, keep how to reach them and the link whole.
    rest = sms.to_gsm("\n" + _reach(entry, mottagningen=mottagningen, with_hours=False))
    rest += "\n" + sms.to_gsm(link)
    name = sms.to_gsm(entry.name)
    room = sms.SINGLE_SEPTETS - sms.septets(rest) - len(ELLIPSIS)
    while name and sms.septets(name) > room:
        name = name[:-1]
    return name.rstrip(" ,-") + ELLIPSIS + rest


def _entry(
    entry: TextEntry, *, mottagningen: str, with_provider: bool = True, with_hours: bool = True
) -> str:
    title = f"{entry.name} - {entry.provider}" if with_provider else entry.name
    return title + "\n" + _reach(entry, mottagningen=mottagningen, with_hours=with_hours)


def _reach(entry: TextEntry, *, mottagningen: str, with_hours: bool) -> str:
    """How to get in touch, in a line."""
    if not entry.phone:
        if entry.needs_application:
            return _("Kräver ansökan. Frågor: Mottagningen %(phone)s") % {"phone": mottagningen}
        return _("Ring Mottagningen %(phone)s") % {"phone": mottagningen}
    if entry.needs_application:
        line = _("Kräver ansökan. Ring %(phone)s") % {"phone": entry.phone}
    else:
        line = _("Ring %(phone)s") % {"phone": entry.phone}
    if with_hours and entry.hours:
        line += ", " + entry.hours
    return line
