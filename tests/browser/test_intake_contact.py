"""Contact requests in a real browser, by keyboard alone: a resident finds "Be dem kontakta dig"
on an offering, meets an error, sends the request and gets a reference; the provider's staff
sign in with two factors and find it in their queue. axe-core on every page, 320 px wide."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from intake.models import ContactRequest
from portal.permissions import Role
from providers.models import Provider
from tests.browser.test_staff import current_code, tab_to, type_password
from tests.conftest import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFERING = "familjebehandling-familjeteamet"


@pytest.fixture(autouse=True)
def provider_staff(live_catalogue):
    """Familjeteamet's staff member: a provider takes requests only when someone reads them."""
    Group.objects.get_or_create(name=Role.UTFORARE)
    return make_staff(
        Role.UTFORARE,
        username="familjeteamet-personal",
        providers=[Provider.objects.get(slug="familjeteamet")],
    )


def fits_320(page) -> bool:
    """No sideways scrolling at 320 CSS pixels."""
    page.set_viewport_size({"width": 320, "height": 800})
    fits = page.evaluate("document.documentElement.scrollWidth <= 320")
    page.set_viewport_size({"width": 1280, "height": 900})
    return fits


def test_a_resident_sends_a_contact_request_by_keyboard_in_swedish(
    live_catalogue, page, assert_accessible
):
    page.goto(f"{live_catalogue.url}/stod/{OFFERING}/")
    tab_to(page, "a[data-contact-link]", limit=80)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/stod/{OFFERING}/kontakta/")
    assert (
        "Ett personligt samtal inom två veckor." in page.locator("[data-contact-to]").inner_text()
    )
    assert_accessible(page)
    assert fits_320(page)

    # Sent empty: the error summary and the messages, in an accessible page.
    tab_to(page, "[data-contact-form] button[type=submit]", limit=80)
    page.keyboard.press("Enter")
    page.locator(".error-summary").wait_for()
    assert page.title().startswith("Fel:")
    assert "Skriv ett namn de kan fråga efter." in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    assert fits_320(page)

    tab_to(page, "input[name=namn]", limit=80)
    page.keyboard.type("Kim <b>")
    tab_to(page, "input[name=telefon]")
    page.keyboard.type("070-123 45 67")
    tab_to(page, "input[name=nar]")
    page.keyboard.press("ArrowDown")  # förmiddag → eftermiddag, selected as it moves
    tab_to(page, "textarea[name=meddelande]")
    page.keyboard.type("Helst efter skolan.")
    tab_to(page, "input[name=diskret]")
    page.keyboard.press("Space")
    tab_to(page, "[data-contact-form] button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/stod/{OFFERING}/kontakta/skickad/")
    reference = page.locator("[data-referens]").get_attribute("data-referens")
    stored = ContactRequest.objects.get()
    assert reference == stored.reference
    assert (stored.namn, stored.telefon, stored.diskret) == ("Kim <b>", "+46701234567", True)
    assert stored.nar == "eftermiddag"  # the radio group answered with the arrow key
    assert "De hör av sig inom 14 dagar" in page.locator("[data-promise]").inner_text()
    assert page.locator("[data-if-no-one-calls] a[href^='tel:']").count() >= 1
    assert_accessible(page)
    assert fits_320(page)


def test_the_english_form_is_accessible(live_catalogue, page, assert_accessible):
    page.goto(f"{live_catalogue.url}/en/stod/{OFFERING}/kontakta/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("[data-contact-form]").is_visible()
    assert_accessible(page)
    assert fits_320(page)


def test_provider_staff_find_a_new_request_in_their_queue_and_mark_it_contacted(
    live_catalogue, page, assert_accessible, provider_staff
):
    # The resident's request, sent through the public form.
    page.goto(f"{live_catalogue.url}/stod/{OFFERING}/kontakta/")
    page.fill("input[name=namn]", "Alex")
    page.fill("input[name=epost]", "alex@exempel.se")
    page.check("input[name=nar][value=kvall]")
    page.check("input[name=diskret]")
    page.click("[data-contact-form] button[type=submit]")
    page.wait_for_url("**/kontakta/skickad/")
    reference = page.locator("[data-referens]").get_attribute("data-referens")
    page.context.clear_cookies()

    user = provider_staff
    page.goto(live_catalogue.url + "/personal/forfragningar/")
    page.wait_for_url("**/personal/logga-in/**")
    type_password(page, user.username)
    page.wait_for_url("**/personal/tvafaktor/?**")
    page.wait_for_function("document.activeElement.name === 'otp_token'")
    page.keyboard.type(current_code(user.totpdevice_set.get()))
    page.keyboard.press("Enter")
    page.wait_for_url("**/personal/forfragningar/")

    row = page.locator(f'tr[data-request="{reference}"]')
    assert "Alex" in row.inner_text()
    assert row.locator("[data-diskret]").is_visible()
    assert_accessible(page)

    tab_to(page, f'tr[data-request="{reference}"] a', limit=60)
    page.keyboard.press("Enter")
    page.wait_for_url("**/personal/forfragningar/*/")
    assert page.locator("[data-status]").get_attribute("data-status") == "oppnad"
    assert "alex@exempel.se" in page.locator("[data-contact-request]").inner_text()
    assert_accessible(page)

    tab_to(page, "input[name=kontaktad-datum]", limit=60)  # today already filled in
    page.keyboard.press("Enter")
    page.locator(".notice").wait_for()
    assert page.locator("[data-status]").get_attribute("data-status") == "kontaktad"
    assert_accessible(page)
