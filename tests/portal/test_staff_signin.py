"""Staff sign-in: lockout, the second factor, session limits, passwords and account commands."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.security import PAUSE_MAX_SECONDS, client_ip
from tests.conftest import STAFF_PASSWORD, make_provider, make_staff, sign_in

pytestmark = pytest.mark.django_db
LOGIN = "/personal/logga-in/"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += offset * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in_with_password(client, username, password=STAFF_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# --- Slowing down and lockout (django-axes) ----------------------------------------------------


@pytest.fixture
def clock():
    """A clock that moves only when told, so pauses and locks can be stepped through."""
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


def fail(client, clock, username, times=1, **extra):
    """Wrong passwords, each after the longest pause, so every one counts."""
    for _ in range(times):
        clock.shift(dt.timedelta(seconds=PAUSE_MAX_SECONDS + 1))
        response = sign_in_with_password(client, username, "fel-losenord-123", **extra)
    return response


def test_repeated_failures_are_slowed_before_any_lock(client, clock, monkeypatch):
    make_staff("mottagning", username="anna")
    fail(client, clock, "anna", times=3)
    checked = []
    original = ModelBackend.authenticate
    monkeypatch.setattr(
        ModelBackend,
        "authenticate",
        lambda self, request, **kw: checked.append(kw) or original(self, request, **kw),
    )

    too_soon = sign_in_with_password(client, "anna")  # the right password, but too soon
    assert too_soon.status_code == 200
    assert "Vänta 1 sekund och försök igen" in too_soon.content.decode()
    assert checked == []  # the password was not even checked
    assert AccessAttempt.objects.get(username="anna").failures_since_start == 3

    clock.shift(dt.timedelta(seconds=2))
    sign_in_with_password(client, "anna", "fel-losenord-123")
    assert "Vänta 2 sekunder" in sign_in_with_password(client, "anna").content.decode()
    clock.shift(dt.timedelta(seconds=3))
    assert sign_in_with_password(client, "anna").status_code == 302


def test_ten_wrong_passwords_lock_the_account_and_the_right_one_then_fails(client, clock, caplog):
    user = make_staff("mottagning", username="anna")
    with caplog.at_level(logging.WARNING, logger="axes"):
        response = fail(client, clock, "anna", times=10)
    assert response.status_code == 429
    assert "För många felaktiga inloggningsförsök" in response.content.decode()
    assert any("Locking out" in record.getMessage() for record in caplog.records)

    clock.shift(dt.timedelta(minutes=5))
    response = sign_in_with_password(client, "anna")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username=user.username).exists()


def test_the_lock_ends_after_thirty_minutes(client, clock):
    make_staff("mottagning", username="anna")
    fail(client, clock, "anna", times=10)
    clock.shift(dt.timedelta(minutes=31))
    response = sign_in_with_password(client, "anna")
    assert response.status_code == 302
    assert response["Location"].startswith("/personal/tvafaktor/")


def test_the_account_is_locked_from_other_clients_too(client, clock):
    make_staff("mottagning", username="anna")
    fail(client, clock, "anna", times=10, REMOTE_ADDR="10.0.0.1")
    response = sign_in_with_password(client, "anna", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429


def test_a_client_guessing_across_accounts_is_locked_for_every_account(client, clock):
    make_staff("mottagning", username="bertil")
    for n in range(10):
        fail(client, clock, f"gissning-{n}", REMOTE_ADDR="10.0.0.9")
    assert sign_in_with_password(client, "bertil", REMOTE_ADDR="10.0.0.9").status_code == 429
    assert sign_in_with_password(client, "bertil", REMOTE_ADDR="10.0.0.8").status_code == 302


def test_a_locked_out_client_is_refused_before_any_password_is_hashed(client, clock, monkeypatch):
    make_staff("mottagning", username="anna")
    fail(client, clock, "anna", times=10)
    clock.shift(dt.timedelta(minutes=2))
    checked = []
    original = ModelBackend.authenticate

    def spy(self, request, **credentials):
        checked.append(credentials.get("username"))
        return original(self, request, **credentials)

    monkeypatch.setattr(ModelBackend, "authenticate", spy)
    assert sign_in_with_password(client, "anna").status_code == 429
    assert checked == []


def test_unlocking_in_the_admin_lets_the_person_sign_in_again(client, clock):
    make_staff("mottagning", username="anna")
    fail(client, clock, "anna", times=10)
    admin = sign_in(client.__class__(), make_staff(None, is_staff=True, is_superuser=True))
    user = get_user_model().objects.get(username="anna")
    admin.post("/admin/auth/user/", {"action": "unlock", "_selected_action": [user.pk]})
    assert sign_in_with_password(client, "anna").status_code == 302


@override_settings(PROXY_COUNT=1)
def test_the_client_address_is_the_one_the_proxy_saw_not_what_the_client_wrote(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "203.0.113.7"


def test_without_a_proxy_the_forwarded_header_is_ignored(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="198.51.100.5")
    assert client_ip(request) == "198.51.100.5"


# --- The second factor -------------------------------------------------------------------------


def test_first_sign_in_enrols_an_app_and_shows_backup_codes_once(client):
    user = make_staff("mottagning", username="cecilia")
    TOTPDevice.objects.filter(user=user).delete()
    response = sign_in_with_password(client, "cecilia")
    assert response["Location"].startswith("/personal/tvafaktor/aktivera/")
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "<script" not in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post("/personal/tvafaktor/aktivera/", {"otp_token": "000000"})
    assert "Koden stämmer inte" in wrong.content.decode()
    # django-otp makes a person wait a little after a wrong code (1 s, then doubling).
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)):
        done = client.post("/personal/tvafaktor/aktivera/", {"otp_token": code_for(device)})
    assert done.status_code == 200
    assert done.content.decode().count("<code>") == 10
    assert client.get("/personal/").status_code == 200


def test_with_an_app_the_code_is_asked_for_and_a_wrong_code_is_refused(client):
    user = make_staff("mottagning", username="david")
    response = sign_in_with_password(client, "david")
    assert response["Location"].startswith("/personal/tvafaktor/?")
    refused = client.post("/personal/tvafaktor/", {"otp_token": "12345"})
    assert "Fel:" in refused.content.decode()
    assert client.get("/personal/").status_code == 302
    device = user.totpdevice_set.get()
    accepted = client.post(
        "/personal/tvafaktor/", {"otp_token": code_for(device), "next": "/personal/"}
    )
    assert accepted["Location"] == "/personal/"
    assert client.get("/personal/").status_code == 200


def test_a_password_alone_cannot_add_a_second_app(client):
    make_staff("mottagning", username="erik")
    sign_in_with_password(client, "erik")
    response = client.get("/personal/tvafaktor/aktivera/")
    assert response.status_code == 302
    assert response["Location"].startswith("/personal/tvafaktor/?")


def test_a_backup_code_works_once(client):
    user = make_staff("mottagning", username="fia")
    sign_in(client, user)
    codes_page = client.post("/personal/tvafaktor/reservkoder/").content.decode()
    code = StaticToken.objects.filter(device__user=user).first().token
    assert code in codes_page
    client.post("/personal/logga-ut/")

    for expected in (302, 200):
        sign_in_with_password(client, "fia")
        response = client.post("/personal/tvafaktor/", {"otp_token": code})
        assert response.status_code == expected
        client.post("/personal/logga-ut/")


def test_a_superuser_resets_the_second_factor_and_the_person_enrols_again(client):
    user = make_staff("mottagning", username="gustav")
    admin = sign_in(client.__class__(), make_staff(None, is_staff=True, is_superuser=True))
    admin.post(
        "/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [user.pk]}
    )
    assert not TOTPDevice.objects.filter(user=user).exists()
    response = sign_in_with_password(client, "gustav")
    assert response["Location"].startswith("/personal/tvafaktor/aktivera/")


@override_settings(STAFF_REQUIRE_2FA=False)
def test_the_local_demo_skips_the_second_factor(client):
    make_staff("mottagning", username="demo-m")
    response = sign_in_with_password(client, "demo-m")
    assert response["Location"] == "/personal/"


# --- Sessions and pages ------------------------------------------------------------------------


def test_a_staff_session_ends_after_thirty_idle_minutes(client):
    sign_in(client, make_staff("mottagning"))
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)):
        assert client.get("/personal/").status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=51)):
        assert client.get("/personal/").status_code == 302


def test_a_staff_session_ends_twelve_hours_after_sign_in_even_when_active(client):
    sign_in(client, make_staff("mottagning"))
    start = dt.datetime.now(dt.UTC)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + dt.timedelta(minutes=minutes)):
            assert client.get("/personal/").status_code == 200, minutes
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=10)):
        assert client.get("/personal/").status_code == 302


def test_the_session_cookie_ends_with_the_browser_and_staff_pages_are_not_stored(client):
    sign_in(client, make_staff("mottagning"))
    response = client.get("/personal/")
    assert "no-store" in response["Cache-Control"]
    assert response.cookies["sessionid"]["expires"] == ""
    assert response.cookies["sessionid"]["max-age"] == ""


def test_signing_out_needs_a_post(client):
    sign_in(client, make_staff("mottagning"))
    assert client.get("/personal/logga-ut/").status_code == 405
    assert client.post("/personal/logga-ut/").status_code == 302
    assert client.get("/personal/").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort-ord-1", "minst 12 tecken"),
        ("123456789012345", "bara vara numeriskt"),
        ("password1234", "för vanligt"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client, password, message):
    sign_in(client, make_staff("mottagning"))
    response = client.post(
        "/personal/losenord/",
        {"old_password": STAFF_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_start_page_shows_only_the_tools_of_the_persons_role(client):
    editor_page = sign_in(client, make_staff("redaktor")).get("/personal/").content.decode()
    assert "Katalogen" in editor_page and "Konton och roller" not in editor_page
    other = sign_in(client.__class__(), make_staff("handlaggare")).get("/personal/")
    assert "Katalogen" not in other.content.decode()


# --- Accounts ----------------------------------------------------------------------------------


def test_create_staff_account_makes_a_provider_account(monkeypatch):
    provider = make_provider(slug="familjeteamet-test")
    monkeypatch.setattr("sys.stdin", io.StringIO("ett mycket bra lösenord\n"))
    out = io.StringIO()
    call_command(
        "create_staff_account", "hanna", role="utforare", providers=[provider.slug], stdout=out
    )
    user = get_user_model().objects.get(username="hanna")
    assert list(user.groups.values_list("name", flat=True)) == ["utforare"]
    assert list(user.staff_providers.all()) == [provider]
    assert user.check_password("ett mycket bra lösenord")
    assert "tvåstegsinloggning" in out.getvalue()


def test_create_staff_account_refuses_a_weak_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    with pytest.raises(CommandError, match="minst 12 tecken"):
        call_command("create_staff_account", "ivar", role="mottagning")
    assert not get_user_model().objects.filter(username="ivar").exists()


@override_settings(DEMO_ACCOUNTS=True)
def test_demo_accounts_exist_for_every_role(catalogue):
    call_command("create_demo_accounts", stdout=io.StringIO())
    for role in ["mottagning", "redaktor", "uppfoljning", "handlaggare", "utforare"]:
        user = get_user_model().objects.get(username=role)
        assert user.check_password(f"{role}-demo")
        assert user.groups.filter(name=role).exists()
    familjeteamet = get_user_model().objects.get(username="utforare").staff_providers.get()
    assert familjeteamet.slug == "familjeteamet"
