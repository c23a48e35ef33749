"""The biståndsansökan in a real browser: the whole application by keyboard alone, axe-core on
every question, the check page and the confirmation, in Swedish and English, at 320 px; then a
handläggare signs in with two factors and opens it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from intake.models import Application
from portal.permissions import Role
from tests.browser.test_staff import current_code, tab_to, type_password
from tests.conftest import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNR = "19850709-9805"  # a valid number that is none of Skatteverket's test numbers


@pytest.fixture
def live_intake(live_catalogue):
    """The live server with the catalogue and the role groups (a transactional test's flush
    removed the ones the migrations made)."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    return live_catalogue


def choose(page, label: str) -> None:
    """Focus a radio button or checkbox by its label and tick it with the space bar."""
    page.get_by_label(label, exact=True).focus()
    page.keyboard.press("Space")


def type_into(page, label: str, text: str) -> None:
    page.get_by_label(label, exact=True).focus()
    page.keyboard.type(text)


def send(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_button(page, selector: str) -> None:
    tab_to(page, selector, limit=80)
    send(page)


def assert_no_sideways_scrolling(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, page.url


def test_the_whole_application_by_keyboard_in_swedish(live_intake, page, assert_accessible):
    page.goto(live_intake.url + "/ansok/")
    assert page.locator("h1").inner_text() == "Ansök om bistånd"
    assert_accessible(page)
    press_button(page, "button[data-start]")

    assert page.locator("h1").inner_text() == "Vad behöver du hjälp med?"
    assert_accessible(page)
    choose(page, "Psykisk ohälsa")
    type_into(page, "Berätta med egna ord (om du vill)", "Jag orkar inte <b>längre</b>.")
    press_button(page, "form[data-step] button[type=submit]")

    assert page.locator("h1").inner_text() == "Vem gäller ansökan?"
    assert_accessible(page)
    choose(page, "Mig själv")
    send(page)

    assert page.locator("h1").inner_text() == "Ditt namn och personnummer"
    assert_accessible(page)
    type_into(page, "Ditt namn", "Alva Testsson")
    type_into(page, "Ditt personnummer eller samordningsnummer", "850709-9805")
    send(page)

    assert page.locator("h1").inner_text() == "Hur når vi dig?"
    assert_accessible(page)
    press_button(page, "form[data-step] button[type=submit]")  # nothing filled in
    assert page.title().startswith("Fel:")
    summary = page.locator(".error-summary")
    assert "Skriv ett telefonnummer eller en e-postadress" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert_accessible(page)
    type_into(page, "Telefonnummer", "070-123 45 67")
    send(page)

    assert page.locator("h1").inner_text() == "Behöver du tolk?"
    assert_accessible(page)
    choose(page, "Ja")
    type_into(page, "Vilket språk ska tolken tala?", "arabiska")
    send(page)

    assert page.locator("h1").inner_text() == "Vill du få stödet från en särskild utförare?"
    assert_accessible(page)
    choose(page, "Ingen särskild önskan")
    send(page)

    assert page.locator("h1").inner_text() == "Så hanterar vi dina uppgifter"
    assert_accessible(page)
    choose(page, "Jag har läst texten och vill skicka ansökan på det här sättet.")
    send(page)

    assert page.locator("h1").inner_text() == "Kontrollera dina svar"
    assert_accessible(page)
    assert "Jag orkar inte <b>längre</b>." in page.locator(".summary-list").inner_text()
    # Change the phone number from the check page, and come back to it.
    press_button(page, "[data-answer=kontakt] a")
    assert page.locator("h1").inner_text() == "Hur når vi dig?"
    field = page.get_by_label("Telefonnummer", exact=True)
    field.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("013-20 69 68")
    send(page)
    assert page.locator("h1").inner_text() == "Kontrollera dina svar"
    assert "013-20 69 68" in page.locator(".summary-list").inner_text()
    assert not Application.objects.exists()
    press_button(page, "button[data-submit]")

    assert page.locator("h1").inner_text() == "Ansökan är skickad"
    assert_accessible(page)
    application = Application.objects.get()
    assert page.locator("[data-referens]").get_attribute("data-referens") == application.reference
    assert application.namn == "Alva Testsson" and application.personnummer == PNR
    assert application.telefon == "+4613206968"
    assert application.tolk_sprak == "arabiska"


def test_the_english_flow_is_accessible(live_intake, page, assert_accessible):
    page.goto(live_intake.url + "/en/ansok/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    press_button(page, "button[data-start]")

    assert page.url.endswith("/en/ansok/behov/")
    assert_accessible(page)
    page.locator("#behov-familj").focus()
    page.keyboard.press("Space")
    press_button(page, "form[data-step] button[type=submit]")

    assert page.url.endswith("/en/ansok/for-vem/")
    assert_accessible(page)
    page.locator("input[name=for_whom][value=barn]").focus()
    page.keyboard.press("Space")
    send(page)

    assert_accessible(page)
    page.locator("#id_namn").focus()
    page.keyboard.type("Sam Parent")
    page.locator("#id_personnummer").focus()
    page.keyboard.type(PNR)
    send(page)

    assert page.url.endswith("/en/ansok/barn/")
    assert_accessible(page)
    page.locator("#id_barn_namn").focus()
    page.keyboard.type("Kim Child")
    page.locator("#id_barn_personnummer").focus()
    page.keyboard.type("20150315-1234")  # a wrong check digit: an error first
    send(page)
    assert page.title().startswith("Error:")
    assert_accessible(page)
    page.locator("#id_barn_personnummer").fill("")
    page.locator("#id_barn_personnummer").focus()
    page.keyboard.type("20150315-1233")
    send(page)

    assert page.url.endswith("/en/ansok/kontakt/")
    assert_accessible(page)
    page.locator("#id_epost").focus()
    page.keyboard.type("sam@example.com")
    send(page)

    assert_accessible(page)
    page.locator("input[name=tolk][value=nej]").focus()
    page.keyboard.press("Space")
    send(page)

    if "/utforare/" in page.url:
        assert_accessible(page)
        page.locator("input[name=utforare][value=ingen]").focus()
        page.keyboard.press("Space")
        send(page)

    assert page.url.endswith("/en/ansok/samtycke/")
    assert_accessible(page)
    page.locator("#id_samtycke").focus()
    page.keyboard.press("Space")
    send(page)

    assert page.url.endswith("/en/ansok/kontrollera/")
    assert_accessible(page)
    press_button(page, "button[data-submit]")

    assert page.url.endswith("/en/ansok/skickad/")
    assert_accessible(page)
    application = Application.objects.get()
    assert page.locator("[data-referens]").get_attribute("data-referens") == application.reference
    assert application.for_whom == "barn" and application.barn_personnummer == "20150315-1233"


def test_the_pages_reflow_at_320_px(live_intake, page, assert_accessible):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_intake.url + "/ansok/")
    assert_no_sideways_scrolling(page)
    press_button(page, "button[data-start]")
    assert_no_sideways_scrolling(page)
    press_button(page, "form[data-step] button[type=submit]")  # an error on the first question
    assert page.title().startswith("Fel:")
    assert_no_sideways_scrolling(page)
    assert_accessible(page)


def test_a_handlaggare_signs_in_and_opens_the_application(live_intake, page, assert_accessible):
    from django.utils import timezone

    from intake import crypto, services

    application = services.submit(
        Application,
        {
            "behov": ["psykisk-ohalsa"],
            "beskrivning": "Behöver stöd i vardagen.",
            "for_whom": "mig",
            "namn": "Alva Testsson",
            "personnummer": PNR,
            "personnummer_hash": crypto.keyed_hash("personnummer", PNR),
            "telefon": "+46701234567",
            "tolk": True,
            "tolk_sprak": "arabiska",
            "consent_at": timezone.now(),
        },
    ).submission
    user = make_staff(Role.HANDLAGGARE, username="handlaggaren")

    page.goto(live_intake.url + "/personal/ansokningar/")
    page.wait_for_url("**/personal/logga-in/?next=/personal/ansokningar/")
    type_password(page, user.username)
    page.wait_for_url("**/personal/tvafaktor/?**")
    page.wait_for_function("document.activeElement.name === 'otp_token'")
    page.keyboard.type(current_code(user.totpdevice_set.get()))
    page.keyboard.press("Enter")

    page.wait_for_url(live_intake.url + "/personal/ansokningar/")
    assert page.locator("h1").inner_text() == "Ansökningar om bistånd"
    assert page.locator(f"[data-application='{application.reference}']").is_visible()
    assert_accessible(page)
    press_button(page, f"[data-application='{application.reference}'] a")

    assert page.locator("h1").inner_text() == f"Ansökan {application.reference}"
    assert "Alva Testsson" in page.locator("[data-applicant]").inner_text()
    assert_accessible(page)
    # Assign it to oneself (the default) by keyboard.
    press_button(page, "[data-action=tilldela] button[type=submit]")
    assert "Klart" in page.locator("[role=status]").inner_text()
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == "tilldelad" and application.assigned_to == user
