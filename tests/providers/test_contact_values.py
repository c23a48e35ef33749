"""Contact values are checked by kind: Swedish phone numbers, e-mail addresses, https:// only.

Phone numbers are stored in one form (+4613206968; short numbers such as 112 as digits) and
shown the Swedish way (013-20 69 68). Refused on purpose: foreign numbers (the catalogue lists
Swedish services) and premium-rate numbers (support listed here is free to call).
"""

import importlib
import io
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from providers import phones
from providers.models import ContactPoint
from tests.conftest import make_offering, make_phone, make_provider, sign_in

pytestmark = pytest.mark.django_db

Kind = ContactPoint.Kind


def cleaned(kind: str, value: str) -> str:
    """The value as ContactPoint.clean() leaves it, or the ValidationError's code."""
    point = ContactPoint(provider=make_provider(), kind=kind, label="Telefon", value=value)
    try:
        point.full_clean()
    except ValidationError as error:
        return "refused: " + error.error_dict["value"][0].code
    return point.value


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("013-20 69 68", "+4613206968", "013-20 69 68"),
        ("013206968", "+4613206968", "013-20 69 68"),
        ("(013) 20 69 68", "+4613206968", "013-20 69 68"),
        ("+46 13 20 69 68", "+4613206968", "013-20 69 68"),
        ("+46 (0)13 20 69 68", "+4613206968", "013-20 69 68"),
        ("0046 13 20 69 68", "+4613206968", "013-20 69 68"),
        ("070-123 45 67", "+46701234567", "070-123 45 67"),
        ("0701234567", "+46701234567", "070-123 45 67"),
        ("+46 70 123 45 67", "+46701234567", "070-123 45 67"),
        ("08-123 456 78", "+46812345678", "08-123 456 78"),
        ("020-12 34 56", "+4620123456", "020-12 34 56"),
        ("  013 - 20 69 68 ", "+4613206968", "013-20 69 68"),
        ("112", "112", "112"),
        ("1177", "1177", "1177"),
        ("116 111", "116111", "116 111"),
    ],
)
def test_swedish_numbers_are_stored_normalised_and_shown_the_swedish_way(typed, stored, shown):
    assert cleaned(Kind.PHONE, typed) == stored
    point = ContactPoint(kind=Kind.PHONE, value=stored)
    assert point.display_value == shown
    assert point.href == f"tel:{stored}"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("12345", "phone"),
        ("ring växeln", "phone"),
        ("013-20 69 68 ankn. 12", "phone"),
        ("javascript:alert(1)", "phone"),
        ("+47 22 00 00 00", "foreign"),  # Norway: a Swedish catalogue lists Swedish numbers
        ("+44 20 7946 0958", "foreign"),
        ("0900-123 45 67", "premium"),  # support listed here is free to call
    ],
)
def test_what_is_not_a_swedish_number_is_refused(typed, code):
    assert cleaned(Kind.PHONE, typed) == f"refused: {code}"


def test_the_refusal_says_what_to_write():
    point = ContactPoint(provider=make_provider(), kind=Kind.PHONE, label="Telefon", value="12345")
    with pytest.raises(ValidationError) as refused:
        point.full_clean()
    assert refused.value.message_dict["value"] == [
        "Skriv ett svenskt telefonnummer, till exempel 013-20 69 68."
    ]


@pytest.mark.parametrize("kind", [Kind.PHONE, Kind.EMAIL, Kind.WEB, Kind.VISIT])
@pytest.mark.parametrize("typed", ["uppgift saknas", "Uppgift saknas", "”uppgift saknas”"])
def test_the_unknown_marker_stays_allowed_for_every_kind(kind, typed):
    assert cleaned(kind, typed) == "uppgift saknas"
    assert ContactPoint(kind=kind, value="uppgift saknas").href == ""


