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
    """The real Linköping catalogue from fixtures/catalogue.json."""
    services.catalogue_load()


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user(
        username="redaktor-test", password="ett-langt-losenord-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="redaktor"))
    return user


@pytest.fixture(autouse=True)
def fresh_state():
    """Each test starts in Swedish with an empty cache, whatever an earlier test left behind."""
    from django.core.cache import cache
    from django.utils import translation

    translation.activate("sv")
    cache.clear()  # cached vocabularies belong to the previous test's database
    yield
    translation.deactivate()
