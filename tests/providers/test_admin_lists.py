"""Editors choose an offering's formats, languages and legal basis from lists, not by typing."""

import pytest
from django.urls import reverse
from django.utils import translation

from providers.models import Format, Language, LegalBasis, Offering
from tests.conftest import make_offering, sign_in
from tests.providers.test_admin import post_offering_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    return sign_in(client, editor)


def change_page(client, offering) -> str:
    url = reverse("admin:providers_offering_change", args=[offering.pk])
    return client.get(url).content.decode()


def test_formats_and_languages_are_checkboxes_and_legal_basis_a_select(editor_client):
    html = change_page(editor_client, make_offering(formats=["grupp"]))
    for value in Format.values:
        assert f'type="checkbox" name="formats" value="{value}"' in html
    assert 'type="checkbox" name="formats" value="grupp"' in html
    assert 'value="grupp" id="id_formats_1" checked' in html
    for value in Language.values:
        assert f'type="checkbox" name="languages" value="{value}"' in html
    assert "svenskt teckenspråk" in html
    assert '<select name="legal_basis"' in html
    assert '<textarea name="formats"' not in html
    assert '<input type="text" name="languages"' not in html


def test_chosen_formats_languages_and_legal_basis_are_saved(editor_client):
    offering = make_offering()
    response = post_offering_form(
        editor_client,
        offering,
        formats=["telefon", "grupp"],
        languages=["teckenspråk", "svenska", "arabiska"],
        legal_basis=LegalBasis.LSS,
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    offering.refresh_from_db()
    assert offering.formats == ["grupp", "telefon"]  # in the list's order, as JSON
    assert offering.languages == "svenska, arabiska, teckenspråk"  # same field as before
    assert offering.legal_basis == "LSS"


def test_a_format_or_legal_basis_outside_the_lists_is_refused(editor_client):
    offering = make_offering(formats=["grupp"])
    response = post_offering_form(editor_client, offering, formats=["grupp", "poddradio"])
    assert response.status_code == 200
    assert "poddradio finns inte bland tillgängliga alternativ" in response.content.decode()
    response = post_offering_form(editor_client, offering, legal_basis="LVX")
    assert response.status_code == 200
    offering.refresh_from_db()
    assert offering.formats == ["grupp"]
    assert offering.legal_basis == LegalBasis.SOL


def test_no_language_chosen_gets_a_message_saying_what_to_do(editor_client):
    offering = make_offering()
    response = post_offering_form(editor_client, offering, languages=[])
    assert response.status_code == 200
    assert "Välj minst ett språk som stödet ges på." in response.content.decode()
    offering.refresh_from_db()
    assert offering.languages == "svenska"


def test_a_language_typed_before_the_list_existed_is_kept_until_unchecked(editor_client):
    offering = make_offering(languages="svenska, tyska")
    form = editor_client.get(reverse("admin:providers_offering_change", args=[offering.pk]))
    assert form.context["adminform"].form.initial["languages"] == ["svenska", "tyska"]
    assert post_offering_form(editor_client, offering, name="Nytt namn").status_code == 302
    offering.refresh_from_db()
    assert offering.languages == "svenska, tyska"
    assert post_offering_form(editor_client, offering, languages=["svenska"]).status_code == 302
    offering.refresh_from_db()
    assert offering.languages == "svenska"


def test_the_public_page_names_the_languages_in_the_pages_language(client):
    offering = make_offering(slug="pa-sprak", languages="svenska, teckenspråk, tyska")
    url = reverse("providers:offering_detail", args=[offering.slug])
    assert "<dd>svenska, svenskt teckenspråk, tyska</dd>" in client.get(url).content.decode()
    with translation.override("en"):
        english = reverse("providers:offering_detail", args=[offering.slug])
    assert english.startswith("/en/")
    html = client.get(english).content.decode()
    assert "<dd>Swedish, Swedish Sign Language, tyska</dd>" in html


def test_every_fixture_offering_fits_the_lists(catalogue):
    for offering in Offering.objects.all():
        assert set(offering.formats) <= set(Format.values), offering.slug
        assert set(Language.split(offering.languages)) <= set(Language.values), offering.slug
        assert offering.legal_basis in LegalBasis.values, offering.slug
