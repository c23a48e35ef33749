"""Swedish phone numbers: read what an editor types, store it in one form, show it the Swedish way.

Stored form: E.164 (`+4613206968`) for ordinary numbers; digits only (`112`, `1177`, `116111`)
for the short numbers valid in Sweden, which have no international form. Shown form: the national
one residents know (`013-20 69 68`, `070-123 45 67`, `08-123 456 78`).

Refused, on purpose: foreign numbers (the catalogue lists Swedish services; a resident abroad can
still call a Swedish number) and premium-rate numbers (0900, 0939, 0944): support listed here is
free to call.
"""

from __future__ import annotations

import functools

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, shortnumberinfo

REGION = "SE"


class PhoneError(ValueError):
    """A value that is not a Swedish phone number; `code` says why (see ContactPoint.clean)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _parse(text: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None


def _short(number: phonenumbers.PhoneNumber, text: str) -> str | None:
    """Digits of a Swedish short number (112, 1177, 116 111), when `text` is one."""
    if text.lstrip().startswith("+") or number.country_code != 46:
        return None
    if shortnumberinfo.is_valid_short_number_for_region(number, REGION):
        return str(number.national_number)
    return None


def normalise(text: str) -> str:
    """The stored form of a Swedish number, or PhoneError("phone" | "foreign" | "premium")."""
    number = _parse(text)
    if number is None:
        raise PhoneError("phone")
    short = _short(number, text)
    if short:
        return short
    if not phonenumbers.is_valid_number(number):
        raise PhoneError("phone")
    if phonenumbers.region_code_for_number(number) != REGION:
        raise PhoneError("foreign")
    if phonenumbers.number_type(number) == PhoneNumberType.PREMIUM_RATE:
        raise PhoneError("premium")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalise_or_keep(text: str) -> str:
    """The stored form when `text` is a Swedish number, else `text` as it was (data migration)."""
    try:
        return normalise(text)
    except PhoneError:
        return text


@functools.lru_cache(maxsize=2048)
def display(value: str) -> str:
    """How residents read a stored number: `+4613206968` → `013-20 69 68`; `112` stays.

    Anything else (an old value that is not a number) is shown as it is.
    """
    try:
        stored = normalise(value)
    except PhoneError:
        return value
    if not stored.startswith("+"):
        # Short numbers as Swedes write them: 112, 1177, 114 14, 116 111.
        return stored if len(stored) <= 4 else f"{stored[:3]} {stored[3:]}"
    return phonenumbers.format_number(phonenumbers.parse(stored), PhoneNumberFormat.NATIONAL)


@functools.lru_cache(maxsize=2048)
def tel_href(value: str) -> str:
    """A `tel:` link built from the normalised number only, or "" when it is not a number."""
    try:
        return "tel:" + normalise(value)
    except PhoneError:
        return ""
