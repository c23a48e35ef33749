"""Every public page in a real browser: accessible (axe-core, WCAG 2.1 AA), usable by keyboard."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PUBLIC_PATHS = [
    "/",
    "/stod/",
    "/stod/?behov=missbruk&alder=45",
    "/stod/?alder=abc&vag=teleport",
    "/stod/?q=ingenting-finns-med-det-har-ordet",
    "/stod/boendestod-neuropsykiatri/",
    "/utforare/familjeteamet/",
    "/utforare/socialkontoret/",
    "/utforare/mottagningen-rad-och-stod/",
    "/en/",
    "/en/stod/",
    "/en/utforare/st-larsmottagningen/",
    "/stod/finns-inte/",
]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
@pytest.mark.parametrize("width", [1280, 320])
def test_public_page_passes_axe(live_catalogue, page, assert_accessible, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_catalogue.url + path)
    assert_accessible(page)
    # Nothing sideways-scrolls at 320 px (WCAG 1.4.10 reflow).
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways at {width}px by {overflow}px"


def test_keyboard_walk_from_start_to_an_offering(live_catalogue, page):
    page.goto(live_catalogue.url + "/")
    # The skip link is the first thing a keyboard user reaches, and it moves focus to main.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innehall"

    # Search from the start page with the keyboard only.
    page.focus("#home-q")
    page.keyboard.type("alkohol")
    page.keyboard.press("Enter")
    page.wait_for_url("**/stod/?q=alkohol")
    assert page.locator('[data-provider="st-larsmottagningen"]').count() >= 1

    # Narrow by age in the filter form, submit with Enter.
    page.focus("#id_alder")
    page.keyboard.type("45")
    page.keyboard.press("Enter")
    page.wait_for_url("**alder=45**")
    first_link = page.locator('[data-provider="st-larsmottagningen"] h3 a').first
    first_link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").count() == 1
    assert "Så får du stödet" in page.content()
    assert "Du kan alltid ansöka om bistånd hos socialkontoret" in page.content()


def test_focus_is_visible(live_catalogue, page):
    page.goto(live_catalogue.url + "/stod/")
    page.focus("#id_alder")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_pages_work_at_200_percent_zoom(live_catalogue, browser):
    context = browser.new_context(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    page = context.new_page()
    page.goto(live_catalogue.url + "/stod/")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()


def test_language_switch_leads_to_the_english_page(live_catalogue, page):
    page.goto(live_catalogue.url + "/stod/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/stod/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "All support"
