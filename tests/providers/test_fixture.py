"""The real Linköping catalogue loads, is consistent, and says what DOMAIN.md says."""

import re
from html import unescape

import pytest
from django.core.management import call_command

from providers.models import ContactPoint, Location, Offering, Provider, Route, WeeklyHours

pytestmark = pytest.mark.django_db

# DOMAIN.md's catalogue table: slug → the routes its offerings may have.
DOMAIN_PROVIDERS = {
    "mottagningen-rad-och-stod": {Route.SERVICE},
    "stodteam-neuropsykiatri": {Route.SERVICE_OCH_BISTAND},
    "stodteam-psykiatri": {Route.SERVICE_OCH_BISTAND},
    "visvitalis": {Route.BISTAND},
    "st-larsmottagningen": {Route.SERVICE_OCH_BISTAND},
    "familjeteamet": {Route.SERVICE_OCH_BISTAND, Route.SERVICE},
    "eleonoragruppen": {Route.SERVICE_OCH_BISTAND, Route.SERVICE},
    "omradesarbete-berga-lambohov": {Route.SERVICE_OCH_BISTAND},
    "socialtjanst-skaggetorp": {Route.SERVICE_OCH_BISTAND},
    "socialkontoret": {Route.BISTAND, Route.SERVICE},  # applications; orosanmälan is no application
    "sociala-jouren": {Route.SERVICE},
    "familjeratten": {Route.SERVICE},
    "linkopings-ungdomsboende": {Route.BISTAND},
    "lunden": {Route.BISTAND},
    "bostad-forst": {Route.BISTAND},
}
PUBLIC_NUMBERS = {"013-20 69 68", "013-20 61 88", "013-20 67 36", "013-20 75 26", "112"}


def test_every_domain_provider_is_present_with_its_routes(catalogue):
    for slug, routes in DOMAIN_PROVIDERS.items():
        provider = Provider.objects.get(slug=slug)
        offered = set(provider.offerings.values_list("route", flat=True))
        assert offered, f"{slug} has no offerings"
        assert offered <= routes, f"{slug}: {offered} not within {routes}"


def test_ages_as_domain_states(catalogue):
    assert (
        Offering.objects.get(slug="rad-stod-och-halsa").provider.slug == "mottagningen-rad-och-stod"
    )
    rsh = Offering.objects.get(slug="rad-stod-och-halsa")
    assert (rsh.min_age, rsh.max_age) == (6, 15)
    for slug in ("stodteam-neuropsykiatri", "stodteam-psykiatri"):
        # all() of nothing is True: the teams must have such offerings for this to mean anything.
        own = Offering.objects.filter(provider__slug=slug, accepts_self=True)
        assert own.exists(), slug
        assert {o.min_age for o in own} == {18}, slug
    assert Offering.objects.filter(provider__slug="familjeteamet", max_age=20).exists()
    assert Offering.objects.filter(provider__slug="eleonoragruppen", min_age=4).exists()
    assert Offering.objects.filter(
        provider__slug="st-larsmottagningen", min_age=14, max_age=18
    ).exists()


def test_stodteam_service_cap_and_phone_hours(catalogue):
    boendestod = Offering.objects.get(slug="boendestod-psykiatri")
    assert boendestod.service_hours_cap == 6
    phone = ContactPoint.objects.filter(
        provider__slug="stodteam-psykiatri", is_on_call=False, kind="telefon"
    ).first()
    monday = sorted(
        (h.opens.strftime("%H:%M"), h.closes.strftime("%H:%M"))
        for h in phone.weekly_hours.filter(weekday=0)
    )
    assert monday == [("07:45", "17:00")]
    on_call = ContactPoint.objects.get(
        provider__slug="stodteam-psykiatri", is_on_call=True, offering=None
    )
    assert max(h.closes.strftime("%H:%M") for h in on_call.weekly_hours.all()) == "22:00"


def test_no_invented_phone_numbers(catalogue):
    phones = ContactPoint.objects.filter(kind="telefon").exclude(value="uppgift saknas")
    assert phones.exists(), "the catalogue has real numbers for this to check"
    for point in ContactPoint.objects.filter(kind="telefon"):
        assert point.display_value in PUBLIC_NUMBERS or point.value == "uppgift saknas", point


def test_listings_with_unknown_facts_are_flagged_for_review(catalogue):
    unknown = ContactPoint.objects.filter(value="uppgift saknas").select_related("provider")
    assert unknown.exists(), "the demo catalogue has gaps; the loop below must check them"
    for point in unknown:
        assert point.provider.missing_facts, f"{point.provider.slug} hides a missing {point.label}"
        assert point.provider.review_due()


def test_every_row_passes_model_validation(catalogue):
    for model in (Provider, Offering, ContactPoint):
        for row in model.objects.all():
            row.full_clean()


def test_loading_twice_changes_nothing(catalogue):
    def snapshot():
        # Every row of every catalogue table and link table, not just how many there are: a
        # second load must neither duplicate nor rewrite hours, places or links.
        models = [Provider, Offering, ContactPoint, WeeklyHours, Location]
        models += [Offering.needs.through, Offering.areas.through, Offering.methods.through]
        models += [Offering.locations.through]
        return {
            model._meta.label: sorted(map(repr, model.objects.order_by("pk").values()))
            for model in models
        }

    before = snapshot()
    assert all(before.values()), "every table has rows to compare"
    call_command("load_catalogue")
    assert snapshot() == before


@pytest.mark.parametrize("kommun", ["linkoping", "alla"])
def test_every_published_offering_is_listed_and_searchable(client, catalogue, kommun):
    # Follow the list's own "next page" links to the end, as a resident would: Linköping's
    # list, and the whole country's.
    rows, url = [], f"/stod/?kommun={kommun}"
    while url:
        html = client.get(url).content.decode()
        rows += re.findall(r'data-offering="([^"]+)" data-provider="([^"]+)"', html)
        next_page = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = "/stod/" + unescape(next_page.group(1)) if next_page else None
    published = Offering.objects.published().values_list("slug", flat=True)
    if kommun != "alla":
        published = published.filter(municipality__slug=kommun)
    listed = [offering for offering, _ in rows]
    assert sorted(listed) == sorted(published), "each published offering once, nothing else"
    assert set(DOMAIN_PROVIDERS) <= {provider for _, provider in rows}
    found = client.get("/stod/", {"q": "Tourette"}).content.decode()
    assert 'data-provider="stodteam-neuropsykiatri"' in found
