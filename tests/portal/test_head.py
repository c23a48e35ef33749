"""Pages answer HEAD as well as GET (`require_safe`): monitors and link checkers send HEAD."""

import pytest

from tests.portal.test_url_guard import PUBLIC

pytestmark = pytest.mark.django_db

GUIDE_ANSWERS = "vem=jag&alder=30&behov=missbruk"
# One address for every public page, by route name.
PUBLIC_PAGES = {
    "home": "/",
    "providers:offering_list": "/stod/?behov=missbruk",
    "providers:offering_detail": "/stod/beroendebehandling-st-lars/",
    "providers:provider_detail": "/utforare/st-larsmottagningen/",
    "pathways:start": "/hitta-stod/",
    "pathways:emergency": "/hitta-stod/akut/",
    "pathways:step": "/hitta-stod/vem/?akut=nej",
    "pathways:result": f"/hitta-stod/resultat/?{GUIDE_ANSWERS}",
    "pathways:section": f"/hitta-stod/resultat/direktkontakt/?{GUIDE_ANSWERS}",
    "frontdesk:slip": "/lapp/?insats=umgangesstod&insats=lss-ansokan",
    "frontdesk:slip_text": "/lapp/text/?insats=umgangesstod",
    "staff:login": "/personal/logga-in/",
    "healthz": "/healthz/",
    "healthz_db": "/healthz/db/",
}
# Actions, not pages: they take POST only.
POST_ONLY = {"set_language", "staff:logout"}


def test_head_on_the_start_page_is_200_without_a_body(client, catalogue):
    response = client.head("/")
    assert response.status_code == 200
    assert response.content == b""


def test_every_public_page_is_in_this_test():
    assert set(PUBLIC_PAGES) == PUBLIC - POST_ONLY


@pytest.mark.parametrize("name", sorted(PUBLIC_PAGES))
def test_every_public_page_answers_head_as_it_answers_get(client, catalogue, name):
    path = PUBLIC_PAGES[name]
    get = client.get(path)
    assert get.status_code == 200, path
    head = client.head(path)
    assert head.status_code == 200, path
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


def test_english_pages_answer_head_too(client, catalogue):
    assert client.head("/en/hitta-stod/").status_code == 200
    assert client.head("/en/stod/").status_code == 200
