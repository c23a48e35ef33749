"""The guide's questions over plain GET: validation, skipping, back links, never a 500."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.django_db

START = "/hitta-stod/"


def answer(client, path, **params):
    return client.get(path, params)


def query(response) -> dict:
    return parse_qs(urlsplit(response["Location"]).query)


def test_first_question_is_about_danger(client):
    html = client.get(START).content.decode()
    assert "Är någon i fara just nu?" in html
    assert "<h1" in html and "Lämna sidan snabbt" in html
    assert "Dina svar sparas inte" in html


def test_yes_to_danger_goes_straight_to_the_emergency_page(client):
    response = answer(client, START, steg="fara", akut="ja")
    assert response["Location"].startswith("/hitta-stod/akut/")
    page = client.get(response["Location"]).content.decode()
    assert 'href="tel:112"' in page
    assert "013-20 75 26" in page
    assert "Fortsätt till frågorna" in page


def test_no_answer_gives_an_error_summary_and_fel_in_the_title(client):
    html = answer(client, START, steg="fara").content.decode()
    assert "<title>Fel:" in html
    assert "Svara ja eller nej: är någon i fara just nu?" in html
    assert 'class="error-summary"' in html


def test_the_whole_flow_ends_on_the_result_page_with_all_answers_in_the_url(client):
    r = answer(client, START, steg="fara", akut="nej")
    assert r["Location"].startswith("/hitta-stod/vem/")
    r = client.get(r["Location"] + "&steg=vem&vem=jag")
    assert r["Location"].startswith("/hitta-stod/alder/")
    r = client.get(r["Location"] + "&steg=alder&alder=34")
    assert r["Location"].startswith("/hitta-stod/behov/")
    r = client.get(r["Location"] + "&steg=behov&behov=missbruk&behov=kris")
    # An adult asking for themself about alcohol and crisis: the child question is skipped.
    assert r["Location"].startswith("/hitta-stod/till-sist/")
    r = client.get(r["Location"] + "&steg=till-sist&omrade=berga&anonym=ja")
    assert r["Location"].startswith("/hitta-stod/resultat/")
    assert query(r) == {
        "akut": ["nej"],
        "vem": ["jag"],
        "alder": ["34"],
        "behov": ["missbruk", "kris"],
        "omrade": ["berga"],
        "anonym": ["ja"],
    }
    assert client.get(r["Location"]).status_code == 200


def test_child_question_is_asked_when_a_child_is_involved(client):
    r = client.get(
        "/hitta-stod/behov/",
        {"akut": "nej", "vem": "barn", "alder": "9", "steg": "behov", "behov": "familj"},
    )
    assert r["Location"].startswith("/hitta-stod/barn/")
    r = client.get(
        "/hitta-stod/behov/",
        {"akut": "nej", "vem": "jag", "alder": "30", "steg": "behov", "behov": "vald"},
    )
    assert r["Location"].startswith("/hitta-stod/barn/")


def test_already_known_answers_are_skipped(client):
    # From the start page's need links: the need is known, so that question is not asked.
    r = client.get(
        "/hitta-stod/alder/",
        {"akut": "nej", "vem": "jag", "behov": "missbruk", "steg": "alder", "alder": "40"},
    )
    assert r["Location"].startswith("/hitta-stod/till-sist/")


def test_answering_who_it_is_for_again_asks_the_age_again(client):
    # The age was about whoever the support was for; after a new answer it is asked afresh.
    r = client.get(
        "/hitta-stod/vem/",
        {"akut": "nej", "alder": "40", "behov": "familj", "steg": "vem", "vem": "barn"},
    )
    assert r["Location"].startswith("/hitta-stod/alder/")
    assert "alder" not in query(r)


def test_age_question_is_worded_for_who_is_asking(client):
    assert (
        "Hur gammalt är barnet?"
        in client.get("/hitta-stod/alder/", {"vem": "barn"}).content.decode()
    )
    assert "Hur gammal är du?" in client.get("/hitta-stod/alder/", {"vem": "jag"}).content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Skriv en ålder, till exempel 34."),
        ("tolv", "Skriv åldern med siffror, till exempel 34."),
        ("-1", "Åldern kan inte vara mindre än 0."),
        ("200", "Skriv en ålder mellan 0 och 120."),
    ],
)
def test_age_errors_say_what_to_do(client, value, message):
    html = client.get(
        "/hitta-stod/alder/", {"vem": "jag", "steg": "alder", "alder": value}
    ).content.decode()
    # The message is in the summary, linked to the field, and read out with the field itself.
    assert f'<a href="#id_alder">{message}</a>' in html
    assert re.search(rf'<p class="error-message" id="id_alder_error">.*{message}</p>', html)
    field = re.search(r'<input[^>]* name="alder"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_alder_error"' in field


def test_needs_question_requires_one_and_keeps_the_choices_on_error(client):
    html = client.get(
        "/hitta-stod/behov/", {"vem": "jag", "alder": "30", "steg": "behov"}
    ).content.decode()
    assert "Välj minst ett alternativ" in html
    html = client.get(
        "/hitta-stod/behov/", {"steg": "behov", "behov": ["kris", "mars"]}
    ).content.decode()
    assert "Välj bland alternativen i listan." in html
    assert 'value="kris" id="behov-kris" aria-describedby="behov-kris-hint" checked' in html


def test_back_link_goes_to_the_previous_relevant_question_with_the_answers(client):
    html = client.get(
        "/hitta-stod/till-sist/", {"akut": "nej", "vem": "jag", "alder": "30", "behov": "kris"}
    ).content.decode()
    assert 'href="/hitta-stod/behov/?akut=nej&amp;vem=jag&amp;alder=30&amp;behov=kris"' in html


def test_unknown_step_is_a_404_page(client):
    response = client.get("/hitta-stod/fragor-som-inte-finns/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def shown(html: str) -> list[tuple[str, str]]:
    """(section, offering) pairs in page order."""
    pairs, section = [], None
    for match in re.finditer(r'data-section="([^"]+)"|data-offering="([^"]+)"', html):
        section = match.group(1) or section
        if match.group(2):
            pairs.append((section, match.group(2)))
    return pairs


@pytest.mark.parametrize(
    ("params", "errors", "readable"),
    [
        (
            {
                "vem": "katt",
                "alder": "femtio",
                "behov": ["mars"],
                "omrade": "oslo",
                "akut": "kanske",
            },
            [
                "Vi förstod inte vem stödet är för.",
                "Åldern i länken är inte en siffra.",
                "Ett av behoven i länken finns inte: mars.",
                "Området i länken finns inte.",
                "Svaret ska vara ja eller nej.",
            ],
            {},
        ),
        ({"alder": "99999999999999999999"}, ["Åldern i länken måste vara mellan 0 och 120."], {}),
        ({"behov": ["missbruk"] * 50}, [], {"behov": "missbruk"}),
        (
            {"vem": ["jag", "barn"], "alder": ["3", "x"]},
            ["Åldern i länken är inte en siffra."],
            None,  # which of two repeated answers counts is not pinned down here
        ),
        ({"oro_barn": "ja\x00"}, ["Svaret ska vara ja eller nej."], {}),
    ],
)
def test_nonsense_in_the_result_url_gives_a_helpful_page_not_an_error(
    client, catalogue, params, errors, readable
):
    response = client.get("/hitta-stod/resultat/", params)
    html = response.content.decode()
    assert response.status_code == 200
    assert ("Några svar i länken kunde vi inte läsa" in html) is bool(errors)
    for error in errors:
        assert f"<li>{error}</li>" in html
    assert 'data-section="mottagningen"' in html
    if readable is not None:
        # "Vi visar stöd utifrån de svar vi kunde läsa": the same support as for those alone.
        expected = client.get("/hitta-stod/resultat/", readable).content.decode()
        assert shown(html) == shown(expected)
        assert shown(html)


def test_result_page_shows_what_the_guide_understood(client, catalogue):
    html = client.get(
        "/hitta-stod/resultat/",
        {"vem": "barn", "alder": "9", "behov": "psykisk-ohalsa", "alder2": "x"},
    ).content.decode()
    assert "Mitt barn" in html and "9 år" in html and "Psykisk ohälsa" in html


def test_result_page_queries_do_not_grow_with_the_number_of_results(
    client, catalogue, django_assert_max_num_queries
):
    from tests.conftest import WEEKDAYS_8_17, make_offering, make_phone

    params = {"vem": "jag", "alder": "40", "behov": ["missbruk", "kris"]}
    client.get("/hitta-stod/resultat/", params)  # warms the vocabulary cache
    with django_assert_max_num_queries(10) as before:
        client.get("/hitta-stod/resultat/", params)
    for _ in range(15):
        make_phone(offering=make_offering(needs=["missbruk"], route="service"), hours=WEEKDAYS_8_17)
        make_offering(needs=["missbruk"], route="bistand")
    with django_assert_max_num_queries(10) as after:
        response = client.get("/hitta-stod/resultat/", params)
    assert response.content.decode().count('data-route="bistand"') > 5
    assert len(after.captured_queries) == len(before.captured_queries)


def test_result_page_stores_nothing_and_sets_no_cookie(client, catalogue):
    from django.contrib.sessions.models import Session

    response = client.get(
        "/hitta-stod/resultat/", {"vem": "jag", "alder": "40", "behov": "missbruk"}
    )
    assert response.status_code == 200  # the real result page, not an error that stores nothing
    assert 'data-provider="st-larsmottagningen"' in response.content.decode()
    assert not response.cookies
    assert Session.objects.count() == 0


def test_a_need_repeated_in_the_link_is_shown_and_counted_once(client, catalogue):
    once = client.get("/hitta-stod/resultat/", {"behov": "missbruk", "alder": "40"})
    many = client.get("/hitta-stod/resultat/", {"behov": ["missbruk"] * 50, "alder": "40"})
    html = many.content.decode()
    assert html.count("Alkohol, droger, spel") == once.content.decode().count(
        "Alkohol, droger, spel"
    )
    assert re.findall(r'data-offering="([^"]+)"', html) == re.findall(
        r'data-offering="([^"]+)"', once.content.decode()
    )


def test_the_anonymity_notice_promises_only_what_the_order_does(client, catalogue):
    html = client.get(
        "/hitta-stod/resultat/?vem=jag&alder=45&behov=missbruk&anonym=ja"
    ).content.decode()
    # Needs come first in the order, so the page may not say every anonymous one comes first.
    assert "Vi visar först de som tar emot anonyma kontakter" not in html
    assert "Bland dem som passar lika bra visar vi först de som säger att du kan vara anonym" in (
        html
    )
    # Each card you may contact directly says where it stands.
    direct = re.search(r'<section[^>]*data-section="direktkontakt".*?</section>', html, re.S)
    cards = direct.group(0).split('<article class="card"')[1:]
    assert cards
    for card in cards:
        assert "Du kan vara anonym." in card or "Fråga om du kan vara anonym" in card
