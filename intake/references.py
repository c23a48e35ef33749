"""Reference numbers a resident can read aloud on the phone: `K7M4-QX9R`.

Eight characters drawn at random (the `secrets` module) from 23 that cannot be mistaken for one
another when read or heard: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, no vowels E and U that turn codes into
words. 23⁸ ≈ 78 billion: nobody can count them or guess a neighbour, and they say nothing about
the person or the date. The database's unique constraint settles the rare collision (the caller
draws again).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ACDFGHJKMNPQRTVWXY34679"  # 23 characters
LENGTH = 8
PATTERN = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def new_reference() -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{code[:4]}-{code[4:]}"


def normalise(value: str) -> str:
    """What a person types or reads back, in the stored form ("k7m4 qx9r" → "K7M4-QX9R")."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    return f"{compact[:4]}-{compact[4:]}" if len(compact) == LENGTH else compact
