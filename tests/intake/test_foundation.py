"""The intake's foundations: encryption at rest, keyed hashes, references, personnummer,
storing exactly once (also under concurrency on PostgreSQL), transitions, the audit trail, the
rate limit and the deployment checks."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.test import RequestFactory, override_settings
from django.utils import timezone

from intake import crypto, references, services
from intake.checks import intake_keys
from intake.identity import InvalidIdentityNumber, parse_identity_number
from intake.models import AccessRecord, ContactRequest, Kind
from intake.protection import over_rate_limit
from portal.permissions import Role
from tests.conftest import make_offering, make_staff

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def contact_fields(offering, **changes) -> dict:
    fields = {
        "provider": offering.provider,
        "offering": offering,
        "offering_name": offering.name,
        "namn": "Kim Testsson",
        "telefon": "+46701234567",
        "meddelande": "Jag vill prata om min sons drickande.",
    }
    fields.update(changes)
    return fields


def raw_row(table: str, pk: int) -> str:
    """The row as the database holds it, every column as text."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} WHERE id = %s", [pk])  # noqa: S608
        return " ".join(str(value) for value in cursor.fetchone())


# --- Encryption and hashes ----------------------------------------------------------------------


@pytest.mark.django_db
def test_personal_data_is_stored_encrypted_and_read_back_plain():
    offering = make_offering()
    stored = services.submit(ContactRequest, contact_fields(offering)).submission
    row = raw_row("intake_contactrequest", stored.pk)
    for secret in ("Kim Testsson", "+46701234567", "drickande"):
        assert secret not in row
    assert "gAAAAA" in row  # Fernet tokens
    again = ContactRequest.objects.get(pk=stored.pk)
    assert (again.namn, again.telefon) == ("Kim Testsson", "+46701234567")
    assert again.meddelande == "Jag vill prata om min sons drickande."


def test_an_encrypted_field_cannot_be_searched_by_mistake():
    with pytest.raises(TypeError, match="encrypted"):
        ContactRequest.objects.filter(namn="Kim")


@pytest.mark.django_db
def test_keys_rotate_without_losing_anything():
    offering = make_offering()
    with override_settings(INTAKE_ENCRYPTION_KEYS=[KEY_A]):
        stored = services.submit(ContactRequest, contact_fields(offering)).submission
        old_token = raw_row("intake_contactrequest", stored.pk)
    with override_settings(INTAKE_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        assert ContactRequest.objects.get(pk=stored.pk).namn == "Kim Testsson"  # old key reads
        call_command("rotate_intake_keys", verbosity=0)
    with override_settings(INTAKE_ENCRYPTION_KEYS=[KEY_B]):  # the old key is gone
        assert ContactRequest.objects.get(pk=stored.pk).namn == "Kim Testsson"
        assert raw_row("intake_contactrequest", stored.pk) != old_token
    with override_settings(INTAKE_ENCRYPTION_KEYS=[KEY_A]), pytest.raises(crypto.InvalidToken):
        ContactRequest.objects.get(pk=stored.pk)


def test_keyed_hashes_are_stable_and_depend_on_the_key_and_purpose():
    with override_settings(INTAKE_HASH_KEY="a" * 40):
        first = crypto.keyed_hash("personnummer", "20150301-1234")
        assert first == crypto.keyed_hash("personnummer", "20150301-1234")
        assert first != crypto.keyed_hash("barn", "20150301-1234")
    with override_settings(INTAKE_HASH_KEY="b" * 40):
        assert first != crypto.keyed_hash("personnummer", "20150301-1234")


# --- References ---------------------------------------------------------------------------------


def test_references_are_readable_aloud_and_random():
    drawn = {references.new_reference() for _ in range(2000)}
    assert len(drawn) == 2000
    for reference in drawn:
        assert references.PATTERN.match(reference)
        assert not set(reference) & set("0O1IL2Z5S8BEU")
    assert references.normalise("k7m4 qx9r") == "K7M4-QX9R"


# --- Personnummer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("198507099805", "19850709-9805"),
        ("19850709-9805", "19850709-9805"),
        ("850709-9805", "19850709-9805"),
        ("8507099805", "19850709-9805"),
        ("850709 9805", "19850709-9805"),
        ("850709–9805", "19850709-9805"),  # an en dash, as phones type it
        (" 19850709 - 9805 ", "19850709-9805"),
        ("850769-9802", "19850769-9802"),  # samordningsnummer: day 9 + 60
        ("0001010107", "20000101-0107"),
    ],
)
def test_personnummer_in_the_forms_people_type(typed, canonical):
    number = parse_identity_number(typed, refuse_test_numbers=False)
    assert number.canonical == canonical


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "10 eller 12 siffror"),
        ("12345", "10 eller 12 siffror"),
        ("abcdef-ghij", "10 eller 12 siffror"),
        ("19850709-9804", "stämmer inte"),  # Luhn
        ("19850230-1230", "stämmer inte"),  # 30 February
        ("19851332-0000", "stämmer inte"),
        ("850799-9800", "stämmer inte"),  # day 99: neither a date nor day + 60
        ("20991231-0126", "i framtiden"),  # a right check digit, a date to come
    ],
)
def test_bad_personnummer_are_refused_with_a_plain_message(typed, message):
    with pytest.raises(InvalidIdentityNumber, match=message):
        parse_identity_number(typed, refuse_test_numbers=False)


