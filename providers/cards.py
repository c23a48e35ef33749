"""Offering cards as plain values: what every list of offerings shows, in two queries.

A result page or a catalogue page shows dozens of cards. Model instances, prefetching and a
template that reads attributes and methods cost several times what the database does, so a card
is a dict built from value rows: the offerings with their providers, then the contact points
they show with their weekly hours and exceptions.

    cards(Offering.objects.filter(pk__in=ids))     # in the queryset's order
    cards(page.object_list, with_phone=False)      # no phone line (the provider page)
    from_rows(rows)                                # rows of FIELDS already at hand

The keys the card templates read (`templates/includes/offering_card.html`,
`templates/pathways/includes/result_rows.html`):

    id, slug, url, name, provider_slug, provider_name, municipality (its name), municipality_id,
    route, summary, promise, hours_cap, ages ("18–64 år"), needs ("psykisk ohälsa, kris"),
    anonymous, last_reviewed, phone ({href, display} or None) and status (hours.Status or None).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from providers import hours, municipalities, phones, vocabulary
from providers.models import ContactPoint, Need
from providers.models.offering import ages_text

# What a card is built from: each value's ORM field, and its SQL over providers_offering `o`
# joined to providers_provider `p` (the guide selects them with its shortlist, pathways.selectors).
FIELDS = {
    "pk": "o.id",
    "slug": "o.slug",
    "name": "o.name",
    "name_en": "o.name_en",
    "summary": "o.summary",
    "summary_en": "o.summary_en",
    "response_promise": "o.response_promise",
    "response_promise_en": "o.response_promise_en",
    "route": "o.route",
    "service_hours_cap": "o.service_hours_cap",
    "min_age": "o.min_age",
    "max_age": "o.max_age",
    "needs_mask": "o.needs_mask",
    "anonymity_possible": "o.anonymity_possible",
    "municipality_id": "o.municipality_id",
    "last_reviewed": "o.last_reviewed",
    "provider_id": "o.provider_id",
    "provider__slug": "p.slug",
    "provider__name": "p.name",
    "provider__name_en": "p.name_en",
}
SQL_COLUMNS = ", ".join(FIELDS.values())


def cards(offerings: QuerySet, **options) -> list[dict]:
    """A card per offering of the queryset (sliced or not), in its order."""
    return from_rows(list(offerings.values(*FIELDS)), **options)


def from_row(values) -> dict:
    """A row of SQL_COLUMNS as from_rows() takes it (a raw cursor's row: SQLite gives dates
    as text)."""
    row = dict(zip(FIELDS, values, strict=True))
    if row["last_reviewed"] is not None:
        row["last_reviewed"] = _date(row["last_reviewed"])
    row["anonymity_possible"] = bool(row["anonymity_possible"])
    return row


def from_rows(
    rows: list[dict], *, with_phone: bool = True, now: dt.datetime | None = None
) -> list[dict]:
    """Cards from rows of FIELDS' values, in their order; the phones in one query."""
    if not rows:
        return []
    pick = _in_english if (get_language() or "sv").startswith("en") else _in_swedish
    # One reverse() for the page: the offering pages differ only in the slug.
    url = reverse("providers:offering_detail", kwargs={"slug": "x"}).replace("/x/", "/{}/")
    wanted = {row["municipality_id"] for row in rows}
    places = {p.id: p.label for p in municipalities.places().values() if p.id in wanted}
    needs = [(vocabulary.NEED_BITS.get(n.slug, 0), n.label.lower()) for n in Need.cached()]
    main = _main_phones(rows, now or timezone.now()) if with_phone else {}
    found = []
    for row in rows:
        phone, status = main.get(row["pk"], (None, None))
        found.append(
            {
                "id": row["pk"],
                "slug": row["slug"],
                "url": url.format(row["slug"]),
                "name": pick(row, "name"),
                "provider_slug": row["provider__slug"],
                "provider_name": pick(row, "provider__name"),
                "municipality": places.get(row["municipality_id"], ""),
                "municipality_id": row["municipality_id"],
                "route": row["route"],
                "summary": pick(row, "summary"),
                "promise": pick(row, "response_promise"),
                "hours_cap": row["service_hours_cap"],
                "ages": ages_text(row["min_age"], row["max_age"]),
                "needs": ", ".join(label for bit, label in needs if row["needs_mask"] & bit),
                "anonymous": row["anonymity_possible"],
                "last_reviewed": row["last_reviewed"],
                "phone": phone,
                "status": status,
            }
        )
    return found


