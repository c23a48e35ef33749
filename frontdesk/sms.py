"""Text messages: the GSM 7-bit alphabet, how long a text is in it, and how many SMS it takes.

Pure functions over strings. An SMS carries 160 characters of the GSM 03.38 default alphabet
(3GPP TS 23.038); a single character outside it turns the whole message into UCS-2, which
carries only 70. So the slip's text is transliterated to GSM-7 first (an en dash becomes a
hyphen, a curly apostrophe a straight one): Swedish survives untouched, since å ä ö Å Ä Ö é É
are all in the default alphabet. The portal counts; it never sends.
"""

from __future__ import annotations

import unicodedata

# The default alphabet in table order (3GPP TS 23.038, 6.2.1); 0x1B, the escape to the
# extension table, is left out. Line feed and carriage return are characters too.
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs two septets (the escape, then the character).
GSM_EXTENSION = "\f^{}\\[~]|€"

_BASIC = frozenset(GSM_BASIC)
_EXTENSION = frozenset(GSM_EXTENSION)

SINGLE_SEPTETS = 160  # one GSM-7 message
PART_SEPTETS = 153  # each part of a concatenated one (7 septets go to the UDH)
SINGLE_UCS2 = 70
PART_UCS2 = 67

# Characters common in Swedish text that GSM-7 lacks, and what to write instead.
_REPLACEMENTS = {
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\t", " "),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    **dict(zip("ŁłĐđı", "LlDdi", strict=True)),  # letters with no decomposition
    "Œ": "OE",
    "œ": "oe",
    "…": "...",
    "•": "-",
    "×": "x",
    "⁄": "/",
}


def is_gsm(text: str) -> bool:
    """Whether every character is in the GSM-7 default alphabet or its extension table."""
    return all(char in _BASIC or char in _EXTENSION for char in text)


def to_gsm(text: str) -> str:
    """The text in the GSM-7 alphabet: kept where it can be, else replaced or stripped of
    accents (á → a, č → c), else "?"."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in _BASIC or char in _EXTENSION:
            out.append(char)
        elif char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
        else:
            out.append(_without_accents(char))
    return "".join(out)


def _without_accents(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and is_gsm(base):
        return base
    return "?"


def septets(text: str) -> int:
    """The length of a GSM-7 text in septets: extension characters count two."""
    if not is_gsm(text):
        raise ValueError("Not GSM-7 text; use to_gsm() first.")
    return sum(2 if char in _EXTENSION else 1 for char in text)


def part_count(text: str) -> int:
    """How many SMS the text takes: GSM-7 when it can be, otherwise UCS-2. 0 for no text.

    A concatenated message never splits an escape sequence (GSM-7) or a surrogate pair
    (UCS-2) between parts, so the parts are packed character by character.
    """
    if not text:
        return 0
    if is_gsm(text):
        costs = [2 if char in _EXTENSION else 1 for char in text]
        single, part = SINGLE_SEPTETS, PART_SEPTETS
    else:
        costs = [len(char.encode("utf-16-le")) // 2 for char in text]
        single, part = SINGLE_UCS2, PART_UCS2
    if sum(costs) <= single:
        return 1
    parts, used = 1, 0
    for cost in costs:
        if used + cost > part:
            parts, used = parts + 1, 0
        used += cost
    return parts


def fits_one_sms(text: str) -> bool:
    """Whether the text is GSM-7 and fits one message of 160 septets."""
    return is_gsm(text) and septets(text) <= SINGLE_SEPTETS
