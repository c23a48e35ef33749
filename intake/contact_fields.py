"""How a resident writes a phone number or an e-mail address in the intake forms.

One definition for the contact request, the application and the report of concern: the same
rules, the same messages and the same stored form everywhere. A phone number must be an ordinary
Swedish one (providers.phones, the catalogue's own rules) and is cleaned to E.164 (`+46…`), the
form stored everywhere else in the project; staff pages show it with providers.phones.display.
Each form still gives its own label and help text.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from providers import phones

PHONE_MAX_LENGTH = 30
EMAIL_MAX_LENGTH = 254
# What people type in phone numbers: digits (of any script; phonenumbers reads them), "+",
# spaces, brackets, dots and dashes. Letters would be read as a keypad's (1-800-FLOWERS).
PHONE_CHARACTERS = re.compile(r"^[\d+\s().\-‐‑‒–—−]+$")

PHONE_MESSAGES = {
    "characters": _("Skriv telefonnumret med siffror, till exempel 070-123 45 67."),
    "foreign": _(
        "Skriv ett svenskt telefonnummer. Har du bara ett utländskt nummer, skriv din "
        "e-postadress i stället."
    ),
    "premium": _("Skriv ett vanligt telefonnummer, inte ett betalnummer."),
    "phone": _(
        "Skriv telefonnumret med riktnummer, till exempel 070-123 45 67 eller 013-20 70 00."
    ),
    "max_length": _("Skriv telefonnumret med högst %(limit_value)d tecken."),
}


class SwedishPhoneField(forms.CharField):
    """A Swedish phone number where the resident can be reached, cleaned to E.164 (`+46…`).

    Refused, each with its own message: letters and other characters, foreign numbers,
    premium-rate numbers, and anything else that is not a full Swedish number, short numbers
    such as 112 or 1177 included (a service's number, not the resident's).
    """

    default_error_messages = PHONE_MESSAGES

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", PHONE_MAX_LENGTH)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)  # stripped; required and the length checked first
        if text in self.empty_values:
            return ""
        if not PHONE_CHARACTERS.match(text):
            raise ValidationError(self.error_messages["characters"], code="characters")
        try:
            stored = phones.normalise(text)
        except phones.PhoneError as error:
            code = error.code if error.code in ("foreign", "premium") else "phone"
            raise ValidationError(self.error_messages[code], code=code) from None
        if not stored.startswith("+46"):  # a short number such as 112 or 1177
            raise ValidationError(self.error_messages["phone"], code="short")
        return stored


class ContactEmailField(forms.EmailField):
    """An e-mail address where the resident can be reached, stripped of spaces."""

    default_error_messages = {
        "invalid": _("Skriv e-postadressen som namn@exempel.se."),
        "max_length": _("Skriv e-postadressen med högst %(limit_value)d tecken."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
        kwargs.setdefault(
            "widget", forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
        )
        super().__init__(**kwargs)
