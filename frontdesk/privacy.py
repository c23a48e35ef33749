"""The personal-data guard for call-log notes: finds what looks like a person's identity.

A pure function over a string (`personal_data_in`) and a form validator built on it. A call-log
note is for what the contact was about, never for who it was: the guard refuses personnummer,
samordningsnummer, phone numbers and e-mail addresses, and says exactly what to remove.

Rules, in the order they are applied (a span claimed by one rule is not judged again):

1. **E-mail**: `namn@domän.tld`, also written `namn(at)domän.tld` or `namn [at] domän.tld`.
2. **Personnummer / samordningsnummer**: six or eight digits of a date (YYMMDD or YYYYMMDD), then
   `-`, `+`, `–`, a space or nothing, then four digits. It counts only if the date exists (in
   some century 18xx–20xx, or the one given; day + 60 means a samordningsnummer) *and* the
   Luhn check digit is right. Any other digit string is left to the phone rule, so "1198
   samtal", org.nr 212000-0142 or a typo'd number that is no valid personnummer pass unless they
   look like a phone number. Ten bare digits starting with 0 (0701234569) are judged as a phone
   number first: a mobile number is the likelier reading; either way the note is refused.
3. **Phone number**: a run of digit groups joined by single spaces or dashes, read from a group
   that starts with `0`, `+` or `00`:
   - Swedish national: `0` and a non-zero digit, 8–10 digits in all (070-123 45 67, 013-20 69 68,
     08-123 456 78, 020-12 34 56, 0140-123 45). When written in groups, the first group must be
     a possible area code: `08` or three or more digits, so a date such as 01-05-2024 is not a
     phone number. After `08` the next digit is never 0 (no Stockholm number starts so), so
     "0800-1700" is a time, not a number;
   - Swedish international: `+46` or `0046`, optionally `(0)`, then 7–9 digits not starting
     with 0 (+46 70 123 45 67, 0046 13 20 69 68);
   - any other international number: `+` and 8–15 digits, or `00`, a non-zero digit and 10–17
     digits in all: a caller's foreign number is personal data too.
   Not phone numbers: two four-digit groups that are both clock times (0830-1700); eight digits
   that form a date day-month-year (01052024, 08-12-2024). Dots and colons never join digit
   groups, so 12.05.2024, 14.30 and 08:00–17:00 are not read as numbers.

Decided on purpose (ambiguous cases):
- A public service's number (Mottagningen 013-20 69 68, Sociala jouren 013-20 75 26) is refused
  like any other: the guard cannot tell it from a private one. Name the service instead; the
  call log records where the caller was sent in its own field.
- Short numbers (112, 1177, 113 13, 90000) pass: they are too short to be anyone's number.
- A number written with dots (070.123.45.67) or without its leading 0 (70-123 45 67) passes:
  reading dots as separators would refuse dates and times, which are far more common in notes.
- Names cannot be found reliably by a program; the form's help text asks for none, and the
  error message repeats it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
PHONE = "telefonnummer"
EMAIL = "e-postadress"


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in a text: what kind, the text as written, and where."""

    kind: str
    text: str
    start: int
    end: int


EMAIL_PATTERN = re.compile(
    r"[\w.+-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", re.IGNORECASE
)
# Optional century, six date digits, an optional separator, four digits; not inside a longer
# number (nor right after a "+", which starts an international phone number).
PERSONNUMMER_PATTERN = re.compile(
    r"(?<![\d+])(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>\s?[-+–]\s?|\s)?(?P<tail>\d{4})(?!\d)"
)
# Digit groups joined by one space or dash (with optional spaces around the dash); a leading
# "+" and a "(0)" or "(013)" in brackets are allowed.
DIGIT_RUN = re.compile(r"(?<!\d)\+?\s?\(?\d+\)?(?:(?:[ \t]?[-–][ \t]?|[ \t]|(?<=\)))\(?\d+\)?)*")
DIGITS = re.compile(r"\d+")


def personal_data_in(text: str) -> list[Finding]:
    """Every e-mail address, personnummer and phone number in `text`, in reading order."""
    findings: list[Finding] = []
    for match in EMAIL_PATTERN.finditer(text):
        findings.append(Finding(EMAIL, match.group(), match.start(), match.end()))
    for match in PERSONNUMMER_PATTERN.finditer(text):
        kind = _personnummer_kind(match)
        if kind and not _overlaps(match.start(), match.end(), findings):
            findings.append(Finding(kind, match.group(), match.start(), match.end()))
    findings.extend(_phone_numbers(text, findings))
    return sorted(findings, key=lambda finding: finding.start)


def validate_no_personal_data(value: str) -> None:
    """Refuse a note that contains something that looks like personal data, saying what."""
    findings = personal_data_in(value or "")
    if not findings:
        return
    sentences = [_removal_sentence(finding) for finding in findings]
    sentences.append(
        _("Anteckningen får inte innehålla namn, personnummer, telefonnummer eller e-postadresser.")
    )
    raise ValidationError(" ".join(sentences), code="personal_data")


