"""Other municipalities' pages in a real browser: accessible, reflowing at 320 px, and the
municipality chosen on the start page, without JavaScript, is the one every later link keeps."""

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

RESULT = "/hitta-stod/resultat/?kommun={}&vem=jag&alder=30&behov=missbruk&akut=ja"

MUNICIPALITY_PATHS = [
    path.format(slug)
    for slug in ("kinda", "nacka")
    for path in ("/?kommun={}", RESULT, "/stod/?kommun={}")
] + [
    "/stod/?kommun=alla&q=samtal",
    "/oppenhet/",
]

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def check_both_widths(page, url, assert_accessible, expect_status=200):
    """axe-core finds nothing and nothing scrolls sideways, in a wide window and at 320 px."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response.status == expect_status, url
        assert_accessible(page)
        overflow = page.evaluate(SIDEWAYS)
        assert overflow <= 0, f"{url} scrolls sideways at {width}px by {overflow}px"


@pytest.mark.parametrize("path", MUNICIPALITY_PATHS)
def test_municipality_page_passes_axe_and_reflows(live_catalogue, page, assert_accessible, path):
    check_both_widths(page, live_catalogue.url + path, assert_accessible)


def test_unknown_municipality_gives_a_404_with_a_choice(live_catalogue, page, assert_accessible):
    url = live_catalogue.url + "/hitta-stod/resultat/?kommun=atlantis"
    check_both_widths(page, url, assert_accessible, expect_status=404)
    # The way on is a form listing the real municipalities, not a dead end.
    form = page.locator("main form:has(select[name=kommun])")
    assert form.count() == 1
    options = form.locator("option").all_inner_texts()
    assert "Kinda kommun" in options and "Nacka kommun" in options
    assert "atlantis" in page.locator("main").inner_text()


def test_choosing_a_municipality_by_keyboard_without_javascript(live_catalogue, browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_catalogue.url + "/")
    assert "Nacka" not in page.locator("h1").inner_text()

    page.focus("#kommun-val")
    page.locator("#kommun-val").select_option(label="Nacka kommun")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Byt kommun"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert parse_qs(urlsplit(page.url).query)["kommun"] == ["nacka"]
    assert "Nacka kommun" in page.locator("h1").inner_text()
    assert page.locator("#kommun-val option:checked").inner_text() == "Nacka kommun"
    guide = page.get_by_role("link", name="Hitta rätt stöd")
    assert parse_qs(urlsplit(guide.get_attribute("href")).query)["kommun"] == ["nacka"]
    # Following it, the guide still knows the municipality.
    guide.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlsplit(page.url).query)["kommun"] == ["nacka"]
    assert "Nacka" in page.title()
    context.close()
