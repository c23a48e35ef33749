"""Writes on the staff side: accounts, their roles and their second factor."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.permissions import Role

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Autentiseringsapp"


@transaction.atomic
def staff_account_create(
    *, username: str, password: str, role: str, provider_slugs=(), email: str = ""
):
    """A staff account with one role; `utforare` needs the providers it works for."""
    from providers.models import Provider

    if role not in Role.values:
        raise ValueError(f"Okänd roll: {role}")
    providers = list(Provider.objects.filter(slug__in=provider_slugs))
    missing = set(provider_slugs) - {p.slug for p in providers}
    if missing:
        raise ValueError(f"Okänd utförare: {', '.join(sorted(missing))}")
    if role == Role.UTFORARE and not providers:
        raise ValueError("Rollen utforare behöver minst en utförare (--utforare <slug>).")
    user = get_user_model()(username=username, email=email, is_staff=role == Role.REDAKTOR)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    for provider in providers:
        provider.staff.add(user)
    return user


def totp_device_for_enrolment(*, user) -> TOTPDevice:
    """The unconfirmed authenticator device an enrolment shows as a QR code (made once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> list[str]:
    """The first right code confirms the device; returns fresh backup codes to show once."""
    TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_create(user=device.user)


@transaction.atomic
def backup_codes_create(*, user) -> list[str]:
    """Replace the user's backup codes with BACKUP_CODE_COUNT new single-use ones."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Reservkoder", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def second_factor_reset(*, user) -> None:
    """Remove every second factor: the person enrols again at the next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
