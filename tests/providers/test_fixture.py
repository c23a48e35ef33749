"""The real Linköping catalogue loads, is consistent, and says what DOMAIN.md says."""

import pytest
from django.core.management import call_command

from providers.models import ContactPoint, Offering, Provider, Route

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
        assert all(
            o.min_age == 18 for o in Offering.objects.filter(provider__slug=slug, accepts_self=True)
        )
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
    for point in ContactPoint.objects.filter(kind="telefon"):
        assert point.value in PUBLIC_NUMBERS or point.value == "uppgift saknas", point


def test_listings_with_unknown_facts_are_flagged_for_review(catalogue):
    for point in ContactPoint.objects.filter(value="uppgift saknas").select_related("provider"):
        assert point.provider.missing_facts, f"{point.provider.slug} hides a missing {point.label}"
        assert point.provider.review_due()


def test_every_row_passes_model_validation(catalogue):
    for model in (Provider, Offering, ContactPoint):
        for row in model.objects.all():
            row.full_clean()


def test_loading_twice_changes_nothing(catalogue):
    counts = (Provider.objects.count(), Offering.objects.count(), ContactPoint.objects.count())
    call_command("load_catalogue")
    assert (
        Provider.objects.count(),
        Offering.objects.count(),
        ContactPoint.objects.count(),
    ) == counts


def test_every_published_offering_is_listed_and_searchable(client, catalogue):
    html = "".join(client.get("/stod/", {"sida": page}).content.decode() for page in range(1, 4))
    for slug in DOMAIN_PROVIDERS:
        assert f'data-provider="{slug}"' in html, slug
    assert (
        Offering.objects.search("Tourette")
        .filter(provider__slug="stodteam-neuropsykiatri")
        .exists()
    )
