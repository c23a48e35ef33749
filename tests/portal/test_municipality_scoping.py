"""Staff and editors of one municipality see and change only its rows (issue 9 §1).

Kinda and Linköping from the real catalogue (fixtures/catalogue.json and kommuner.json): a
Kinda editor, navigator or handläggare never reaches a Linköping row, and the other way round;
a staff member in no municipality sees nothing at all.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from frontdesk.models import CallLogEntry
from intake import crypto, services
from intake.models import Application, ConcernReport
from portal.permissions import Role, user_place
from providers.models import Municipality, Offering, Provider
from tests.conftest import make_staff, sign_in
from tests.intake.test_report import private_post
from tests.providers.test_admin import post_offering_form

pytestmark = pytest.mark.django_db

LINKOPING_PROVIDER = "socialkontoret"
KINDA_PROVIDER = "kinda-socialtjansten"
KINDA_OFFERING = "kinda-radgivning-och-stod"


@pytest.fixture
def kinda(catalogue) -> Municipality:
    return Municipality.objects.get(slug="kinda")


@pytest.fixture
def linkoping(catalogue) -> Municipality:
    return Municipality.objects.get(slug="linkoping")


def linkoping_offering() -> Offering:
    """A Linköping offering that does not also take Kinda's residents."""
    return (
        Offering.objects.filter(provider__slug=LINKOPING_PROVIDER)
        .exclude(serves__slug="kinda")
        .order_by("pk")
        .first()
    )


def admin_url(model: str, view: str, obj) -> str:
    return reverse(f"admin:providers_{model}_{view}", args=[obj.pk])


# --- The editors' admin -------------------------------------------------------------------------


@pytest.fixture
def kinda_editor(client, kinda):
    return sign_in(client, make_staff(Role.REDAKTOR, municipality=kinda))


def test_a_kinda_editor_lists_only_kindas_providers_and_offerings(kinda_editor):
    providers = kinda_editor.get(reverse("admin:providers_provider_changelist")).content.decode()
    assert escape(Provider.objects.get(slug=KINDA_PROVIDER).name) in providers
    assert escape(Provider.objects.get(slug=LINKOPING_PROVIDER).name) not in providers
    offerings = kinda_editor.get(reverse("admin:providers_offering_changelist")).content.decode()
    assert admin_url("offering", "change", Offering.objects.get(slug=KINDA_OFFERING)) in offerings
    linkopings = Offering.objects.filter(provider__municipality__slug="linkoping")
    assert linkopings.exists()
    assert not [o for o in linkopings if admin_url("offering", "change", o) in offerings]


def test_a_kinda_editor_cannot_open_change_or_delete_linkopings_rows(kinda_editor):
    provider = Provider.objects.get(slug=LINKOPING_PROVIDER)
    offering = linkoping_offering()
    for model, obj in (("provider", provider), ("offering", offering)):
        for view in ("change", "delete"):
            assert kinda_editor.get(admin_url(model, view, obj)).status_code == 404, (model, view)
        assert kinda_editor.get(admin_url(model, "history", obj)).status_code in (403, 404)
        refused = kinda_editor.post(admin_url(model, "delete", obj), {"post": "yes"})
        assert refused.status_code == 404
    # Not even through the list's "delete selected" action.
    kinda_editor.post(
        reverse("admin:providers_offering_changelist"),
        {"action": "delete_selected", "_selected_action": [offering.pk], "post": "yes"},
    )
    renamed = kinda_editor.post(admin_url("offering", "change", offering), {"name": "Kapad"})
    assert renamed.status_code == 404
    offering.refresh_from_db()
    assert offering.name != "Kapad"
    assert Provider.objects.filter(pk=provider.pk).exists()


def test_an_old_version_of_linkopings_offering_is_refused_too(kinda_editor):
    offering = linkoping_offering()
    version = offering.history.latest()
    url = reverse("admin:providers_offering_simple_history", args=[offering.pk, version.history_id])
    assert kinda_editor.get(url).status_code == 403


