"""Benchmark the public pages: SQLite at about 50 and 6,000 offerings, PostgreSQL at 60,000
offerings over 290 generated municipalities (issue 9 §4), uncached and with the page cache.

    make bench                                 # both; PostgreSQL in a throwaway cluster
    make bench ARGS="--only postgresql"        # one of them
    DATABASE_URL=postgres://… make bench       # PostgreSQL: a separate <name>_bench database

Requests go through Django's full middleware stack in-process (no network), so the figures are
server time. A minimal view (/healthz/) through the same middleware is the baseline. Uncached
means the shared page cache is off (DJANGO_PAGE_CACHE=0); "cached" is the second hit of each
page with it on (Redis when redis-server is installed). Each database runs in a process of its
own (Django is set up once per process). Prints compact tables, writes var/bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from bench import infra  # noqa: E402

LARGEST = "kommun=test-1"
RESULTS = [
    ("result: adult alcohol", "vem=jag&alder=45&behov=missbruk"),
    ("result: child worry", "vem=barn&alder=9&behov=psykisk-ohalsa"),
    (
        "result: relative, area, anon",
        "vem=narstaende&alder=40&behov=missbruk&behov=psykisk-ohalsa&omrade=berga&anonym=ja",
    ),
    ("result: danger + child", "vem=yrkesperson&alder=11&behov=vald&akut=ja&oro_barn=ja"),
]
SEARCHES = [
    ("search: one word", "q=samtal", 20),
    ("search: several words", "q=alkohol+familj", 30),
    ("search: typo", "q=alkohl", 30),
]
# The default municipality (Linköping), as before issue 9: the SQLite run and context rows.
PAGES = [
    ("baseline /healthz/", "/healthz/"),
    ("/stod/", "/stod/"),
    ("/stod/?q=samtal", "/stod/?q=samtal"),
    ("/stod/?q=alkohol familj", "/stod/?q=alkohol+familj"),
    ("/stod/?q=typo alkohl", "/stod/?q=alkohl"),
    ("/stod/ filters", "/stod/?behov=missbruk&alder=30&vag=service"),
    *[(label, f"/hitta-stod/resultat/?{query}") for label, query in RESULTS],
    ("offering page", "/stod/boendestod-psykiatri/"),
]
# Issue 9 §4's targets: p95 in ms, uncached, at 60,000 offerings on PostgreSQL.
NATIONAL = [
    ("baseline /healthz/", "/healthz/", None),
    *[(f"{label} (test-1)", f"/hitta-stod/resultat/?{LARGEST}&{q}", 20) for label, q in RESULTS],
    *[(f"{label} (alla)", f"/stod/?{q}&kommun=alla", target) for label, q, target in SEARCHES],
    ("/stod/ test-1 filters", f"/stod/?{LARGEST}&behov=missbruk&alder=30&vag=service", None),
    ("offering page", "/stod/boendestod-psykiatri/", None),
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


def bench_database_url(url: str) -> str:
    """A separate `<name>_bench` database next to DATABASE_URL's, created afresh."""
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
    return url.rsplit("/", 1)[0] + "/" + bench_name


def measure(client, path: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm caches and connections (and, when on, the page cache)
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
        "p95_ms": round(times[max(0, int(len(times) * 0.95 + 0.5) - 1)], 2),
        "queries": len(queries.captured_queries),
        "html_kb": round(len(response.content) / 1024, 1),
    }


