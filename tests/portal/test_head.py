"""Pages answer HEAD as well as GET (`require_safe`): monitors and link checkers send HEAD."""

import pytest

from portal.permissions import Role
from providers.models import Provider
from tests.conftest import make_staff
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
    "providers:openness": "/oppenhet/",
    "providers:openness_csv": "/oppenhet/kommuner.csv",
    "frontdesk:slip_text": "/lapp/text/?insats=umgangesstod",
    "staff:login": "/personal/logga-in/",
    "intake:contact_request": "/stod/familjebehandling-familjeteamet/kontakta/",
    "intake:application_start": "/ansok/",
    "intake:report": "/orosanmalan/",
    "healthz": "/healthz/",
    "healthz_db": "/healthz/db/",
}
# Actions, not pages: they take POST only.
POST_ONLY = {"set_language", "staff:logout"}
# Pages that show what the visitor's own session holds (a draft, a receipt); without one they
# send the visitor to the start of their form, for HEAD as for GET.
SESSION_PAGES = {
    "intake:contact_request_done": "/stod/familjebehandling-familjeteamet/kontakta/skickad/",
    "intake:application_step": "/ansok/kontakt/",
    "intake:application_check": "/ansok/kontrollera/",
    "intake:application_done": "/ansok/skickad/",
    "intake:report_done": "/orosanmalan/skickad/",
}


@pytest.fixture(autouse=True)
def familjeteamet_reads_requests(catalogue):
    """Contact requests are open only where someone at the provider reads them."""
    make_staff(Role.UTFORARE, providers=[Provider.objects.get(slug="familjeteamet")])


def test_head_on_the_start_page_is_200_without_a_body(client, catalogue):
    response = client.head("/")
    assert response.status_code == 200
    assert response.content == b""


def test_every_public_page_is_in_this_test():
    assert set(PUBLIC_PAGES) == PUBLIC - POST_ONLY - set(SESSION_PAGES)


@pytest.mark.parametrize("name", sorted(SESSION_PAGES))
def test_session_pages_without_a_session_redirect_for_head_as_for_get(client, name):
    path = SESSION_PAGES[name]
    get, head = client.get(path), client.head(path)
    assert get.status_code == head.status_code == 302, path
    assert get["Location"] == head["Location"]


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
