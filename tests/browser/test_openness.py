"""`/oppenhet/` in a real browser, on the real six municipalities: axe-core clean in Swedish and
English at 1280 and 320 px, no sideways scrolling, the strict CSP intact, the chart drawn."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize("width", [1280, 320])
def test_openness_page_is_accessible_and_reflows(
    live_catalogue, page, assert_accessible, language, width
):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_catalogue.url + language + "/oppenhet/")

    assert page.locator("[data-openness] tbody tr").count() == 6
    chart = page.locator("svg.chart")
    assert chart.bounding_box()["height"] > 50  # drawn, not an empty box
    assert page.locator("svg.chart rect.chart-mark").count() >= 6
    assert_accessible(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"/oppenhet/ scrolls sideways at {width}px by {overflow}px"
    assert refused == []


def test_a_name_leads_to_that_municipality_s_start_page(live_catalogue, page):
    page.goto(live_catalogue.url + "/oppenhet/")
    with page.expect_navigation():
        page.locator("[data-kommun=kinda] th a").click()
    assert page.url.endswith("/?kommun=kinda")
    assert "Kinda" in page.title()