def _in_swedish(row: dict, field: str) -> str:
    return row[field]


def _in_english(row: dict, field: str) -> str:
    """The English text when there is one (Translated.tr, for value rows)."""
    return row[f"{field}_en"] or row[field]


# Each contact point the offerings show (their own, and their providers' general ones) in
# Offering.first_phone()'s order, with its weekly hours and its exceptions from a date on: a row
# per combination.
_CONTACTS_SQL = (
    "SELECT cp.id, cp.provider_id, cp.offering_id, cp.kind, cp.value, cp.is_on_call, "
    "cp.open_on_holidays, w.weekday, w.opens, w.closes, e.date, e.is_closed, e.opens, e.closes "
    "FROM providers_contactpoint cp "
    "LEFT JOIN providers_weeklyhours w ON w.contact_point_id = cp.id "
    "LEFT JOIN providers_hoursexception e ON e.contact_point_id = cp.id AND e.date >= %s "
    "WHERE cp.provider_id IN ({providers}) "
    "AND (cp.offering_id IS NULL OR cp.offering_id IN ({offerings})) "
    "ORDER BY cp.position, cp.id"
)


def _main_phones(rows: list[dict], now: dt.datetime) -> dict[int, tuple]:
    """Each offering's main phone ({href, display}) and its open status now, by offering id,
    from one query (_CONTACTS_SQL, exceptions from ContactPoint.exceptions_from() on).

    The main phone is Offering.first_phone()'s: among the offering's own contact points, or its
    provider's general ones when it has none, the first regular phone, else the first phone.
    """
    offering_ids = [row["pk"] for row in rows]
    provider_ids = sorted({row["provider_id"] for row in rows})
    # Raw SQL: this runs for every list page, and building it through the ORM cost as much as
    # running it. The ids are parameters; only their number changes the text.
    sql = _CONTACTS_SQL.format(
        providers=", ".join(["%s"] * len(provider_ids)),
        offerings=", ".join(["%s"] * len(offering_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [ContactPoint.exceptions_from().isoformat(), *provider_ids, *offering_ids]
        )
        found = cursor.fetchall()
    points, own, general = {}, defaultdict(list), defaultdict(list)
    for pk, provider_id, offering_id, kind, value, on_call, holidays, *times in found:
        if pk not in points:
            points[pk] = point = {
                "phone": kind == ContactPoint.Kind.PHONE,
                "value": value,
                "on_call": on_call,
                "holidays": holidays,
                "weekly": set(),
                "exceptions": {},
            }
            (own[offering_id] if offering_id else general[provider_id]).append(point)
        weekday, opens, closes, date, is_closed, special_opens, special_closes = times
        if weekday is not None:
            points[pk]["weekly"].add((weekday, _time(opens), _time(closes)))
        if date is not None:
            special = None if is_closed else (_time(special_opens), _time(special_closes))
            points[pk]["exceptions"][_date(date)] = special
    main = {}
    for row in rows:
        shown = own.get(row["pk"]) or general.get(row["provider_id"], [])
        numbers = [p for p in shown if p["phone"]]
        if not numbers:
            continue
        point = ([p for p in numbers if not p["on_call"]] or numbers)[0]
        value, known = point["value"], ContactPoint.known(point["value"])
        phone = {
            "href": phones.tel_href(value) if known else "",
            "display": phones.display(value) if known else value,
        }
        status = None
        if known and point["weekly"]:  # a status needs the number and its hours
            schedule = hours.Schedule(
                weekly=sorted(point["weekly"]),
                exceptions=point["exceptions"],
                open_on_holidays=point["holidays"],
            )
            status = schedule.status(now)
        main[row["pk"]] = (phone, status)
    return main


def _time(value) -> dt.time | None:
    """A time from a raw cursor: SQLite gives text ("08:00:00"), PostgreSQL a time."""
    return dt.time.fromisoformat(value) if isinstance(value, str) else value


def _date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
