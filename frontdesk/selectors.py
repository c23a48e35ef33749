"""Composed reads for the referral slip: the offerings a link names, and what it shows of each.

The slip shows only public facts: what the offering's own page shows, never a confidential
address. Every entry costs the same few queries in total, whatever their number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from frontdesk import slip
from providers import phones
from providers.hours import Status, holiday_name
from providers.models import ContactPoint, Location, Offering


@dataclass
class SlipContact:
    point: ContactPoint
    status: Status | None  # open now; None when the hours are not known
    today: list[tuple[dt.time, dt.time]]
    holiday: str | None  # today's holiday, when it is one
    week: str  # an ordinary week in words, or ""


@dataclass
class SlipEntry:
    offering: Offering
    contacts: list[SlipContact]
    locations: list[Location]  # public addresses only
    has_protected_address: bool  # named without its address, or its name


def slip_offerings(slugs: list[str]) -> dict[str, Offering]:
    """Published offerings by slug, with their providers and places (two queries)."""
    if not slugs:
        return {}
    offerings = (
        Offering.objects.published()
        .filter(slug__in=slugs)
        .select_related("provider")
        .prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("name")))
    )
    return {offering.slug: offering for offering in offerings}


def slip_entries(offerings: list[Offering]) -> list[SlipEntry]:
    """What the slip shows of each offering; contacts load in three queries for them all."""
    ContactPoint.attach(offerings)
    now, today = timezone.now(), timezone.localdate()
    entries = []
    for offering in offerings:
        places = list(offering.locations.all())
        entries.append(
            SlipEntry(
                offering=offering,
                contacts=[_contact(p, now, today) for p in offering.all_contact_points()],
                locations=[place for place in places if not place.is_confidential],
                has_protected_address=any(place.is_confidential for place in places),
            )
        )
    return entries


def _contact(point: ContactPoint, now: dt.datetime, today: dt.date) -> SlipContact:
    if not point.has_hours():
        return SlipContact(point, None, [], None, "")
    schedule = point.schedule()
    return SlipContact(
        point=point,
        # "Open now" beside a number nobody knows would send a caller nowhere (as on the
        # offering pages: Offering.phone_status).
        status=schedule.status(now) if point.is_known else None,
        today=schedule.intervals_on(today),
        holiday=holiday_name(today),
        week=slip.week_text(schedule.weekly),
    )


def text_entries(entries: list[SlipEntry]) -> list[slip.TextEntry]:
    """The plain values the slip's text is written from."""
    rows = []
    for entry in entries:
        offering = entry.offering
        phone = _callable_phone(entry)
        rows.append(
            slip.TextEntry(
                name=offering.name_text,
                provider=offering.provider.name_text,
                needs_application=offering.needs_application,
                phone=phone.point.display_value if phone else "",
                hours=slip.week_text_short(phone.point.schedule().weekly) if phone else "",
            )
        )
    return rows


def _callable_phone(entry: SlipEntry) -> SlipContact | None:
    """The line to give in a text: a known full number that is not an on-call line.

    Short numbers such as 112 are left out: an emergency number is not how to reach an
    offering, and every slip already leads to the emergency line.
    """
    for contact in entry.contacts:
        point = contact.point
        if (
            point.kind == ContactPoint.Kind.PHONE
            and not point.is_on_call
            and point.is_known
            and phones.tel_href(point.value).startswith("tel:+")
        ):
            return contact
    return None


# --- The call log -------------------------------------------------------------------------------


def call_log_entries():
    """The log as navigators read it: newest first, author and offerings in two queries more."""
    from frontdesk.models import CallLogEntry

    return (
        CallLogEntry.objects.newest_first()
        .select_related("author", "municipality")
        .prefetch_related(
            Prefetch("insatser", queryset=Offering.objects.select_related("provider"))
        )
    )


def may_edit(entry, user, *, today: dt.date | None = None) -> bool:
    """Only the author, and only on the (Stockholm) day the entry was recorded."""
    today = today or timezone.localdate()
    return entry.author_id == user.pk and entry.local_created_date == today


def call_rows(queryset) -> list:
    """The entries as the statistics' plain rows (never the note)."""
    from frontdesk.statistics import CallRow, Navigation

    entries = queryset.order_by().prefetch_related(
        Prefetch("insatser", queryset=Offering.objects.select_related("provider"))
    )
    return [
        CallRow(
            tidpunkt=entry.tidpunkt,
            kanal=entry.kanal,
            vem=entry.vem,
            aldersgrupp=entry.aldersgrupp,
            behov=tuple(entry.behov),
            utfall=tuple(entry.utfall),
            insatser=tuple(
                Navigation(offering.slug, offering.provider.slug, offering.route)
                for offering in entry.insatser.all()
            ),
            minuter=entry.minuter,
            serie=entry.serie,
            utan_innehall=entry.utan_innehall,
        )
        for entry in entries
    ]
