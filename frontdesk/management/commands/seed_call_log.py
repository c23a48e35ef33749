"""Seed a year of synthetic call-log data, so the statistics show something on a fresh machine.

Demo data only: refused unless DEBUG is on (`--tillat-utan-debug` overrides). Every row is
marked `syntetisk`, has no note, and is authored by an inactive account without a password
(`syntetisk-data`), so it can never be taken for a navigator's contact; `remove_synthetic_calls`
deletes it all again.

The year ends yesterday. About 1,200 contacts (the seed's 1,198 in 2012, seed 000 §3.4) fall
mostly on weekdays in office hours, fewer in summer and at Christmas; 556 of them end without
further support, as in 2012. About 8 % more are calls without content. The offerings navigated
to are the loaded catalogue's published ones, picked for the contact's needs, age, caller and
area. Some contacts are counselling series (`SYN-0001`, …) of 4–5 sessions. The random seed is
fixed, so the same day always gives the same data. Rows are written in bulk in one transaction,
without history rows (nothing about them was ever edited).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from frontdesk.management.commands.remove_synthetic_calls import (
    SYNTHETIC_USERNAME,
    remove_synthetic_calls,
)
from frontdesk.models import CallLogEntry
from frontdesk.vocabulary import (
    ENDED_WITHOUT_SUPPORT,
    AgeGroup,
    Caller,
    Channel,
    NoContent,
    Outcome,
)
from providers import municipalities
from providers.hours import is_holiday
from providers.models import Offering
from providers.models.municipality import default_municipality_id
from providers.vocabulary import AREA_BITS, AREAS, NEED_BITS, NEEDS, unmask

RANDOM_SEED = 2012
DAYS = 365
CONTACTS = 1198  # contacts with content over the year (the seed's figure for 2012)
WITHOUT_SUPPORT = 556  # of them, ended without further support (ditto)
NO_CONTENT_SHARE = 0.08  # calls without content, besides the contacts
SERIES = 30  # counselling series of 4–5 sessions each
SERIES_PREFIX = "SYN"
WHOLE_MUNICIPALITY = AREAS[0]

# Relative weights. Weekdays are busiest on Monday; weekends and holidays see almost nothing
# (e-mail and chat read later), summer and Christmas are quiet.
WEEKDAY_WEIGHT = (1.25, 1.1, 1.05, 1.0, 0.8, 0.05, 0.04)
HOLIDAY_WEIGHT = 0.05
MONTH_WEIGHT = (1.1, 1.1, 1.1, 1.0, 1.0, 0.85, 0.5, 0.9, 1.15, 1.1, 1.1, 0.8)
HOUR_WEIGHT = {8: 1.3, 9: 1.5, 10: 1.4, 11: 1.1, 12: 0.7, 13: 1.1, 14: 1.0, 15: 0.8, 16: 0.5}
CHANNEL = {Channel.PHONE: 78, Channel.VISIT: 8, Channel.EMAIL: 9, Channel.CHAT: 5}
WEEKEND_CHANNEL = {Channel.EMAIL: 60, Channel.CHAT: 40}
CALLER = {
    Caller.SELF: 45,
    Caller.PARENT: 17,
    Caller.RELATIVE: 22,
    Caller.PROFESSIONAL: 9,
    Caller.UNKNOWN: 7,
}
AGE_BY_CALLER = {
    Caller.SELF: {"13-17": 4, "18-24": 20, "25-64": 62, "65-": 8, "okand": 6},
    Caller.PARENT: {"0-12": 50, "13-17": 45, "okand": 5},
    Caller.RELATIVE: {"13-17": 5, "18-24": 22, "25-64": 50, "65-": 13, "okand": 10},
    Caller.PROFESSIONAL: {"0-12": 25, "13-17": 25, "18-24": 15, "25-64": 25, "okand": 10},
    Caller.UNKNOWN: {"18-24": 10, "25-64": 20, "okand": 70},
}
_ADULT_NEEDS = {
    "psykisk-ohalsa": 22,
    "missbruk": 18,
    "familj": 15,
    "separation": 10,
    "kris": 8,
    "vald": 7,
    "ekonomi": 6,
    "bostad": 4,
    "vardagsstod": 4,
    "neuropsykiatri": 4,
    "sysselsattning": 2,
}
NEEDS_BY_AGE = {
    "0-12": {
        "familj": 30,
        "neuropsykiatri": 20,
        "psykisk-ohalsa": 18,
        "separation": 15,
        "vald": 8,
        "kris": 5,
        "missbruk": 4,
    },
    "13-17": {
        "psykisk-ohalsa": 28,
        "familj": 20,
        "missbruk": 15,
        "neuropsykiatri": 12,
        "kris": 8,
        "vald": 7,
        "separation": 6,
        "bostad": 2,
        "sysselsattning": 2,
    },
    "18-24": {
        "psykisk-ohalsa": 28,
        "missbruk": 18,
        "neuropsykiatri": 10,
        "kris": 8,
        "sysselsattning": 8,
        "bostad": 8,
        "ekonomi": 8,
        "familj": 5,
        "vald": 5,
        "vardagsstod": 4,
    },
    "25-64": _ADULT_NEEDS,
    "65-": {
        "psykisk-ohalsa": 20,
        "missbruk": 18,
        "vardagsstod": 18,
        "kris": 12,
        "familj": 8,
        "ekonomi": 8,
        "bostad": 8,
        "vald": 5,
    },
    "okand": _ADULT_NEEDS,
}
NEED_COUNT = {1: 70, 2: 25, 3: 5}
AREA = {"centrum": 30, "ryd": 15, "berga": 12, "lambohov": 12, "skaggetorp": 15, "landeryd": 16}
AREA_SHARE = 0.25  # contacts where the area was noted
NO_CONTENT = {
    NoContent.WRONG_NUMBER: 35,
    NoContent.SILENT: 15,
    NoContent.HUNG_UP: 35,
    NoContent.ABUSIVE: 5,
    NoContent.THANKS: 10,
}
# Age groups as years, to match the offerings' age limits.
AGE_YEARS = {
    "0-12": (0, 12),
    "13-17": (13, 17),
    "18-24": (18, 24),
    "25-64": (25, 64),
    "65-": (65, 120),
}
AUDIENCE_FIELDS = ("accepts_self", "accepts_parent", "accepts_relative", "accepts_professional")
# Who called → the offerings that take them (a relative may also pass on the person's own).
AUDIENCE = {
    Caller.SELF: ("accepts_self",),
    Caller.PARENT: ("accepts_parent",),
    Caller.RELATIVE: ("accepts_relative", "accepts_self"),
    Caller.PROFESSIONAL: ("accepts_professional",),
}

# How single contacts (not series) end, besides "without support" (whose number is fixed).
ACUTE_SHARE = 0.01
REPORT_SHARE = 0.03
APPLICATION_SHARE = 0.02


@dataclass
class Candidate:
    """A published offering, as the picking needs it."""

    pk: int
    route: str
    needs: frozenset[str]
    areas: frozenset[str]
    min_age: int
    max_age: int
    audiences: frozenset[str]

    @classmethod
    def from_offering(cls, offering: Offering) -> Candidate:
        return cls(
            pk=offering.pk,
            route=offering.route,
            needs=unmask(offering.needs_mask, NEED_BITS),
            areas=unmask(offering.areas_mask, AREA_BITS),
            min_age=offering.min_age or 0,
            max_age=offering.max_age if offering.max_age is not None else 200,
            audiences=frozenset(name for name in AUDIENCE_FIELDS if getattr(offering, name)),
        )


@dataclass
class Planned:
    """One synthetic row before it is written."""

    tidpunkt: datetime
    kanal: str = Channel.PHONE
    vem: str = Caller.UNKNOWN
    aldersgrupp: str = AgeGroup.UNKNOWN
    behov: list[str] = field(default_factory=list)
    utfall: list[str] = field(default_factory=list)
    insatser: list[int] = field(default_factory=list)
    omrade: str = ""
    minuter: int | None = None
    serie: str = ""
    utan_innehall: str = ""


class Seeder:
    """Plans the year's rows from a fixed random seed; touches no database."""

    def __init__(self, offerings: list[Candidate], yesterday: date, seed: int = RANDOM_SEED):
        self.offerings = offerings
        self.rng = random.Random(seed)  # noqa: S311 (demo data, not security)
        self.days = [yesterday - timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
        self.weights = [self._day_weight(day) for day in self.days]

    # --- the plan --------------------------------------------------------------------------

    def plan(self) -> list[Planned]:
        rows = [row for number in range(1, SERIES + 1) for row in self._series(number)]
        singles = CONTACTS - len(rows)
        series_without = sum(_without_support(row) for row in rows)
        outcomes = self._single_outcomes(singles, WITHOUT_SUPPORT - series_without)
        rows += [self._single(outcome) for outcome in outcomes]
        rows += [self._no_content() for _ in range(round(CONTACTS * NO_CONTENT_SHARE))]
        rows.sort(key=lambda row: row.tidpunkt)
        return rows

    def _single_outcomes(self, count: int, without: int) -> list[str]:
        """A shuffled deck: exactly `without` contacts end without further support."""
        deck = ["without"] * without
        deck += ["akut"] * round(count * ACUTE_SHARE)
        deck += ["orosanmalan"] * round(count * REPORT_SHARE)
        deck += ["ansokan"] * round(count * APPLICATION_SHARE)
        deck += ["hanvisad"] * (count - len(deck))
        self.rng.shuffle(deck)
        return deck

    def _single(self, outcome: str) -> Planned:
        rng = self.rng
        day = self._day()
        weekend = day.weekday() >= 5 or is_holiday(day)
        row = Planned(tidpunkt=self._moment(day))
        row.kanal = self._pick(WEEKEND_CHANNEL if weekend else CHANNEL)
        if outcome == "orosanmalan":
            row.vem = self._pick({"yrkesperson": 40, "narstaende": 25, "barn": 15, "okand": 15})
            row.aldersgrupp = self._pick({"0-12": 55, "13-17": 45})
            row.behov = self._needs({"familj": 40, "vald": 35, "missbruk": 25})
        elif outcome == "akut":
            row.kanal = Channel.PHONE if not weekend else Channel.CHAT
            row.vem = self._pick({"jag": 60, "narstaende": 30, "okand": 10})
            row.aldersgrupp = self._pick({"18-24": 30, "25-64": 60, "okand": 10})
            row.behov = self._needs({"kris": 45, "vald": 30, "psykisk-ohalsa": 25})
        elif outcome == "ansokan":
            row.vem = Caller.SELF
            row.aldersgrupp = self._pick({"18-24": 25, "25-64": 65, "65-": 10})
            row.behov = self._needs({"ekonomi": 50, "bostad": 30, "vardagsstod": 20})
        else:
            row.vem = self._pick(CALLER)
            row.aldersgrupp = self._pick(AGE_BY_CALLER[row.vem])
            # Only a contact that led nowhere may have had no need worth noting.
            row.behov = self._needs(
                NEEDS_BY_AGE[row.aldersgrupp], may_be_empty=outcome == "without"
            )
        if rng.random() < AREA_SHARE:
            row.omrade = self._pick(AREA)
        row.utfall, row.insatser = self._outcome(outcome, row)
        row.minuter = self._minutes(row.kanal)
        return row

    def _outcome(self, outcome: str, row: Planned) -> tuple[list[str], list[int]]:
        rng = self.rng
        codes: set[str] = set()
        offerings: list[Candidate] = []
        if outcome == "without":
            codes.add(Outcome.NO_ACTION if rng.random() < 0.1 else Outcome.ADVICE)
        elif outcome == "akut":
            codes.add(Outcome.EMERGENCY)
            if rng.random() < 0.4:
                offerings = self._offerings(row, 1)
        elif outcome == "orosanmalan":
            codes.add(Outcome.REPORT)
            if rng.random() < 0.5:
                offerings = self._offerings(row, 1)
        elif outcome == "ansokan":
            codes.add(Outcome.APPLICATION)
        else:
            offerings = self._offerings(row, self._pick({1: 72, 2: 23, 3: 5}))
        if outcome != "without" and rng.random() < 0.7:
            codes.add(Outcome.ADVICE)
        if offerings:
            codes.add(Outcome.NAVIGATED)
            routes = {offering.route for offering in offerings}
            if ("bistand" in routes and rng.random() < 0.8) or (
                "service-och-bistand" in routes and rng.random() < 0.15
            ):
                codes.add(Outcome.APPLICATION)
        return _in_order(codes), [offering.pk for offering in offerings]

    def _series(self, number: int) -> list[Planned]:
        """4–5 sessions about a week apart, the first booking the rest."""
        rng = self.rng
        sessions = rng.choice((4, 5))
        days = self._session_days(sessions)
        vem = self._pick({"jag": 70, "narstaende": 30})
        aldersgrupp = self._pick({"18-24": 25, "25-64": 65, "65-": 10})
        needs = {"psykisk-ohalsa": 35, "kris": 20, "familj": 15, "separation": 15, "vald": 5}
        if vem == Caller.RELATIVE:
            needs["missbruk"] = 20
        behov = self._needs(needs)
        code = f"{SERIES_PREFIX}-{number:04d}"
        rows = []
        for session, day in enumerate(days):
            kanal = Channel.PHONE if rng.random() < 0.15 else Channel.VISIT
            row = Planned(
                tidpunkt=_aware(day, rng.choice((9, 10, 11, 13, 14, 15)), rng.choice((0, 30))),
                kanal=kanal,
                vem=vem,
                aldersgrupp=aldersgrupp,
                behov=list(behov),
                utfall=[Outcome.ADVICE],
                minuter=rng.randint(35, 45),
                serie=code,
            )
            if session == 0:
                row.utfall = [Outcome.ADVICE, Outcome.SESSIONS]
            elif session == sessions - 1 and rng.random() < 0.35:
                offerings = self._offerings(row, 1)
                row.insatser = [offering.pk for offering in offerings]
                row.utfall = _in_order({Outcome.ADVICE, Outcome.NAVIGATED})
            rows.append(row)
        return rows

    def _session_days(self, sessions: int) -> list[date]:
        """Weekdays about a week apart, all by yesterday."""
        rng = self.rng
        latest = len(self.days) - 10 * sessions  # room for the sessions after the first
        while True:
            day = rng.choices(self.days[:latest], weights=self.weights[:latest])[0]
            days = [self._next_weekday(day)]
            while len(days) < sessions:
                gap = rng.choice((6, 7, 7, 7, 8))
                days.append(self._next_weekday(days[-1] + timedelta(days=gap)))
            if days[-1] <= self.days[-1]:
                return days

    def _no_content(self) -> Planned:
        day = self._day()
        return Planned(tidpunkt=self._moment(day), utan_innehall=self._pick(NO_CONTENT))

    # --- offerings -------------------------------------------------------------------------

    def _offerings(self, row: Planned, count: int) -> list[Candidate]:
        """`count` different offerings that fit the contact, the more specific the likelier.

        Fit is: one of the needs, the age group, who called, and the area (city-wide ones fit
        everywhere); when nothing fits, the caller, then the age, then the area and last the
        needs are let go, so a contact sent somewhere always has an offering.
        """
        needs = set(row.behov) or set(NEEDS)
        years = AGE_YEARS.get(row.aldersgrupp)
        audiences = AUDIENCE.get(row.vem)

        def fits(candidate: Candidate, need: int, audience: int, age: int, area: int) -> bool:
            return (
                (not need or bool(candidate.needs & needs))
                and (not audience or not audiences or bool(candidate.audiences & set(audiences)))
                and (
                    not age
                    or years is None
                    or (candidate.min_age <= years[1] and candidate.max_age >= years[0])
                )
                and (
                    not area
                    or WHOLE_MUNICIPALITY in candidate.areas
                    or (row.omrade and row.omrade in candidate.areas)
                )
            )

        pool: list[Candidate] = []
        for rules in ((1, 1, 1, 1), (1, 0, 1, 1), (1, 0, 0, 1), (1, 0, 0, 0), (0, 0, 0, 0)):
            pool = [candidate for candidate in self.offerings if fits(candidate, *rules)]
            if pool:
                break
        chosen: list[Candidate] = []
        while pool and len(chosen) < count:
            # A broad offering (every need) is a worse answer than one made for this need;
            # a relative is sent to support for relatives rather than to the person's own.
            weights = [
                (len(c.needs & needs) or 0.5)
                / max(len(c.needs), 1)
                * (2 if row.vem == Caller.RELATIVE and "accepts_relative" in c.audiences else 1)
                for c in pool
            ]
            pick = self.rng.choices(pool, weights=weights)[0]
            chosen.append(pick)
            pool.remove(pick)
        return chosen

    # --- small draws -----------------------------------------------------------------------

    def _pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _needs(self, weights: dict[str, int], *, may_be_empty: bool = False) -> list[str]:
        if may_be_empty and self.rng.random() < 0.03:
            return []
        count = min(self._pick(NEED_COUNT), len(weights))
        chosen: set[str] = set()
        while len(chosen) < count:
            chosen.add(self._pick(weights))
        return [need for need in NEEDS if need in chosen]

    def _minutes(self, kanal: str) -> int:
        rng = self.rng
        if kanal == Channel.PHONE:
            return round(rng.triangular(3, 45, 10))
        if kanal == Channel.VISIT:
            return rng.randint(15, 45)
        if kanal == Channel.CHAT:
            return rng.randint(5, 30)
        return rng.randint(3, 15)

    def _day(self) -> date:
        return self.rng.choices(self.days, weights=self.weights)[0]

    def _moment(self, day: date) -> datetime:
        return _aware(day, self._pick(HOUR_WEIGHT), self.rng.randrange(60))

    def _next_weekday(self, day: date) -> date:
        while day.weekday() >= 5 or is_holiday(day):
            day += timedelta(days=1)
        return day

    @staticmethod
    def _day_weight(day: date) -> float:
        weight = HOLIDAY_WEIGHT if is_holiday(day) else WEEKDAY_WEIGHT[day.weekday()]
        return weight * MONTH_WEIGHT[day.month - 1]


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _in_order(codes: set[str]) -> list[str]:
    return [code for code in Outcome.values if code in codes]


def _without_support(row: Planned) -> bool:
    return not row.utan_innehall and not row.insatser and set(row.utfall) <= ENDED_WITHOUT_SUPPORT


def synthetic_author():
    """The inactive account the rows are logged by; refuses to take over a real account."""
    user, created = get_user_model().objects.get_or_create(
        username=SYNTHETIC_USERNAME,
        defaults={"is_active": False, "first_name": "Syntetisk testdata"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif user.is_active or user.has_usable_password():
        raise CommandError(
            f"Kontot {SYNTHETIC_USERNAME} finns redan och används. Syntetiska samtal skapas inte."
        )
    return user


@transaction.atomic
def seed_synthetic_calls(*, today: date | None = None) -> list[Planned]:
    """Write the year's synthetic rows (nothing else), the default municipality's navigator's
    calls to its offerings; returns what was written."""
    place = municipalities.default()
    # An offering for every need (Mottagningen's "find the right support") is the way in that
    # the caller already took, not a place to send them.
    offerings = [
        Candidate.from_offering(offering)
        for offering in Offering.objects.published().for_place(place).order_by("pk")
        if unmask(offering.needs_mask, NEED_BITS) != set(NEEDS)
    ]
    if not offerings:
        raise CommandError("Katalogen är tom. Läs in den först: manage.py load_catalogue")
    today = today or timezone.localdate()
    rows = Seeder(offerings, today - timedelta(days=1)).plan()
    author = synthetic_author()
    entries = CallLogEntry.objects.bulk_create(
        [
            CallLogEntry(
                tidpunkt=row.tidpunkt,
                kanal=row.kanal,
                vem=row.vem,
                aldersgrupp=row.aldersgrupp,
                behov=row.behov,
                utfall=row.utfall,
                omrade=row.omrade,
                minuter=row.minuter,
                serie=row.serie,
                utan_innehall=row.utan_innehall,
                author=author,
                municipality_id=place.id or default_municipality_id(),
                created_at=row.tidpunkt + timedelta(minutes=(row.minuter or 0) + 2),
                syntetisk=True,
            )
            for row in rows
        ],
        batch_size=500,
    )
    through = CallLogEntry.insatser.through
    through.objects.bulk_create(
        [
            through(calllogentry_id=entry.pk, offering_id=offering)
            for entry, row in zip(entries, rows, strict=True)
            for offering in row.insatser
        ],
        batch_size=500,
    )
    return rows


class Command(BaseCommand):
    help = (
        "Seeds a year of synthetic call-log data (about 1,200 contacts, marked syntetisk) for "
        "local demos. Refused unless DEBUG is on; remove it with remove_synthetic_calls."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ersatt",
            action="store_true",
            help="Replace synthetic data that already exists (otherwise nothing is done).",
        )
        parser.add_argument(
            "--tillat-utan-debug",
            action="store_true",
            help="Seed even though DEBUG is off (never on a real installation).",
        )

    def handle(self, *args, ersatt: bool = False, tillat_utan_debug: bool = False, **options):
        if not settings.DEBUG and not tillat_utan_debug:
            raise CommandError(
                "Syntetiska samtal skapas bara lokalt (DJANGO_DEBUG=1). "
                "Använd --tillat-utan-debug om du verkligen vill."
            )
        today = timezone.localdate()
        with transaction.atomic():
            existing = CallLogEntry.objects.filter(syntetisk=True).count()
            if existing and not ersatt:
                self.stdout.write(
                    f"Det finns redan {existing} syntetiska samtal; inget nytt skapades "
                    "(--ersatt skapar dem på nytt)."
                )
                return
            if existing:
                remove_synthetic_calls()
            rows = seed_synthetic_calls(today=today)
        contacts = [row for row in rows if not row.utan_innehall]
        without = sum(_without_support(row) for row in contacts)
        series = len({row.serie for row in rows if row.serie})
        replaced = f" ({existing} tidigare ersatta)" if existing else ""
        self.stdout.write(
            f"Syntetiska samtal {today - timedelta(days=DAYS)}–{today - timedelta(days=1)}: "
            f"{len(contacts)} kontakter ({without} utan vidare stöd, {series} samtalsserier) "
            f"och {len(rows) - len(contacts)} samtal utan innehåll{replaced}. "
            "Ta bort dem med manage.py remove_synthetic_calls."
        )