def staff_client():
    """A test client signed in as a `mottagning` navigator, the second factor done."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from providers.models import Municipality

    user, _created = get_user_model().objects.get_or_create(username="bench-mottagning")
    user.groups.add(Group.objects.get(name="mottagning"))
    # Staff see only their own municipality's rows: the navigator works in the default one.
    Municipality.objects.get(slug=settings.DEFAULT_MUNICIPALITY).staff.add(user)
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


# --- One database, in its own process ----------------------------------------------------------


def worker(args) -> None:
    """Build (unless --measure-only) and measure; print the rows as JSON on the last line."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from providers.models import Offering

    report = {"sizes": {}, "page_cache": getattr(settings, "PAGE_CACHE_SECONDS", None)}
    national = args.database == "postgresql"
    pages = [(label, path) for label, path, _target in NATIONAL] if national else PAGES
    sizes = [None] if args.measure_only else [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        built = 0.0
        if size is not None:
            built = infra.build_catalogue(offerings=size)
        total = Offering.objects.count()
        client = Client()
        rows = {label: measure(client, path, args.repeat) for label, path in pages}
        if not args.measure_only:
            navigator = staff_client()
            rows |= {label: measure(navigator, path, args.repeat) for label, path in STAFF_PAGES}
        report["sizes"][str(total)] = {"build_seconds": round(built, 1), "pages": rows}
    print(json.dumps(report))


def run_worker(database: str, url: str, args, *, extra: list[str], env: dict) -> dict:
    command = [sys.executable, __file__, "--worker", "--database", database]
    command += ["--repeat", str(args.repeat), *extra]
    env = dict(os.environ, **env, DATABASE_URL=url)
    # Building 60,000 offerings may take longer than a resident's page may.
    env.setdefault("DJANGO_DB_STATEMENT_TIMEOUT", "0")
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"The {database} benchmark failed.")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_sqlite(args) -> dict:
    path = ROOT / "var" / "bench.sqlite3"
    path.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    # The page cache off: SQLite's figures are the pages' own work.
    report = run_worker(
        "sqlite",
        f"sqlite:///{path}",
        args,
        extra=["--sizes", args.sqlite_sizes],
        env={"DJANGO_PAGE_CACHE": "0"},
    )
    for total, size in report["sizes"].items():
        print_table(f"SQLite, {total} offerings", size, targets=None)
    return report


def run_postgresql(args) -> dict:
    started = []
    try:
        url = os.environ.get("DATABASE_URL", "")
        if url:
            url = bench_database_url(url)
            where = "PostgreSQL (DATABASE_URL, a _bench database)"
        else:
            server = infra.Postgres()
            started.append(server)
            url = server.create_database()
            where = "PostgreSQL (throwaway cluster)"
        cache_env = {}
        if not os.environ.get("REDIS_URL") and infra.shutil.which("redis-server"):
            redis = infra.Redis()
            started.append(redis)
            cache_env["REDIS_URL"] = redis.url
        uncached = run_worker(
            "postgresql",
            url,
            args,
            extra=["--sizes", args.pg_sizes],
            env={**cache_env, "DJANGO_PAGE_CACHE": "0"},
        )
        cached = run_worker(
            "postgresql",
            url,
            args,
            extra=["--measure-only"],
            env={**cache_env, "DJANGO_PAGE_CACHE": "1"},
        )
    finally:
        for server in reversed(started):
            server.close()
    targets = {label: target for label, _path, target in NATIONAL}
    cache_state = "on" if cached.get("page_cache") else "not available (PAGE_CACHE_SECONDS unset)"
    for total, size in uncached["sizes"].items():
        print_table(f"{where}, {total} offerings, uncached", size, targets=targets)
    for total, size in cached["sizes"].items():
        print_table(
            f"{where}, {total} offerings, page cache {cache_state}, second hit",
            size,
            targets=None,
            only=[label for label, target in targets.items() if target],
        )
    return {"uncached": uncached, "cached": cached, "database": where}


def print_table(title: str, size: dict, *, targets: dict | None, only=None) -> None:
    rows = size["pages"]
    built = size["build_seconds"]
    print(f"\n{title}" + (f" (catalogue built in {built:.0f} s)" if built else ""))
    header = f"{'page':38} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'KB':>5}"
    print(header + (f" {'target p95':>10}" if targets else ""))
    for label, row in rows.items():
        if only and label not in only:
            continue
        line = (
            f"{label:38} {row['median_ms']:>7.1f} {row['p95_ms']:>7.1f} "
            f"{row['queries']:>7} {row['html_kb']:>5.0f}"
        )
        target = (targets or {}).get(label)
        if target:
            verdict = "ok" if row["p95_ms"] <= target else "OVER"
            line += f" {'≤ ' + str(target):>7} {verdict}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--sqlite-sizes", default="50,6000")
    parser.add_argument("--pg-sizes", default="60000")
    parser.add_argument("--repeat", type=int, default=40)
    # Internal: one database in its own process.
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", help=argparse.SUPPRESS)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    print(f"Machine: {infra.machine_load()}")
    report = {"repeat": args.repeat}
    if args.only in (None, "sqlite"):
        report["sqlite"] = run_sqlite(args)
    if args.only in (None, "postgresql"):
        if os.environ.get("DATABASE_URL") or infra.postgres_available():
            report["postgresql"] = run_postgresql(args)
        else:
            print("\nPostgreSQL: skipped (no DATABASE_URL and no initdb on this machine)")
    print(f"\nMachine afterwards: {infra.machine_load()}")
    out = ROOT / "var" / "bench.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
