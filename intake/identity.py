"""Who is applying: personnummer and samordningsnummer, and the pluggable identity step.

**Numbers.** `parse_identity_number` accepts what people type: with or without century
(`198507099805`, `850709-9805`), with `-`, `+` (100 years or older), a space or nothing between,
and checks the date (a samordningsnummer's day is the birth day + 60), and the Luhn check digit,
through the `personnummer` library. It returns the canonical twelve-digit form `YYYYMMDD-NNNN`.
Skatteverket's test numbers are refused where settings say so (everywhere but local mode): the
built-in ones below plus a file of Skatteverket's open dataset (`INTAKE_TEST_NUMBERS_FILE`).

**The identity step.** A real municipality identifies applicants with an e-legitimation
(BankID, Freja eID+, a foreign eID through Sweden Connect/eIDAS). That needs an agreement with an
identity provider or Sweden Connect, its certificates and a SAML or OIDC integration, none of
which can be reached from here. So the application asks an `IdentityStep` for the applicant's
identity; `TypedPersonnummer` (a typed, checked number: *not* verified) is the only one today,
chosen by `INTAKE_IDENTITY_STEP`. A BankID step would redirect to the identity provider and
return `Identity(verified=True, method="bankid", …)` from its signed answer; the rest of the
flow does not change. The README says what such a step needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer as pn

# Published test numbers that must never be accepted as a real person in production: Skatteverket's
# "Tolvan Tolvansson" and numbers from Skatteverket's open test dataset used in public examples.
BUILT_IN_TEST_NUMBERS = frozenset({"19121212-1212", "20170101-2393"})

INPUT = re.compile(r"^(\d{6}|\d{8})\s?([-+–]?)\s?(\d{4})$")


@dataclass(frozen=True)
class IdentityNumber:
    canonical: str  # YYYYMMDD-NNNN
    birth_date: date
    coordination: bool  # a samordningsnummer

    def __str__(self) -> str:
        return self.canonical


class InvalidIdentityNumber(ValueError):
    """Why a typed number is not a valid personnummer, as a message for the person."""


def parse_identity_number(value: str, *, refuse_test_numbers: bool | None = None) -> IdentityNumber:
    text = " ".join((value or "").split())
    match = INPUT.match(text)
    if not match:
        raise InvalidIdentityNumber(_("Skriv personnumret med 10 eller 12 siffror: ÅÅÅÅMMDD-XXXX."))
    digits, separator, tail = match.groups()
    separator = "-" if separator == "–" else separator
    try:
        number = pn.Personnummer(f"{digits}{separator}{tail}")
    except pn.PersonnummerException:
        raise InvalidIdentityNumber(
            _("Personnumret stämmer inte. Kontrollera datumet och de fyra sista siffrorna.")
        ) from None
    try:
        birth_date = number.get_date()
    except ValueError:  # e.g. 30 February, which the library's own check lets through
        raise InvalidIdentityNumber(
            _("Personnumret stämmer inte. Kontrollera datumet och de fyra sista siffrorna.")
        ) from None
    if birth_date > date.today():
        raise InvalidIdentityNumber(
            _("Personnumret har ett födelsedatum i framtiden. Kontrollera siffrorna.")
        )
    canonical = number.format(True)
    canonical = f"{canonical[:8]}-{canonical[8:]}"
    if refuse_test_numbers is None:
        refuse_test_numbers = settings.INTAKE_REFUSE_TEST_NUMBERS
    if refuse_test_numbers and canonical in test_numbers():
        raise InvalidIdentityNumber(
            _(
                "Det här är ett testpersonnummer från Skatteverket, inte en riktig persons. "
                "Skriv det riktiga personnumret."
            )
        )
    return IdentityNumber(canonical, birth_date, number.is_coordination_number())


@lru_cache(maxsize=2)
def _file_numbers(path: str) -> frozenset[str]:
    numbers = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        digits = re.sub(r"\D", "", line)
        if len(digits) == 12:
            numbers.add(f"{digits[:8]}-{digits[8:]}")
    return frozenset(numbers)


def test_numbers() -> frozenset[str]:
    path = settings.INTAKE_TEST_NUMBERS_FILE
    return BUILT_IN_TEST_NUMBERS | (_file_numbers(path) if path else frozenset())


test_numbers.__test__ = False  # not a pytest test


class IdentityNumberField(forms.CharField):
    """A form field for a personnummer or samordningsnummer; cleans to the canonical form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        messages = {
            "max_length": _("Skriv personnumret med högst %(limit_value)d tecken: ÅÅÅÅMMDD-XXXX.")
        }
        messages.update(kwargs.pop("error_messages", None) or {})
        kwargs["error_messages"] = messages
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 15}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return parse_identity_number(value).canonical
        except InvalidIdentityNumber as error:
            raise ValidationError(str(error), code="personnummer") from None


# --- The identity step ----------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Who the applicant is, and how sure the portal is of it."""

    personnummer: str  # canonical
    name: str
    verified: bool  # True only when an e-legitimation vouched for it
    method: str  # "typed", "bankid", "freja", "eidas", …


class IdentityStep:
    """What the application's identity step must provide (see the module's docstring)."""

    method = ""
    form_class: type[forms.Form]
    template_name = "intake/application/identity.html"

    def identity(self, cleaned_data: dict) -> Identity:  # pragma: no cover - an interface
        raise NotImplementedError


class TypedPersonnummerForm(forms.Form):
    namn = forms.CharField(
        label=_("Ditt namn"),
        max_length=120,
        error_messages={
            "required": _("Skriv ditt namn."),
            "max_length": _("Skriv namnet med högst %(limit_value)d tecken."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    personnummer = IdentityNumberField(
        label=_("Ditt personnummer eller samordningsnummer"),
        help_text=_("12 siffror: år, månad, dag och de fyra sista, ÅÅÅÅMMDD-XXXX."),
        error_messages={"required": _("Skriv ditt personnummer eller samordningsnummer.")},
    )


class TypedPersonnummer(IdentityStep):
    """The applicant types name and number; the portal checks the number's form, nothing more."""

    method = "typed"
    form_class = TypedPersonnummerForm

    def identity(self, cleaned_data: dict) -> Identity:
        return Identity(
            personnummer=cleaned_data["personnummer"],
            name=cleaned_data["namn"].strip(),
            verified=False,
            method=self.method,
        )


def identity_step() -> IdentityStep:
    return import_string(settings.INTAKE_IDENTITY_STEP)()
