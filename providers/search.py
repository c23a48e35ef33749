"""Text normalisation for catalogue search, the same on every database.

SQLite's LIKE folds case only for ASCII, so "Ångest" would not find "ångest". We keep a
lower-cased copy of each offering's searchable text (Offering.search_text) and lower-case the
query in Python, where str.casefold knows å, ä and ö.
"""

import re

WORD_RE = re.compile(r"[\w\-]+", re.UNICODE)
MAX_WORDS = 8


def normalise(text: str) -> str:
    return " ".join(WORD_RE.findall((text or "").casefold()))


def search_words(text: str) -> list[str]:
    """The distinct words of a query, lower-cased, at most MAX_WORDS of them."""
    words: list[str] = []
    for word in WORD_RE.findall((text or "").casefold()):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]
