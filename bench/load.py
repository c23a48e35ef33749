"""Load test: gunicorn on PostgreSQL and Redis, `wrk` replaying realistic URLs (issue 9 §4).

    make bench-load                       # installs wrk (Debian) if missing
    make bench-load ARGS="--seconds 30"

Starts its own throwaway PostgreSQL cluster and Redis, builds the catalogue at 60,000 offerings
over 290 generated municipalities, and serves it with gunicorn (the project's gunicorn.conf.py:
its worker count for this machine's cores). `wrk` then replays, through a Lua script reading a
URL list, a mix of distinct URLs with Zipf-like popularity (a few popular, most rare): guide
result pages over many municipalities and answer sets, and catalogue searches, first from a
cold page cache (mostly first visits in a 20 s run), then again after every distinct URL has
been visited once ("warm": a busy service's steady state); and, from the same server, a static
file (whitenoise). Prints requests per second of each and the ratio (target: the pages reach at
least a fifth of the static file's rate).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import infra  # noqa: E402

STATIC = "/static/css/site.css"
TARGET_RATIO = 1 / 5
LUA = r"""
-- Replays the paths in a file, one per line; each thread starts at its own place in it.
local paths = {}
local counter = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  counter = (offset or 0) * math.floor(#paths / 7)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
"""

AGES = [4, 9, 11, 14, 16, 19, 23, 30, 38, 45, 52, 67, 80]
AUDIENCES = ["jag", "barn", "narstaende", "yrkesperson"]
AREAS = ["", "", "", "", "centrum", "berga", "ryd", "orminge"]
WORDS = [
    "samtal",
    "alkohol",
    "familj",
    "boende",
    "skulder",
    "kris",
    "våld",
    "droger",
    "spel",
    "anhörig",
    "barn",
    "ekonomi",
    "stöd",
    "sysselsättning",
    "kurator",
    "grupp",
    "ungdom",
    "separation",
    "ångest",
    "hembesök",
]
TYPOS = ["alkohl", "samtl", "familij", "skuldr", "bonde", "drgoer", "anhrig", "kirs"]


def zipf_order(distinct: list[str], requests: int, rng: random.Random) -> list[str]:
    """`requests` paths drawn from `distinct` with popularity ∝ 1/rank, every one at least
    once, shuffled."""
    weights = [1 / rank for rank in range(1, len(distinct) + 1)]
    drawn = rng.choices(distinct, weights=weights, k=max(0, requests - len(distinct)))
    paths = distinct + drawn
    rng.shuffle(paths)
    return paths


def result_urls(municipalities: list[tuple[str, int]], count: int, rng: random.Random):
    from providers.vocabulary import NEEDS

    """Distinct guide result pages; municipalities drawn by size (residents ∝ offerings)."""
    slugs = [slug for slug, _size in municipalities]
    sizes = [size for _slug, size in municipalities]
    found: dict[str, None] = {}
    while len(found) < count:
        params = [("kommun", rng.choices(slugs, weights=sizes)[0])]
        params.append(("vem", rng.choice(AUDIENCES)))
        params.append(("alder", str(rng.choice(AGES))))
        for need in rng.sample(NEEDS, rng.choice([1, 1, 1, 2, 2, 3])):
            params.append(("behov", need))
        area = rng.choice(AREAS)
        if area:
            params.append(("omrade", area))
        for flag, share in (("akut", 0.1), ("oro_barn", 0.1), ("anonym", 0.15)):
            if rng.random() < share:
                params.append((flag, "ja"))
        found["/hitta-stod/resultat/?" + urllib.parse.urlencode(params)] = None
    return list(found)


def search_urls(municipalities: list[tuple[str, int]], count: int, rng: random.Random):
    slugs = ["alla"] + [slug for slug, _size in municipalities]
    sizes = [sum(size for _slug, size in municipalities)] + [s for _slug, s in municipalities]
    found: dict[str, None] = {}
    while len(found) < count:
        roll = rng.random()
        if roll < 0.6:
            words = [rng.choice(WORDS)]
        elif roll < 0.9:
            words = rng.sample(WORDS, 2)
        else:
            words = [rng.choice(TYPOS)]
        params = [("q", " ".join(words)), ("kommun", rng.choices(slugs, weights=sizes)[0])]
        found["/stod/?" + urllib.parse.urlencode(params)] = None
    return list(found)


def wrk(base: str, paths: Path | None, *, seconds: int, connections: int, threads: int) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command.append("--latency")
    if paths is None:
        command.append(base + STATIC)
    else:
        command += ["-s", str(paths.with_suffix(".lua")), base, "--", str(paths)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    found = {"raw": output}
    found["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    found["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    found["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    errors = re.search(r"Socket errors: (.*)", output)
    found["socket_errors"] = errors.group(1) if errors else ""
    for quantile in ("50", "99"):
        match = re.search(rf"^\s+{quantile}%\s+([\d.]+)(us|ms|s)\b", output, re.MULTILINE)
        if match:
            value, unit = float(match.group(1)), match.group(2)
            found[f"p{quantile}_ms"] = (
                value / 1000 if unit == "us" else value * (1000 if unit == "s" else 1)
            )
    return found


def visit_all(base: str, paths: list[str], *, workers: int) -> float:
    """GET every path once, `workers` at a time; the seconds it took."""
    from concurrent.futures import ThreadPoolExecutor

    def get(path: str) -> None:
        urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310 (our own server)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(get, paths))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offerings", type=int, default=60_000)
    parser.add_argument("--kommuner", type=int, default=290)
    parser.add_argument("--distinct", type=int, default=2500, help="distinct URLs per mix")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: its conf)")
    args = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed (make bench-load installs it).")
    if not infra.postgres_available():
        raise SystemExit("PostgreSQL (initdb) is not installed.")

    work = Path(tempfile.mkdtemp(prefix="stod-bench-load-"))
    started = []
    try:
        postgres = infra.Postgres()
        started.append(postgres)
        redis = infra.Redis()
        started.append(redis)
        url = postgres.create_database()
        env = infra.app_env(DATABASE_URL=url, REDIS_URL=redis.url)
        print(f"Machine: {infra.machine_load()}")
        print(f"Building {args.offerings} offerings over {args.kommuner} municipalities …")
        infra.django_setup(dict(env, DJANGO_DB_STATEMENT_TIMEOUT="0"))
        built = infra.build_catalogue(offerings=args.offerings, kommuner=args.kommuner)
        from django.db import connections
        from django.db.models import Count

        from providers.models import Municipality

        municipalities = list(
            Municipality.objects.annotate(size=Count("offerings"))
            .filter(size__gt=0)
            .values_list("slug", "size")
        )
        connections.close_all()
        print(f"  built in {built:.0f} s; {len(municipalities)} municipalities")

        rng = random.Random(9)  # noqa: S311  (test data)
        mixes = {
            "result pages": result_urls(municipalities, args.distinct, rng),
            "search": search_urls(municipalities, args.distinct, rng),
        }
        files = {}
        for name, distinct in mixes.items():
            path = work / f"{name.replace(' ', '-')}.txt"
            path.write_text("\n".join(zipf_order(distinct, 20 * len(distinct), rng)) + "\n")
            path.with_suffix(".lua").write_text(LUA)
            files[name] = path

        env.pop("DJANGO_DB_STATEMENT_TIMEOUT", None)
        if not (ROOT / "var" / "static" / STATIC.removeprefix("/static/")).exists():
            subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                cwd=ROOT,
                env=env,
                check=True,
            )
        server = infra.Gunicorn(env, workers=args.workers, log=work / "gunicorn.log")
        started.append(server)
        workers = len(re.findall(r"Booting worker", (work / "gunicorn.log").read_text()))
        for distinct in mixes.values():
            for path in distinct[:3]:
                try:
                    urllib.request.urlopen(server.base + path, timeout=30).read()  # noqa: S310
                except urllib.error.HTTPError as error:
                    log = (work / "gunicorn.log").read_text().splitlines()[-40:]
                    print("\n".join(log), file=sys.stderr)
                    message = f"{path} answered {error.code}; gunicorn's log above."
                    raise SystemExit(message) from None
        print(
            f"gunicorn: {workers} workers; wrk: {args.threads} threads, "
            f"{args.connections} connections, {args.seconds} s per run; "
            + ", ".join(f"{len(d)} distinct {name} URLs" for name, d in mixes.items())
        )
        # Warm each worker's imports, connections and the hot end of the page cache.
        for name in mixes:
            wrk(server.base, files[name], seconds=3, connections=args.connections, threads=2)

        results = {}
        for name in mixes:
            results[name] = wrk(
                server.base,
                files[name],
                seconds=args.seconds,
                connections=args.connections,
                threads=args.threads,
            )
        # The steady state: every distinct URL seen once within the cache's lifetime (a busy
        # service; a quiet one is nearer the first runs). Pages still expire on their own
        # schedule (opening hours, PAGE_CACHE_SECONDS) meanwhile.
        every = [path for distinct in mixes.values() for path in distinct]
        seconds = visit_all(server.base, every, workers=args.connections)
        print(f"Visited all {len(every)} distinct URLs once in {seconds:.0f} s")
        for name in mixes:
            results[f"{name}, warm"] = wrk(
                server.base,
                files[name],
                seconds=args.seconds,
                connections=args.connections,
                threads=args.threads,
            )
        results["static file"] = wrk(
            server.base,
            None,
            seconds=args.seconds,
            connections=args.connections,
            threads=args.threads,
        )
        print(f"Machine during the runs: {infra.machine_load()}")
    finally:
        for item in reversed(started):
            item.close()
        shutil.rmtree(work, ignore_errors=True)

    static = results["static file"]["rps"]
    print(f"\n{'':20} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}  vs static")
    failed = False
    for name, found in results.items():
        errors = found["non_2xx"] + (1 if found["socket_errors"] else 0)
        failed |= errors > 0
        ratio = found["rps"] / static if static else 0
        verdict = ""
        if name != "static file":
            verdict = f"1/{1 / ratio:.1f}" if ratio else "-"
            verdict += "  ok" if ratio >= TARGET_RATIO else "  UNDER 1/5"
        print(
            f"{name:20} {found['rps']:>8.0f} {found.get('p50_ms', 0):>7.1f} "
            f"{found.get('p99_ms', 0):>7.1f} {errors:>7}  {verdict}"
        )
        if found["socket_errors"]:
            print(f"  socket errors: {found['socket_errors']}")
    if failed:
        raise SystemExit("Some requests failed (non-2xx or socket errors).")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    main()
