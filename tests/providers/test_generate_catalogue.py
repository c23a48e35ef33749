"""The benchmark catalogue (generate_catalogue): municipalities test-1 … test-N of realistic,
unequal sizes, each with the roles the guide needs, and removable without a trace."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F

from providers.management.commands.generate_catalogue import generate, municipality_sizes
from providers.models import ContactPoint, Municipality, Offering, Provider, Route

pytestmark = pytest.mark.django_db


def test_sizes_at_national_scale_look_like_sweden():
    sizes = municipality_sizes(60_000, 290)
    assert len(sizes) == 290
    assert sum(sizes) == 60_000
    assert sizes == sorted(sizes, reverse=True)
    assert 2_500 <= sizes[0] <= 3_500  # test-1, the largest
    assert sizes[145] < 150  # most are small
    assert sizes[-1] >= 10


def test_few_offerings_make_fewer_municipalities():
    assert sum(municipality_sizes(400, 290)) == 400
    assert len(municipality_sizes(400, 290)) == 40
    assert municipality_sizes(2, 290) == [2]
    assert municipality_sizes(0, 290) == []


def test_each_generated_municipality_has_its_roles_and_its_own_offerings():
    call_command("generate_catalogue", offerings=600, kommuner=20, seed=3, stdout=io.StringIO())
    places = Municipality.objects.filter(is_generated=True)
    assert places.count() == 20
    assert Offering.objects.filter(slug__startswith="bench-").count() == 600
    counts = {p.slug: Offering.objects.filter(municipality=p).count() for p in places}
    assert max(counts, key=counts.get) == "test-1"
    for place in places:
        assert place.social_office.municipality == place
        assert place.social_office.organisation_form == Provider.OrganisationForm.AUTHORITY
        assert place.navigator.municipality == place
        assert place.emergency.municipality == place
        assert place.navigation_offering.provider == place.navigator
        assert place.report_offering.provider == place.social_office
    generated = Offering.objects.filter(slug__startswith="bench-")
    assert not generated.filter(municipality__isnull=True).exists()
    assert not generated.exclude(municipality_id=F("provider__municipality_id")).exists()
    routes = set(generated.values_list("route", flat=True))
    assert {Route.OKAND, Route.SERVICE, Route.BISTAND} <= routes


def test_the_same_seed_gives_the_same_catalogue():
    def snapshot():
        return list(
            Offering.objects.filter(slug__startswith="bench-")
            .order_by("slug")
            .values_list("slug", "name", "route", "municipality__slug", "needs_mask")
        )

    generate(offerings=300, seed=5, municipalities=10)
    first = snapshot()
    call_command("generate_catalogue", offerings=300, kommuner=10, seed=5, stdout=io.StringIO())
    assert snapshot() == first


def test_remove_takes_away_everything_generated_and_nothing_else():
    before = (Offering.objects.count(), Provider.objects.count(), Municipality.objects.count())
    generate(offerings=300, seed=1, municipalities=10)
    call_command("generate_catalogue", remove=True, stdout=io.StringIO())
    after = (Offering.objects.count(), Provider.objects.count(), Municipality.objects.count())
    assert after == before
    assert not ContactPoint.objects.filter(provider__slug__startswith="bench-").exists()
