"""Field errors are announced by screen readers on every form: each error message has an id that
its control (or fieldset) names in aria-describedby, and every id aria-describedby names exists.

Django 5.2 itself puts aria-describedby="<auto_id>_error" (and <auto_id>_helptext) on a widget
with errors, so the templates must use those ids for the texts.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.conftest import STAFF_PASSWORD, make_staff

pytestmark = pytest.mark.django_db

GUIDE = "/hitta-stod/"
# Each question of the guide answered wrongly (or not at all), with the answers before it.
GUIDE_WITH_ERRORS = [
    f"{GUIDE}?steg=fara",
    f"{GUIDE}?steg=fara&akut=kanske",
    f"{GUIDE}vem/?akut=nej&steg=vem",
    f"{GUIDE}alder/?akut=nej&vem=jag&steg=alder&alder=trettio",
    f"{GUIDE}alder/?akut=nej&vem=barn&steg=alder",
    f"{GUIDE}behov/?akut=nej&vem=jag&alder=30&steg=behov",
    f"{GUIDE}behov/?akut=nej&vem=jag&alder=30&steg=behov&behov=inget-sadant",
    f"{GUIDE}barn/?akut=nej&vem=barn&alder=8&behov=familj&steg=barn",
    f"{GUIDE}till-sist/?akut=nej&vem=jag&alder=30&behov=kris&steg=till-sist&omrade=mars&anonym=x",
]
CATALOGUE_WITH_ERRORS = (
    "/stod/?q=" + "x" * 101 + "&behov=inget-sadant&alder=-4&vag=flyg&omrade=mars&oppet_nu=2"
)


class Page(HTMLParser):
    """The ids, aria-describedby references, error messages and summary links of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: list[str] = []
        self.described_by: list[tuple[str, list[str]]] = []  # (tag, ids)
        self.error_ids: list[str | None] = []
        self.summary_links: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described_by.append((tag, attrs["aria-describedby"].split()))
        if "error-message" in (attrs.get("class") or "").split():
            self.error_ids.append(attrs.get("id"))
        if tag == "a" and (attrs.get("href") or "").startswith("#") and attrs["href"] != "#":
            self.summary_links.append(attrs["href"][1:])

    @property
    def referenced(self) -> set[str]:
        return {ref for _tag, refs in self.described_by for ref in refs}


def assert_errors_are_announced(html: str, url: str) -> None:
    page = Page(html)
    assert page.error_ids, f"{url}: the form shows no field error to check"
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"{url}: ids used twice: {duplicates}"
    for tag, refs in page.described_by:
        missing = set(refs) - set(page.ids)
        assert not missing, f"{url}: <{tag}> aria-describedby names missing ids {missing}"
    for error_id in page.error_ids:
        assert error_id, f"{url}: an error message without an id cannot be announced"
        assert error_id in page.referenced, f"{url}: no control names #{error_id}"
    for target in page.summary_links:
        assert target in page.ids, f"{url}: the error summary links to missing #{target}"


@pytest.mark.parametrize("url", GUIDE_WITH_ERRORS)
def test_the_guides_questions_announce_their_errors(client, catalogue, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_errors_are_announced(response.content.decode(), url)


def test_the_catalogue_filter_announces_its_errors(client, catalogue):
    response = client.get(CATALOGUE_WITH_ERRORS)
    assert response.status_code == 200
    html = response.content.decode()
    assert_errors_are_announced(html, "/stod/")
    for field in ("q", "behov", "alder", "vag", "omrade", "oppet_nu"):
        assert f'id="id_{field}_error"' in html, field


def test_the_staff_sign_in_announces_missing_fields(client):
    response = client.post("/personal/logga-in/", {"username": "", "password": ""})
    assert_errors_are_announced(response.content.decode(), "/personal/logga-in/")


def test_a_wrong_password_is_a_message_for_the_whole_form_in_the_summary(client):
    make_staff("mottagning", username="anna")
    response = client.post("/personal/logga-in/", {"username": "anna", "password": "fel-1234567"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Fel:" in html
    page = Page(html)
    for tag, refs in page.described_by:
        assert set(refs) <= set(page.ids), tag


def test_a_wrong_second_factor_code_is_announced(client):
    make_staff("mottagning", username="anna")
    signed_in = client.post("/personal/logga-in/", {"username": "anna", "password": STAFF_PASSWORD})
    assert signed_in["Location"].startswith("/personal/tvafaktor/")
    response = client.post("/personal/tvafaktor/", {"otp_token": "12"})
    assert_errors_are_announced(response.content.decode(), "/personal/tvafaktor/")


def test_the_password_change_form_announces_its_errors(staff_client):
    client = staff_client("mottagning")
    response = client.post(
        "/personal/losenord/",
        {"old_password": "fel", "new_password1": "kort", "new_password2": "annat"},
    )
    assert response.status_code == 200
    assert_errors_are_announced(response.content.decode(), "/personal/losenord/")
