"""The catalogue's composable reads: published, ages, needs, areas, routes, open at a moment."""

import datetime as dt

import pytest
from django.db import IntegrityError

from providers.hours import STOCKHOLM
from providers.models import HoursException, Offering, Route
from tests.conftest import WEEKDAYS_8_17, make_offering, make_phone, make_provider

pytestmark = pytest.mark.django_db


def slugs(qs):
    return set(qs.values_list("slug", flat=True))


def test_published_hides_unpublished_offerings_and_offerings_of_unpublished_providers():
    visible = make_offering()
    hidden = make_offering(is_published=False)
    orphan = make_offering(provider=make_provider(is_published=False))
    assert slugs(Offering.objects.published()) == {visible.slug}
    assert hidden.slug not in slugs(Offering.objects.published())
    assert orphan.slug not in slugs(Offering.objects.published())


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (17, {"open"}),
        (18, {"open", "adults"}),
        (20, {"open", "adults", "young"}),
        (21, {"open", "adults"}),
    ],
)
def test_for_age_includes_both_boundaries(age, expected):
    make_offering(slug="open")
    make_offering(slug="adults", min_age=18)
    make_offering(slug="young", min_age=20, max_age=20)
    assert slugs(Offering.objects.for_age(age)) == expected


def test_for_needs_matches_any_need_and_lists_each_offering_once():
    both = make_offering(needs=["missbruk", "psykisk-ohalsa"])
    one = make_offering(needs=["psykisk-ohalsa", "kris"])  # only one of the needs asked about
    make_offering(needs=["ekonomi"])
    found = list(
        Offering.objects.for_needs(["missbruk", "psykisk-ohalsa"]).values_list("slug", flat=True)
    )
    assert sorted(found) == sorted([both.slug, one.slug])


def test_in_area_counts_city_wide_offerings_everywhere_but_local_ones_only_at_home():
    city = make_offering(areas=["hela-kommunen"])
    berga = make_offering(areas=["berga", "lambohov"])
    assert slugs(Offering.objects.in_area("lambohov")) == {city.slug, berga.slug}
    assert slugs(Offering.objects.in_area("ryd")) == {city.slug}


def test_with_route():
    service = make_offering(route=Route.SERVICE)
    both = make_offering(route=Route.SERVICE_OCH_BISTAND, service_hours_cap=6)
    make_offering(route=Route.BISTAND)
    assert slugs(Offering.objects.with_route(Route.with_service())) == {service.slug, both.slug}


def test_database_refuses_min_age_above_max_age():
    with pytest.raises(IntegrityError):
        make_offering(min_age=20, max_age=10)


def test_database_refuses_service_cap_on_bistand_only_offering():
    with pytest.raises(IntegrityError):
        make_offering(route=Route.BISTAND, service_hours_cap=6)


class TestOpenAt:
    def test_open_during_hours_closed_outside(self):
        offering = make_offering()
        make_phone(offering=offering, hours=WEEKDAYS_8_17)
        monday = dt.datetime(2026, 11, 23, 10, 0, tzinfo=STOCKHOLM)
        assert slugs(Offering.objects.open_at(monday)) == {offering.slug}
        assert not Offering.objects.open_at(monday.replace(hour=18)).exists()

    def test_uses_the_providers_phone_when_the_offering_has_none(self):
        offering = make_offering()
        make_phone(provider=offering.provider, hours=WEEKDAYS_8_17)
        assert Offering.objects.open_at(dt.datetime(2026, 11, 23, 10, tzinfo=STOCKHOLM)).exists()
        # ...and its hours: the offering is closed when the provider's phone is.
        assert not Offering.objects.open_at(
            dt.datetime(2026, 11, 23, 18, tzinfo=STOCKHOLM)
        ).exists()

    def test_closed_on_a_public_holiday_unless_the_line_stays_open(self):
        office = make_offering(slug="office")
        make_phone(offering=office, hours=WEEKDAYS_8_17)
        on_call = make_offering(slug="on-call")
        make_phone(
            offering=on_call,
            hours=[(d, "08:00", "22:00") for d in range(7)],
            is_on_call=True,
            open_on_holidays=True,
        )
        christmas_eve = dt.datetime(2026, 12, 24, 10, 0, tzinfo=STOCKHOLM)  # a Thursday
        assert slugs(Offering.objects.open_at(christmas_eve)) == {"on-call"}

    def test_dated_exception_closes_and_special_hours_open(self):
        offering = make_offering()
        phone = make_phone(offering=offering, hours=WEEKDAYS_8_17)
        HoursException.objects.create(contact_point=phone, date=dt.date(2026, 11, 23))
        HoursException.objects.create(
            contact_point=phone,
            date=dt.date(2026, 11, 29),
            is_closed=False,
            opens=dt.time(10),
            closes=dt.time(12),
        )
        assert not Offering.objects.open_at(
            dt.datetime(2026, 11, 23, 10, tzinfo=STOCKHOLM)
        ).exists()
        assert Offering.objects.open_at(dt.datetime(2026, 11, 29, 11, tzinfo=STOCKHOLM)).exists()

    def test_across_the_autumn_daylight_saving_change(self):
        offering = make_offering()
        make_phone(offering=offering, hours=[(6, "08:00", "17:00")])  # Sundays
        # 25 October 2026: 07.30 UTC is 08.30 in Stockholm after the clocks went back (UTC+1).
        assert Offering.objects.open_at(dt.datetime(2026, 10, 25, 7, 30, tzinfo=dt.UTC)).exists()
        # A week earlier, still summer time (UTC+2): 05.30 UTC is 07.30, before opening.
        assert not Offering.objects.open_at(
            dt.datetime(2026, 10, 18, 5, 30, tzinfo=dt.UTC)
        ).exists()
        assert Offering.objects.open_at(dt.datetime(2026, 10, 18, 6, 30, tzinfo=dt.UTC)).exists()
