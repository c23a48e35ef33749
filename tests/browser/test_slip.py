"""The referral slip in a real browser: accessible in both languages, reflows at 320 px, and
eight offerings print on one A4 page."""

import re

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# The eight heaviest entries of the real catalogue: several lines, four addresses, how to apply.
EIGHT = [
    "orosanmalan",
    "ansokan-stod-barn-och-familj",
    "ekonomiskt-bistand",
    "boende-med-stod-vuxna",
    "lss-ansokan",
    "stod-vid-vald-i-nara-relationer",
    "boendestod-neuropsykiatri",
    "stod-i-berga-och-lambohov",
]
EIGHT_QUERY = "&".join(f"insats={slug}" for slug in EIGHT)
SLIP_PATHS = [
    "/lapp/?insats=beroendebehandling-st-lars&insats=nybro-gruppboende",
    "/en/lapp/?insats=beroendebehandling-st-lars&insats=nybro-gruppboende",
    f"/lapp/?{EIGHT_QUERY}",
    "/lapp/?insats=finns-inte",
]


@pytest.mark.parametrize("path", SLIP_PATHS)
@pytest.mark.parametrize("width", [1280, 320])
def test_the_slip_passes_axe_and_reflows(live_catalogue, page, assert_accessible, path, width):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_catalogue.url + path)
    assert_accessible(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways at {width}px by {overflow}px"
    assert refused == []  # the strict CSP holds: no inline style or script on the slip


def test_eight_offerings_print_on_one_a4_page(live_catalogue, page):
    page.goto(f"{live_catalogue.url}/lapp/?{EIGHT_QUERY}")
    assert page.locator("[data-offering]").count() == 8
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the slip prints on {pages} pages"


def test_the_language_switch_keeps_the_slip(live_catalogue, page):
    page.goto(live_catalogue.url + "/lapp/?insats=umgangesstod&insats=orosanmalan")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/lapp/?insats=umgangesstod&insats=orosanmalan")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Support to contact"
    assert page.locator("[data-offering]").count() == 2
