"""Generate a synthetic, clearly marked benchmark catalogue (never for production data).

    python manage.py generate_catalogue --offerings 60000 --seed 1

Every generated provider's slug starts with `bench-` and its name with "[Testdata]", so they can
be told apart and removed (`--remove`). Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from providers import services, vocabulary
from providers.models import (
    Area,
    ContactPoint,
    Format,
    HoursException,
    Location,
    Method,
    Need,
    Offering,
    Provider,
    Route,
    WeeklyHours,
)
from providers.search import normalise

PREFIX = "bench-"
OFFERINGS_PER_PROVIDER = 12
PROVIDERS_PER_MUNICIPALITY = 16
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


class Command(BaseCommand):
    help = "Creates N synthetic offerings for benchmarks, marked [Testdata] with bench- slugs."

    def add_arguments(self, parser):
        parser.add_argument("--offerings", type=int, default=6000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--remove", action="store_true", help="only remove generated data")

    def handle(self, *args, offerings: int, seed: int, remove: bool, **options):
        if offerings < 0:
            raise CommandError("--offerings must be 0 or more")
        started = time.perf_counter()
        removed = remove_generated()
        # Written around the services for speed, so the version is replaced here: no server
        # keeps cached pages of the catalogue before (see providers.cache).
        if remove:
            services.catalogue_changed()
            self.stdout.write(f"Tog bort {removed} genererade utförare.")
            return
        created = generate(offerings=offerings, seed=seed)
        services.catalogue_changed()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Skapade {created} testinsatser på {seconds:.1f} s.")


@transaction.atomic
def remove_generated() -> int:
    """Delete every generated row with plain DELETE statements.

    The ORM's delete() would write a history record for each of tens of thousands of rows
    (django-simple-history listens to deletes); test data needs no history.
    """
    count = Provider.objects.filter(slug__startswith=PREFIX).count()
    if not count:
        return 0
    # Table and column names come from the models, never from input.
    providers = f"SELECT id FROM {Provider._meta.db_table} WHERE slug LIKE %s"  # noqa: S608
    offerings = f"SELECT id FROM {Offering._meta.db_table} WHERE provider_id IN ({providers})"  # noqa: S608
    points = f"SELECT id FROM {ContactPoint._meta.db_table} WHERE provider_id IN ({providers})"  # noqa: S608
    statements = [
        (WeeklyHours, "contact_point_id", points),
        (HoursException, "contact_point_id", points),
        (ContactPoint, "provider_id", providers),
        (Offering.needs.through, "offering_id", offerings),
        (Offering.areas.through, "offering_id", offerings),
        (Offering.methods.through, "offering_id", offerings),
        (Offering.locations.through, "offering_id", offerings),
        (Location, "provider_id", providers),
        (Offering, "provider_id", providers),
        (Provider, "id", providers),
    ]
    with connection.cursor() as cursor:
        for model, column, ids in statements:
            sql = f"DELETE FROM {model._meta.db_table} WHERE {column} IN ({ids})"  # noqa: S608
            cursor.execute(sql, [PREFIX + "%"])
    return count


@transaction.atomic
def generate(*, offerings: int, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311  (test data, not security)
    needs = list(Need.objects.all())
    areas = list(Area.objects.all())
    whole = next(a for a in areas if a.slug == Area.WHOLE_MUNICIPALITY)
    local_areas = [a for a in areas if a is not whole]
    methods = list(Method.objects.all())
    today = dt.date.today()

    provider_count = max(1, -(-offerings // OFFERINGS_PER_PROVIDER))
    providers = [
        Provider(
            slug=f"{PREFIX}{n}",
            name=f"[Testdata] Utförare {n}, kommun {n // PROVIDERS_PER_MUNICIPALITY + 1}",
            organisation_form=rng.choice(Provider.OrganisationForm.values[:3]),
            description="Genererad för prestandamätning. Inte en riktig verksamhet.",
            last_reviewed=today,
        )
        for n in range(provider_count)
    ]
    Provider.objects.bulk_create(providers, batch_size=BATCH)
    providers = list(Provider.objects.filter(slug__startswith=PREFIX).order_by("pk"))

    rows, chosen = [], []
    for n in range(offerings):
        provider = providers[n // OFFERINGS_PER_PROVIDER]
        kind, text = KINDS[n % len(KINDS)]
        place = rng.choice(PLACES)
        route = rng.choices(Route.values, weights=[5, 3, 4])[0]
        min_age = rng.choice([None, None, 0, 6, 13, 18, 18, 18, 65])
        max_age = rng.choice([None, 12, 17, 20, 25]) if min_age is None or min_age < 18 else None
        if min_age is not None and max_age is not None and max_age < min_age:
            max_age = None
        picked_needs = rng.sample(needs, rng.randint(1, 3))
        picked_areas = [whole] if rng.random() < 0.8 else rng.sample(local_areas, rng.randint(1, 2))
        picked_methods = rng.sample(methods, min(len(methods), rng.randint(0, 2)))
        name = f"{kind} {place} {n}"
        summary = f"{text} Testdata för prestandamätning."
        search = " ".join(
            [name, summary, provider.name]
            + [x.name for x in picked_needs + picked_areas + picked_methods]
            + [x.name_en for x in picked_needs]
        )
        rows.append(
            Offering(
                provider=provider,
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
                accepts_self=rng.random() < 0.9,
                accepts_parent=rng.random() < 0.4,
                accepts_relative=rng.random() < 0.3,
                accepts_professional=rng.random() < 0.5,
                anonymity_possible=rng.random() < 0.3,
                formats=rng.sample(Format.values, 2),
                response_promise_days=rng.choice([None, 7, 14]),
                last_reviewed=today,
                search_text=normalise(search),
                needs_mask=vocabulary.mask((x.slug for x in picked_needs), vocabulary.NEED_BITS),
                areas_mask=vocabulary.mask((x.slug for x in picked_areas), vocabulary.AREA_BITS),
            )
        )
        chosen.append((picked_needs, picked_areas, picked_methods))
    Offering.objects.bulk_create(rows, batch_size=BATCH)
    created = list(
        Offering.objects.filter(slug__startswith=PREFIX).order_by("pk").values_list("pk", "slug")
    )
    by_slug = dict((slug, pk) for pk, slug in created)

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

    # One phone per provider with weekday hours, some with an evening.
    points = [
        ContactPoint(provider=p, kind=ContactPoint.Kind.PHONE, label="Telefon", value=FICTION_PHONE)
        for p in providers
    ]
    ContactPoint.objects.bulk_create(points, batch_size=BATCH)
    hours = []
    for point in ContactPoint.objects.filter(provider__slug__startswith=PREFIX):
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
    services.search_terms_add(texts=(row.search_text for row in rows))
    return len(rows)
