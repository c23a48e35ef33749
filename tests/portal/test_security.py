"""Guards that keep the house standing: settings deploy safely, editors stay in their lane.

Every route's sign-in and role check: tests/portal/test_url_guard.py.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_staff_without_editor_role_cannot_change_the_catalogue(staff_client):
    client = staff_client("mottagning", is_staff=True)
    assert client.get("/admin/providers/offering/").status_code == 403


def test_security_headers_on_public_pages(client, db):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-production-like-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "stod.example.se",
        "DJANGO_SSL_REDIRECT": "1",
        # Production has intake keys of its own (intake.checks refuses derived ones).
        "DJANGO_INTAKE_KEYS": "cSsNz6rYWvGyMkfQ7vI5m3wKkS2xP3nVvT0oUq9HhcY=",
        "DJANGO_INTAKE_HASH_KEY": "h" * 48,
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_refuses_production_without_intake_keys():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_INTAKE_")},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-production-like-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "stod.example.se",
        "DJANGO_SSL_REDIRECT": "1",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "intake.E001" in result.stderr + result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_DEBUG"] = "0"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_demo_accounts_are_refused_outside_local_mode(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("create_demo_accounts")
