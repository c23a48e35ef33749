"""Cluster run: two gunicorn servers on one PostgreSQL and one Redis (issue 9 §4).

    make bench-cluster

1. An editor signs in over HTTP on server A (password, then a TOTP code computed with
   django_otp, as the app would show it) and renames an offering in the admin; server B must
   show the new name at once (it showed, and may have cached, the old one just before).
2. Under load on both servers, PostgreSQL is stopped (pg_ctl stop -m fast) for a few seconds
   and started again: every failed request must be the friendly 503 page (Retry-After), none a
   500 or a dropped connection, and both servers must serve pages again without a restart.

Starts its own throwaway PostgreSQL cluster and Redis. Prints the figures; exits non-zero if a
check fails.
"""

from __future__ import annotations

import argparse
import html.parser
import http.client
import random
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import infra  # noqa: E402
from bench.load import result_urls, search_urls  # noqa: E402

EDITOR = "bench-redaktor"
PASSWORD = "bench-redaktor-losenord-1"  # noqa: S105  (a throwaway database)
OFFERING = "boendestod-psykiatri"
FRIENDLY = "Vi har tekniska problem just nu"


# --- A small HTTP client that keeps its own cookies -----------------------------------------


class Browser:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Origin": f"http://127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response, text

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: list[tuple[str, str]]):
        return self.request("POST", path, form)


