"""Contact requests: the resident's form at /stod/<slug>/kontakta/ (validation, honeypot, rate
limit, exactly once, a real database failure, no caching) and the provider staff's queue at
/personal/forfragningar/ (only their own providers', transitions, the audit trail, overdue)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from intake import services
from intake.models import AccessRecord, ContactRequest, ContactRequestEvent
from portal.permissions import Role
from providers.models import Provider, Route
from tests.conftest import make_offering, make_phone, make_provider, make_staff, sign_in

pytestmark = pytest.mark.django_db

GOOD = {
    "namn": "Kim",
    "telefon": "070-123 45 67",
    "epost": "kim@exempel.se",
    "nar": "eftermiddag",
    "meddelande": "Jag vill prata om min sons drickande.",
    "diskret": "ja",
    "kvitto": "ja",
    "webbplats": "",
}
FAILURE = "Det gick inte att skicka just nu. Inget har sparats."
# The shared fields' messages (intake.contact_fields).
PHONE_LETTERS = "Skriv telefonnumret med siffror, till exempel 070-123 45 67."
PHONE_FOREIGN = (
    "Skriv ett svenskt telefonnummer. Har du bara ett utländskt nummer, skriv din "
    "e-postadress i stället."
)
PHONE_PREMIUM = "Skriv ett vanligt telefonnummer, inte ett betalnummer."
PHONE_AREA_CODE = (
    "Skriv telefonnumret med riktnummer, till exempel 070-123 45 67 eller 013-20 70 00."
)
EMAIL_INVALID = "Skriv e-postadressen som namn@exempel.se."


@pytest.fixture
def offering():
    provider = make_provider(name="Familjeteamet test", slug="familjeteamet-test")
    offering = make_offering(
        provider=provider,
        name="Familjebehandling test",
        route=Route.SERVICE_OCH_BISTAND,
        response_promise="Ett personligt samtal inom två veckor.",
        response_promise_days=14,
        anonymity_possible=True,
    )
    make_phone(offering=offering, value="013-20 70 00")
    make_staff(Role.UTFORARE, username="familjeteamet-personal", providers=[provider])
    return offering


def form_url(offering, language: str = "") -> str:
    prefix = f"/{language}" if language else ""
    return f"{prefix}/stod/{offering.slug}/kontakta/"


def done_url(offering) -> str:
    return f"/stod/{offering.slug}/kontakta/skickad/"


def post(client, offering, **changes):
    return client.post(form_url(offering), {**GOOD, **changes})


def reference_in(html: str) -> str:
    return re.search(r'data-referens="([^"]+)"', html).group(1)


def add_request(offering, **changes) -> ContactRequest:
    now = timezone.now()
    fields = {
        "provider": offering.provider,
        "offering": offering,
        "offering_name": offering.name,
        "namn": "Alex",
        "telefon": "+46701234567",
        "nar": "kvall",
        "due_at": now + dt.timedelta(days=14),
    }
    fields.update(changes)
    return services.submit(ContactRequest, fields).submission


def no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


# --- The resident's form ------------------------------------------------------------------------


def test_the_form_shows_the_provider_the_offering_and_the_promise_first(client, offering):
    response = client.get(form_url(offering))
    html = response.content.decode()
    assert response.status_code == 200
    assert no_store(response)
    assert html.index("Familjeteamet test") < html.index("data-contact-form")
    assert html.index("Ett personligt samtal inom två veckor.") < html.index("data-contact-form")
    assert "De hör av sig inom 14 dagar." in html
    assert "Ett förnamn eller ett påhittat namn går bra" in html  # anonymity is possible here
    for name in ("namn", "telefon", "epost", "nar", "meddelande", "diskret", "webbplats"):
        assert f'name="{name}"' in html
    assert 'name="diskret" value="ja"' in html


def test_without_anonymity_a_first_name_is_still_enough(client, offering):
    offering.anonymity_possible = False
    offering.save()
    html = client.get(form_url(offering)).content.decode()
    assert "Ett förnamn räcker" in html
    assert "påhittat namn går bra" not in html


def test_the_english_form_is_served_under_en(client, offering):
    response = client.get(form_url(offering, "en"))
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_a_request_is_stored_for_the_provider_and_the_receipt_shows_the_reference(
    client, offering, django_capture_on_commit_callbacks, mailoutbox
):
    staff = make_staff(Role.UTFORARE, providers=[offering.provider], email="team@exempel.se")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, offering)
    assert response.status_code == 302
    assert response["Location"] == done_url(offering)

    stored = ContactRequest.objects.get()
    assert stored.provider == offering.provider
    assert stored.offering == offering
    assert stored.offering_name == "Familjebehandling test"
    assert (stored.namn, stored.telefon, stored.epost) == ("Kim", "+46701234567", "kim@exempel.se")
    assert stored.nar == "eftermiddag"
    assert stored.diskret is True and stored.wants_receipt is True
    assert stored.status == ContactRequest.Status.NEW
    assert stored.due_at - stored.created_at == dt.timedelta(days=14)

    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert receipt.status_code == 200
    assert no_store(receipt)
    assert reference_in(html) == stored.reference
    assert "De hör av sig inom 14 dagar, senast den" in html
    assert "Ett personligt samtal inom två veckor." in html
    assert "tel:+4613207000" in html  # the provider's phone, if no one calls
    assert "Om ingen hör av sig" in html and "Mottagningen" in html
    assert "ansöka om bistånd" in html
    assert "Kim" not in html and "drickande" not in html  # the receipt holds no answers

    # The team is told something is waiting, the resident gets the reference; nothing else.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([staff.email, "kim@exempel.se"])
    for message in mailoutbox:
        assert "Kim" not in message.body and "drickande" not in message.body


def test_an_offering_without_a_promise_says_they_will_get_in_touch_as_soon_as_they_can(
    client, offering
):
    offering.response_promise, offering.response_promise_days = "", None
    offering.save()
    post(client, offering)
    assert ContactRequest.objects.get().due_at is None
    assert "De hör av sig så snart de kan." in client.get(done_url(offering)).content.decode()


def test_a_phone_number_alone_or_an_email_alone_is_enough(client, offering):
    assert post(client, offering, epost="", kvitto="").status_code == 302
    assert post(client, offering, telefon="", meddelande="Annat").status_code == 302
    assert ContactRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("0701234567", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("070-123 45 67", "+46701234567"),
        ("013-20 69 68", "+4613206968"),
        ("(08) 123 456 78", "+46812345678"),
    ],
)
def test_swedish_phone_formats_are_read_and_stored_in_one_form(client, offering, written, stored):
    assert post(client, offering, telefon=written).status_code == 302
    assert ContactRequest.objects.get().telefon == stored


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"namn": ""}, "namn", "Skriv ett namn de kan fråga efter."),
        ({"namn": "   "}, "namn", "Skriv ett namn de kan fråga efter."),
        ({"namn": "K" * 101}, "namn", "Skriv ett kortare namn, högst 100 tecken."),
        ({"telefon": "ring mig"}, "telefon", PHONE_LETTERS),
        ({"telefon": "070-12"}, "telefon", PHONE_AREA_CODE),
        ({"telefon": "+44 20 7946 0958"}, "telefon", PHONE_FOREIGN),
        ({"telefon": "0900-123 45 67"}, "telefon", PHONE_PREMIUM),
        ({"telefon": "112"}, "telefon", PHONE_AREA_CODE),
        ({"telefon": "0" * 31}, "telefon", "Skriv telefonnumret med högst 30 tecken."),
        ({"epost": "kim.exempel.se"}, "epost", EMAIL_INVALID),
        ({"epost": "kim@"}, "epost", EMAIL_INVALID),
        (
            {"epost": "k" * 250 + "@exempel.se"},
            "epost",
            "Skriv e-postadressen med högst 254 tecken.",
        ),
        (
            {"telefon": "", "epost": "", "kvitto": ""},
            "telefon",
            "Skriv ett telefonnummer eller en e-postadress, så att de kan nå dig.",
        ),
        ({"nar": ""}, "nar", "Välj när det passar bäst"),
        ({"nar": "midnatt"}, "nar", "Välj en av tiderna i listan."),
        ({"meddelande": "m" * 1001}, "meddelande", "Korta meddelandet till högst 1000 tecken."),
        ({"diskret": "kanske"}, "diskret", "Kryssa i rutan eller lämna den tom."),
        ({"epost": "", "kvitto": "ja"}, "kvitto", "Skriv din e-postadress om du vill ha"),
    ],
)
def test_each_field_refuses_bad_input_with_what_to_do_and_keeps_the_answers(
    client, offering, changes, field, message
):
    response = post(client, offering, **changes)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Fel:" in html
    assert message in html
    assert f'id="id_{field}_error"' in html  # next to the field, and in the summary
    assert f'href="#id_{field}"' in html
    assert not ContactRequest.objects.exists()
    if changes.get("namn") is None:
        assert 'value="Kim"' in html  # the other answers are kept
    assert "Jag vill prata om min sons drickande." in html or "meddelande" in changes


def test_script_tags_are_stored_as_text_and_shown_escaped(client, offering):
    script = "<script>alert('x')</script>"
    assert post(client, offering, namn=f"Kim{script}", meddelande=script).status_code == 302
    stored = ContactRequest.objects.get()
    assert stored.meddelande == script and stored.namn == f"Kim{script}"

    sign_in(client, make_staff(Role.UTFORARE, providers=[offering.provider]))
    for url in ("/personal/forfragningar/", f"/personal/forfragningar/{stored.pk}/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_a_script_tag_in_a_refused_form_comes_back_escaped(client, offering):
    html = post(client, offering, namn="<script>alert(1)</script>", telefon="x").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_honeypot_refuses_a_bot_and_stores_nothing(client, offering):
    response = post(client, offering, webbplats="https://spam.example")
    assert response.status_code == 200
    assert "Lämna fältet ”Lämna det här fältet tomt” tomt." in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_the_rate_limit_refuses_with_a_clear_message_and_keeps_the_answers(
    client, offering, settings
):
    settings.INTAKE_RATE_LIMIT = 2
    assert post(client, offering, namn="Ett").status_code == 302
    assert post(client, offering, namn="Två").status_code == 302
    response = post(client, offering, namn="Tre")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Du har skickat många formulär på kort tid" in html
    assert 'value="Tre"' in html
    assert ContactRequest.objects.count() == 2


def test_the_same_request_twice_is_stored_once_with_the_same_reference(client, offering):
    post(client, offering)
    first = reference_in(client.get(done_url(offering)).content.decode())
    assert post(client, offering).status_code == 302
    html = client.get(done_url(offering)).content.decode()
    assert ContactRequest.objects.count() == 1
    assert reference_in(html) == first
    assert "Du har redan skickat samma förfrågan" in html


def test_another_tab_with_the_same_request_sees_the_same_reference(client, offering, db):
    from django.test import Client

    post(client, offering)
    other = Client()
    assert post(other, offering).status_code == 302
    assert ContactRequest.objects.count() == 1
    assert reference_in(other.get(done_url(offering)).content.decode()) == (
        ContactRequest.objects.get().reference
    )


@pytest.fixture
def inserts_fail():
    """A real database failure: a trigger that aborts every insert of a contact request."""
    table = ContactRequest._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_contact() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'test: inserts refused'; END; $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse_contact BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_contact()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_refuse_contact BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'test: inserts refused'); END;"
            )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP TRIGGER test_refuse_contact ON {table}"
            if connection.vendor == "postgresql"
            else "DROP TRIGGER test_refuse_contact"
        )
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION test_refuse_contact()")


def test_a_database_failure_stores_nothing_and_keeps_the_answers(client, offering, inserts_fail):
    response = post(client, offering)
    html = response.content.decode()
    assert response.status_code == 503
    assert no_store(response)
    assert FAILURE in html and "ring 112" in html
    assert 'value="Kim"' in html and 'value="kim@exempel.se"' in html
    assert "Jag vill prata om min sons drickande." in html
    assert re.search(r'value="eftermiddag"[^>]*checked', html)
    assert re.search(r'name="diskret" value="ja"[^>]*checked', html)
    assert not ContactRequest.objects.exists()
    assert not ContactRequestEvent.objects.exists()
    assert client.get(done_url(offering)).status_code == 302  # no receipt was kept


def test_pages_with_answers_are_never_cached(client, offering):
    assert no_store(client.get(form_url(offering)))
    assert no_store(post(client, offering, namn=""))
    assert no_store(post(client, offering))
    assert no_store(client.get(done_url(offering)))


def test_the_receipt_page_without_a_request_leads_back_to_the_form(client, offering):
    response = client.get(done_url(offering))
    assert response.status_code == 302
    assert response["Location"] == form_url(offering)


@pytest.mark.parametrize(
    "change",
    [
        {"route": Route.BISTAND},
        {"is_published": False},
    ],
)
def test_only_published_offerings_one_can_contact_directly_take_requests(client, change):
    offering = make_offering(**change)
    for url in (form_url(offering), done_url(offering)):
        assert client.get(url).status_code == 404
    assert post(client, offering).status_code == 404
    assert not ContactRequest.objects.exists()


def test_an_unpublished_provider_takes_no_requests(client, offering):
    offering.provider.is_published = False
    offering.provider.save()
    assert client.get(form_url(offering)).status_code == 404


def test_no_door_where_nobody_reads_the_requests(client, catalogue):
    # Sociala jouren and socialkontoret have no staff accounts in the portal, so their
    # emergency line and report line (route "service") take no contact requests.
    for slug in ("akut-hjalp-kvallar-och-helger", "orosanmalan", "familjebehandling-familjeteamet"):
        assert client.get(f"/stod/{slug}/kontakta/").status_code == 404
        assert "data-contact-link" not in client.get(f"/stod/{slug}/").content.decode()
    reader = make_staff(Role.UTFORARE, providers=[Provider.objects.get(slug="familjeteamet")])
    assert client.get("/stod/familjebehandling-familjeteamet/kontakta/").status_code == 200
    reader.is_active = False  # the only reader leaves: the door closes
    reader.save()
    assert client.get("/stod/familjebehandling-familjeteamet/kontakta/").status_code == 404


def test_the_offering_page_links_to_the_form_only_where_one_can_contact_directly(client, catalogue):
    for slug in ("familjeteamet", "visvitalis"):  # Visvitalis: nybro-gruppboende needs bistånd
        make_staff(Role.UTFORARE, providers=[Provider.objects.get(slug=slug)])
    html = client.get("/stod/familjebehandling-familjeteamet/").content.decode()
    assert 'href="/stod/familjebehandling-familjeteamet/kontakta/"' in html
    assert "Be dem kontakta dig" in html
    assert "data-contact-link" not in client.get("/stod/nybro-gruppboende/").content.decode()
    assert client.get("/stod/familjebehandling-familjeteamet/kontakta/").status_code == 200


def test_an_unknown_offering_is_a_404(client, db):
    assert client.get("/stod/finns-inte/kontakta/").status_code == 404


# --- The provider staff's queue -----------------------------------------------------------------


@pytest.fixture
def two_providers(offering):
    other = make_offering(provider=make_provider(name="Annan utförare"), name="Annat stöd")
    return offering, other


def test_staff_see_only_their_own_providers_requests(client, two_providers):
    mine, theirs = two_providers
    own = add_request(mine, namn="Egen")
    foreign = add_request(theirs, namn="Främmande")
    sign_in(client, make_staff(Role.UTFORARE, providers=[mine.provider]))

    response = client.get("/personal/forfragningar/")
    html = response.content.decode()
    assert response.status_code == 200
    assert no_store(response)
    assert f'data-request="{own.reference}"' in html and "Egen" in html
    assert foreign.reference not in html and "Främmande" not in html

    assert client.get(f"/personal/forfragningar/{foreign.pk}/").status_code == 404
    refused = client.post(
        f"/personal/forfragningar/{foreign.pk}/",
        {"atgard": "avboj", "avboj-skal": "fullt"},
    )
    assert refused.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == ContactRequest.Status.NEW  # not even opened
    assert all(foreign.reference not in r.references for r in AccessRecord.objects.all())


def test_staff_of_both_providers_see_both_with_the_provider_named(client, two_providers):
    mine, theirs = two_providers
    add_request(mine)
    add_request(theirs)
    sign_in(client, make_staff(Role.UTFORARE, providers=[mine.provider, theirs.provider]))
    html = client.get("/personal/forfragningar/").content.decode()
    assert html.count("data-request=") == 2
    assert "Annan utförare" in html


def test_provider_staff_linked_to_no_provider_see_nothing(client, offering):
    add_request(offering)
    sign_in(client, make_staff(Role.UTFORARE))
    html = client.get("/personal/forfragningar/").content.decode()
    assert "data-request=" not in html and "data-empty" in html


@pytest.mark.parametrize("role", [Role.MOTTAGNING, Role.HANDLAGGARE, Role.REDAKTOR])
def test_other_roles_are_refused_the_queue(client, offering, role):
    contact = add_request(offering)
    sign_in(client, make_staff(role))
    assert client.get("/personal/forfragningar/").status_code == 403
    assert client.get(f"/personal/forfragningar/{contact.pk}/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, offering):
    contact = add_request(offering)
    for url in ("/personal/forfragningar/", f"/personal/forfragningar/{contact.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/personal/logga-in/")


def test_the_queue_is_oldest_first_and_filters_by_status(client, offering):
    with time_machine.travel(timezone.now() - dt.timedelta(days=2)):
        old = add_request(offering, namn="Gammal")
    new = add_request(offering, namn="Ny")
    done = add_request(offering, namn="Klar")
    staff = make_staff(Role.UTFORARE, providers=[offering.provider])
    services.contact_request_contacted(done, by=staff, on=timezone.localdate())
    services.contact_request_close(done, by=staff)
    sign_in(client, staff)

    html = client.get("/personal/forfragningar/").content.decode()
    assert html.index(old.reference) < html.index(new.reference)
    assert done.reference not in html  # finished ones only under their own filter
    finished = client.get("/personal/forfragningar/?status=avslutad").content.decode()
    assert done.reference in finished and old.reference not in finished
    new_only = client.get("/personal/forfragningar/?status=ny").content.decode()
    assert old.reference in new_only and done.reference not in new_only


def test_a_bad_filter_value_gets_a_message_not_an_error(client, offering):
    add_request(offering)
    sign_in(client, make_staff(Role.UTFORARE, providers=[offering.provider]))
    response = client.get("/personal/forfragningar/?status=<script>")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Välj vilka förfrågningar som ska visas i listan." in html
    assert "data-request=" not in html


def test_overdue_requests_and_the_discretion_wish_stand_out_in_words(client, offering):
    late = add_request(offering, namn="Sen", diskret=True)
    on_time = add_request(offering, namn="I tid", due_at=timezone.now() + dt.timedelta(days=20))
    staff = make_staff(Role.UTFORARE, providers=[offering.provider])
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        sign_in(client, staff)  # a session from 15 days ago would have expired
        assert late.is_overdue and not on_time.is_overdue
        html = client.get("/personal/forfragningar/").content.decode()
        row = re.search(rf'<tr data-request="{late.reference}".*?</tr>', html, re.S).group(0)
        assert "data-overdue" in row and "Försenad" in row
        assert "data-diskret" in row and "Diskret: inga röstmeddelanden" in row
        other = re.search(rf'<tr data-request="{on_time.reference}".*?</tr>', html, re.S)
        assert "Försenad" not in other.group(0) and "Diskret" not in other.group(0)
        detail = client.get(f"/personal/forfragningar/{late.pk}/").content.decode()
        assert "Försenad" in detail and "Lämna inga röstmeddelanden" in detail


def test_a_contacted_request_is_no_longer_overdue(offering):
    contact = add_request(offering, due_at=timezone.now() - dt.timedelta(days=1))
    assert contact.is_overdue
    staff = make_staff(Role.UTFORARE, providers=[offering.provider])
    contact = services.contact_request_contacted(contact, by=staff, on=timezone.localdate())
    assert not contact.is_overdue


def test_the_queue_reads_few_queries_however_long(client, offering, django_assert_max_num_queries):
    for n in range(30):
        add_request(offering, namn=f"Person {n}")
    sign_in(client, make_staff(Role.UTFORARE, providers=[offering.provider]))
    # The shell's municipalities are read once per catalogue version (then cached): warm them.
    client.get("/personal/")
    with django_assert_max_num_queries(12):
        assert client.get("/personal/forfragningar/").status_code == 200


# --- One request: opening, transitions, the audit trail ----------------------------------------


@pytest.fixture
def staff_client(client, offering):
    staff = make_staff(Role.UTFORARE, providers=[offering.provider], first_name="Sam")
    sign_in(client, staff)
    client.staff = staff
    return client


def detail(contact) -> str:
    return f"/personal/forfragningar/{contact.pk}/"


def test_opening_a_new_request_shows_everything_and_marks_it_opened(staff_client, offering):
    contact = add_request(
        offering, epost="alex@exempel.se", meddelande="Rad ett\nRad två", diskret=True
    )
    response = staff_client.get(detail(contact))
    html = response.content.decode()
    assert response.status_code == 200
    assert no_store(response)
    for shown in ("Alex", "070-123 45 67", "tel:+46701234567", "alex@exempel.se", "Kväll"):
        assert shown in html
    assert "Rad ett<br>Rad två" in html
    assert "Lämna inga röstmeddelanden" in html
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.OPENED
    staff_client.get(detail(contact))
    assert contact.events.filter(to_status="oppnad").count() == 1  # opened once


def test_the_whole_way_contacted_then_closed(staff_client, offering):
    contact = add_request(offering)
    staff_client.get(detail(contact))
    page = staff_client.get(detail(contact)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page  # today by default

    response = staff_client.post(
        detail(contact), {"atgard": "kontaktad", "kontaktad-datum": timezone.localdate()}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.CONTACTED
    assert contact.contacted_on == timezone.localdate()
    assert "Sparat: personen är kontaktad." in staff_client.get(detail(contact)).content.decode()

    staff_client.post(detail(contact), {"atgard": "avsluta", "avsluta-anteckning": "Fick tid."})
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.CLOSED
    assert contact.finished_at is not None
    last = contact.events.last()
    assert (last.by, last.note, last.from_status) == (staff_client.staff, "Fick tid.", "kontaktad")
    html = staff_client.get(detail(contact)).content.decode()
    assert "Fick tid." in html and 'name="atgard"' not in html  # nothing more to do


def test_declining_asks_for_a_reason_and_tells_staff_how_to_point_the_resident_on(
    staff_client, offering
):
    contact = add_request(offering)
    page = staff_client.get(detail(contact)).content.decode()
    assert "Det här ska personen få veta" in page
    assert "ansöka om bistånd" in page and "Mottagningen" in page

    refused = staff_client.post(detail(contact), {"atgard": "avboj", "avboj-skal": ""})
    assert refused.status_code == 200
    assert "<title>Fel:" in refused.content.decode()
    assert "Välj varför ni inte kan hjälpa till." in refused.content.decode()
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.OPENED

    staff_client.post(detail(contact), {"atgard": "avboj", "avboj-skal": "ansokan"})
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.DECLINED
    assert contact.decline_reason == ContactRequest.DeclineReason.NEEDS_APPLICATION
    html = staff_client.get(detail(contact)).content.decode()
    assert "Förfrågan är avböjd" in html and "Det här ska personen få veta" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kontaktad-datum": "i morgon"}, "Skriv dagen som 2026-03-14."),
        ({"kontaktad-datum": ""}, "Skriv dagen ni fick kontakt"),
        ({"kontaktad-datum": "2099-01-01"}, "Dagen ligger i framtiden."),
        ({"kontaktad-datum": "2000-01-01"}, "Dagen är före förfrågan kom in."),
    ],
)
def test_the_contacted_date_is_checked(staff_client, offering, data, message):
    contact = add_request(offering)
    response = staff_client.post(detail(contact), {"atgard": "kontaktad", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    contact.refresh_from_db()
    assert contact.status != ContactRequest.Status.CONTACTED


def test_a_change_the_status_does_not_allow_is_refused_with_a_plain_message(staff_client, offering):
    contact = add_request(offering)
    staff_client.get(detail(contact))
    response = staff_client.post(detail(contact), {"atgard": "avsluta"}, follow=True)
    assert "Det gick inte: förfrågan har redan ändrats" in response.content.decode()
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.OPENED

    staff_client.post(detail(contact), {"atgard": "avboj", "avboj-skal": "fullt"})
    again = staff_client.post(
        detail(contact), {"atgard": "kontaktad", "kontaktad-datum": timezone.localdate()}
    )
    assert again.status_code == 302
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.DECLINED


def test_an_unknown_action_changes_nothing(staff_client, offering):
    contact = add_request(offering)
    assert staff_client.post(detail(contact), {"atgard": "radera"}).status_code == 404
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.NEW


def test_every_list_view_and_change_is_recorded(staff_client, offering):
    first, second = add_request(offering, namn="Ett"), add_request(offering, namn="Två")
    staff = staff_client.staff

    staff_client.get("/personal/forfragningar/")
    listed = AccessRecord.objects.get(action=AccessRecord.Action.LISTED)
    assert (listed.user, listed.kind) == (staff, "kontakt")
    assert sorted(listed.references) == sorted([first.reference, second.reference])

    staff_client.get(detail(first))
    opened = AccessRecord.objects.filter(action=AccessRecord.Action.OPENED).get()
    assert opened.references == [first.reference] and opened.user == staff
    assert AccessRecord.objects.filter(action=AccessRecord.Action.CHANGED).count() == 1

    staff_client.get("/personal/forfragningar/?status=avslutad")  # nothing shown
    assert AccessRecord.objects.filter(action=AccessRecord.Action.LISTED).count() == 1
