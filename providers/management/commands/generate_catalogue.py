"""Generate a synthetic, clearly marked benchmark catalogue (never for production data).

    python manage.py generate_catalogue --offerings 60000 --kommuner 290 --seed 1
    python manage.py generate_catalogue --remove

The offerings are spread over municipalities `test-1` … `test-N` (is_generated, DOMAIN.md) with
a realistic spread of sizes: a Zipf-like curve, `test-1` the largest (about 3,000 of 60,000),
most of them small. Each has its own social office (myndighet), navigator and emergency line,
with the offerings the guide's fixed sections need, set as the municipality's roles. Routes
vary per municipality, including `okand` where it "has not said". Every generated provider's
and offering's slug starts with `bench-` and every provider's name with "[Testdata]", so they
can be told apart and removed (`--remove`, which also removes the generated municipalities).
Deterministic for a given seed; written with bulk inserts.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from providers import ranked_search, vocabulary
from providers.cache import catalogue_version_bump_on_commit
from providers.models import (
    Area,
    ContactPoint,
    Format,
    HoursException,
    Location,
    Method,
    Municipality,
    Need,
    Offering,
    OfferingStaffFacts,
    Provider,
    Route,
    SearchPosting,
    WeeklyHours,
)
from providers.search import normalise
from providers.services import search_terms_add

PREFIX = "bench-"
MUNICIPALITY_PREFIX = "test-"
MUNICIPALITIES = 290
OFFERINGS_PER_PROVIDER = 12
# Every municipality gets at least this many offerings: its fixed roles and a few more.
MIN_PER_MUNICIPALITY = 10
# Sizes follow (rank + SHIFT) ** -EXPONENT: at 60,000 offerings over 290 municipalities the
# largest has about 3,000, the median about 100 and the smallest about 45.
SHIFT, EXPONENT = 4, 1.1
BATCH = 2000
# 070-174 06 05, from the series PTS keeps for films and books: valid, stored normalised (as
# ContactPoint.clean() would), and never anyone's real number.
FICTION_PHONE = "+46701740605"

KINDS = [
    ("Stödsamtal", "Samtal med en kurator om det som känns svårt."),
    ("Boendestöd", "Praktiskt stöd i vardagen och i hemmet, några timmar i veckan."),
    ("Familjebehandling", "Samtal för hela familjen när det är svårt hemma."),
    ("Anhörigstöd", "Stöd till dig som står nära någon med problem."),
    ("Öppenvård beroende", "Behandling för dig som dricker, tar droger eller spelar för mycket."),
    ("Sysselsättning", "Meningsfull sysselsättning på dagarna och stöd till arbete."),
    ("Krisstöd", "Snabbt stöd när något svårt har hänt."),
    ("Gruppverksamhet för barn", "Grupper för barn och unga som har det svårt hemma."),
    ("Skuldrådgivning", "Hjälp att få ordning på ekonomin och skulderna."),
    ("Boende med stöd", "Ett boende med personal för dig som behöver mer stöd."),
]
PLACES = [
    "norr",
    "söder",
    "öster",
    "väster",
    "centrum",
    "hamnen",
    "skogen",
    "ängen",
    "ån",
    "torget",
]


# The offerings every municipality has, in this order (a very small one has only the first):
# (role of the provider, name, summary, route, needs, audiences self/parent/relative/professional)
ROLE_OFFERINGS = [
    (
        "emergency",
        "Akut hjälp kvällar och helger",
        "Ring socialjouren när socialkontoret är stängt och någon behöver akut hjälp.",
        Route.SERVICE,
        ["vald", "kris", "familj"],
        "1111",
    ),
    (
        "social_office",
        "Orosanmälan",
        "Anmäl oro för ett barn som kan fara illa.",
        Route.SERVICE,
        ["vald", "familj"],
        "1111",
    ),
    (
        "navigator",
        "Hjälp att hitta rätt stöd",
        "Ring och berätta vad som har hänt. Vi hjälper dig att hitta rätt stöd.",
        Route.SERVICE,
        vocabulary.NEEDS,
        "1111",
    ),
    (
        "social_office",
        "Ansökan om stöd för barn och familj",
        "Ansök om stöd när det är svårt i familjen.",
        Route.BISTAND,
        ["familj", "psykisk-ohalsa", "missbruk", "bostad"],
        "1101",
    ),
    (
        "social_office",
        "Ekonomiskt bistånd",
        "Ansök om pengar till det nödvändigaste när inget annat räcker.",
        Route.BISTAND,
        ["ekonomi"],
        "1001",
    ),
    (
        "navigator",
        "Rådgivande samtal",
        "Några samtal med en kurator, utan ansökan.",
        Route.SERVICE,
        ["kris", "psykisk-ohalsa", "familj", "separation"],
        "1110",
    ),
    (
        "social_office",
        "Boende med stöd",
        "Ansök om ett boende med personal.",
        Route.BISTAND,
        ["bostad", "missbruk", "psykisk-ohalsa"],
        "1001",
    ),
]
ROLE_PROVIDERS = {
    "social_office": ("socialkontoret", "Socialkontoret", Provider.OrganisationForm.AUTHORITY),
    "navigator": ("mottagningen", "Mottagningen", Provider.OrganisationForm.MUNICIPAL),
    "emergency": ("socialjouren", "Socialjouren", Provider.OrganisationForm.AUTHORITY),
}
# How often each stated route occurs; the share left unstated (`okand`) varies by municipality.
STATED_ROUTES = {Route.SERVICE: 5, Route.BISTAND: 3, Route.SERVICE_OCH_BISTAND: 4}


class Command(BaseCommand):
    help = (
        "Creates N synthetic offerings over generated municipalities test-1 … test-K for "
        "benchmarks, marked [Testdata] with bench- slugs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--offerings", type=int, default=6000)
        parser.add_argument(
            "--kommuner", type=int, default=MUNICIPALITIES, help="municipalities test-1 … test-N"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--remove", action="store_true", help="only remove generated data")

    def handle(self, *args, offerings: int, kommuner: int, seed: int, remove: bool, **options):
        if offerings < 0:
            raise CommandError("--offerings must be 0 or more")
        if kommuner < 1:
            raise CommandError("--kommuner must be 1 or more")
        started = time.perf_counter()
        removed = remove_generated()
        if remove:
            self.stdout.write(f"Tog bort {removed} genererade utförare.")
            return
        created = generate(offerings=offerings, seed=seed, municipalities=kommuner)
        seconds = time.perf_counter() - started
        count = Municipality.objects.filter(is_generated=True).count()
        self.stdout.write(
            f"Skapade {created} testinsatser i {count} testkommuner på {seconds:.1f} s."
        )


def municipality_sizes(offerings: int, municipalities: int) -> list[int]:
    """How many offerings each generated municipality gets, largest first; sums to
    `offerings`. Fewer municipalities when there are too few offerings to go round."""
    if offerings <= 0:
        return []
    count = max(1, min(municipalities, offerings // MIN_PER_MUNICIPALITY))
    floor = min(MIN_PER_MUNICIPALITY, offerings // count)
    weights = [(rank + SHIFT) ** -EXPONENT for rank in range(1, count + 1)]
    spare = offerings - floor * count
    total = sum(weights)
    sizes = [floor + int(spare * w / total) for w in weights]
    for index in range(offerings - sum(sizes)):  # the rounding's remainder, largest first
        sizes[index % count] += 1
    return sizes


@transaction.atomic
def remove_generated() -> int:
    """Delete every generated row with plain DELETE statements; returns how many providers.

    The ORM's delete() would write a history record for each of tens of thousands of rows
    (django-simple-history listens to deletes); test data needs no history. The ids are read
    once and deleted in batches through the tables' own indexes: a DELETE … IN (subquery)
    leaves the plan to the statistics, and with stale ones (a test database after many
    rolled-back writes) PostgreSQL once chose a plan that ran past the statement timeout.
    """
    # Table and column names come from the models, never from input.
    with connection.cursor() as cursor:
        providers = list(
            Provider.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True)
        )
        places = list(Municipality.objects.filter(is_generated=True).values_list("pk", flat=True))
        if not providers and not places:
            return 0
        offerings = _ids_where(cursor, Offering, "provider_id", providers)
        points = _ids_where(cursor, ContactPoint, "provider_id", providers)
        by_target = {Offering: offerings, Provider: providers, Municipality: places}
        statements = []
        # Every many-to-many table that links to a generated row (needs, areas, serves, staff, …).
        for model in apps.get_models(include_auto_created=True):
            if not model._meta.auto_created:
                continue
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                if getattr(field, "many_to_one", False) and target in by_target:
                    statements.append((model, field.column, by_target[target]))
        statements += [
            (OfferingStaffFacts, "offering_id", offerings),
            (SearchPosting, "offering_id", offerings),
            (WeeklyHours, "contact_point_id", points),
            (HoursException, "contact_point_id", points),
            (ContactPoint, "provider_id", providers),
            (Location, "provider_id", providers),
            (Offering, "provider_id", providers),
            (Provider, "id", providers),
            (Municipality, "id", places),
        ]
        # The roles point at generated rows: let go of them first.
        roles = ", ".join(
            f"{name}_id = NULL"
            for name in (
                "navigator",
                "social_office",
                "emergency",
                "navigation_offering",
                "report_offering",
            )
        )
        cursor.execute(
            f"UPDATE {Municipality._meta.db_table} SET {roles} WHERE is_generated = %s",  # noqa: S608
            [True],
        )
        for model, column, ids in statements:
            for batch, marks in _batches(ids):
                sql = f"DELETE FROM {model._meta.db_table} WHERE {column} IN ({marks})"  # noqa: S608
                cursor.execute(sql, batch)
    catalogue_version_bump_on_commit()
    return len(providers)


def _batches(ids: list[int]):
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        yield batch, ", ".join(["%s"] * len(batch))


def _ids_where(cursor, model, column: str, values: list[int]) -> list[int]:
    """The ids of `model`'s rows whose `column` is one of `values`."""
    found = []
    for batch, marks in _batches(values):
        cursor.execute(f"SELECT id FROM {model._meta.db_table} WHERE {column} IN ({marks})", batch)  # noqa: S608
        found += [row[0] for row in cursor.fetchall()]
    return found