class FormFields(html.parser.HTMLParser):
    """The fields a browser would submit from each <form method="post"> on a page (their
    default values: checked boxes, selected options, textareas), by the form's id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self.fields: list[tuple[str, str]] | None = None
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.fields = self.forms.setdefault(attrs.get("id") or str(len(self.forms)), [])
        if self.fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.fields = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea and self.fields is not None:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text += data


def form_fields(page: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """The named form's fields, or those of the page's largest POST form."""
    parser = FormFields()
    parser.feed(page)
    if form_id is not None:
        return parser.forms.get(form_id, [])
    return max(parser.forms.values(), key=len, default=[])


# --- The checks -----------------------------------------------------------------------------


@dataclass
class Checks:
    failures: list[str] = field(default_factory=list)

    def check(self, ok: bool, message: str) -> bool:
        print(f"  {'ok  ' if ok else 'FAIL'} {message}")
        if not ok:
            self.failures.append(message)
        return ok


def create_editor() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from providers.models import Offering

    user = get_user_model().objects.create_user(EDITOR, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="redaktor"))
    TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)
    municipality = Offering.objects.get(slug=OFFERING).municipality
    if municipality is not None:  # editors see only their own municipality's rows
        municipality.staff.add(user)


def totp_code() -> str:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=EDITOR)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def edit_is_seen_at_once(a, b, checks: Checks) -> None:
    from providers.models import Offering

    offering = Offering.objects.get(slug=OFFERING)
    public = f"/stod/{OFFERING}/"
    reader = Browser(b.port)
    _response, before = reader.get(public)
    _response, before = reader.get(public)  # twice: cached on B, if pages are cached
    checks.check(offering.name in before, f"B shows the offering's name before: {offering.name!r}")

    editor = Browser(a.port)
    _response, page = editor.get("/personal/logga-in/")
    response, _page = editor.post(
        "/personal/logga-in/",
        [*[f for f in form_fields(page) if f[0] not in ("username", "password")]]
        + [("username", EDITOR), ("password", PASSWORD)],
    )
    location = response.getheader("Location") or ""
    checks.check(
        response.status == 302 and "tvafaktor" in location,
        f"password accepted on A, asked for the second factor ({response.status})",
    )
    _response, page = editor.get(location or "/personal/tvafaktor/")
    fields = [f for f in form_fields(page) if f[0] not in ("otp_token", "next")]
    response, _page = editor.post(
        "/personal/tvafaktor/", fields + [("otp_token", totp_code()), ("next", "/admin/")]
    )
    checks.check(response.status == 302, f"TOTP code accepted on A ({response.status})")

    change = f"/admin/providers/offering/{offering.pk}/change/"
    response, page = editor.get(change)
    if not checks.check(response.status == 200, f"admin change page on A ({response.status})"):
        return
    new_name = f"{offering.name} (ändrad {time.strftime('%H.%M.%S')})"
    fields = [(k, new_name if k == "name" else v) for k, v in form_fields(page, "offering_form")]
    started = time.perf_counter()
    response, page = editor.post(change, [*fields, ("_save", "Spara")])
    saved_ms = (time.perf_counter() - started) * 1000
    if not checks.check(
        response.status == 302, f"admin saved the new name on A ({response.status})"
    ):
        errors = [line.strip() for line in page.splitlines() if "errorlist" in line][:5]
        print("    " + "\n    ".join(errors))
        return
    started = time.perf_counter()
    _response, after = reader.get(public)
    seen_ms = (time.perf_counter() - started) * 1000
    checks.check(
        new_name in after,
        f"B shows the new name at once (save on A {saved_ms:.0f} ms, next page on B "
        f"{seen_ms:.0f} ms)",
    )


@dataclass
class Hit:
    at: float
    done: float
    server: str
    status: int  # 0: no response (connection error or timeout)
    friendly: bool = False
    retry_after: str | None = None
    error: str = ""


def load(servers: dict[str, int], paths: list[str], stop: threading.Event, hits: list[Hit]):
    rng = random.Random()  # noqa: S311
    names = list(servers)
    while not stop.is_set():
        name = rng.choice(names)
        path = rng.choice(paths)
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", servers[name], timeout=20)
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            connection.close()
            hit = Hit(started, time.monotonic(), name, response.status)
            if response.status == 503:
                hit.friendly = FRIENDLY in body and "tel:112" in body
                hit.retry_after = response.getheader("Retry-After")
        except (OSError, http.client.HTTPException) as error:
            hit = Hit(started, time.monotonic(), name, 0, error=type(error).__name__)
        hits.append(hit)


def outage_under_load(postgres, servers: dict[str, int], paths, args, checks: Checks) -> None:
    hits: list[Hit] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=load, args=(servers, paths, stop, hits), daemon=True)
        for _ in range(args.threads)
    ]
    for thread in threads:
        thread.start()
    time.sleep(args.before)
    down_at = time.monotonic()
    postgres.stop("fast")
    stopped_at = time.monotonic()
    time.sleep(args.down)
    postgres.start()
    up_at = time.monotonic()
    # Until each server has served pages again for a while, at most `--recover` seconds.
    deadline = up_at + args.recover
    while time.monotonic() < deadline:
        time.sleep(0.5)
        recent = [h for h in hits if h.at > up_at]
        recovered = all(
            any(h.server == name and h.status == 200 for h in recent) for name in servers
        )
        if recovered and time.monotonic() - up_at > args.after:
            break
    stop.set()
    for thread in threads:
        thread.join(30)
    end = time.monotonic()

    def phase(hit: Hit) -> str:
        if hit.at < down_at:
            return "before"
        if hit.at < up_at:
            return "down"
        return "after"

    print(
        f"\n  load: {args.threads} threads over both servers; PostgreSQL stopped after "
        f"{args.before:.0f} s (stop took {stopped_at - down_at:.1f} s), started again "
        f"{up_at - down_at:.1f} s later"
    )
    print(f"  {'phase':8} {'requests':>8} {'200':>6} {'503':>6} {'other':>6} {'no answer':>9}")
    for name in ("before", "down", "after"):
        group = [h for h in hits if phase(h) == name]
        statuses = Counter(h.status for h in group)
        other = len(group) - statuses[200] - statuses[503] - statuses[0]
        print(
            f"  {name:8} {len(group):>8} {statuses[200]:>6} {statuses[503]:>6} {other:>6} "
            f"{statuses[0]:>9}"
        )
    unavailable = [h for h in hits if h.status == 503]
    for name in servers:
        first_ok = min(
            (h.at for h in hits if h.server == name and h.at > up_at and h.status == 200),
            default=None,
        )
        last_503 = max((h.at for h in hits if h.server == name and h.status == 503), default=None)
        checks.check(
            first_ok is not None,
            f"server {name} serves pages again without a restart"
            + (
                f": first 200 {first_ok - up_at:.2f} s after PostgreSQL started" if first_ok else ""
            ),
        )
        if last_503 is not None:
            print(f"    server {name}: last 503 {last_503 - up_at:+.2f} s from the start")
    checks.check(
        all(h.status == 200 for h in hits if h.done < down_at),
        "all 200 for the requests answered before the stop",
    )
    checks.check(len(unavailable) > 0, f"the stop gave 503s: {len(unavailable)}")
    friendly = sum(h.friendly for h in unavailable)
    checks.check(
        friendly == len(unavailable),
        f"every 503 is the friendly page ({friendly}/{len(unavailable)})",
    )
    checks.check(
        all(h.retry_after for h in unavailable),
        f"every 503 has Retry-After ({Counter(h.retry_after for h in unavailable).most_common(2)})",
    )
    others = Counter(h.status for h in hits if h.status not in (200, 503))
    errors = Counter(h.error for h in hits if h.status == 0)
    checks.check(not others, f"no other statuses (500 etc.): {dict(others) or 'none'}")
    checks.check(not errors, f"no dropped connections or timeouts: {dict(errors) or 'none'}")
    settled = [h for h in hits if h.at > end - min(args.after, 2)]
    checks.check(
        bool(settled) and all(h.status == 200 for h in settled),
        f"all 200 in the last seconds ({len(settled)} requests)",
    )
    for name, port in servers.items():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/healthz/db/")
        status = connection.getresponse().status
        checks.check(status == 200, f"server {name} /healthz/db/ after the restart: {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offerings", type=int, default=6000)
    parser.add_argument("--threads", type=int, default=6, help="load threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--before", type=float, default=4, help="seconds of load before")
    parser.add_argument("--down", type=float, default=4, help="seconds PostgreSQL is down")
    parser.add_argument("--after", type=float, default=5, help="seconds of load after")
    parser.add_argument("--recover", type=float, default=30, help="most seconds to recover")
    args = parser.parse_args()
    if not infra.postgres_available() or not shutil.which("redis-server"):
        raise SystemExit("PostgreSQL (initdb) and redis-server are needed.")

    work = Path(tempfile.mkdtemp(prefix="stod-bench-cluster-"))
    started = []
    checks = Checks()
    try:
        postgres = infra.Postgres()
        started.append(postgres)
        redis = infra.Redis()
        started.append(redis)
        url = postgres.create_database()
        env = infra.app_env(DATABASE_URL=url, REDIS_URL=redis.url)
        print(f"Machine: {infra.machine_load()}")
        infra.django_setup(dict(env, DJANGO_DB_STATEMENT_TIMEOUT="0"))
        built = infra.build_catalogue(offerings=args.offerings, kommuner=60)
        create_editor()
        from django.db import connections
        from django.db.models import Count

        from providers.models import Municipality

        municipalities = list(
            Municipality.objects.annotate(size=Count("offerings"))
            .filter(size__gt=0)
            .values_list("slug", "size")
        )
        rng = random.Random(4)  # noqa: S311
        paths = result_urls(municipalities, 1500, rng) + search_urls(municipalities, 1500, rng)
        print(f"Catalogue: {args.offerings} offerings, built in {built:.0f} s")

        env.pop("DJANGO_DB_STATEMENT_TIMEOUT", None)
        a = infra.Gunicorn(env, workers=args.workers, log=work / "a.log")
        started.append(a)
        b = infra.Gunicorn(env, workers=args.workers, log=work / "b.log")
        started.append(b)
        print(
            f"Servers: A :{a.port}, B :{b.port} ({args.workers} workers each), one PostgreSQL "
            f":{postgres.port}, one Redis :{redis.port}"
        )

        print("\n1. An edit through A is seen at once through B")
        edit_is_seen_at_once(a, b, checks)
        connections.close_all()  # this process's own connection: PostgreSQL is about to stop

        print("\n2. PostgreSQL stopped and started under load")
        outage_under_load(postgres, {"A": a.port, "B": b.port}, paths, args, checks)
        print(f"\nMachine afterwards: {infra.machine_load()}")
    finally:
        for item in reversed(started):
            item.close()
        shutil.rmtree(work, ignore_errors=True)
    if checks.failures:
        raise SystemExit(f"{len(checks.failures)} check(s) failed.")
    print("All checks passed.")


if __name__ == "__main__":
    main()
