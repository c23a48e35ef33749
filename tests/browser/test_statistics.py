"""The statistics page in a real browser: follow-up staff sign in with both factors and read a
year of (synthetic) statistics in Swedish and English, at 1280 and 320 px, with axe-core clean,
no sideways scrolling, the strict CSP intact, and charts drawn without JavaScript."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from portal.permissions import Role
from tests.browser.test_staff import current_code, type_password
from tests.conftest import STAFF_PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots for a person to look at, when asked for: STATISTICS_SCREENSHOTS=var/screens.
SCREENSHOTS = os.environ.get("STATISTICS_SCREENSHOTS")


@pytest.fixture
def follow_up_page(live_catalogue, page):
    """Follow-up staff signed in through the sign-in page and the code, on the statistics."""
    Group.objects.get_or_create(name=Role.UPPFOLJNING)
    call_command("seed_call_log", "--tillat-utan-debug", verbosity=0)
    user = make_staff(Role.UPPFOLJNING, username="uppfoljare")
    page.goto(live_catalogue.url + "/personal/statistik/")
    page.wait_for_url("**/personal/logga-in/**")
    type_password(page, user.username)
    page.wait_for_url("**/personal/tvafaktor/?**")
    page.wait_for_function("document.activeElement.name === 'otp_token'")
    page.keyboard.type(current_code(user.totpdevice_set.get()))
    page.keyboard.press("Enter")
    page.wait_for_url("**/personal/statistik/")
    return page


@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize("width", [1280, 320])
def test_a_year_of_statistics_is_accessible_and_reflows(
    follow_up_page, live_catalogue, assert_accessible, language, width
):
    page = follow_up_page
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_catalogue.url + language + "/personal/statistik/")

    assert page.locator("[data-table]").count() == 13
    assert page.locator("[data-table] svg.chart").count() == 13
    assert page.locator("[data-synthetic]").is_visible()
    assert page.locator("[data-suppression-note]").is_visible()
    week_chart = page.locator("[data-table=kontakter-per-vecka] svg.chart")
    assert week_chart.bounding_box()["height"] > 50  # drawn, not an empty box
    assert page.locator("[data-table=kontakter-per-vecka] svg rect").count() >= 50
    assert_accessible(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the statistics scroll sideways at {width}px by {overflow}px"
    assert refused == []
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        name = f"statistik{language.replace('/', '-')}-{width}"
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-top.png"))
        for table in ("kontakter-per-vecka", "kanal", "utfall"):
            section = page.locator(f"[data-table={table}]")
            section.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-{table}.png"))


def test_a_period_with_errors_is_refused_plainly_and_passes_axe(
    follow_up_page, live_catalogue, assert_accessible
):
    page = follow_up_page
    page.goto(live_catalogue.url + "/personal/statistik/?fran=2026-02-30")
    assert page.title().startswith("Fel:")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_charts_show_without_javascript(live_catalogue, browser):
    """The charts are SVG in the HTML: the page reads the same with scripts off."""
    Group.objects.get_or_create(name=Role.MOTTAGNING)
    call_command("seed_call_log", "--tillat-utan-debug", verbosity=0)
    user = make_staff(Role.MOTTAGNING, username="vagledare-utan-js")
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(live_catalogue.url + "/personal/statistik/")
    page.fill("[name=username]", user.username)
    page.fill("[name=password]", STAFF_PASSWORD)
    page.press("[name=password]", "Enter")
    page.wait_for_url("**/personal/tvafaktor/?**")
    page.fill("[name=otp_token]", current_code(user.totpdevice_set.get()))
    page.press("[name=otp_token]", "Enter")
    page.wait_for_url("**/personal/statistik/")
    assert page.locator("[data-table=kanal] svg rect.chart-mark").count() >= 3
    assert page.locator("[data-table=kanal] tbody tr").count() == 4
    context.close()
