"""Quick exit ("Lämna sidan snabbt") on every public page: a link, and Shift pressed three times."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NEUTRAL = "https://www.smhi.se/"
PUBLIC_PATHS = [
    "/",
    "/stod/",
    "/stod/boendestod-neuropsykiatri/",
    "/utforare/familjeteamet/",
    "/hitta-stod/",
    "/hitta-stod/resultat/?vem=jag&alder=30&behov=vald",
    "/en/stod/",
    "/stod/finns-inte/",
]


@pytest.fixture
def neutral_site(page):
    """The exit's neutral site, answered locally so the test needs no network."""
    page.route(NEUTRAL + "**", lambda route: route.fulfill(body="väder", content_type="text/html"))
    return page


def press_shift(page, times: int) -> None:
    for _ in range(times):
        page.keyboard.press("Shift")


def test_shift_three_times_leaves_a_catalogue_page_and_back_does_not_return(
    live_catalogue, neutral_site
):
    page = neutral_site
    page.goto(live_catalogue.url + "/")
    page.goto(live_catalogue.url + "/stod/")
    press_shift(page, 3)
    page.wait_for_url(NEUTRAL)
    page.go_back()
    assert page.url == live_catalogue.url + "/"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_public_page_has_the_quick_exit(live_catalogue, page, path):
    page.goto(live_catalogue.url + path)
    exit_link = page.locator("[data-quick-exit]")
    assert exit_link.count() == 1
    assert exit_link.get_attribute("href") == NEUTRAL
    # The shortcut's hint shows only where the shortcut works (with JavaScript).
    assert page.locator("[data-quick-exit-keys]").is_visible()


def test_staff_pages_have_no_quick_exit(live_catalogue, page):
    page.goto(live_catalogue.url + "/personal/logga-in/")
    assert page.locator("[data-quick-exit]").count() == 0


def test_escape_alone_does_not_leave(live_catalogue, neutral_site):
    page = neutral_site
    page.goto(live_catalogue.url + "/stod/")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url == live_catalogue.url + "/stod/"


def test_typing_with_shift_does_not_leave(live_catalogue, neutral_site):
    page = neutral_site
    page.goto(live_catalogue.url + "/stod/")
    page.focus("#id_q")
    # Capital letters: Shift, then a letter, three times over.
    page.keyboard.type("ABC")
    press_shift(page, 2)
    page.keyboard.press("a")
    press_shift(page, 1)
    page.wait_for_timeout(300)
    assert page.url == live_catalogue.url + "/stod/"
    assert page.input_value("#id_q") == "ABCa"


def test_shift_presses_far_apart_do_not_leave(live_catalogue, neutral_site):
    page = neutral_site
    page.goto(live_catalogue.url + "/stod/")
    page.clock.install()
    press_shift(page, 2)
    page.clock.fast_forward(6000)
    press_shift(page, 1)
    page.wait_for_timeout(300)
    assert page.url == live_catalogue.url + "/stod/"


def test_the_exit_is_a_plain_link_without_javascript(live_catalogue, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route(NEUTRAL + "**", lambda route: route.fulfill(body="väder", content_type="text/html"))
    page.goto(live_catalogue.url + "/stod/")
    assert not page.locator("[data-quick-exit-keys]").is_visible()
    page.get_by_role("link", name="Lämna sidan snabbt").click()
    page.wait_for_url(NEUTRAL)
    context.close()