def test_email_addresses_are_checked():
    assert cleaned(Kind.EMAIL, "mottagningen@linkoping.se") == "mottagningen@linkoping.se"
    assert cleaned(Kind.EMAIL, "mottagningen(at)linkoping.se") == "refused: email"
    assert cleaned(Kind.EMAIL, "javascript:alert(1)") == "refused: email"


@pytest.mark.parametrize(
    ("typed", "outcome"),
    [
        ("https://www.linkoping.se/e-tjanster/", "https://www.linkoping.se/e-tjanster/"),
        ("HTTPS://www.linkoping.se/", "HTTPS://www.linkoping.se/"),
        ("http://www.linkoping.se/", "refused: web_scheme"),
        ("javascript:alert(1)", "refused: web_scheme"),
        ("JavaScript:alert(document.cookie)", "refused: web_scheme"),
        ("data:text/html,<script>alert(1)</script>", "refused: web_scheme"),
        ("www.linkoping.se", "refused: web_scheme"),
        ("https://", "refused: web"),
        ("https://inte en adress", "refused: web"),
    ],
)
def test_web_addresses_must_be_https(typed, outcome):
    assert cleaned(Kind.WEB, typed) == outcome


def test_a_visiting_address_is_free_text():
    assert cleaned(Kind.VISIT, "Drottninggatan 45, Linköping") == "Drottninggatan 45, Linköping"


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (Kind.WEB, "javascript:alert(1)"),
        (Kind.WEB, "http://www.linkoping.se/"),
        (Kind.WEB, "//evil.example/"),
        (Kind.WEB, "https://user@evil.example/"),
        (Kind.EMAIL, "javascript:alert(1)"),
        (Kind.PHONE, "javascript:alert(1)"),
        (Kind.VISIT, "https://www.linkoping.se/"),
    ],
)
def test_a_value_written_around_the_checks_never_becomes_a_link(kind, value):
    assert ContactPoint(kind=kind, value=value).href == ""


def test_pages_show_stored_numbers_the_swedish_way_and_unsafe_values_as_text(client):
    offering = make_offering(slug="samtal")
    make_phone(offering=offering, value="+46701234567")
    ContactPoint.objects.create(
        provider=offering.provider,
        offering=offering,
        kind=Kind.WEB,
        label="E-tjänst",
        value="javascript:alert(1)",  # written around clean(), as an old import might
    )
    html = client.get(reverse("providers:offering_detail", args=["samtal"])).content.decode()
    assert '<a href="tel:+46701234567">070-123 45 67</a>' in html
    assert 'href="javascript:' not in html
    assert '<span class="missing">javascript:alert(1)</span>' in html


def test_the_result_page_shows_the_number_the_swedish_way(client, catalogue):
    html = client.get(
        "/hitta-stod/resultat/", {"vem": "jag", "alder": "30", "behov": "kris"}
    ).content.decode()
    assert '<a href="tel:+4613206968">013-20 69 68</a>' in html
    assert "+4613206968<" not in html


# --- The editors' admin ----------------------------------------------------------------------


def post_contact_point(client, point, **changes):
    url = reverse("admin:providers_contactpoint_change", args=[point.pk])
    data = {
        "provider": point.provider_id,
        "kind": point.kind,
        "label": point.label,
        "value": point.value,
        "position": point.position,
        "weekly_hours-TOTAL_FORMS": "0",
        "weekly_hours-INITIAL_FORMS": "0",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
        **changes,
    }
    return client.post(url, data)


def test_an_editor_types_a_number_as_usual_and_it_is_stored_normalised(client, editor):
    sign_in(client, editor)
    point = make_phone(provider=make_provider(), value="uppgift saknas")
    response = post_contact_point(client, point, value="070-123 45 67")
    assert response.status_code == 302, response.context["adminform"].form.errors
    point.refresh_from_db()
    assert point.value == "+46701234567"
    # The form shows it again as the editor wrote it, and the list finds it that way.
    form = client.get(reverse("admin:providers_contactpoint_change", args=[point.pk]))
    assert form.context["adminform"].form.initial["value"] == "070-123 45 67"
    found = client.get(reverse("admin:providers_contactpoint_changelist"), {"q": "0701234567"})
    assert list(found.context["cl"].result_list) == [point]


