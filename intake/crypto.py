"""Encryption at rest for what residents submit, and keyed hashes for exact lookups.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) through `MultiFernet`: the first key
in `INTAKE_ENCRYPTION_KEYS` encrypts, every key decrypts, so keys can be rotated without
downtime: add a new key first, deploy, run `rotate_intake_keys`, then drop the old key.

A keyed hash (HMAC-SHA256 with `INTAKE_HASH_KEY`, a separate key) lets staff find earlier
submissions about the same personnummer without storing it readably: the same input always
gives the same hash, and without the key nobody can test guesses against it.

In local mode without configured keys, both are derived from SECRET_KEY, so `make run` works
out of the box; `check --deploy` refuses that in production (intake.checks).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "encrypt", "keyed_hash", "rotate"]


def _derived(purpose: str) -> bytes:
    digest = hashlib.sha256(f"stodportalen-intake:{purpose}:{settings.SECRET_KEY}".encode())
    return base64.urlsafe_b64encode(digest.digest())


def encryption_keys() -> tuple[str, ...]:
    keys = tuple(settings.INTAKE_ENCRYPTION_KEYS)
    return keys or (_derived("encryption").decode(),)


def hash_key() -> bytes:
    return settings.INTAKE_HASH_KEY.encode() if settings.INTAKE_HASH_KEY else _derived("hash")


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    # Keyed by the keys themselves, so a changed setting (tests, a restart) takes effect at once.
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(value: str) -> str:
    """The value as a Fernet token (text). An empty value stays empty."""
    if not value:
        return ""
    return _fernet(encryption_keys()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The plaintext of a token made with any configured key; raises InvalidToken otherwise."""
    if not token:
        return ""
    return _fernet(encryption_keys()).decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """The same plaintext, encrypted with the current (first) key."""
    if not token:
        return ""
    return _fernet(encryption_keys()).rotate(token.encode()).decode()


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of a normalised value, hex; `purpose` keeps kinds of lookup apart."""
    if not value:
        return ""
    message = f"{purpose}:{value}".encode()
    return hmac.new(hash_key(), message, hashlib.sha256).hexdigest()
