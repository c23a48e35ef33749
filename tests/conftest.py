"""Shared fixtures: small builders for catalogue rows, and the real Linköping catalogue."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import Group

from providers import services
from providers.models import ContactPoint, Offering, Provider, Route, WeeklyHours

_counter = itertools.count(1)


def make_provider(**fields) -> Provider:
    n = next(_counter)
    defaults = {
        "name": f"Utförare {n}",
        "slug": f"utforare-{n}",
        "organisation_form": Provider.OrganisationForm.MUNICIPAL,
        "description": "En utförare för test.",
        "last_reviewed": dt.date.today(),
    }
    defaults.update(fields)
    return Provider.objects.create(**defaults)


def make_offering(
    *, needs=("psykisk-ohalsa",), areas=("hela-kommunen",), methods=(), provider=None, **fields
) -> Offering:
    n = next(_counter)
    defaults = {
        "provider": provider or make_provider(),
        "name": f"Insats {n}",
        "slug": f"insats-{n}",
        "summary": "Stöd för test.",
        "route": Route.SERVICE,
        "last_reviewed": dt.date.today(),
    }
    defaults.update(fields)
    offering = Offering.objects.create(**defaults)
    from providers.models import Area, Method, Need

    offering.needs.set(Need.objects.filter(slug__in=needs))
    offering.areas.set(Area.objects.filter(slug__in=areas))
    offering.methods.set(Method.objects.filter(slug__in=methods))
    services.offering_reindex(offering=offering)
    return offering


def make_phone(*, provider=None, offering=None, hours=(), **fields) -> ContactPoint:
    """A phone with weekly hours given as (weekday, "HH:MM", "HH:MM") tuples."""
    point = ContactPoint.objects.create(
        provider=provider or offering.provider,
        offering=offering,
        kind=ContactPoint.Kind.PHONE,
        label=fields.pop("label", "Telefon"),
        value=fields.pop("value", "013-00 00 00"),
        **fields,
    )
    for weekday, opens, closes in hours:
        WeeklyHours.objects.create(
            contact_point=point,
            weekday=weekday,
            opens=dt.time.fromisoformat(opens),
            closes=dt.time.fromisoformat(closes),
        )
    return point


WEEKDAYS_8_17 = [(day, "08:00", "17:00") for day in range(5)]


@pytest.fixture
def catalogue(db):
    """The real Linköping catalogue from fixtures/catalogue.json.

    A transactional test empties every table afterwards, the vocabularies its migration wrote
    included; they are put back first when a test after it finds them gone.
    """
    from importlib import import_module

    from django.apps import apps as django_apps

    from providers.models import Need

    if not Need.objects.exists():
        import_module("providers.migrations.0002_vocabularies").create(django_apps, None)
    services.catalogue_load()


STAFF_PASSWORD = "ett-langt-losenord-123"
DEFAULT = "default"  # make_staff's municipality: settings.DEFAULT_MUNICIPALITY


def make_staff(
    role: str | None,
    *,
    username: str | None = None,
    providers=(),
    municipality=DEFAULT,
    **fields,
):
    """A staff account holding `role` (a group name from DOMAIN.md), with a confirmed TOTP
    device, as every production account has after enrolment.

    Staff see only their municipality's rows: `municipality` (a Municipality or its slug) is the
    one they work for, the default municipality unless given; None for an account in none."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from providers.models import Municipality
    from providers.models.municipality import default_municipality_id

    user = get_user_model().objects.create_user(
        username=username or f"{role or 'ingen-roll'}-{next(_counter)}",
        password=STAFF_PASSWORD,
        is_staff=fields.pop("is_staff", role == "redaktor"),
        **fields,
    )
    if role:
        # get_or_create: a transactional test before this one may have emptied the groups.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    for provider in providers:
        provider.staff.add(user)
    if municipality == DEFAULT:
        municipality = Municipality.objects.get(pk=default_municipality_id())
    elif isinstance(municipality, str):
        municipality = Municipality.objects.get(slug=municipality)
    if municipality is not None:
        municipality.staff.add(user)
    TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)
    return user


def sign_in(client, user):
    """Sign `user` in on the test client with both factors, as after a real sign-in."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    return client


@pytest.fixture
def editor(db):
    return make_staff("redaktor", username="redaktor-test")


@pytest.fixture
def staff_client(client, db):
    """`staff_client("mottagning")`: the test client signed in (2FA done) with that role."""

    def build(role: str | None, **fields):
        return sign_in(client, make_staff(role, **fields))

    return build


@pytest.fixture(autouse=True)
def fresh_state():
    """Each test starts in Swedish with an empty cache, whatever an earlier test left behind."""
    from django.core.cache import cache
    from django.utils import translation

    translation.activate("sv")
    cache.clear()  # cached vocabularies belong to the previous test's database
    yield
    translation.deactivate()
