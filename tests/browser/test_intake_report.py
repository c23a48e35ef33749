"""The report of concern in a real browser: a private person reports by keyboard alone (with an
error on the way), axe-core clean on the form, its error state and the confirmation, in Swedish
and English and at 320 px; a handläggare signs in with two factors and works the board."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from intake import services
from intake.models import ConcernReport
from portal.permissions import Role
from tests.browser.test_staff import current_code, tab_to, type_password
from tests.conftest import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = "/orosanmalan/"
DONE = "/orosanmalan/skickad/"
BOARD = "/personal/orosanmalningar/"
SUBMIT = "[data-report-form] button[type=submit]"


@pytest.fixture
def live(live_catalogue):
    """The live server with the catalogue and the role groups (a transactional flush drops
    them)."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    return live_catalogue


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth <= 0"
    )


def test_a_private_person_reports_by_keyboard_alone_in_swedish(live, page, assert_accessible):
    page.goto(live.url + FORM)
    # 112 and Sociala jouren come before anything else in the page's content.
    first = page.locator("main [data-section=akut]").first
    assert first.is_visible()
    assert page.evaluate(
        "document.querySelector('main [data-section=akut]').compareDocumentPosition("
        "document.querySelector('main h1')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert first.locator("a[href='tel:112']").is_visible()
    assert_accessible(page)

    # Sent empty: the error state, the summary focused, every problem named.
    tab_to(page, SUBMIT, limit=80)
    page.keyboard.press("Enter")
    page.locator(".error-summary").wait_for()
    assert page.title().startswith("Fel:")
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    assert page.locator(".error-summary li").count() == 5
    assert_accessible(page)

    tab_to(page, "#id_barn_namn")
    page.keyboard.type("Alva Exempel")
    page.keyboard.press("Tab")
    page.keyboard.type("7")
    tab_to(page, "#id_barn_adress_skola")
    page.keyboard.type("Ekholmsskolan")
    tab_to(page, "#id_sett")
    page.keyboard.type("Alva hade blåmärken på armarna tre dagar i rad.")
    tab_to(page, "#id_fara_nu_0")
    page.keyboard.press("ArrowDown")  # Nej
    assert page.locator("#id_fara_nu_1").is_checked()
    tab_to(page, "#id_vardnadshavare_vet_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Vet inte
    assert page.locator("#id_vardnadshavare_vet_2").is_checked()
    tab_to(page, "#id_anmalare_0")
    page.keyboard.press("Space")  # Privatperson
    tab_to(page, "#id_anonym")
    page.keyboard.press("Space")
    assert page.locator("#id_anonym").is_checked()
    tab_to(page, SUBMIT, limit=80)
    page.keyboard.press("Enter")

    page.wait_for_url(live.url + DONE)
    reference = page.locator("[data-referens]").get_attribute("data-referens")
    report = ConcernReport.objects.get()
    assert report.reference == reference
    assert (report.barn_namn, report.barn_alder, report.anonym) == ("Alva Exempel", 7, True)
    assert page.get_by_text("En skyddsbedömning inom 24 timmar.").is_visible()
    assert page.locator("main [data-section=akut] a[href='tel:112']").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_form_and_confirmation_in_english_are_accessible_and_reflow(
    live, page, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live.url + "/en" + FORM)
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    assert no_sideways_scroll(page)
    page.fill("#id_barn_namn", "Noah Example")
    page.fill("#id_hort", "Noah said his father hits him.")
    page.check("#id_fara_nu_0")  # yes: the confirmation says to call 112 now
    page.check("#id_vardnadshavare_vet_1")
    page.check("#id_anmalare_1")  # a professional
    page.fill("#id_anmalare_namn", "Sara Teacher")
    page.fill("#id_arbetsplats", "Ekholmsskolan")
    page.click(SUBMIT)
    page.wait_for_url(live.url + "/en" + DONE)
    assert page.locator("[data-referens]").is_visible()
    assert page.locator("main [data-section=ring-112]").is_visible()
    assert_accessible(page)
    assert no_sideways_scroll(page)
    assert ConcernReport.objects.get().fara_nu is True


def test_the_swedish_form_reflows_at_320_px_with_errors(live, page, assert_accessible):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live.url + FORM)
    page.fill("#id_barn_alder", "19")
    page.click(SUBMIT)
    page.locator(".error-summary").wait_for()
    assert_accessible(page)
    assert no_sideways_scroll(page)


def test_a_handlaggare_signs_in_with_two_factors_and_works_the_board(live, page, assert_accessible):
    user = make_staff(Role.HANDLAGGARE, username="handlaggare-tavla")
    late = services.submit(
        ConcernReport,
        {
            "barn_namn": "Alva",
            "sett": "Blåmärken.",
            "vardnadshavare_vet": "nej",
            "anmalare": "privatperson",
            "anonym": True,
            "fara_nu": True,
        },
    ).submission
    ConcernReport.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=30))
    fresh = services.submit(
        ConcernReport,
        {
            "barn_alder": 11,
            "hort": "Han sa att han inte får äta.",
            "barn_adress_skola": "Ryd",
            "vardnadshavare_vet": "ja",
            "anmalare": "yrkesperson",
            "anmalare_namn": "Sara",
            "arbetsplats": "Rydsskolan",
        },
    ).submission

    page.goto(live.url + BOARD)
    page.wait_for_url("**/personal/logga-in/?next=/personal/orosanmalningar/")
    type_password(page, user.username)
    page.wait_for_url("**/personal/tvafaktor/?**")
    page.wait_for_function("document.activeElement.name === 'otp_token'")
    page.keyboard.type(current_code(user.totpdevice_set.get()))
    page.keyboard.press("Enter")

    page.wait_for_url(live.url + BOARD)
    rows = page.locator("[data-board] tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).get_attribute("data-report") == late.reference  # overdue first
    assert "Försenad" in rows.nth(0).inner_text()
    assert "okänd" in rows.nth(0).inner_text()
    assert "Skyddsbedömning senast" in rows.nth(1).inner_text()
    assert "11 år" in rows.nth(1).inner_text()
    assert_accessible(page)

    tab_to(page, f"a[href='{BOARD}{fresh.pk}/']", limit=60)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live.url}{BOARD}{fresh.pk}/")
    assert page.get_by_text("Han sa att han inte får äta.").is_visible()
    assert_accessible(page)
    tab_to(page, "#id_skyddsbedomd-anteckning", limit=80)
    page.keyboard.type("Barnet är tryggt i skolan i dag.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("[data-messages]").wait_for()
    assert page.locator("[data-status]").get_attribute("data-status") == "skyddsbedomd"
    assert "Förhandsbedömning dag 1 av 14" in page.locator("main").inner_text()
    assert_accessible(page)
