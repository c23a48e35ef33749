"""Throwaway servers for the benchmarks: a PostgreSQL cluster, Redis and gunicorn.

Each lives in its own temporary directory on a free loopback port and is stopped (and the
directory removed) when the run ends, also after a failure. Nothing here touches a database or
cache it did not start, so the benchmarks can run next to the test suite.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port} after {seconds:.0f} s")


def pg_tool(name: str) -> str:
    for directory in PG_BIN_DIRS:
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return found


def postgres_available() -> bool:
    try:
        pg_tool("initdb")
    except RuntimeError:
        return False
    return True


class Postgres:
    """A PostgreSQL cluster in a temporary directory (initdb), run as the `postgres` user when
    this runs as root (PostgreSQL refuses to run as root). Trust authentication, loopback only;
    fsync off: the benchmarks measure reading, and the data is thrown away."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="stod-bench-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(
            pg_tool("initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.directory}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c shared_buffers=256MB",
                "-c max_connections=200",
            ]
        )
        (self.directory / "options").write_text(options)
        self.start()

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        if self.as_root:
            command = ("runuser", "-u", "postgres", "--", *command)
        return subprocess.run(command, check=check, capture_output=True, text=True)  # noqa: S603

    def start(self) -> None:
        options = (self.directory / "options").read_text()
        data, log = str(self.data), str(self.log)
        self._run(pg_tool("pg_ctl"), "-D", data, "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(pg_tool("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def url(self, name: str = "stod_bench") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str = "stod_bench") -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


class Redis:
    """redis-server on a free loopback port, nothing saved to disk."""

    def __init__(self) -> None:
        server = shutil.which("redis-server")
        if not server:
            raise RuntimeError("redis-server is not installed")
        self.port = free_port()
        self.process = subprocess.Popen(  # noqa: S603
            [
                server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class Gunicorn:
    """The portal under gunicorn with the project's gunicorn.conf.py, on a free port."""

    def __init__(self, env: dict[str, str], *, workers: int | None = None, log: Path) -> None:
        self.port = free_port()
        env = dict(env, GUNICORN_BIND=f"127.0.0.1:{self.port}")
        if workers:
            env["GUNICORN_WORKERS"] = str(workers)
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "portal.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port)
        # The first request of each worker imports and connects: let a few go through.
        for _ in range(8):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.base + "/healthz/", timeout=10).read()  # noqa: S310

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self._log_file.close()


def app_env(**extra: str) -> dict[str, str]:
    """A production-like environment (as `make bench`'s TEST_ENV, page cache on), plus
    `extra`."""
    env = dict(os.environ)
    env.setdefault("DJANGO_DEBUG", "0")
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    env.setdefault("DJANGO_SSL_REDIRECT", "0")
    env.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
    env.setdefault("DJANGO_INTAKE_KEYS", "cSsNz6rYWvGyMkfQ7vI5m3wKkS2xP3nVvT0oUq9HhcY=")
    env.setdefault("DJANGO_INTAKE_HASH_KEY", "bench-only-hash-key-not-for-production-use")
    env.setdefault("DJANGO_CACHE_PREFIX", "stod-bench")
    # The page cache on, as in production (make's TEST_ENV turns it off for the tests).
    env["DJANGO_PAGE_CACHE"] = "1"
    env.update(extra)
    return env


def build_catalogue(*, offerings: int, kommuner: int = 290, seed: int = 1) -> float:
    """Migrate, load the real catalogue and generate the rest up to `offerings` in the
    database Django is configured for (after django.setup()). Returns the seconds taken."""
    from django.core.management import call_command
    from django.db import connection

    from providers import services
    from providers.management.commands.generate_catalogue import generate, remove_generated
    from providers.models import Offering
    from providers.models.municipality import default_municipality_id

    started = time.perf_counter()
    # The catalogue's tables first, and the default municipality in a transaction of its own:
    # a later migration whose column default creates it (default_municipality_id) would
    # otherwise insert it in the same transaction as an ALTER TABLE on its table, which
    # PostgreSQL refuses ("pending trigger events").
    call_command("migrate", "providers", verbosity=0)
    default_municipality_id()
    call_command("migrate", verbosity=0)
    services.catalogue_load()
    remove_generated()
    real = Offering.objects.count()
    generate(offerings=max(0, offerings - real), seed=seed, municipalities=kommuner)
    if connection.vendor == "postgresql":
        # As autovacuum would soon: statistics, and the visibility map for index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def machine_load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