def test_a_kinda_editor_edits_kindas_offering(kinda_editor):
    offering = Offering.objects.get(slug=KINDA_OFFERING)
    response = post_offering_form(kinda_editor, offering, name="Rådgivning i Kinda")
    assert response.status_code == 302, response.context["adminform"].form.errors
    offering.refresh_from_db()
    assert offering.name == "Rådgivning i Kinda"


def test_a_kinda_editor_cannot_move_an_offering_to_a_linkoping_provider(kinda_editor):
    offering = Offering.objects.get(slug=KINDA_OFFERING)
    linkopings = Provider.objects.get(slug=LINKOPING_PROVIDER)
    response = post_offering_form(kinda_editor, offering, provider=linkopings.pk)
    assert response.status_code == 200
    assert "provider" in response.context["adminform"].form.errors
    offering.refresh_from_db()
    assert offering.provider.slug == KINDA_PROVIDER


def test_a_new_providers_municipality_is_the_editors_own_and_only_choice(kinda_editor, kinda):
    form = kinda_editor.get(reverse("admin:providers_provider_add")).context["adminform"].form
    assert list(form.fields["municipality"].queryset) == [kinda]
    assert form.initial["municipality"] == kinda.pk


def test_an_offering_may_serve_any_municipality_but_only_use_shared_or_own_areas(kinda_editor):
    offering = Offering.objects.get(slug=KINDA_OFFERING)
    page = kinda_editor.get(admin_url("offering", "change", offering))
    fields = page.context["adminform"].form.fields
    assert set(fields["serves"].queryset) == set(Municipality.objects.all())
    area_owners = set(fields["areas"].queryset.values_list("municipality__slug", flat=True))
    assert area_owners <= {None, "kinda"}
    assert None in area_owners  # hela-kommunen is everyone's


def test_a_linkoping_editor_cannot_open_kindas_offering(client, linkoping):
    sign_in(client, make_staff(Role.REDAKTOR, municipality=linkoping))
    offering = Offering.objects.get(slug=KINDA_OFFERING)
    assert client.get(admin_url("offering", "change", offering)).status_code == 404


def test_only_superusers_administer_municipalities(kinda_editor, kinda, client):
    assert kinda_editor.get(reverse("admin:providers_municipality_changelist")).status_code == 403
    superuser = make_staff(None, is_superuser=True, is_staff=True, municipality=None)
    sign_in(client, superuser)
    page = client.get(reverse("admin:providers_municipality_change", args=[kinda.pk]))
    assert page.status_code == 200


# --- The handläggare's queues -------------------------------------------------------------------


def make_application(municipality: Municipality, name: str) -> Application:
    pnr = "19850709-9805"
    fields = {
        "behov": ["psykisk-ohalsa"],
        "beskrivning": name,
        "for_whom": "mig",
        "namn": name,
        "personnummer": pnr,
        "personnummer_hash": crypto.keyed_hash("personnummer", pnr),
        "consent_at": timezone.now(),
        "municipality": municipality,
    }
    return services.submit(Application, fields).submission


def make_report(municipality: Municipality, text: str) -> ConcernReport:
    fields = {
        "barn_namn": "Barn",
        "sett": text,
        "vardnadshavare_vet": "vet-inte",
        "anmalare": "privatperson",
        "anonym": True,
        "municipality": municipality,
    }
    return services.submit(ConcernReport, fields).submission


