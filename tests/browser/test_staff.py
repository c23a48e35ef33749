"""Staff sign-in in a real browser, by keyboard alone: password, 2FA enrolment or code, the
start page of each role and 403 outside it; axe-core on every sign-in page.

The suite runs with production-like settings (DJANGO_DEBUG=0), so two factors are required.
"""

from __future__ import annotations

import base64
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.permissions import Role
from tests.conftest import STAFF_PASSWORD, make_provider, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Somewhere outside each role's area (the admin's account pages are for superusers only).
OUTSIDE = {role: "/admin/" for role in Role.values} | {Role.REDAKTOR.value: "/admin/auth/user/"}


@pytest.fixture
def live_staff(live_server):
    """The live server with the role groups, which a transactional test's flush removed."""
    editor_group = import_module("providers.migrations.0003_editor_group")
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    Group.objects.get(name=Role.REDAKTOR).permissions.set(
        Permission.objects.filter(codename__in=editor_group.codenames())
    )
    return live_server


def tab_to(page, selector: str, limit: int = 40) -> int:
    """Press Tab until `selector` has focus; returns the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} never got focus")


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def type_password(page, username: str) -> None:
    # The username field takes focus when the page opens (autofocus); wait until it has.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(STAFF_PASSWORD)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("role", Role.values)
def test_each_role_signs_in_with_enrolment_by_keyboard_and_meets_403_outside(
    live_staff, page, assert_accessible, role
):
    providers = [make_provider(slug="familjeteamet-test")] if role == Role.UTFORARE else []
    user = make_staff(role, username=f"ny-{role}", providers=providers)
    TOTPDevice.objects.filter(user=user).delete()  # a new account: no app yet

    page.goto(live_staff.url + "/personal/logga-in/")
    assert_accessible(page)
    type_password(page, user.username)

    page.wait_for_url("**/personal/tvafaktor/aktivera/**")
    assert page.locator("svg[role=img]").is_visible()
    assert_accessible(page)
    secret = page.locator("[data-secret]").inner_text()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret.replace(" ", "") == base64.b32encode(device.bin_key).decode()
    page.wait_for_function("document.activeElement.name === 'otp_token'")
    page.keyboard.type(current_code(device))  # the code field has focus
    page.keyboard.press("Enter")

    page.locator("[data-backup-codes]").wait_for()
    assert page.locator("[data-backup-codes] code").count() == 10
    assert_accessible(page)
    tab_to(page, "a.button")
    page.keyboard.press("Enter")

    page.wait_for_url(live_staff.url + "/personal/")
    assert page.locator(f"[data-role={role}]").is_visible()
    assert_accessible(page)
    if role == Role.REDAKTOR:
        tab_to(page, "a[href='/admin/']")
        page.keyboard.press("Enter")
        page.wait_for_url("**/admin/")
        assert page.get_by_role("heading", name="Katalogen").is_visible()

    response = page.goto(live_staff.url + OUTSIDE[role])
    assert response.status == 403
    assert page.get_by_role(
        "heading", name="Du har inte behörighet till den här sidan"
    ).is_visible()
    assert_accessible(page)


def test_an_enrolled_person_signs_in_with_a_code_from_the_app(live_staff, page, assert_accessible):
    user = make_staff(Role.MOTTAGNING, username="mottagare")
    page.goto(live_staff.url + "/personal/")  # a staff page leads to the sign-in
    page.wait_for_url("**/personal/logga-in/?next=/personal/")
    type_password(page, user.username)

    page.wait_for_url("**/personal/tvafaktor/?**")
    assert_accessible(page)
    page.wait_for_function("document.activeElement.name === 'otp_token'")
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    page.locator(".error-summary").wait_for()
    assert page.title().startswith("Fel:")
    assert_accessible(page)
    page.wait_for_timeout(2100)  # django-otp's pause after a wrong code
    page.locator("#id_otp_token").fill("")
    page.locator("#id_otp_token").focus()
    page.keyboard.type(current_code(user.totpdevice_set.get()))
    page.keyboard.press("Enter")

    page.wait_for_url(live_staff.url + "/personal/")
    tab_to(page, ".main-nav button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/personal/logga-in/")


@pytest.mark.parametrize("width", [1280, 320])
def test_the_sign_in_page_reflows_at_320_px(live_staff, page, assert_accessible, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_staff.url + "/en/personal/logga-in/")
    assert page.get_by_role("heading", level=1).inner_text() == "Staff sign-in"
    assert_accessible(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
