"""Deployment checks: production must have its own intake keys (not ones derived from
SECRET_KEY), valid Fernet keys, and a hash key of its own."""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def intake_keys(app_configs, **kwargs):
    errors = []
    if not settings.INTAKE_ENCRYPTION_KEYS:
        errors.append(
            Error(
                "DJANGO_INTAKE_KEYS is not set: submissions would be encrypted with a key "
                "derived from SECRET_KEY.",
                hint="Generate one with Fernet.generate_key() and set DJANGO_INTAKE_KEYS.",
                id="intake.E001",
            )
        )
    for position, key in enumerate(settings.INTAKE_ENCRYPTION_KEYS, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                Error(f"Key {position} in DJANGO_INTAKE_KEYS is no Fernet key.", id="intake.E002")
            )
    if not settings.INTAKE_HASH_KEY or len(settings.INTAKE_HASH_KEY) < 32:
        errors.append(
            Error(
                "DJANGO_INTAKE_HASH_KEY must be set to a random value of at least 32 characters.",
                id="intake.E003",
            )
        )
    return errors
