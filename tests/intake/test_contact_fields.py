"""The intake forms' shared phone and e-mail fields (intake.contact_fields): what they accept,
what they store, and what they say when they refuse."""

from __future__ import annotations

import pytest
from django import forms

from intake.application_forms import ContactForm
from intake.contact_fields import ContactEmailField, SwedishPhoneField
from intake.contact_forms import ContactRequestForm
from intake.report_forms import ReportForm

LETTERS = "Skriv telefonnumret med siffror, till exempel 070-123 45 67."
FOREIGN = (
    "Skriv ett svenskt telefonnummer. Har du bara ett utländskt nummer, skriv din "
    "e-postadress i stället."
)
PREMIUM = "Skriv ett vanligt telefonnummer, inte ett betalnummer."
AREA_CODE = "Skriv telefonnumret med riktnummer, till exempel 070-123 45 67 eller 013-20 70 00."


class Form(forms.Form):
    telefon = SwedishPhoneField(label="Telefon", required=False)
    epost = ContactEmailField(label="E-post", required=False)


def errors(**data) -> dict:
    form = Form(data={"telefon": "", "epost": "", **data})
    assert not form.is_valid()
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def codes(field: str, **data) -> list[str]:
    form = Form(data={"telefon": "", "epost": "", **data})
    assert not form.is_valid()
    return [error.code for error in form.errors.as_data()[field]]


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("070-123 45 67", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("013-20 70 00", "+4613207000"),
        ("  0701234567  ", "+46701234567"),
        ("070–123 45 67", "+46701234567"),  # an en dash, as some keyboards type it
        ("(08) 123 456 78", "+46812345678"),
    ],
)
def test_swedish_numbers_are_cleaned_to_e164(written, stored):
    form = Form(data={"telefon": written, "epost": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["telefon"] == stored


def test_an_empty_optional_number_is_empty():
    form = Form(data={"telefon": "   ", "epost": ""})
    assert form.is_valid()
    assert form.cleaned_data["telefon"] == ""


@pytest.mark.parametrize(
    ("written", "message", "code"),
    [
        ("ring mig", LETTERS, "characters"),
        ("070-ABC 45 67", LETTERS, "characters"),
        ("070/123 45 67", LETTERS, "characters"),
        ("+44 20 7946 0958", FOREIGN, "foreign"),
        ("+1 202 555 0143", FOREIGN, "foreign"),
        ("0900-123 45 67", PREMIUM, "premium"),
        ("112", AREA_CODE, "short"),
        ("1177", AREA_CODE, "short"),
        ("070-12", AREA_CODE, "phone"),
        ("0" * 31, "Skriv telefonnumret med högst 30 tecken.", "max_length"),
    ],
)
def test_each_kind_of_bad_number_gets_its_own_message(written, message, code):
    assert errors(telefon=written) == {"telefon": [message]}
    assert codes("telefon", telefon=written) == [code]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("kim.exempel.se", "Skriv e-postadressen som namn@exempel.se."),
        ("kim@", "Skriv e-postadressen som namn@exempel.se."),
        ("k" * 250 + "@exempel.se", "Skriv e-postadressen med högst 254 tecken."),
    ],
)
def test_a_bad_email_address_gets_a_plain_message(written, message):
    assert errors(epost=written) == {"epost": [message]}


def test_an_email_address_is_stripped():
    form = Form(data={"telefon": "", "epost": "  kim@exempel.se "})
    assert form.is_valid()
    assert form.cleaned_data["epost"] == "kim@exempel.se"


def test_the_widgets_tell_phones_and_browsers_what_to_offer():
    html = str(Form()["telefon"]) + str(Form()["epost"])
    for attribute in (
        'type="tel"',
        'autocomplete="tel"',
        'inputmode="tel"',
        'maxlength="30"',
        'type="email"',
        'autocomplete="email"',
        'spellcheck="false"',
        'maxlength="254"',
    ):
        assert attribute in html, attribute


@pytest.mark.parametrize(
    ("form_class", "phone", "email", "label"),
    [
        (ContactRequestForm, "telefon", "epost", "Telefonnummer"),
        (ContactForm, "telefon", "epost", "Telefonnummer"),
        (ReportForm, "anmalare_telefon", "anmalare_epost", "Ditt telefonnummer"),
    ],
)
def test_the_three_forms_use_the_shared_fields_under_their_own_names(
    form_class, phone, email, label
):
    fields = form_class.base_fields
    assert isinstance(fields[phone], SwedishPhoneField)
    assert isinstance(fields[email], ContactEmailField)
    assert str(fields[phone].label) == label
    assert not fields[phone].required and not fields[email].required
