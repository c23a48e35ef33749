"""The rest of a long result section, in a real browser: by keyboard, accessible."""

import pytest

from providers.models import Route
from tests.conftest import make_offering

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_see_all_leads_to_the_whole_list_by_keyboard(live_catalogue, page, assert_accessible):
    for _ in range(20):
        make_offering(needs=("missbruk",), route=Route.SERVICE, name="Samtalsstöd vid missbruk")
    page.goto(live_catalogue.url + "/hitta-stod/resultat/?vem=jag&alder=30&behov=missbruk")
    see_all = page.locator('[data-section="direktkontakt"] a[data-more]')
    total = int(see_all.inner_text().split()[-1])
    assert total > 20
    see_all.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/hitta-stod/resultat/direktkontakt/" in page.url
    assert_accessible(page)

    listed = page.locator('[data-section="direktkontakt"] [data-offering]').count()
    while page.locator('a[rel="next"]').count():
        with page.expect_navigation():
            page.locator('a[rel="next"]').click()
        listed += page.locator('[data-section="direktkontakt"] [data-offering]').count()
    assert listed == total