def test_skatteverkets_test_numbers_are_refused_in_production_only(tmp_path):
    with pytest.raises(InvalidIdentityNumber, match="testpersonnummer"):
        parse_identity_number("19121212-1212", refuse_test_numbers=True)
    assert parse_identity_number("19121212-1212", refuse_test_numbers=False)
    dataset = tmp_path / "testpersonnummer.csv"
    dataset.write_text("testpersonnummer\n198507099805\n")
    with (
        override_settings(INTAKE_TEST_NUMBERS_FILE=str(dataset)),
        pytest.raises(InvalidIdentityNumber),
    ):
        parse_identity_number("850709-9805", refuse_test_numbers=True)


# --- Exactly once -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_content_on_the_same_day_is_stored_once_with_one_reference():
    offering = make_offering()
    first = services.submit(ContactRequest, contact_fields(offering))
    again = services.submit(ContactRequest, contact_fields(offering))
    other = services.submit(ContactRequest, contact_fields(offering, namn="Alex"))
    assert first.created and not again.created and other.created
    assert again.submission.reference == first.submission.reference
    assert other.submission.reference != first.submission.reference
    assert ContactRequest.objects.count() == 2
    assert first.submission.events.count() == 1  # "received"


@pytest.mark.django_db(transaction=True)
def test_two_hundred_parallel_submissions_with_duplicates_store_exactly_the_distinct_ones():
    """Eight threads, each with its own database connection, send 200 submissions: 120
    distinct contents, 80 of them sent a second time. On PostgreSQL the inserts really race."""
    offering = make_offering()
    contents = [contact_fields(offering, namn=f"Person {n}") for n in range(120)]
    work = contents + contents[:80]
    results, errors = [], []
    lock = threading.Lock()

    def worker(batch):
        try:
            for fields in batch:
                submitted = services.submit(ContactRequest, dict(fields))
                with lock:
                    results.append((fields["namn"], submitted.submission.reference))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    if connection.vendor == "sqlite":
        worker(work)  # SQLite serialises writers; the race itself needs PostgreSQL
    else:
        threads = [threading.Thread(target=worker, args=(work[i::8],)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert len(results) == 200
    assert ContactRequest.objects.count() == 120
    by_name = {}
    for name, reference in results:
        by_name.setdefault(name, set()).add(reference)
    assert all(len(refs) == 1 for refs in by_name.values())  # duplicates saw the same reference
    stored = set(ContactRequest.objects.values_list("reference", flat=True))
    assert stored == {ref for refs in by_name.values() for ref in refs}


# --- Transitions and the audit trail ------------------------------------------------------------


@pytest.mark.django_db
def test_transitions_check_the_source_status_and_record_who_and_when():
    offering = make_offering()
    staff = make_staff(Role.UTFORARE, providers=[offering.provider])
    with time_machine.travel("2026-03-02 09:00 +01:00", tick=False):
        request = services.submit(ContactRequest, contact_fields(offering)).submission
    with pytest.raises(services.TransitionNotAllowed):
        services.contact_request_close(request, by=staff)  # not contacted yet
    with time_machine.travel("2026-03-02 10:00 +01:00", tick=False):
        request = services.contact_request_contacted(request, by=staff, on=date(2026, 3, 2))
        request = services.contact_request_close(request, by=staff, note="Bokat samtal.")
    assert request.status == "stangd"
    assert request.finished_at is not None
    events = list(request.events.values_list("from_status", "to_status", "by__username"))
    assert events == [
        ("", "ny", None),
        ("ny", "kontaktad", staff.username),
        ("kontaktad", "stangd", staff.username),
    ]
    assert request.events.last().note == "Bokat samtal."
    changed = AccessRecord.objects.filter(action="andrade", kind=Kind.CONTACT)
    assert changed.count() == 2 and changed.first().references == [request.reference]


@pytest.mark.django_db
def test_the_four_month_clock_keeps_month_ends():
    from datetime import datetime

    assert services.add_months(datetime(2026, 10, 31, 9), 4) == datetime(2027, 2, 28, 9)
    assert services.add_months(datetime(2026, 1, 15, 9), 4) == datetime(2026, 5, 15, 9)


# --- Rate limit and deployment checks -----------------------------------------------------------


@pytest.mark.django_db
@override_settings(INTAKE_RATE_LIMIT=3, INTAKE_RATE_WINDOW_SECONDS=60)
def test_the_rate_limit_counts_per_client_and_form_in_the_shared_cache():
    from django.core.cache import cache

    cache.clear()
    one = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    other = RequestFactory().post("/", REMOTE_ADDR="192.0.2.11")
    assert [over_rate_limit(one, Kind.CONTACT) for _ in range(4)] == [False, False, False, True]
    assert not over_rate_limit(other, Kind.CONTACT)
    assert not over_rate_limit(one, Kind.REPORT)
    # The count sits under a keyed hash of the address, never the address itself.
    hashed = "intake-rate:" + crypto.keyed_hash(f"rate:{Kind.CONTACT}", "192.0.2.10")
    assert cache.get(hashed) == 4
    assert "192.0.2.10" not in hashed


def test_production_refuses_missing_or_bad_keys():
    with override_settings(INTAKE_ENCRYPTION_KEYS=[], INTAKE_HASH_KEY=""):
        assert {error.id for error in intake_keys(None)} == {"intake.E001", "intake.E003"}
    with override_settings(INTAKE_ENCRYPTION_KEYS=["nonsense"], INTAKE_HASH_KEY="x" * 40):
        assert {error.id for error in intake_keys(None)} == {"intake.E002"}
    with override_settings(INTAKE_ENCRYPTION_KEYS=[KEY_A], INTAKE_HASH_KEY="x" * 40):
        assert intake_keys(None) == []


@pytest.mark.django_db
def test_a_new_submission_tells_the_team_and_the_resident_without_personal_data(
    mailoutbox, django_capture_on_commit_callbacks
):
    offering = make_offering(name="Anhöriggrupp alkohol")
    make_staff(Role.UTFORARE, providers=[offering.provider], email="team@example.se")
    fields = contact_fields(offering, epost="kim@example.se", wants_receipt=True)
    with django_capture_on_commit_callbacks(execute=True):
        stored = services.submit(ContactRequest, fields).submission
    assert sorted(message.to[0] for message in mailoutbox) == ["kim@example.se", "team@example.se"]
    for message in mailoutbox:
        text = message.subject + message.body
        for secret in ("Kim Testsson", "0701234567", "drickande", "alkohol", "kim@example.se"):
            assert secret not in text
    receipt = next(m for m in mailoutbox if m.to == ["kim@example.se"])
    assert stored.reference in receipt.body
    team = next(m for m in mailoutbox if m.to == ["team@example.se"])
    assert "/personal/forfragningar/" in team.body


@pytest.mark.django_db
def test_no_receipt_unless_asked(mailoutbox, django_capture_on_commit_callbacks):
    offering = make_offering()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(ContactRequest, contact_fields(offering, epost="kim@example.se"))
    assert mailoutbox == []  # no team address either: nobody linked to the provider


# --- Retention ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_purge_expired_deletes_what_is_past_its_time_and_reports_counts_only(capsys, caplog):
    offering = make_offering()
    staff = make_staff(Role.UTFORARE, providers=[offering.provider])

    def finished(name, when):
        with time_machine.travel(when, tick=False):
            request = services.submit(ContactRequest, contact_fields(offering, namn=name))
            return services.contact_request_decline(request.submission, by=staff, reason="fullt")

    old = finished("Gammal", "2026-01-02 10:00 +01:00")
    recent = finished("Ny", "2026-01-25 10:00 +01:00")
    with time_machine.travel("2025-01-10 10:00 +01:00", tick=False):
        never_closed = services.submit(ContactRequest, contact_fields(offering, namn="Öppen"))
    with time_machine.travel("2026-02-05 10:00 +01:00", tick=False), caplog.at_level("INFO"):
        call_command("purge_expired")  # 30 days for contact requests, 365 for open ones

    left = set(ContactRequest.objects.values_list("reference", flat=True))
    assert left == {recent.reference}
    assert not old.events.exists()
    printed = capsys.readouterr().out + caplog.text
    assert "kontakt 2" in printed
    for reference in (old.reference, recent.reference, never_closed.submission.reference):
        assert reference not in printed


@pytest.mark.django_db
def test_staff_are_told_in_swedish_and_the_resident_in_their_own_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import translation

    offering = make_offering()
    make_staff(Role.UTFORARE, providers=[offering.provider], email="team@example.se")
    fields = contact_fields(offering, epost="kim@example.se", wants_receipt=True)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.submit(ContactRequest, fields)
    team = next(m for m in mailoutbox if m.to == ["team@example.se"])
    receipt = next(m for m in mailoutbox if m.to == ["kim@example.se"])
    assert team.subject.startswith("Nytt i Stödportalen")
    assert "/personal/forfragningar/" in team.body and "/en/" not in team.body
    assert receipt.subject == "We have received what you sent"


@pytest.mark.django_db
def test_superusers_read_the_access_records_and_nobody_edits_them(client):
    offering = make_offering()
    staff = make_staff(Role.UTFORARE, providers=[offering.provider])
    request = services.submit(ContactRequest, contact_fields(offering)).submission
    services.record_access(staff, Kind.CONTACT, AccessRecord.Action.OPENED, [request])
    from tests.conftest import sign_in

    sign_in(client, make_staff(None, is_staff=True, is_superuser=True))
    listing = client.get("/admin/intake/accessrecord/")
    assert listing.status_code == 200
    assert staff.username in listing.content.decode()
    assert request.reference in listing.content.decode()
    record = AccessRecord.objects.get()
    assert client.get(f"/admin/intake/accessrecord/{record.pk}/delete/").status_code == 403
    assert client.get("/admin/intake/accessrecord/add/").status_code == 403
    client.logout()
    sign_in(client, make_staff(Role.REDAKTOR))
    assert client.get("/admin/intake/accessrecord/").status_code == 403


@pytest.mark.django_db
def test_purge_keeps_cases_still_under_way_and_clears_expired_sessions(capsys):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from intake.models import Application, ConcernReport

    handler = make_staff(Role.HANDLAGGARE)
    with time_machine.travel("2025-01-10 10:00 +01:00", tick=False):
        granted = Application.objects.create(
            reference="AAAA-AAAA",
            fingerprint="g" * 64,
            for_whom="mig",
            namn="Gammal beviljad",
            personnummer="19850709-9805",
            personnummer_hash="h",
            consent_at=timezone.now(),
            status="beslutad",
            decision="beviljad",
        )
        investigating = ConcernReport.objects.create(
            reference="CCCC-CCCC",
            fingerprint="c" * 64,
            vardnadshavare_vet="vet-inte",
            anmalare="privatperson",
            status="utreds",
        )
        forgotten = ConcernReport.objects.create(
            reference="DDDD-DDDD",
            fingerprint="d" * 64,
            vardnadshavare_vet="vet-inte",
            anmalare="privatperson",
        )
        draft = SessionStore()
        draft["intake:draft"] = "gAAAAA-encrypted"
        draft.set_expiry(60)
        draft.create()
    assert handler and Session.objects.filter(session_key=draft.session_key).exists()
    with time_machine.travel("2026-02-05 10:00 +01:00", tick=False):
        call_command("purge_expired")
    assert Application.objects.filter(pk=granted.pk).exists()  # may still go to IVO
    assert ConcernReport.objects.filter(pk=investigating.pk).exists()
    assert not ConcernReport.objects.filter(pk=forgotten.pk).exists()
    assert not Session.objects.filter(session_key=draft.session_key).exists()
    printed = capsys.readouterr().out
    assert "ansokan kvar (pågår) 1" in printed and "orosanmalan kvar (pågår) 1" in printed


@pytest.mark.django_db
def test_who_decided_is_kept_when_their_account_is_deleted():
    offering = make_offering()
    staff = make_staff(
        Role.UTFORARE, providers=[offering.provider], first_name="Sam", last_name="Ek"
    )
    request = services.submit(ContactRequest, contact_fields(offering)).submission
    services.contact_request_decline(request, by=staff, reason="fullt")
    staff.delete()
    last = request.events.last()
    assert last.by is None and last.by_name == "Sam Ek"


@pytest.mark.django_db
def test_no_door_and_no_mail_for_an_account_without_the_provider_role(mailoutbox):
    from intake.selectors import takes_contact_requests

    offering = make_offering()
    linked = make_staff(None, providers=[offering.provider], email="gammal@example.se")
    assert not takes_contact_requests(offering)
    assert (
        services.team_addresses(
            services.submit(ContactRequest, contact_fields(offering)).submission
        )
        == []
    )
    linked.groups.add(Group.objects.get_or_create(name=Role.UTFORARE)[0])
    assert takes_contact_requests(offering)
