"""The guide in a real browser: the whole flow by keyboard, back links, emergency, quick exit."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NEUTRAL = "https://www.smhi.se/"


def choose(page, label):
    """Focus a radio or checkbox by its label and tick it with the space bar."""
    page.get_by_label(label, exact=True).focus()
    page.keyboard.press("Space")


def submit(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_whole_flow_by_keyboard_with_axe_on_every_step(live_catalogue, page, assert_accessible):
    page.goto(live_catalogue.url + "/hitta-stod/")
    assert_accessible(page)
    choose(page, "Nej")
    submit(page)

    assert page.locator("h1").inner_text() == "Vem söker du stöd för?"
    assert_accessible(page)
    choose(page, "Mitt barn")
    submit(page)

    assert page.locator("h1").inner_text() == "Hur gammalt är barnet?"
    assert_accessible(page)
    page.get_by_label("Hur gammalt är barnet?").focus()
    page.keyboard.type("9")
    submit(page)

    assert page.locator("h1").inner_text() == "Vad handlar det om?"
    assert_accessible(page)
    choose(page, "Psykisk ohälsa")
    submit(page)

    assert page.locator("h1").inner_text() == "Är du orolig för att ett barn far illa?"
    assert_accessible(page)
    choose(page, "Nej")
    submit(page)

    assert "Till sist" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Visa stöd").focus()
    submit(page)

    assert "/hitta-stod/resultat/" in page.url
    assert_accessible(page)
    direct = page.locator('[data-section="direktkontakt"]')
    assert direct.locator('[data-provider="familjeteamet"]').count() >= 1
    assert direct.locator('[data-provider="mottagningen-rad-och-stod"]').count() >= 1


def test_errors_are_summarised_and_fixable(live_catalogue, page, assert_accessible):
    page.goto(live_catalogue.url + "/hitta-stod/alder/?akut=nej&vem=jag")
    page.get_by_label("Hur gammal är du?").fill("tjugo")
    submit(page)
    assert page.title().startswith("Fel:")
    summary = page.locator(".error-summary")
    assert "Skriv åldern med siffror" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert_accessible(page)
    summary.get_by_role("link").click()
    field = page.get_by_label("Hur gammal är du?")
    assert page.evaluate("document.activeElement.id") == "id_alder"  # the link leads to the field
    field.fill("20")
    field.focus()
    submit(page)
    assert "/hitta-stod/behov/" in page.url


def test_back_links_return_with_answers_kept(live_catalogue, page):
    page.goto(live_catalogue.url + "/hitta-stod/behov/?akut=nej&vem=jag&alder=30")
    page.get_by_role("link", name="Tillbaka").click()
    assert "/hitta-stod/alder/" in page.url
    assert page.get_by_label("Hur gammal är du?").input_value() == "30"
    page.get_by_role("link", name="Tillbaka").click()
    assert "/hitta-stod/vem/" in page.url
    assert page.get_by_label("Mig själv").is_checked()


def test_emergency_branch_then_continue(live_catalogue, page, assert_accessible):
    page.goto(live_catalogue.url + "/hitta-stod/")
    page.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Fortsätt").click()
    assert "/hitta-stod/akut/" in page.url
    assert page.locator('a[href="tel:112"]').count() >= 1
    assert_accessible(page)
    page.get_by_role("link", name="Fortsätt till frågorna").click()
    assert "/hitta-stod/vem/" in page.url and "akut=ja" in page.url


def test_quick_exit_leaves_and_back_does_not_return(live_catalogue, page):
    page.route(
        NEUTRAL + "**",
        lambda route: route.fulfill(body="<title>SMHI</title>väder", content_type="text/html"),
    )
    page.goto(live_catalogue.url + "/")
    page.goto(live_catalogue.url + "/hitta-stod/vem/?akut=nej")
    page.get_by_role("link", name="Lämna sidan snabbt").click()
    page.wait_for_url(NEUTRAL)
    page.go_back()
    assert "/hitta-stod/" not in page.url


def test_quick_exit_with_shift_three_times(live_catalogue, page):
    page.route(NEUTRAL + "**", lambda route: route.fulfill(body="väder", content_type="text/html"))
    page.goto(live_catalogue.url + "/hitta-stod/resultat/?vem=jag&alder=30&behov=vald")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL)


def test_guide_works_without_javascript(live_catalogue, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_catalogue.url + "/hitta-stod/")
    page.get_by_label("Nej").check()
    page.get_by_role("button", name="Fortsätt").click()
    assert "/hitta-stod/vem/" in page.url
    page.goto(live_catalogue.url + "/hitta-stod/resultat/?vem=jag&alder=45&behov=missbruk")
    assert (
        page.locator('[data-section="direktkontakt"] [data-provider="st-larsmottagningen"]').count()
        >= 1
    )
    # Print and copy need JavaScript, so they are on the page but stay hidden without it.
    assert page.locator("[data-print]").count() == 1
    assert page.locator("[data-copy-link]").count() == 1
    assert not page.locator("[data-print]").is_visible()
    assert not page.locator("[data-copy-link]").is_visible()
    context.close()


def test_result_page_has_a_clean_print_version(live_catalogue, page):
    page.goto(live_catalogue.url + "/hitta-stod/resultat/?vem=jag&alder=45&behov=missbruk")
    print_button = page.get_by_role("button", name="Skriv ut")
    assert print_button.is_visible()
    # What print leaves out must be on the screen first, or "not visible" proves nothing.
    screen_only = [page.locator(".quick-exit"), page.locator(".main-nav"), print_button]
    assert all(part.is_visible() for part in screen_only)
    page.emulate_media(media="print")
    assert not any(part.is_visible() for part in screen_only)
    assert page.locator('[data-section="direktkontakt"]').is_visible()
    assert page.locator('[data-section="direktkontakt"] [data-offering]').first.is_visible()
    assert page.locator('[data-section="mottagningen"] a[href^="tel:"]').first.is_visible()


def test_english_end_to_end(live_catalogue, page, assert_accessible):
    page.goto(live_catalogue.url + "/en/")
    page.get_by_role("link", name="Find the right support").first.click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Is anyone in danger right now?"
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    assert "/en/hitta-stod/vem/" in page.url
    page.get_by_label("Myself", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("How old are you?").fill("45")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Alcohol, drugs, gambling").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Show support").click()
    assert "/en/hitta-stod/resultat/" in page.url
    assert (
        page.locator('[data-section="direktkontakt"] [data-provider="st-larsmottagningen"]').count()
        >= 1
    )
    assert "You can always apply" in page.content()
    assert_accessible(page)
