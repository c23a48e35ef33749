"""The guide and the catalogue lead to the new doors: apply here, report concern here."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_worried_adult_is_led_to_the_report_form(client, catalogue):
    html = client.get("/hitta-stod/resultat/?vem=jag&alder=35&oro_barn=ja").content.decode()
    assert 'data-section="orosanmalan"' in html
    assert '<a class="button" href="/orosanmalan/" data-report-link>' in html
    assert (
        'href="/orosanmalan/" data-report-link' in client.get("/hitta-stod/akut/").content.decode()
    )


def test_support_that_needs_an_application_links_to_the_application(client, catalogue):
    html = client.get("/hitta-stod/resultat/?vem=jag&alder=35&behov=bostad").content.decode()
    assert 'data-section="ansokan"' in html
    assert 'href="/ansok/" data-apply-link' in html
    offering = client.get("/stod/nybro-gruppboende/").content.decode()
    assert 'href="/ansok/" data-apply-link' in offering
    english = client.get("/en/stod/nybro-gruppboende/").content.decode()
    assert 'href="/en/ansok/" data-apply-link' in english


def test_where_the_social_office_has_no_number_the_doors_say_what_to_do_instead(client, catalogue):
    # Kinda's sources give no number for its social office (fixtures/kommuner.json).
    start = client.get("/ansok/?kommun=kinda").content.decode()
    assert "ringa socialkontoret:" not in start
    assert "ringa kommunens växel och be att få tala med socialtjänsten" in start
    assert 'Växelns nummer finns på <a href="https://www.kinda.se">kinda.se</a>.' in start
    home = client.get("/?kommun=kinda").content.decode()
    assert "Gör en orosanmälan till socialkontoret:" not in home
    assert "data-report-link>Gör en orosanmälan till socialkontoret</a>." in home
    # Linköping has the numbers, and shows them.
    assert "013-20 61 88" in client.get("/ansok/").content.decode()
    assert "Gör en orosanmälan till socialkontoret:" in client.get("/").content.decode()