def _removal_sentence(finding: Finding) -> str:
    text = " ".join(finding.text.split())
    if finding.kind == PERSONNUMMER:
        return _("Ta bort personnumret %(text)s ur anteckningen.") % {"text": text}
    if finding.kind == SAMORDNINGSNUMMER:
        return _("Ta bort samordningsnumret %(text)s ur anteckningen.") % {"text": text}
    if finding.kind == PHONE:
        return _("Ta bort telefonnumret %(text)s ur anteckningen.") % {"text": text}
    return _("Ta bort e-postadressen %(text)s ur anteckningen.") % {"text": text}


# --- personnummer --------------------------------------------------------------------------


def _personnummer_kind(match: re.Match) -> str | None:
    """PERSONNUMMER, SAMORDNINGSNUMMER or None when the digits are no valid such number."""
    century, yymmdd, separator, tail = match.group("century", "date", "sep", "tail")
    digits = yymmdd + tail
    if not century and not separator and digits.startswith("0") and _is_phone(digits):
        return None  # 0701234569: read as a mobile number (rule 2 in the docstring)
    if not luhn_valid(digits):
        return None
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    kind = PERSONNUMMER
    if day > 60:
        kind, day = SAMORDNINGSNUMMER, day - 60
    centuries = [int(century)] if century else [18, 19, 20]
    if any(_is_date(c * 100 + year, month, day) for c in centuries if 18 <= c <= 20):
        return kind
    return None


def luhn_valid(digits: str) -> bool:
    """The Luhn check over a personnummer's ten digits (YYMMDDNNNC)."""
    total = 0
    for position, character in enumerate(digits):
        value = int(character) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


# --- phone numbers -------------------------------------------------------------------------


def _phone_numbers(text: str, claimed: list[Finding]) -> list[Finding]:
    """Phone numbers in `text`, outside spans already `claimed` by another rule."""
    found: list[Finding] = []
    for run in DIGIT_RUN.finditer(text):
        groups = [
            (m.group(), run.start() + m.start(), run.start() + m.end())
            for m in DIGITS.finditer(run.group())
        ]
        plus = run.group().lstrip().startswith("+")
        first = 0
        while first < len(groups):
            last = _longest_phone(groups, first, plus=plus and first == 0)
            if last is None:
                first += 1
                continue
            start = run.start() if plus and first == 0 else groups[first][1]
            if text[start - 1 : start] == "(":
                start -= 1  # (013) 20 69 68: the bracket belongs to the number
            end = groups[last][2]
            if not _overlaps(start, end, claimed):
                found.append(Finding(PHONE, text[start:end], start, end))
            first = last + 1
    return found


def _longest_phone(groups: list[tuple[str, int, int]], first: int, *, plus: bool) -> int | None:
    """The last group of the longest phone number starting at group `first`, or None."""
    best = None
    digits = ""
    for last in range(first, len(groups)):
        digits += groups[last][0]
        if len(digits) > 17:
            break
        names = [group for group, _start, _end in groups[first : last + 1]]
        if _is_phone(digits, names, plus=plus):
            best = last
    return best


def _is_phone(digits: str, groups: list[str] | None = None, *, plus: bool = False) -> bool:
    """Whether `digits` (written in `groups`, after a "+" if `plus`) is a phone number."""
    groups = groups or [digits]
    if plus:
        if digits.startswith("46"):
            return _swedish_subscriber(digits[2:])
        return 8 <= len(digits) <= 15
    if digits.startswith("0046"):
        return _swedish_subscriber(digits[4:])
    if digits.startswith("00"):
        return digits[2:3] not in ("", "0") and 10 <= len(digits) <= 17
    if not digits.startswith("0") or digits[1:2] == "0" or not 8 <= len(digits) <= 10:
        return False
    if len(groups) > 1 and groups[0] != "08" and len(groups[0]) < 3:
        return False  # 01-05-2024: no area code is written as two digits, except 08
    if digits.startswith("08") and digits[2] == "0":
        return False  # 0800-1700: no Stockholm number starts with 0
    return not (_is_time_range(groups) or _is_written_date(digits, groups))


def _swedish_subscriber(national: str) -> bool:
    """+46 followed by this: drop a written "(0)", then 7–9 digits not starting with 0."""
    if national.startswith("0"):
        national = national[1:]
    return 7 <= len(national) <= 9 and not national.startswith("0")


def _is_time_range(groups: list[str]) -> bool:
    """0830-1700: two four-digit clock times."""
    return len(groups) == 2 and all(
        len(group) == 4 and int(group[:2]) < 24 and int(group[2:]) < 60 for group in groups
    )


def _is_written_date(digits: str, groups: list[str]) -> bool:
    """01052024 or 08-12-2024: day, month and a year from 1900 to 2099."""
    if len(digits) != 8 or [len(group) for group in groups] not in ([8], [2, 2, 4]):
        return False
    year = int(digits[4:])
    return 1900 <= year <= 2099 and _is_date(year, int(digits[2:4]), int(digits[:2]))


def _overlaps(start: int, end: int, findings: list[Finding]) -> bool:
    return any(start < finding.end and finding.start < end for finding in findings)
