"""Benchmark the public pages at about 50, 6,000 and 60,000 offerings.

    make bench                      # SQLite (var/bench.sqlite3)
    DATABASE_URL=postgres://… make bench   # PostgreSQL: uses a separate <name>_bench database

Requests go through Django's full middleware stack in-process (no network), so the figures are
server time. A minimal view (/healthz/) through the same middleware is the baseline: read the
pages as multiples of it, which carries across machines. Prints a table, writes var/bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

PAGES = [
    ("baseline /healthz/", "/healthz/"),
    ("/stod/", "/stod/"),
    ("/stod/?q=samtal", "/stod/?q=samtal"),
    ("/stod/?q=alkohol familj", "/stod/?q=alkohol+familj"),
    ("/stod/?q=typo alkohl", "/stod/?q=alkohl"),
    ("/stod/ filters", "/stod/?behov=missbruk&alder=30&vag=service"),
    ("result: adult alcohol", "/hitta-stod/resultat/?vem=jag&alder=45&behov=missbruk"),
    ("result: child worry", "/hitta-stod/resultat/?vem=barn&alder=9&behov=psykisk-ohalsa"),
    (
        "result: relative, area, anon",
        "/hitta-stod/resultat/?vem=narstaende&alder=40&behov=missbruk&behov=psykisk-ohalsa&omrade=berga&anonym=ja",
    ),
    (
        "result: danger + child",
        "/hitta-stod/resultat/?vem=yrkesperson&alder=11&behov=vald&akut=ja&oro_barn=ja",
    ),
    ("offering page", "/stod/boendestod-psykiatri/"),
]
# Mottagningen's console, signed in as a navigator with both factors (see staff_client).
STAFF_PAGES = [
    ("console: alkohol anhörig", "/personal/mottagning/?q=alkohol+anh%C3%B6rig"),
    (
        "console: search + answers + slip",
        "/personal/mottagning/?q=samtal&vem=narstaende&alder=40&behov=missbruk"
        "&insats=anhorigstod-psykiatri",
    ),
]


def prepare_database() -> str:
    """Point DATABASE_URL at a throwaway benchmark database and return a label for it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = ROOT / "var" / "bench.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return "sqlite"
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    bench_name = f"{config['NAME']}_bench"
    admin = psycopg.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
    admin.execute(f'CREATE DATABASE "{bench_name}"')
    admin.close()
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + bench_name
    # Building a catalogue of 60 000 offerings may take longer than a resident's page may.
    os.environ.setdefault("DJANGO_DB_STATEMENT_TIMEOUT", "0")
    return "postgresql"


def measure(client, path: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm caches and connections
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        "queries": len(queries.captured_queries),
        "html_kb": round(len(response.content) / 1024, 1),
    }


def staff_client():
    """A test client signed in as a `mottagning` navigator, the second factor done."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _created = get_user_model().objects.get_or_create(username="bench-mottagning")
    user.groups.add(Group.objects.get(name="mottagning"))
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="50,6000,60000")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    database = prepare_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from providers import services
    from providers.management.commands.generate_catalogue import generate, remove_generated
    from providers.models import Offering

    call_command("migrate", verbosity=0)
    services.catalogue_load()
    real = Offering.objects.count()
    client = Client()
    report = {"database": database, "repeat": args.repeat, "sizes": {}}
    for size in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        remove_generated()
        generate(offerings=max(0, size - real), seed=1)
        if database == "postgresql":
            from django.db import connection

            # As autovacuum would soon: statistics, and the visibility map for index-only scans.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        built = time.perf_counter() - started
        total = Offering.objects.count()
        rows = {label: measure(client, path, args.repeat) for label, path in PAGES}
        navigator = staff_client()
        rows |= {label: measure(navigator, path, args.repeat) for label, path in STAFF_PAGES}
        report["sizes"][str(total)] = {"build_seconds": round(built, 1), "pages": rows}
        print_table(database, total, built, rows)
    out = ROOT / "var" / "bench.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nWrote {out.relative_to(ROOT)}")


def print_table(database: str, total: int, built: float, rows: dict) -> None:
    baseline = rows["baseline /healthz/"]["median_ms"] or 0.01
    print(f"\n{database}, {total} offerings (catalogue built in {built:.1f} s)")
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'× base':>7} {'queries':>8} {'KB':>6}")
    for label, row in rows.items():
        print(
            f"{label:34} {row['median_ms']:>10.2f} {row['p95_ms']:>8.2f} "
            f"{row['median_ms'] / baseline:>7.1f} {row['queries']:>8} {row['html_kb']:>6.1f}"
        )


if __name__ == "__main__":
    main()
