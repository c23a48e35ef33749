"""The call log in a real browser: a navigator signs in with both factors, opens the form as the
console links it (pre-filled), records the call by keyboard alone, and every page passes axe-core
in Swedish and English."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from frontdesk.models import CallLogEntry
from portal.permissions import Role
from tests.browser.test_staff import current_code, tab_to, type_password
from tests.conftest import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FROM_CONSOLE = (
    "/personal/mottagning/samtal/ny/?vem=narstaende&alder=45&behov=missbruk"
    "&insatser=beroendebehandling-st-lars&insatser=nybro-gruppboende"
)


@pytest.fixture
def navigator_page(live_catalogue, page):
    """A page signed in as a navigator through the real sign-in and second factor."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    user = make_staff(Role.MOTTAGNING, username="navigator")
    page.goto(live_catalogue.url + FROM_CONSOLE)
    page.wait_for_url("**/personal/logga-in/**")
    type_password(page, user.username)
    page.wait_for_url("**/personal/tvafaktor/**")
    page.wait_for_function("document.activeElement.name === 'otp_token'")
    page.keyboard.type(current_code(user.totpdevice_set.get()))
    page.keyboard.press("Enter")
    page.wait_for_url("**/personal/mottagning/samtal/ny/**")
    page.user = user
    return page


def test_a_call_is_recorded_by_keyboard_alone(navigator_page, live_catalogue, assert_accessible):
    page = navigator_page
    assert page.locator("#id_behov_2").is_checked()  # missbruk, from the console's search
    assert page.locator("input[name=insatser]:checked").count() == 2
    assert_accessible(page)

    presses = tab_to(page, "input[name=utfall][value=hanvisad]", limit=80)
    page.keyboard.press("Space")
    presses += tab_to(page, "#id_anteckning", limit=40)
    page.keyboard.type("Orolig för sambons drickande, tipsade om anhöriggrupp.")
    presses += tab_to(page, "[data-call-log-form] button[type=submit]", limit=10)
    page.keyboard.press("Enter")
    page.wait_for_url(live_catalogue.url + "/personal/mottagning/samtal/")
    assert page.get_by_text("Samtalet är sparat i loggen.").is_visible()

    saved = CallLogEntry.objects.get()
    assert saved.vem == "narstaende"
    assert saved.aldersgrupp == "25-64"
    assert saved.utfall == ["hanvisad"]
    assert saved.insatser.count() == 2
    assert saved.author == page.user
    assert presses < 80
    assert_accessible(page)  # the list


def test_the_form_with_errors_and_in_english_passes_axe(
    navigator_page, live_catalogue, assert_accessible
):
    page = navigator_page
    page.locator("#id_anteckning").fill("Ring 070-123 45 67")
    page.locator("[data-call-log-form] button[type=submit]").click()
    page.locator(".error-summary").wait_for()
    assert page.title().startswith("Fel:")
    assert_accessible(page)

    page.goto(live_catalogue.url + "/en" + FROM_CONSOLE)
    assert re.search(r"call", page.title(), re.IGNORECASE)
    assert_accessible(page)
    page.goto(live_catalogue.url + "/en/personal/mottagning/samtal/")
    assert_accessible(page)
