"""Mottagningen's console in a real browser, by keyboard alone: sign in, search, pick, slip."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from portal.permissions import Role
from tests.browser.test_staff import current_code, tab_to, type_password
from tests.conftest import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def navigator_page(live_catalogue, page):
    """A navigator signed in through the login page and the code from the app, on the console."""
    Group.objects.get_or_create(name=Role.MOTTAGNING)
    user = make_staff(Role.MOTTAGNING, username="vagledare")
    page.goto(live_catalogue.url + "/personal/mottagning/")
    page.wait_for_url("**/personal/logga-in/**")
    type_password(page, user.username)
    page.wait_for_url("**/personal/tvafaktor/?**")
    page.wait_for_function("document.activeElement.name === 'otp_token'")
    page.keyboard.type(current_code(user.totpdevice_set.get()))
    page.keyboard.press("Enter")
    page.wait_for_url("**/personal/mottagning/")
    return page


def test_a_navigator_searches_picks_and_gets_the_slip_link_by_keyboard(
    navigator_page, assert_accessible
):
    page = navigator_page
    page.wait_for_function("document.activeElement && document.activeElement.name === 'q'")
    assert_accessible(page)
    page.keyboard.type("alkohol anhörig")
    page.keyboard.press("Enter")
    page.wait_for_url("**/personal/mottagning/?q=*")
    assert page.locator("[data-section] [data-offering]").count() > 0
    assert_accessible(page)

    tab_to(page, "input[name=insats]", limit=120)
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]:not(details button)", limit=200)
    page.keyboard.press("Enter")
    page.locator("[data-slip-link]").wait_for()
    assert "/lapp/?insats=" in page.locator("[data-slip-link]").get_attribute("href")
    assert page.locator("[data-slip-text]").input_value()
    assert_accessible(page)


def test_the_english_console_is_accessible(navigator_page, assert_accessible):
    page = navigator_page
    page.goto(
        page.url.replace("/personal/", "/en/personal/") + "?q=alkohol&insats=anhorigstod-psykiatri"
    )
    page.locator("[data-slip-link]").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
