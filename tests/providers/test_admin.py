"""The editors' admin: what a redaktör can do, see and cannot reach."""

import datetime as dt

import pytest
from django.urls import reverse

from providers.models import Offering, OfferingStaffFacts, Route
from tests.conftest import make_offering, make_provider, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    return sign_in(client, editor)


def test_editor_sees_the_catalogue_and_nothing_else(editor_client):
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "Utförare" in index and "Insatser" in index
    assert "Användare" not in index and "Grupper" not in index
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def post_offering_form(client, offering, **changes):
    """Submit the offering's admin form as an editor would: what it shows, with some changes."""
    url = reverse("admin:providers_offering_change", args=[offering.pk])
    form = client.get(url).context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and k not in ("methods", "locations")
    }
    data.update(
        {
            "provider": offering.provider.pk,
            "needs": [n.pk for n in offering.needs.all()],
            "areas": [a.pk for a in offering.areas.all()],
            "formats": [],  # checkboxes: none ticked
            "contact_points-TOTAL_FORMS": "0",
            "contact_points-INITIAL_FORMS": "0",
            "staff_facts-TOTAL_FORMS": "0",
            "staff_facts-INITIAL_FORMS": "0",
            **changes,
        }
    )
    return client.post(url, data)


def test_editor_can_change_an_offering_and_the_change_is_in_its_history(editor_client, editor):
    offering = make_offering(slug="redigera", name="Gammalt namn")
    response = post_offering_form(editor_client, offering, name="Nytt namn")
    assert response.status_code == 302, response.context["adminform"].form.errors
    offering.refresh_from_db()
    assert offering.name == "Nytt namn"
    record = offering.history.latest()
    assert record.history_user == editor
    assert record.prev_record.name == "Gammalt namn"
    history = editor_client.get(reverse("admin:providers_offering_history", args=[offering.pk]))
    assert history.status_code == 200
    assert editor.username in history.content.decode()
    # The search text follows the edit.
    assert Offering.objects.search("nytt").filter(pk=offering.pk).exists()


def test_editor_keeps_staff_facts_on_the_offering_with_a_checked_number(editor_client):
    offering = make_offering(slug="med-personalfakta")
    facts = {
        "staff_facts-TOTAL_FORMS": "1",
        "staff_facts-0-navigator_note": "Fråga efter jourhavande.",
        "staff_facts-0-capacity": "Två veckors väntetid",
        "staff_facts-0-capacity_updated": "2026-11-02",
    }
    refused = post_offering_form(
        editor_client, offering, **facts, **{"staff_facts-0-professional_phone": "0900-123456"}
    )
    assert "Betalnummer (0900, 0939, 0944) kan inte anges." in refused.content.decode()
    saved = post_offering_form(
        editor_client, offering, **facts, **{"staff_facts-0-professional_phone": "013-26 26 26"}
    )
    assert saved.status_code == 302
    stored = OfferingStaffFacts.objects.get(offering=offering)
    assert stored.professional_phone == "+4613262626"
    assert stored.capacity_updated == dt.date(2026, 11, 2)


def test_validation_errors_are_readable(editor_client):
    offering = make_offering(slug="fel-alder")
    response = post_offering_form(
        editor_client,
        offering,
        min_age="20",
        max_age="10",
        route=Route.BISTAND,
        service_hours_cap="6",
    )
    html = response.content.decode()
    assert "Högsta ålder måste vara samma som eller högre än lägsta ålder." in html
    assert "Ta bort timtaket" in html


def test_needs_review_filter_lists_stale_and_incomplete_listings(editor_client):
    make_provider(name="Nygranskad", last_reviewed=dt.date.today())
    make_provider(name="Gammal", last_reviewed=dt.date.today() - dt.timedelta(days=400))
    make_provider(
        name="Ofullständig", last_reviewed=dt.date.today(), missing_facts="Telefon saknas."
    )
    html = editor_client.get(
        reverse("admin:providers_provider_changelist"), {"granskning": "behovs"}
    ).content.decode()
    assert "Gammal" in html and "Ofullständig" in html
    assert "Nygranskad" not in html


def test_mark_reviewed_action_sets_todays_date(editor_client):
    provider = make_provider(last_reviewed=None)
    editor_client.post(
        reverse("admin:providers_provider_changelist"),
        {"action": "mark_reviewed", "_selected_action": [provider.pk]},
    )
    provider.refresh_from_db()
    assert provider.last_reviewed == dt.date.today()


def test_admin_offers_a_preview_link_to_the_public_page(editor_client):
    offering = make_offering(slug="forhandsvisa")
    html = editor_client.get(
        reverse("admin:providers_offering_change", args=[offering.pk])
    ).content.decode()
    assert 'href="/stod/forhandsvisa/"' in html