def test_a_kinda_handlaggare_sees_only_kindas_applications(client, kinda, linkoping):
    own = make_application(kinda, "Kim i Kinda")
    other = make_application(linkoping, "Lo i Linköping")
    sign_in(client, make_staff(Role.HANDLAGGARE, municipality=kinda))
    queue = client.get(reverse("intake:application_queue")).content.decode()
    assert own.reference in queue
    assert other.reference not in queue
    assert client.get(reverse("intake:application_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("intake:application_detail", args=[other.pk])).status_code == 404
    refused = client.post(
        reverse("intake:application_detail", args=[other.pk]), {"atgard": "utred"}
    )
    assert refused.status_code == 404
    other.refresh_from_db()
    assert other.status == Application.Status.RECEIVED


def test_a_kinda_handlaggare_sees_only_kindas_reports(client, kinda, linkoping):
    own = make_report(kinda, "Något hände i Kinda.")
    other = make_report(linkoping, "Något hände i Linköping.")
    sign_in(client, make_staff(Role.HANDLAGGARE, municipality=kinda))
    board = client.get(reverse("intake:report_queue")).content.decode()
    assert own.reference in board
    assert other.reference not in board
    assert client.get(reverse("intake:report_detail", args=[other.pk])).status_code == 404


# --- What residents submit ----------------------------------------------------------------------


REPORT = private_post()


def test_a_report_from_kindas_page_goes_to_kinda_and_says_so(client, kinda):
    form = client.get("/orosanmalan/?kommun=kinda").content.decode()
    assert 'action="/orosanmalan/?kommun=kinda"' in form
    response = client.post("/orosanmalan/?kommun=kinda", REPORT)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/orosanmalan/skickad/?kommun=kinda"
    assert ConcernReport.objects.get().municipality == kinda
    done = client.get(response["Location"]).content.decode()
    assert "Anmälan har kommit till socialkontoret i Kinda kommun." in done


@pytest.mark.parametrize("kommun", ["alla", "test-1"])
def test_a_report_for_no_one_municipality_asks_which_first(client, catalogue, kommun):
    if kommun == "test-1":
        Municipality.objects.create(slug="test-1", name="Test 1", is_generated=True)
    response = client.post(f"/orosanmalan/?kommun={kommun}", REPORT)
    assert response.status_code == 400
    assert "Välj din kommun" in response.content.decode()
    assert not ConcernReport.objects.exists()
    assert client.get(f"/ansok/?kommun={kommun}").status_code == 400


def test_an_application_from_kindas_page_stays_kindas_through_every_step(client, kinda):
    from tests.intake.test_application import ANSWERS

    response = client.post("/ansok/?kommun=kinda")
    url = response["Location"]
    while "/kontrollera/" not in url:
        assert url.endswith("?kommun=kinda"), url
        page = client.get(url).content.decode()
        assert "kommun=kinda" in page
        step = url.split("?")[0].strip("/").split("/")[-1]
        response = client.post(url, ANSWERS[step])
        assert response.status_code == 302, (step, response.content.decode()[:2000])
        url = response["Location"]
    assert url == "/ansok/kontrollera/?kommun=kinda"
    done = client.post(url)
    assert done["Location"] == "/ansok/skickad/?kommun=kinda"
    assert Application.objects.get().municipality == kinda
    page = client.get(done["Location"]).content.decode()
    assert "Ansökan har kommit till socialkontoret i Kinda kommun." in page


# --- Mottagningen's console, call log and statistics --------------------------------------------


def listed(html: str) -> set[str]:
    """The offerings in the listed sections (not the fixed lines every result shows)."""
    found = set()
    for section in re.finditer(r'<section[^>]*data-section="([^"]+)".*?</section>', html, re.S):
        if section.group(1) in ("direktkontakt", "okand-vag", "ansokan"):
            found |= set(re.findall(r'data-offering="([^"]+)"', section.group(0)))
    return found


def test_a_kinda_navigators_console_lists_no_linkoping_offering(client, kinda):
    query = {"behov": ["psykisk-ohalsa", "familj"], "vem": "jag", "alder": "35"}
    sign_in(client, make_staff(Role.MOTTAGNING))  # Linköping's navigator, for comparison
    linkopings = listed(client.get(reverse("frontdesk:console"), query).content.decode())
    kinda_navigator = make_staff(Role.MOTTAGNING, municipality=kinda)
    assert user_place(kinda_navigator).slug == "kinda"
    sign_in(client, kinda_navigator)
    kindas = listed(client.get(reverse("frontdesk:console"), query).content.decode())
    assert KINDA_OFFERING in kindas
    assert linkopings and not (linkopings & kindas)
    served = set(Offering.objects.filter(serves=kinda).values_list("slug", flat=True))
    owners = Offering.objects.filter(slug__in=kindas - served).values_list(
        "provider__municipality__slug", flat=True
    )
    assert set(owners) == {"kinda"}


def test_navigators_see_and_count_only_their_municipalitys_calls(client, kinda, linkoping):
    kinda_navigator = make_staff(Role.MOTTAGNING, municipality=kinda)
    linkoping_navigator = make_staff(Role.MOTTAGNING, municipality=linkoping)
    when = timezone.now() - dt.timedelta(hours=1)
    theirs = [
        CallLogEntry.objects.create(
            author=linkoping_navigator, municipality=linkoping, tidpunkt=when, utfall=["rad"]
        )
        for _n in range(6)
    ]
    sign_in(client, kinda_navigator)
    response = client.post(reverse("frontdesk:call_log_new"), {"utan_innehall": "tyst"})
    assert response.status_code == 302
    assert CallLogEntry.objects.get(author=kinda_navigator).municipality == kinda
    listing = client.get(reverse("frontdesk:call_log")).content.decode()
    assert listing.count("data-entry=") == 1
    assert client.get(reverse("frontdesk:call_log_edit", args=[theirs[0].pk])).status_code == 404
    # Six contacts are shown as six (not hidden as a small count) to Linköping's navigators,
    # and are none of Kinda's.
    assert client.get(reverse("frontdesk:statistics")).context["contacts"].value == 0
    sign_in(client, linkoping_navigator)
    assert client.get(reverse("frontdesk:statistics")).context["contacts"].value == 6


# --- Staff in no municipality -------------------------------------------------------------------


def test_staff_in_no_municipality_see_nothing(client, catalogue, linkoping):
    make_application(linkoping, "Lo i Linköping")
    make_report(linkoping, "Något hände i Linköping.")
    author = make_staff(Role.MOTTAGNING)
    CallLogEntry.objects.create(author=author, municipality=linkoping, utfall=["rad"])
    nobody = make_staff(None, municipality=None)
    for role in (Role.HANDLAGGARE, Role.MOTTAGNING, Role.REDAKTOR):
        nobody.groups.add(*type(author.groups.get()).objects.filter(name=role))
    nobody.is_staff = True
    nobody.save()
    sign_in(client, nobody)
    assert (
        "data-application=" not in client.get(reverse("intake:application_queue")).content.decode()
    )
    assert "data-report=" not in client.get(reverse("intake:report_queue")).content.decode()
    assert "data-entry=" not in client.get(reverse("frontdesk:call_log")).content.decode()
    console = client.get(reverse("frontdesk:console"), {"behov": "familj"})
    assert console.status_code == 403
    assert "Ditt konto hör inte till någon kommun" in console.content.decode()
    providers = client.get(reverse("admin:providers_provider_changelist")).content.decode()
    assert escape(Provider.objects.get(slug=LINKOPING_PROVIDER).name) not in providers
    home = client.get(reverse("staff:home")).content.decode()
    assert "Ditt konto hör inte till någon kommun" in home


def test_the_helpers_fail_closed_and_let_superusers_see_every_municipality(kinda, linkoping):
    from portal.permissions import for_user_municipalities

    providers = Provider.objects.all()
    kinda_staff = make_staff(Role.REDAKTOR, municipality=kinda)
    nobody = make_staff(Role.REDAKTOR, municipality=None)
    superuser = make_staff(None, is_superuser=True, municipality=None)
    mine = for_user_municipalities(providers, kinda_staff)
    assert set(mine.values_list("municipality__slug", flat=True)) == {"kinda"}
    assert not for_user_municipalities(providers, nobody).exists()
    assert user_place(nobody) is None
    assert for_user_municipalities(providers, superuser).count() == providers.count()
    assert user_place(superuser).slug == "linkoping"  # the default, for the console
