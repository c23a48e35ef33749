"""When the database is down or hangs: a quick 503 with the numbers to call, one log line each.

The last tests run the real server (gunicorn) against a PostgreSQL address that never answers
and one that refuses connections, whichever database the rest of the suite uses.
"""

from __future__ import annotations

import http.client
import logging
import os
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import IntegrityError, OperationalError, connection

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
JOUR = "013-20 75 26"
MOTTAGNINGEN = "013-20 69 68"
SECRET_WORDS = "min-pappa-dricker"  # a resident's search words: never in any log


@contextmanager
def database_fails_with(error: type[Exception]):
    """Every query in the block fails with `error`, as when the database is down."""

    def fail(execute, sql, params, many, context):
        raise error("the database is not answering")

    with connection.execute_wrapper(fail):
        yield


def assert_friendly_outage_page(status: int, headers, body: str) -> None:
    assert status == 503
    assert headers["Retry-After"].isdigit()
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert 'href="tel:112"' in body
    assert JOUR in body
    assert MOTTAGNINGEN in body
    assert "Vi har tekniska problem just nu" in body


@pytest.mark.django_db
def test_database_down_gives_the_friendly_503_page(client):
    client.raise_request_exception = False
    with database_fails_with(OperationalError):
        response = client.get("/stod/")
    assert_friendly_outage_page(response.status_code, response, response.content.decode())


@pytest.mark.django_db
def test_the_outage_page_is_in_english_on_english_pages(client):
    client.raise_request_exception = False
    with database_fails_with(OperationalError):
        response = client.get("/en/stod/")
    assert response.status_code == 503
    assert "We are having technical problems right now" in response.content.decode()


@pytest.mark.django_db
def test_a_broken_query_is_a_bug_and_stays_a_500(client):
    client.raise_request_exception = False
    with database_fails_with(IntegrityError):
        response = client.get("/stod/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
def test_an_outage_is_logged_on_one_line_without_the_query_string(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING), database_fails_with(OperationalError):
        client.get(f"/stod/?q={SECRET_WORDS}")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    line = record.getMessage()
    assert record.exc_info is None and record.exc_text is None
    assert line.startswith("Service Unavailable: /stod/")
    assert "OperationalError" in line
    assert SECRET_WORDS not in caplog.text


@pytest.mark.django_db
def test_other_errors_keep_their_traceback_in_the_log(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR), database_fails_with(IntegrityError):
        client.get("/stod/")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is not None


@pytest.mark.django_db
def test_healthz_db_says_ok_when_the_database_answers(client):
    response = client.get("/healthz/db/")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_healthz_db_is_503_when_the_database_does_not_answer(client):
    with database_fails_with(OperationalError):
        response = client.get("/healthz/db/")
    assert response.status_code == 503


@pytest.mark.django_db
def test_healthz_never_touches_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0), database_fails_with(OperationalError):
        response = client.get("/healthz/")
    assert response.status_code == 200


# --- The real server against a database that is not there -----------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_database():
    """A TCP port that accepts connections (the kernel does) but never answers them."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # never accept(): a database server that hangs
        yield listener.getsockname()[1]


@pytest.fixture
def refusing_database():
    """A port nothing listens on: a database server that is stopped."""
    return free_port()


@contextmanager
def server_with_database_at(port: int, tmp_path: Path):
    """gunicorn serving the portal, its PostgreSQL at 127.0.0.1:`port`; yields (port, stderr)."""
    web = free_port()
    stderr_path = tmp_path / "stderr.log"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"postgres://stod@127.0.0.1:{port}/stod",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-only-not-secret",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_PLAIN_STATIC": "1",
        "DJANGO_DB_CONNECT_TIMEOUT": "3",
    }
    with open(stderr_path, "wb") as stderr:
        server = subprocess.Popen(  # noqa: S603
            [str(GUNICORN), "portal.wsgi", "--bind", f"127.0.0.1:{web}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            wait_until_serving(web)
            yield web, stderr_path
        finally:
            server.terminate()
            server.wait(timeout=10)


def wait_until_serving(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz/")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def get(port: int, path: str) -> tuple[int, http.client.HTTPMessage, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        conn.close()


def new_lines(path: Path, offset: int) -> list[str]:
    time.sleep(0.3)  # let the worker's log line reach the file
    return [line for line in path.read_text()[offset:].splitlines() if line.strip()]


@pytest.mark.parametrize("database", ["silent_database", "refusing_database"])
def test_real_server_answers_503_within_five_seconds_when_the_database_is_gone(
    database, request, tmp_path
):
    port = request.getfixturevalue(database)
    with server_with_database_at(port, tmp_path) as (web, stderr):
        before = len(stderr.read_text())
        started = time.monotonic()
        status, headers, body = get(web, f"/stod/?q={SECRET_WORDS}")
        elapsed = time.monotonic() - started

        assert elapsed < 5, f"the resident waited {elapsed:.1f} s"
        assert_friendly_outage_page(status, headers, body)
        lines = new_lines(stderr, before)
        assert not any("Traceback" in line for line in lines), "\n".join(lines)
        [request_line] = [line for line in lines if "/stod/" in line]
        assert "Service Unavailable" in request_line and "OperationalError" in request_line
        assert SECRET_WORDS not in stderr.read_text()

        # Load balancers: the server lives (/healthz/), its database does not (/healthz/db/).
        assert get(web, "/healthz/")[0] == 200
        started = time.monotonic()
        assert get(web, "/healthz/db/")[0] == 503
        assert time.monotonic() - started < 5
