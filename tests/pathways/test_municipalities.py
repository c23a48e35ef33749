"""Several municipalities in one portal (issue 9): each resident sees their own municipality's
catalogue and guide, chosen in the URL (`kommun=`) or by the host name, never by a cookie."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from providers import municipalities
from providers.models import Municipality, Offering

pytestmark = pytest.mark.django_db

SIX = ["linkoping", "boxholm", "finspang", "kinda", "mjolby", "nacka"]
RESULT = "/hitta-stod/resultat/"
# Answer sets a resident might give, each with at least one need.
ANSWER_SETS = [
    "vem=jag&alder=45&behov=missbruk",
    "vem=barn&alder=9&behov=psykisk-ohalsa&behov=familj",
    "vem=narstaende&alder=40&behov=missbruk&behov=psykisk-ohalsa",
    "vem=jag&alder=30&behov=vald&behov=kris",
    "vem=jag&alder=17&behov=familj&behov=separation",
    "vem=yrkesperson&alder=11&behov=familj&oro_barn=ja",
    "vem=jag&alder=70&behov=vardagsstod&behov=ekonomi&behov=bostad",
]


def section(html: str, key: str) -> str:
    """The HTML of one result section (empty when the page has none)."""
    found = re.search(rf'<section[^>]*data-section="{key}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def listed(html: str, key: str) -> list[tuple[str, str, str]]:
    """(offering, provider, route) of every offering listed in a section."""
    return re.findall(
        r'data-offering="([^"]+)" data-provider="([^"]+)" data-route="([^"]+)"',
        section(html, key),
    )


def test_all_six_municipalities_load_with_their_roles(catalogue):
    found = {m.slug: m for m in Municipality.objects.all()}
    assert set(SIX) <= set(found)
    for slug in SIX:
        municipality = found[slug]
        assert municipality.providers.exists(), slug
        assert municipality.social_office is not None, slug
        assert municipality.report_offering is not None, slug
    # Kinda's families are sent to Linköping's Sociala jouren (seed 000 §4.1.4).
    assert found["kinda"].emergency.slug == "sociala-jouren"
    assert found["kinda"].emergency.municipality.slug == "linkoping"


@pytest.mark.parametrize("slug", SIX)
def test_each_municipality_has_its_own_start_page_and_guide(client, catalogue, slug):
    name = Municipality.objects.get(slug=slug).name
    home = client.get(f"/?kommun={slug}")
    assert home.status_code == 200
    html = home.content.decode()
    assert name in html
    if slug != "linkoping":
        # Links keep the municipality, so the guide is about the same one.
        assert f'href="/hitta-stod/?kommun={slug}"' in html
    result = client.get(f"{RESULT}?kommun={slug}&vem=jag&alder=30&behov=missbruk")
    assert result.status_code == 200
    assert name in result.content.decode()


@pytest.mark.parametrize("slug", SIX)
def test_results_list_only_the_municipalitys_own_offerings_and_those_that_serve_it(
    client, catalogue, slug
):
    place = municipalities.places()[slug]
    own = set(Offering.objects.for_place(place).values_list("slug", flat=True))
    roles = set(place.roles.providers)
    for answers in ANSWER_SETS:
        html = client.get(f"{RESULT}?kommun={slug}&{answers}").content.decode()
        for key in ("direktkontakt", "okand-vag", "ansokan"):
            for offering, provider, _route in listed(html, key):
                assert offering in own or provider in roles, (answers, key, offering)


@pytest.mark.parametrize("slug", SIX)
def test_an_unknown_road_is_never_shown_as_direct_contact(client, catalogue, slug):
    unknown = set(
        Offering.objects.published()
        .filter(route="okand", municipality__slug=slug)
        .values_list("slug", flat=True)
    )
    seen_unknown = set()
    for answers in ANSWER_SETS:
        html = client.get(f"{RESULT}?kommun={slug}&{answers}").content.decode()
        direct = listed(html, "direktkontakt")
        assert all(route != "okand" for _o, _p, route in direct), answers
        assert not unknown & {offering for offering, _p, _r in direct}
        okand = listed(html, "okand-vag")
        assert all(route == "okand" for _o, _p, route in okand), answers
        seen_unknown |= {offering for offering, _p, _r in okand}
        if okand:
            assert "Kommunen har inte angett om du kan kontakta dem direkt. Ring och fråga." in (
                section(html, "okand-vag")
            )
    if unknown:
        assert seen_unknown, f"{slug}'s offerings with an unknown road appear in their section"


def test_linkoping_states_every_road_so_its_results_have_no_unknown_section(client, catalogue):
    for answers in ANSWER_SETS:
        html = client.get(f"{RESULT}?{answers}").content.decode()
        assert 'data-section="okand-vag"' not in html


def test_the_guide_for_kinda_offers_linkopings_sociala_jouren_in_an_emergency(client, catalogue):
    html = client.get(f"{RESULT}?kommun=kinda&akut=ja&vem=barn&alder=8&behov=vald").content.decode()
    akut = section(html, "akut")
    assert 'data-provider="sociala-jouren"' in akut
    assert "013-20 75 26" in akut  # Sociala jouren's number, from the catalogue
    assert 'href="tel:112"' in akut


def test_an_offering_of_another_municipality_says_whose_it_is(client, catalogue):
    html = client.get(f"{RESULT}?kommun=kinda&akut=ja&vem=barn&alder=8&behov=vald").content.decode()
    jour = re.search(r'<article[^>]*data-provider="sociala-jouren".*?</article>', html, re.S)
    assert "Sociala jouren · Linköpings kommun" in jour.group(0)
    # Linköping's own guide does not name its own municipality on every card.
    html = client.get(f"{RESULT}?akut=ja&vem=barn&alder=8&behov=vald").content.decode()
    jour = re.search(r'<article[^>]*data-provider="sociala-jouren".*?</article>', html, re.S)
    assert "Linköpings kommun" not in jour.group(0)


def test_a_card_without_a_number_says_where_to_call_instead(client, catalogue):
    html = client.get(f"{RESULT}?kommun=mjolby&vem=jag&alder=19&behov=missbruk").content.decode()
    assert listed(html, "okand-vag")
    assert "Vi har inget nummer till dem här ännu. Ring kommunens växel" in html
    assert "Numret saknas här just nu" not in html
    # … and where the switchboard's number is: the municipality's own site.
    assert 'Växelns nummer finns på <a href="https://www.mjolby.se">mjolby.se</a>.' in html


def test_nothing_found_sends_a_resident_to_someone_their_municipality_has(client, catalogue):
    # Answers no offering fits: a 3-year-old's work and studies.
    nothing = "vem=barn&alder=3&behov=sysselsattning"
    html = client.get(f"{RESULT}?kommun=kinda&{nothing}").content.decode()
    assert "Vi hittade inget stöd som passar precis dina svar." in html
    assert "Mottagningen" not in html  # Kinda has none; Linköping's is not Kinda's
    assert "Ring kommunens växel och be att få tala med socialtjänsten" in html
    assert 'Växelns nummer finns på <a href="https://www.kinda.se">kinda.se</a>.' in html
    # Linköping's catalogue always has something; its navigator is in the notice with its number.
    navigator = {"name": "Mottagningen", "number": "013-20 69 68", "href": "tel:+4613206968"}
    html = render_to_string(
        "pathways/includes/notice.html", {"notice": "inget-hittat", "MOTTAGNINGEN": navigator}
    )
    assert 'Ring Mottagningen, så hjälper vi dig hitta rätt: <a href="tel:+4613206968">' in html


def test_the_start_page_promises_the_road_only_where_the_municipality_states_it(client, catalogue):
    unsaid = "inte sagt om du behöver ansöka"
    assert unsaid not in client.get("/").content.decode()  # Linköping states every road
    html = client.get("/?kommun=mjolby").content.decode()
    assert f"För en del av stödet har Mjölby kommun {unsaid}" in html


def test_without_kommun_the_pages_are_linkopings_as_before(client, catalogue):
    html = client.get(f"{RESULT}?vem=jag&alder=45&behov=missbruk").content.decode()
    providers = {provider for _o, provider, _r in listed(html, "direktkontakt")}
    assert "st-larsmottagningen" in providers
    assert 'data-provider="mottagningen-rad-och-stod"' in section(html, "mottagningen")
    linkoping = set(
        Offering.objects.filter(municipality__slug="linkoping").values_list("slug", flat=True)
    )
    assert {o for o, _p, _r in listed(html, "direktkontakt")} <= linkoping


def test_another_municipalitys_pages_never_show_linkopings_numbers(client, catalogue):
    html = client.get("/?kommun=nacka").content.decode()
    assert "013-20 69 68" not in html  # Mottagningen, Linköping
    assert "013-20 61 88" not in html  # socialkontoret, Linköping
    assert "Nacka" in html


def test_an_unknown_municipality_gets_a_choice_not_an_error(client, catalogue):
    response = client.get(f"{RESULT}?kommun=atlantis&vem=jag")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Fel:" in html
    assert "”atlantis”" in html
    assert 'name="kommun"' in html and 'value="kinda"' in html


def test_the_guide_needs_one_municipality_not_the_whole_country(client, catalogue):
    response = client.get(f"{RESULT}?kommun=alla&vem=jag")
    assert response.status_code == 400
    assert "Välj din kommun" in response.content.decode()


def test_the_catalogue_can_search_the_whole_country(client, catalogue):
    everything = Offering.objects.published().count()
    html = client.get("/stod/?kommun=alla").content.decode()
    assert f"{everything} stödinsatser" in html
    kinda = client.get("/stod/?kommun=kinda").content.decode()
    count = Offering.objects.published().for_place(municipalities.places()["kinda"]).count()
    assert f"{count} stödinsats" in kinda
    assert 'data-provider="familjeteamet"' not in kinda


def test_the_guides_questions_carry_the_municipality_to_the_result(client, catalogue):
    response = client.get("/hitta-stod/", {"kommun": "nacka", "steg": "fara", "akut": "nej"})
    assert response.status_code == 302
    assert "kommun=nacka" in response["Location"]


def test_an_area_question_lists_only_the_municipalitys_own_areas(client, catalogue):
    nacka = client.get("/hitta-stod/till-sist/?kommun=nacka&vem=jag&alder=30").content.decode()
    assert 'value="orminge"' in nacka and 'value="berga"' not in nacka
    linkoping = client.get("/hitta-stod/till-sist/?vem=jag&alder=30").content.decode()
    assert 'value="berga"' in linkoping and 'value="orminge"' not in linkoping
    # A municipality without areas of its own is not asked where in it the person lives.
    kinda = client.get("/hitta-stod/till-sist/?kommun=kinda&vem=jag&alder=30").content.decode()
    assert 'name="omrade"' not in kinda


@override_settings(
    MUNICIPALITY_HOSTS={"stod.kinda.test": "kinda"},
    ALLOWED_HOSTS=["testserver", "stod.kinda.test"],
)
def test_a_host_pinned_to_a_municipality_shows_only_it_and_its_links_need_no_kommun(
    client, catalogue
):
    html = client.get("/", HTTP_HOST="stod.kinda.test").content.decode()
    assert "Kinda kommun" in html
    assert "kommun=" not in html  # no chooser, no parameter on links
    result = client.get(
        f"{RESULT}?akut=ja&vem=jag&alder=30&behov=missbruk", HTTP_HOST="stod.kinda.test"
    ).content.decode()
    assert 'data-provider="sociala-jouren"' in section(result, "akut")
    # The same address on the ordinary host is Linköping's.
    assert "– Linköpings kommun</title>" in client.get("/").content.decode()


def test_every_listing_from_the_seeds_of_other_municipalities_is_flagged_for_review(catalogue):
    others = Offering.objects.exclude(municipality__slug="linkoping")
    assert others.exists()
    for offering in others:
        assert offering.review_due(), offering.slug
        assert offering.provider.review_due(), offering.provider.slug


def test_choosing_a_municipality_keeps_the_other_answers(client, catalogue):
    html = client.get(
        f"{RESULT}?kommun=atlantis&vem=jag&behov=missbruk&behov=kris"
    ).content.decode()
    assert '<input type="hidden" name="vem" value="jag">' in html
    assert html.count('<input type="hidden" name="behov"') == 2
    assert '<option value="">Välj kommun</option>' in html


def test_the_change_municipality_link_and_the_whole_country_say_no_one_municipalitys_numbers(
    client, catalogue
):
    kinda = client.get("/stod/?kommun=kinda").content.decode()
    assert 'href="/?kommun=kinda#kommun"' in kinda  # back to Kinda's start page, not Linköping's
    country = client.get("/stod/?kommun=alla&q=samtal").content.decode()
    assert 'href="tel:112"' in country
    assert "013-20 75 26" not in country and "013-20 69 68" not in country
    assert "kommer från kommunerna" in country


def test_the_switchboard_pointer_names_the_site_as_read_aloud_and_needs_a_site():
    from providers.municipalities import Place

    def name(website):
        return Place(id=1, slug="x", name="X", website=website).website_name

    assert name("https://www.kinda.se/") == "kinda.se"
    assert name("https://www.nacka.se/kontakt") == "nacka.se"
    assert name("HTTPS://WWW.Kinda.se") == "kinda.se"
    assert name("https://kinda.se:443?x=1#kontakt") == "kinda.se"
    assert name(" kinda.se ") == "kinda.se"
    assert name("") == ""
    html = render_to_string(
        "includes/switchboard_site.html", {"MOTTAGNINGEN": {"switchboard_url": ""}}
    )
    assert html.strip() == ""  # no site in the catalogue: no pointer, never an invented one


def test_a_navigator_without_a_number_is_still_named_and_linked(client, catalogue):
    # Nacka's servicepunkter help residents find the right support; the sources give no number.
    html = client.get("/?kommun=nacka").content.decode()
    navigator = re.search(r"<p data-navigator>(.*?)</p>", html, re.S)
    assert navigator, "Nacka's navigator is not named where to turn"
    place = municipalities.places()["nacka"]
    assert f'href="/utforare/{place.navigator}/"' in navigator.group(1)
    assert "Ring kommunens växel" in html  # still no number to call: the switchboard
    # Kinda has no navigator: nothing to name.
    assert "data-navigator" not in client.get("/?kommun=kinda").content.decode()