@transaction.atomic
def generate(*, offerings: int, seed: int, municipalities: int = MUNICIPALITIES) -> int:
    """Create `offerings` offerings over up to `municipalities` generated municipalities.

    Replaces the catalogue version when it commits (the pages' caches start afresh).
    Returns how many offerings it created.
    """
    rng = random.Random(seed)  # noqa: S311  (test data, not security)
    sizes = municipality_sizes(offerings, municipalities)
    if not sizes:
        return 0
    needs = {n.slug: n for n in Need.objects.all()}
    areas = list(Area.objects.all())
    whole = next(a for a in areas if a.slug == Area.WHOLE_MUNICIPALITY)
    local_areas = [a for a in areas if a is not whole]
    methods = list(Method.objects.all())
    today = dt.date.today()

    places = [
        Municipality(
            slug=f"{MUNICIPALITY_PREFIX}{rank}",
            name=f"Testkommun {rank}",
            name_en=f"Test municipality {rank}",
            is_generated=True,
        )
        for rank in range(1, len(sizes) + 1)
    ]
    Municipality.objects.bulk_create(places, batch_size=BATCH)
    places = list(Municipality.objects.filter(is_generated=True))
    places.sort(key=lambda m: int(m.slug.removeprefix(MUNICIPALITY_PREFIX)))

    # Per municipality: its role providers, then ordinary providers of 12 offerings each.
    providers: list[Provider] = []
    plan = []  # per offering: (municipality, provider index, role offering or None)
    habits = []  # per municipality: how it describes its offer
    for place, size in zip(places, sizes, strict=True):
        rank = place.slug.removeprefix(MUNICIPALITY_PREFIX)
        habits.append(
            {
                # Many municipalities never say whether an application is needed (seed 000).
                "unstated": rng.choice([0.0, 0.05, 0.15, 0.3, 0.3, 0.5, 0.7]),
                "hours": rng.choice([0.5, 0.8, 0.95, 1.0]),
                "promise": rng.choice([0.0, 0.1, 0.3, 0.6]),
                "reviewed": rng.choice([0.2, 0.6, 0.9, 1.0]),
            }
        )
        role_index = {}
        for role in dict.fromkeys(r[0] for r in ROLE_OFFERINGS[: min(size, len(ROLE_OFFERINGS))]):
            slug, name, form = ROLE_PROVIDERS[role]
            role_index[role] = len(providers)
            providers.append(
                Provider(
                    municipality_id=place.pk,
                    slug=f"{PREFIX}{place.slug}-{slug}",
                    name=f"[Testdata] {name}, Testkommun {rank}",
                    organisation_form=form,
                    description="Genererad för prestandamätning. Inte en riktig verksamhet.",
                    last_reviewed=today,
                )
            )
        roles = ROLE_OFFERINGS[:size]
        for role in roles:
            plan.append((place, role_index[role[0]], role))
        ordinary = size - len(roles)
        for n in range(-(-ordinary // OFFERINGS_PER_PROVIDER)):
            index = len(providers)
            providers.append(
                Provider(
                    municipality_id=place.pk,
                    slug=f"{PREFIX}{place.slug}-{n + 1}",
                    name=f"[Testdata] Utförare {n + 1}, Testkommun {rank}",
                    organisation_form=rng.choice(Provider.OrganisationForm.values[:3]),
                    description="Genererad för prestandamätning. Inte en riktig verksamhet.",
                    last_reviewed=today,
                )
            )
            count = min(OFFERINGS_PER_PROVIDER, ordinary - n * OFFERINGS_PER_PROVIDER)
            plan += [(place, index, None)] * count
    Provider.objects.bulk_create(providers, batch_size=BATCH)
    saved = {p.slug: p for p in Provider.objects.filter(slug__startswith=PREFIX)}
    providers = [saved[p.slug] for p in providers]
    place_habits = {place.pk: habit for place, habit in zip(places, habits, strict=True)}

    rows, chosen = [], []
    for n, (place, provider_index, role) in enumerate(plan):
        provider = providers[provider_index]
        habit = place_habits[place.pk]
        if role is not None:
            _role, name, text, route, need_slugs, audiences = role
            picked_needs = [needs[s] for s in need_slugs if s in needs]
            picked_areas = [whole]
            picked_methods = []
            min_age = max_age = None
            flags = [c == "1" for c in audiences]
            summary = text
        else:
            kind, text = KINDS[n % len(KINDS)]
            name = f"{kind} {rng.choice(PLACES)} {n}"
            summary = f"{text} Testdata för prestandamätning."
            if rng.random() < habit["unstated"]:
                route = Route.OKAND
            else:
                route = rng.choices(list(STATED_ROUTES), weights=STATED_ROUTES.values())[0]
            min_age = rng.choice([None, None, 0, 6, 13, 18, 18, 18, 65])
            max_age = (
                rng.choice([None, 12, 17, 20, 25]) if min_age is None or min_age < 18 else None
            )
            if min_age is not None and max_age is not None and max_age < min_age:
                max_age = None
            picked_needs = rng.sample(list(needs.values()), rng.randint(1, 3))
            picked_areas = (
                [whole] if rng.random() < 0.8 else rng.sample(local_areas, rng.randint(1, 2))
            )
            picked_methods = rng.sample(methods, min(len(methods), rng.randint(0, 2)))
            flags = [rng.random() < p for p in (0.9, 0.4, 0.3, 0.5)]
        search = " ".join(
            [name, summary, provider.name]
            + [x.name for x in picked_needs + picked_areas + picked_methods]
            + [x.name_en for x in picked_needs]
        )
        reviewed = rng.random() < habit["reviewed"]
        rows.append(
            Offering(
                provider_id=provider.pk,
                municipality_id=place.pk,  # bulk_create skips save(), which would set it
                slug=f"{PREFIX}{n}",
                name=name,
                summary=summary,
                description=f"{text} Här står mer om hur stödet går till och vem som kan få det.",
                route=route,
                service_hours_cap=6
                if route == Route.SERVICE_OCH_BISTAND and rng.random() < 0.3
                else None,
                min_age=min_age,
                max_age=max_age,
                accepts_self=flags[0],
                accepts_parent=flags[1],
                accepts_relative=flags[2],
                accepts_professional=flags[3],
                anonymity_possible=rng.random() < 0.3,
                formats=rng.sample(Format.values, 2),
                response_promise_days=rng.choice([7, 14])
                if rng.random() < habit["promise"]
                else None,
                last_reviewed=today - dt.timedelta(days=rng.randint(0, 150))
                if reviewed
                else today - dt.timedelta(days=rng.randint(200, 900)),
                search_text=normalise(search),
                needs_mask=vocabulary.mask((x.slug for x in picked_needs), vocabulary.NEED_BITS),
                areas_mask=vocabulary.mask((x.slug for x in picked_areas), vocabulary.AREA_BITS),
            )
        )
        chosen.append((picked_needs, picked_areas, picked_methods))
    Offering.objects.bulk_create(rows, batch_size=BATCH)
    by_slug = dict(
        Offering.objects.filter(slug__startswith=PREFIX).values_list("slug", "pk").iterator()
    )

    need_rows, area_rows, method_rows = [], [], []
    for n, (picked_needs, picked_areas, picked_methods) in enumerate(chosen):
        pk = by_slug[f"{PREFIX}{n}"]
        need_rows += [Offering.needs.through(offering_id=pk, need_id=x.pk) for x in picked_needs]
        area_rows += [Offering.areas.through(offering_id=pk, area_id=x.pk) for x in picked_areas]
        method_rows += [
            Offering.methods.through(offering_id=pk, method_id=x.pk) for x in picked_methods
        ]
    Offering.needs.through.objects.bulk_create(need_rows, batch_size=BATCH * 5)
    Offering.areas.through.objects.bulk_create(area_rows, batch_size=BATCH * 5)
    Offering.methods.through.objects.bulk_create(method_rows, batch_size=BATCH * 5)

    # A few offerings also take residents of another (smaller) municipality (like Kinda's
    # families at Linköping's Sociala jouren).
    serves = []
    for n, (place, _provider, role) in enumerate(plan):
        if role is None and len(places) > 1 and rng.random() < 0.005:
            others = rng.sample(places, min(len(places), 3))
            serves += [
                Offering.serves.through(offering_id=by_slug[f"{PREFIX}{n}"], municipality_id=o.pk)
                for o in others
                if o.pk != place.pk
            ]
    Offering.serves.through.objects.bulk_create(serves, batch_size=BATCH * 5)

    # The municipalities' roles: their own social office, navigator and emergency line.
    first = {}
    for n, (place, provider_index, role) in enumerate(plan):
        if role is not None:
            first.setdefault((place.pk, role[1]), by_slug[f"{PREFIX}{n}"])
            first.setdefault((place.pk, role[0]), providers[provider_index].pk)
    for place in places:
        place.social_office_id = first.get((place.pk, "social_office"))
        place.navigator_id = first.get((place.pk, "navigator"))
        place.emergency_id = first.get((place.pk, "emergency"))
        place.navigation_offering_id = first.get((place.pk, ROLE_OFFERINGS[2][1]))
        place.report_offering_id = first.get((place.pk, ROLE_OFFERINGS[1][1]))
    Municipality.objects.bulk_update(
        places,
        ["social_office", "navigator", "emergency", "navigation_offering", "report_offering"],
        batch_size=BATCH,
    )

    # One phone per provider: weekday hours (some with an evening, some without stated hours);
    # the emergency line evenings and weekends, holidays too.
    emergency_ids = {place.emergency_id for place in places}
    points = [
        ContactPoint(
            provider_id=p.pk,
            kind=ContactPoint.Kind.PHONE,
            label="Telefon",
            value=FICTION_PHONE,
            open_on_holidays=p.pk in emergency_ids,
        )
        for p in providers
    ]
    ContactPoint.objects.bulk_create(points, batch_size=BATCH)
    hours = []
    habit_of = {p.pk: place_habits[p.municipality_id] for p in providers}
    for point in ContactPoint.objects.filter(provider__slug__startswith=PREFIX).order_by("pk"):
        if point.provider_id in emergency_ids:
            for weekday in range(7):
                opens = dt.time(16, 30) if weekday < 5 else dt.time(8)
                hours.append(
                    WeeklyHours(
                        contact_point=point, weekday=weekday, opens=opens, closes=dt.time(23)
                    )
                )
            continue
        if rng.random() >= habit_of[point.provider_id]["hours"]:
            continue  # hours not stated
        for weekday in range(5):
            hours.append(
                WeeklyHours(
                    contact_point=point, weekday=weekday, opens=dt.time(8), closes=dt.time(16, 30)
                )
            )
        if rng.random() < 0.3:
            hours.append(
                WeeklyHours(
                    contact_point=point,
                    weekday=rng.randint(0, 3),
                    opens=dt.time(17),
                    closes=dt.time(20),
                )
            )
    WeeklyHours.objects.bulk_create(hours, batch_size=BATCH * 5)
    search_terms_add(texts=(row.search_text for row in rows))
    ranked_search.postings_rebuild([row.pk for row in rows])
    catalogue_version_bump_on_commit()
    return len(rows)