def test_an_editor_is_told_what_to_write_instead_of_a_javascript_link(client, editor):
    sign_in(client, editor)
    point = ContactPoint.objects.create(
        provider=make_provider(), kind=Kind.WEB, label="E-tjänst", value="uppgift saknas"
    )
    response = post_contact_point(client, point, value="javascript:alert(1)")
    assert response.status_code == 200
    assert "Skriv en webbadress som börjar med https://" in response.content.decode()
    point.refresh_from_db()
    assert point.value == "uppgift saknas"


def test_an_editor_gets_the_phone_message_in_the_providers_inline(client, editor):
    sign_in(client, editor)
    provider = make_provider()
    url = reverse("admin:providers_provider_change", args=[provider.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "contact_points-TOTAL_FORMS": "1",
            "contact_points-INITIAL_FORMS": "0",
            "contact_points-0-kind": Kind.PHONE,
            "contact_points-0-label": "Telefon",
            "contact_points-0-value": "12345",
            "contact_points-0-position": "0",
            "locations-TOTAL_FORMS": "0",
            "locations-INITIAL_FORMS": "0",
        }
    )
    html = client.post(url, data).content.decode()
    assert "Skriv ett svenskt telefonnummer, till exempel 013-20 69 68." in html
    assert not provider.contact_points.exists()


# --- Existing data ---------------------------------------------------------------------------


def test_the_data_migration_normalises_existing_numbers_and_can_go_back():
    migration = importlib.import_module(
        "providers.migrations.0008_contact_values_and_offering_lists"
    )
    provider = make_provider()
    values = ["013-20 69 68", "070 123 45 67", "112", "uppgift saknas", "ring växeln"]
    points = [make_phone(provider=provider, value=v) for v in values]
    web = ContactPoint.objects.create(
        provider=provider, kind=Kind.WEB, label="Webb", value="013-20 69 68"
    )

    migration.normalise(apps, None)
    stored = [ContactPoint.objects.get(pk=p.pk).value for p in points]
    assert stored == ["+4613206968", "+46701234567", "112", "uppgift saknas", "ring växeln"]
    assert ContactPoint.objects.get(pk=web.pk).value == "013-20 69 68"  # phones only

    migration.show_as_before(apps, None)
    shown = [ContactPoint.objects.get(pk=p.pk).value for p in points]
    assert shown == ["013-20 69 68", "070-123 45 67", "112", "uppgift saknas", "ring växeln"]


def test_the_fixture_holds_values_exactly_as_clean_would_store_them(catalogue):
    for point in ContactPoint.objects.all():
        before = point.value
        point.full_clean()
        assert point.value == before, point


def test_the_fixture_file_itself_stores_phone_numbers_normalised():
    data = json.loads((settings.BASE_DIR / "fixtures" / "catalogue.json").read_text("utf-8"))
    values = [
        row["fields"]["value"]
        for row in data
        if row["model"] == "providers.contactpoint" and row["fields"]["kind"] == "telefon"
    ]
    assert values
    for value in values:
        assert value == "uppgift saknas" or phones.normalise(value) == value


def test_generated_benchmark_phones_pass_the_same_checks():
    call_command("generate_catalogue", offerings=2, seed=1, stdout=io.StringIO())
    points = ContactPoint.objects.filter(provider__slug__startswith="bench-")
    assert points.exists()
    for point in points:
        before = point.value
        point.full_clean()
        assert point.value == before


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["http://example.se/", "javascript:alert(1)", "ftp://x.se/"])
def test_a_providers_website_must_be_https(address):
    provider = make_provider(website=address)
    with pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert "https://" in " ".join(error.value.message_dict["website"])


@pytest.mark.django_db
def test_a_providers_https_website_is_accepted():
    make_provider(website="https://www.linkoping.se/").full_clean()
