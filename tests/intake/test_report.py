"""Reports of concern about a child (orosanmälan): the public form, its validation and
protection, storing exactly once, a real database failure, the confirmation; the handläggare's
board of legal clocks (pure clock logic and the page, with fixed times), earlier reports about
the same child, the steps, the audit trail and who may see it all."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from intake import crypto, report_clocks, services
from intake.models import AccessRecord, ConcernReport, ConcernReportEvent, Kind
from intake.protection import RATE_LIMIT_MESSAGE
from intake.report_views import RECEIPT_KEY, UNAVAILABLE_MESSAGE
from portal.permissions import Role
from providers.selectors import shell_contacts
from tests.conftest import make_staff, sign_in

FORM = "/orosanmalan/"
DONE = "/orosanmalan/skickad/"
BOARD = "/personal/orosanmalningar/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=STOCKHOLM)


def detail(report) -> str:
    return f"{BOARD}{report.pk}/"


def personnummer(birth: dt.date, serial: str = "238") -> str:
    """A valid personnummer (Luhn) for a birth date: YYYYMMDD-NNNC."""
    digits = birth.strftime("%y%m%d") + serial
    total = 0
    for index, digit in enumerate(digits):
        product = int(digit) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return f"{birth:%Y%m%d}-{serial}{(10 - total % 10) % 10}"


CHILD_PNR = personnummer(dt.date(2016, 5, 20))
ADULT_PNR = personnummer(dt.date(1985, 7, 9))


def private_post(**changes) -> dict:
    """A private person who stays anonymous."""
    data = {
        "barn_namn": "Alva Exempel",
        "barn_alder": "7",
        "barn_personnummer": "",
        "barn_adress_skola": "Ekholmsskolan, Linköping",
        "sett": "Alva hade blåmärken på armarna tre dagar i rad.",
        "hort": "",
        "fara_nu": "nej",
        "vardnadshavare_vet": "vet-inte",
        "anmalare": "privatperson",
        "anonym": "on",
        "anmalare_namn": "",
        "arbetsplats": "",
        "anmalare_telefon": "",
        "anmalare_epost": "",
        "webbplats": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def professional_post(**changes) -> dict:
    data = private_post(
        barn_namn="Noah Exempel",
        barn_alder="",
        barn_personnummer=CHILD_PNR.replace("-", ""),
        barn_adress_skola="",
        sett="",
        hort="Noah berättade att pappa slår honom när han är arg.",
        vardnadshavare_vet="nej",
        anmalare="yrkesperson",
        anonym=None,
        anmalare_namn="Sara Lärare",
        arbetsplats="Ekholmsskolan",
        anmalare_telefon="070-123 45 67",
        anmalare_epost="sara.larare@exempel.se",
        wants_receipt="on",
    )
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def text(response) -> str:
    return unescape(response.content.decode())


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


# --- The form ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_begins_with_112_and_sociala_jouren_and_says_reports_wait_for_office_hours(
    client,
):
    response = client.get(FORM)
    assert response.status_code == 200
    page = response.content.decode()
    jour = shell_contacts().jour
    h1 = page.index("<h1")
    main = page.index('id="innehall"')
    # In the page's main content, before its heading: 112, then Sociala jouren's number.
    assert main < page.index('href="tel:112" data-phone="112"') < h1
    jour_link = f'href="{jour.href}" data-phone="jour"'
    assert page.index('href="tel:112" data-phone="112"') < page.index(jour_link) < h1
    assert jour.number in page[main:h1]
    assert "läses på kontorstid" in text(response)
    assert "no-store" in response["Cache-Control"]
    # The plain note on when not to tell the guardians.
    note = text(response)
    assert "Berätta inte för barnets vårdnadshavare" in note
    for case in ("våld", "sexuella övergrepp", "hedersrelaterat våld eller förtryck"):
        assert case in note
    assert 'name="webbplats"' in page  # the honeypot
    for name in (
        "barn_namn",
        "barn_alder",
        "barn_personnummer",
        "barn_adress_skola",
        "sett",
        "hort",
        "fara_nu",
        "vardnadshavare_vet",
        "anmalare",
        "anonym",
        "anmalare_namn",
        "arbetsplats",
        "anmalare_telefon",
        "anmalare_epost",
        "wants_receipt",
    ):
        assert f'name="{name}"' in page, name
    assert 'maxlength="4000"' in page


@pytest.mark.django_db
def test_the_form_answers_head_and_the_confirmation_without_a_report_redirects(client):
    head = client.head(FORM)
    assert head.status_code == 200 and head.content == b""
    assert client.head(DONE).status_code == 302


@pytest.mark.django_db
def test_the_form_is_served_in_english_under_en(client):
    response = client.get("/en" + FORM)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert 'action="/en/orosanmalan/"' in page


@pytest.mark.django_db
def test_a_private_person_reports_anonymously(client):
    response = client.post(FORM, private_post())
    assert response.status_code == 302
    assert response["Location"] == DONE  # no values in the address
    report = ConcernReport.objects.get()
    assert report.anonym is True
    assert report.anmalare == ConcernReport.Reporter.PRIVATE
    assert (report.anmalare_namn, report.anmalare_telefon, report.anmalare_epost) == ("", "", "")
    assert report.barn_namn == "Alva Exempel"
    assert report.barn_alder == 7
    assert report.barn_hash == ""
    assert report.sett.startswith("Alva hade blåmärken")
    assert report.fara_nu is False
    assert report.vardnadshavare_vet == "vet-inte"
    assert report.status == ConcernReport.Status.RECEIVED
    receipt = client.session[RECEIPT_KEY]
    assert receipt["reference"] == report.reference
    assert "Alva" not in str(receipt) and "blåmärken" not in str(receipt)

    done = client.get(DONE)
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    page = text(done)
    assert f'data-referens="{report.reference}"' in done.content.decode()
    assert "skyddsbedömning inom 24 timmar" in page
    assert "inom 14 dagar" in page
    assert "inom fyra månader" in page
    assert shell_contacts().jour.number in page  # the emergency numbers again
    assert 'href="tel:112"' in done.content.decode()
    assert "redan tagit emot" not in page
    assert "Du är anonym" in page


@pytest.mark.django_db
def test_a_professional_reports_with_name_and_workplace_and_gets_a_receipt(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(FORM, professional_post())
        page = text(client.get(DONE))
    assert response.status_code == 302
    report = ConcernReport.objects.get()
    assert report.anmalare == ConcernReport.Reporter.PROFESSIONAL
    assert report.anonym is False
    assert (report.anmalare_namn, report.arbetsplats) == ("Sara Lärare", "Ekholmsskolan")
    assert report.anmalare_telefon == "+46701234567"  # E.164, as everywhere else
    assert report.anmalare_epost == "sara.larare@exempel.se"
    assert report.barn_personnummer == CHILD_PNR
    assert report.barn_hash == crypto.keyed_hash("barn-personnummer", CHILD_PNR)
    assert report.barn_alder == 9  # from the personnummer, on 10 March 2026
    assert report.wants_receipt is True
    receipts = [mail for mail in mailoutbox if mail.to == ["sara.larare@exempel.se"]]
    assert len(receipts) == 1
    assert report.reference in receipts[0].body
    for secret in ("Noah", "slår", CHILD_PNR):
        assert secret not in receipts[0].body + receipts[0].subject
    assert "En handläggare kan kontakta dig" in page
    assert "bekräftelse till din e-post" in page


@pytest.mark.django_db
def test_a_child_in_danger_now_is_stored_and_the_confirmation_says_call_112_first(client):
    client.post(FORM, private_post(fara_nu="ja"))
    assert ConcernReport.objects.get().fara_nu is True
    done = client.get(DONE).content.decode()
    call_now = done.index("Ring 112 nu")
    assert done.index('id="innehall"') < call_now < done.index("<h1")
    assert 'data-section="ring-112"' in done


@pytest.mark.django_db
def test_the_confirmation_without_a_report_leads_back_to_the_form(client):
    response = client.get(DONE)
    assert response.status_code == 302
    assert response["Location"] == FORM


# --- Validation --------------------------------------------------------------------------------

LONG = "x" * 4001
# The shared phone field's messages (intake.contact_fields).
PHONE_LETTERS = "Skriv telefonnumret med siffror, till exempel 070-123 45 67."
PHONE_FOREIGN = (
    "Skriv ett svenskt telefonnummer. Har du bara ett utländskt nummer, skriv din "
    "e-postadress i stället."
)
PHONE_PREMIUM = "Skriv ett vanligt telefonnummer, inte ett betalnummer."
PHONE_AREA_CODE = (
    "Skriv telefonnumret med riktnummer, till exempel 070-123 45 67 eller 013-20 70 00."
)
INVALID = [
    # (what is posted, the field that gets the error, part of the message)
    (
        {"barn_namn": "", "barn_personnummer": "", "barn_adress_skola": ""},
        "barn_namn",
        "hitta barnet",
    ),
    ({"barn_namn": "A" * 121}, "barn_namn", "högst 120 tecken"),
    ({"barn_alder": "18"}, "barn_alder", "mellan 0 och 17"),
    ({"barn_alder": "-1"}, "barn_alder", "med siffror"),
    ({"barn_alder": "sju"}, "barn_alder", "med siffror"),
    ({"barn_personnummer": "12345"}, "barn_personnummer", "10 eller 12 siffror"),
    (
        {"barn_personnummer": CHILD_PNR[:-1] + str((int(CHILD_PNR[-1]) + 1) % 10)},
        "barn_personnummer",
        "stämmer inte",
    ),
    ({"barn_personnummer": ADULT_PNR}, "barn_personnummer", "en vuxens"),
    ({"barn_personnummer": "1" * 21}, "barn_personnummer", "10 eller 12 siffror"),
    ({"barn_personnummer": "20170101-2393"}, "barn_personnummer", "testpersonnummer"),
    ({"barn_adress_skola": "x" * 301}, "barn_adress_skola", "högst 300 tecken"),
    ({"sett": "", "hort": ""}, "sett", "sett eller hört"),
    ({"sett": "   ", "hort": "\n"}, "sett", "sett eller hört"),
    ({"sett": LONG}, "sett", "högst 4000 tecken"),
    ({"hort": LONG}, "hort", "högst 4000 tecken"),
    ({"fara_nu": ""}, "fara_nu", "i fara just nu"),
    ({"fara_nu": "kanske"}, "fara_nu", "i fara just nu"),
    ({"vardnadshavare_vet": ""}, "vardnadshavare_vet", "vårdnadshavarna vet"),
    ({"vardnadshavare_vet": "kanske"}, "vardnadshavare_vet", "vårdnadshavarna vet"),
    ({"anmalare": ""}, "anmalare", "privatperson eller i ditt arbete"),
    ({"anmalare": "polis"}, "anmalare", "privatperson eller i ditt arbete"),
    # Private, not anonymous: a name is needed.
    ({"anonym": None}, "anmalare_namn", "eller kryssa i att du vill vara anonym"),
    # Anonymous, yet contact details: say which to choose.
    ({"anmalare_telefon": "070-123 45 67"}, "anonym", "valt att vara anonym"),
    (
        {"anonym": None, "anmalare_namn": "Kim", "anmalare_telefon": "hej"},
        "anmalare_telefon",
        PHONE_LETTERS,
    ),
    (
        {"anonym": None, "anmalare_namn": "Kim", "anmalare_telefon": "+44 20 7946 0958"},
        "anmalare_telefon",
        PHONE_FOREIGN,
    ),
    (
        {"anonym": None, "anmalare_namn": "Kim", "anmalare_telefon": "0900-123 45 67"},
        "anmalare_telefon",
        PHONE_PREMIUM,
    ),
    (
        {"anonym": None, "anmalare_namn": "Kim", "anmalare_telefon": "112"},
        "anmalare_telefon",
        PHONE_AREA_CODE,
    ),
    (
        {"anonym": None, "anmalare_namn": "Kim", "anmalare_telefon": "0" * 31},
        "anmalare_telefon",
        "Skriv telefonnumret med högst 30 tecken.",
    ),
    (
        {"anonym": None, "anmalare_namn": "Kim", "anmalare_epost": "inte-en-adress"},
        "anmalare_epost",
        "Skriv e-postadressen som namn@exempel.se.",
    ),
    (
        {"anonym": None, "anmalare_namn": "Kim", "wants_receipt": "on"},
        "anmalare_epost",
        "om du vill ha en bekräftelse",
    ),
    ({"anonym": None, "anmalare_namn": "K" * 121}, "anmalare_namn", "högst 120 tecken"),
]
PROFESSIONAL_INVALID = [
    ({"anmalare_namn": ""}, "anmalare_namn", "kan inte vara anonym"),
    ({"arbetsplats": ""}, "arbetsplats", "Skriv din arbetsplats"),
    ({"arbetsplats": "   "}, "arbetsplats", "Skriv din arbetsplats"),
    ({"arbetsplats": "x" * 201}, "arbetsplats", "högst 200 tecken"),
    ({"anonym": "on"}, "anonym", "kan inte vara anonym"),
]


def assert_refused(client, post, field, message):
    response = client.post(FORM, post)
    assert response.status_code == 200
    assert ConcernReport.objects.count() == 0
    assert title(response).startswith("Fel:")
    page = response.content.decode()
    error = re.search(rf'id="id_{field}_error">(.*?)</p>', page, re.S)
    assert error, (field, re.findall(r'id="(id_\w+_error)"', page))
    assert message in unescape(error.group(1))
    assert f'href="#id_{field}' in page  # the error summary links to the field
    assert "no-store" in response["Cache-Control"]
    return response


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), INVALID)
def test_each_field_of_a_private_report_is_validated(client, changes, field, message):
    assert_refused(client, private_post(**changes), field, message)


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), PROFESSIONAL_INVALID)
def test_a_professional_must_give_name_and_workplace_and_cannot_be_anonymous(
    client, changes, field, message
):
    assert_refused(client, professional_post(**changes), field, message)


@pytest.mark.django_db
def test_an_empty_form_names_every_required_answer_and_keeps_nothing_back(client):
    response = client.post(FORM, {"webbplats": ""})
    assert response.status_code == 200
    page = response.content.decode()
    for field in ("barn_namn", "sett", "fara_nu", "vardnadshavare_vet", "anmalare"):
        assert f'id="id_{field}_error"' in page, field
    assert ConcernReport.objects.count() == 0


@pytest.mark.django_db
def test_the_answers_are_kept_when_something_needs_fixing(client):
    response = client.post(FORM, private_post(barn_alder="sjutton", hort="Grannen hörde skrik."))
    page = text(response)
    assert 'value="Alva Exempel"' in page
    assert "Alva hade blåmärken på armarna tre dagar i rad." in page
    assert "Grannen hörde skrik." in page
    assert 'value="sjutton"' in page


@pytest.mark.django_db
def test_script_tags_are_stored_as_text_and_shown_escaped(client):
    script = "<script>alert('x')</script>"
    refused = client.post(FORM, private_post(sett=script, fara_nu=""))  # shown again: escaped
    assert script not in refused.content.decode()
    assert "&lt;script&gt;" in refused.content.decode()
    client.post(FORM, private_post(sett=script, barn_namn=script))
    report = ConcernReport.objects.get()
    assert report.sett == script and report.barn_namn == script
    sign_in(client, make_staff(Role.HANDLAGGARE))
    page = client.get(detail(report)).content.decode()
    assert script not in page
    assert page.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") == 2


@pytest.mark.django_db
def test_the_honeypot_refuses_a_bot(client):
    response = client.post(FORM, private_post(webbplats="http://spam.example"))
    assert response.status_code == 200
    assert ConcernReport.objects.count() == 0
    assert 'id="id_webbplats_error"' in response.content.decode() or "Lämna fältet" in text(
        response
    )


@pytest.mark.django_db
@override_settings(INTAKE_RATE_LIMIT=2)
def test_the_rate_limit_refuses_more_reports_and_keeps_the_answers(client):
    for n in range(2):
        assert client.post(FORM, private_post(barn_alder=str(n))).status_code == 302
    response = client.post(FORM, private_post(barn_alder="9", hort="Det tredje."))
    assert response.status_code == 429
    assert str(RATE_LIMIT_MESSAGE) in text(response)
    assert "Det tredje." in text(response)
    assert title(response).startswith("Fel:")
    assert ConcernReport.objects.count() == 2


@pytest.mark.django_db
def test_the_same_report_twice_is_stored_once_with_the_same_reference(client):
    first = client.post(FORM, private_post())
    reference = ConcernReport.objects.get().reference
    assert "redan tagit emot" not in text(client.get(DONE))
    second = client.post(FORM, private_post())
    assert first.status_code == second.status_code == 302
    assert ConcernReport.objects.count() == 1
    again = client.get(DONE)
    assert f'data-referens="{reference}"' in again.content.decode()
    assert "redan tagit emot" in text(again)


def _abort_inserts(table: str) -> None:
    """A real database failure: a trigger that refuses every insert into `table`."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_abort_insert() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'test: inserts refused'; END; $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_abort BEFORE INSERT ON {quoted} "
                "FOR EACH ROW EXECUTE FUNCTION test_abort_insert()"
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER test_abort BEFORE INSERT ON {quoted} "
                "BEGIN SELECT RAISE(ABORT, 'test: inserts refused'); END"
            )
        else:  # pragma: no cover
            pytest.skip(f"no trigger recipe for {connection.vendor}")


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["intake_concernreport", "intake_concernreportevent"])
def test_a_database_failure_mid_submit_stores_nothing_and_keeps_the_answers(client, caplog, table):
    # The event table fails after the report's own row is written: that row must go too.
    _abort_inserts(table)
    post = professional_post()
    response = client.post(FORM, post)
    assert response.status_code == 503
    assert str(UNAVAILABLE_MESSAGE) in text(response)
    assert ConcernReport.objects.count() == 0
    assert ConcernReportEvent.objects.count() == 0
    page = text(response)
    for name in ("anmalare_namn", "arbetsplats", "anmalare_epost", "barn_namn"):
        assert f'value="{post[name]}"' in page, name
    assert post["hort"] in page
    assert RECEIPT_KEY not in client.session
    assert "no-store" in response["Cache-Control"]
    logged = " ".join(record.getMessage() for record in caplog.records)
    for secret in ("Noah", "Sara", "slår", CHILD_PNR):
        assert secret not in logged


@pytest.mark.django_db
def test_the_views_receive_personal_data_as_sensitive_and_never_cached(client):
    response = client.post(FORM, private_post(fara_nu=""))
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get(FORM)["Cache-Control"]


# --- The clocks, as a pure function ---------------------------------------------------------------


RECEIVED_AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=STOCKHOLM)


def test_a_new_report_runs_the_24_hour_safety_clock():
    clock = report_clocks.clock(
        status="mottagen", created_at=RECEIVED_AT, now=RECEIVED_AT + dt.timedelta(hours=3)
    )
    assert clock.kind == report_clocks.SAFETY
    assert clock.due_at == RECEIVED_AT + dt.timedelta(hours=24)
    assert not clock.overdue
    assert clock.label == "Skyddsbedömning senast 3 mars 10:00"
    late = report_clocks.clock(
        status="mottagen",
        created_at=RECEIVED_AT,
        now=RECEIVED_AT + dt.timedelta(hours=24, seconds=1),
    )
    assert late.overdue
    danger = report_clocks.clock(
        status="mottagen", created_at=RECEIVED_AT, now=RECEIVED_AT, danger=True
    )
    assert danger.urgent


@pytest.mark.parametrize(
    ("after", "day", "overdue"),
    [
        (dt.timedelta(hours=1), 1, False),
        (dt.timedelta(hours=23, minutes=59), 1, False),
        (dt.timedelta(days=1), 2, False),
        (dt.timedelta(days=2, hours=5), 3, False),
        (dt.timedelta(days=13, hours=23), 14, False),
        (dt.timedelta(days=14), 15, False),  # the deadline itself: not yet late
        (dt.timedelta(days=14, minutes=1), 15, True),
        (dt.timedelta(days=20), 21, True),
    ],
)
def test_after_the_safety_assessment_the_preliminary_clock_counts_day_n_of_14(after, day, overdue):
    clock = report_clocks.clock(
        status="skyddsbedomd", created_at=RECEIVED_AT, now=RECEIVED_AT + after
    )
    assert (clock.kind, clock.number, clock.of, clock.overdue) == (
        report_clocks.PRELIMINARY,
        day,
        14,
        overdue,
    )
    assert clock.label == f"Förhandsbedömning dag {day} av 14"


STARTED = dt.datetime(2026, 1, 31, 10, 0, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("now", "month", "overdue"),
    [
        (STARTED, 1, False),
        (dt.datetime(2026, 2, 27, 12, 0, tzinfo=STOCKHOLM), 1, False),
        (dt.datetime(2026, 2, 28, 10, 0, tzinfo=STOCKHOLM), 2, False),  # no 31 February
        (dt.datetime(2026, 4, 15, 9, 0, tzinfo=STOCKHOLM), 3, False),
        (dt.datetime(2026, 5, 30, 9, 0, tzinfo=STOCKHOLM), 4, False),
        (dt.datetime(2026, 5, 31, 10, 0, tzinfo=STOCKHOLM), 5, False),  # due at this very moment
        (dt.datetime(2026, 5, 31, 10, 1, tzinfo=STOCKHOLM), 5, True),
    ],
)
def test_an_investigation_counts_month_n_of_4_until_its_due_date(now, month, overdue):
    due = services.add_months(STARTED, 4)
    assert due == dt.datetime(2026, 5, 31, 10, 0, tzinfo=STOCKHOLM)
    clock = report_clocks.clock(
        status="utreds",
        created_at=STARTED - dt.timedelta(days=10),
        now=now,
        investigation_started_at=STARTED,
        investigation_due_at=due,
    )
    assert (clock.kind, clock.number, clock.of, clock.overdue, clock.extended) == (
        report_clocks.INVESTIGATION,
        month,
        4,
        overdue,
        False,
    )
    assert clock.label == f"Utredning månad {month} av 4"


def test_an_extended_investigation_counts_the_months_to_its_new_date():
    clock = report_clocks.clock(
        status="utreds",
        created_at=STARTED,
        now=dt.datetime(2026, 6, 10, tzinfo=STOCKHOLM),
        investigation_started_at=STARTED,
        investigation_due_at=dt.datetime(2026, 7, 15, 10, 0, tzinfo=STOCKHOLM),
        extended=True,
    )
    assert (clock.number, clock.of, clock.overdue, clock.extended) == (5, 6, False, True)


@pytest.mark.parametrize("status", ["ej-inledd", "avslutad"])
def test_a_finished_report_has_no_clock(status):
    assert report_clocks.clock(status=status, created_at=RECEIVED_AT, now=RECEIVED_AT) is None


def test_the_board_puts_overdue_first_then_danger_then_the_nearest_deadline():
    now = RECEIVED_AT + dt.timedelta(days=3)
    calm = report_clocks.clock(status="mottagen", created_at=now, now=now)
    danger = report_clocks.clock(status="mottagen", created_at=now, now=now, danger=True)
    late = report_clocks.clock(
        status="skyddsbedomd", created_at=now - dt.timedelta(days=15), now=now
    )
    sooner = report_clocks.clock(
        status="skyddsbedomd", created_at=now - dt.timedelta(days=13, hours=12), now=now
    )
    ordered = sorted([calm, sooner, danger, late], key=lambda clock: clock.sort_key)
    assert ordered == [late, danger, sooner, calm]


# --- The board and the report page ----------------------------------------------------------------


def make_report(**fields) -> ConcernReport:
    """A report stored as the form stores it (with its first event), at the current time."""
    values = {
        "barn_namn": "Barn",
        "sett": f"Något hände {ConcernReport.objects.count()}.",
        "vardnadshavare_vet": "vet-inte",
        "anmalare": "privatperson",
        "anonym": True,
    }
    values.update(fields)
    if values.get("barn_personnummer"):
        values["barn_hash"] = crypto.keyed_hash("barn-personnummer", values["barn_personnummer"])
    return services.submit(ConcernReport, values).submission


@pytest.fixture
def handler(client, db):
    user = make_staff(Role.HANDLAGGARE)
    sign_in(client, user)
    return user


def board_row(page: str, reference: str) -> str:
    match = re.search(rf'<tr data-report="{reference}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, reference
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))).strip()


@pytest.mark.django_db
def test_the_board_shows_each_open_report_with_its_clock(client, handler):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=STOCKHOLM), tick=False):
        investigated = make_report(barn_alder=12)
        services.report_safety_assessed(investigated, by=handler)
        services.report_open_investigation(investigated, by=handler)
    with time_machine.travel(dt.datetime(2026, 1, 10, 9, 0, tzinfo=STOCKHOLM), tick=False):
        extended = make_report(barn_alder=3)
        services.report_safety_assessed(extended, by=handler)
        services.report_open_investigation(extended, by=handler)
        services.report_extend(
            extended,
            by=handler,
            until=dt.datetime(2026, 7, 10, 9, 0, tzinfo=STOCKHOLM),
            reason="Väntar på utlåtande från BUP.",
        )
    with time_machine.travel(dt.datetime(2026, 2, 20, 9, 0, tzinfo=STOCKHOLM), tick=False):
        assessed = make_report(barn_alder=5)
        services.report_safety_assessed(assessed, by=handler)
    with time_machine.travel(dt.datetime(2026, 3, 9, 8, 0, tzinfo=STOCKHOLM), tick=False):
        late_safety = make_report(fara_nu=True)  # no age given
    with time_machine.travel(dt.datetime(2026, 3, 10, 8, 30, tzinfo=STOCKHOLM), tick=False):
        fresh = make_report(barn_alder=0)
        closed = make_report()
        services.report_safety_assessed(closed, by=handler)
        services.report_not_opened(closed, by=handler, note="Inget stöd behövs.")

    with time_machine.travel(NOW, tick=False):  # 10 March 2026, 09.00
        response = client.get(BOARD)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert closed.reference not in page  # not open any more

    row = board_row(page, fresh.reference)
    assert "Skyddsbedömning senast 11 mars 08:30" in row
    assert "0 år" in row and "Försenad" not in row

    row = board_row(page, late_safety.reference)
    assert "Skyddsbedömning senast 10 mars 08:00" in row
    assert "Försenad" in row
    assert "okänd" in row
    assert 'class="row-overdue"' in page
    assert re.search(rf'data-report="{late_safety.reference}".*?data-danger><strong', page, re.S)

    row = board_row(page, assessed.reference)  # received 20 February: day 19 of 14
    assert "Förhandsbedömning dag 19 av 14" in row and "Försenad" in row

    row = board_row(page, investigated.reference)  # started 5 January: month 3 of 4
    assert "Utredning månad 3 av 4" in row and "Försenad" not in row
    assert "Förlängd" not in row

    row = board_row(page, extended.reference)  # started 10 January, extended to 10 July
    assert "Utredning månad 3 av 6" in row and "Förlängd" in row

    # Overdue first, the child said to be in danger before the other overdue one.
    order = [
        page.index(f'data-report="{report.reference}"')
        for report in (late_safety, assessed, fresh, investigated, extended)
    ]
    assert order == sorted(order)


@pytest.mark.django_db
def test_an_overdue_investigation_is_marked_in_words_not_only_in_red(client, handler):
    with time_machine.travel(dt.datetime(2025, 10, 1, 9, 0, tzinfo=STOCKHOLM), tick=False):
        report = make_report()
        services.report_safety_assessed(report, by=handler)
        services.report_open_investigation(report, by=handler)
    with time_machine.travel(NOW, tick=False):
        row = board_row(client.get(BOARD).content.decode(), report.reference)
    assert "Utredning månad 6 av 4" in row
    assert "Försenad" in row


@pytest.mark.django_db
def test_earlier_reports_about_the_same_child_are_found_by_the_keyed_hash(client, handler):
    with time_machine.travel(dt.datetime(2025, 6, 1, 9, 0, tzinfo=STOCKHOLM), tick=False):
        first = make_report(barn_personnummer=CHILD_PNR)
        services.report_safety_assessed(first, by=handler)
        services.report_not_opened(first, by=handler, note="Familjen har stöd.")
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, 0, tzinfo=STOCKHOLM), tick=False):
        second = make_report(barn_personnummer=CHILD_PNR)
        other_child = make_report(barn_personnummer=personnummer(dt.date(2018, 1, 2)))
    with time_machine.travel(NOW, tick=False):
        third = make_report(barn_personnummer=CHILD_PNR)
        unknown = make_report()  # no personnummer: no lookup
        board = client.get(BOARD).content.decode()
        newest = text(client.get(detail(third)))
        middle = text(client.get(detail(second)))
        oldest = text(client.get(detail(first)))
        lonely = text(client.get(detail(other_child)))
        without = text(client.get(detail(unknown)))

    assert second.barn_hash == third.barn_hash == crypto.keyed_hash("barn-personnummer", CHILD_PNR)
    assert re.search(rf'data-report="{third.reference}".*?data-earlier>2<', board, re.S)
    assert re.search(rf'data-report="{second.reference}".*?data-earlier>1<', board, re.S)
    assert re.search(rf'data-report="{other_child.reference}".*?data-earlier>0<', board, re.S)
    assert "Tidigare anmälningar om samma barn: 2" in newest
    assert first.reference in newest and second.reference in newest
    assert other_child.reference not in newest
    assert "Tidigare anmälningar om samma barn: 1" in middle and first.reference in middle
    assert third.reference not in middle  # later, not earlier
    assert "Tidigare anmälningar om samma barn: 0" in oldest
    assert "Tidigare anmälningar om samma barn: 0" in lonely
    assert "saknar barnets personnummer" in without
    # Opening the newest listed the earlier ones' references in the audit trail.
    assert AccessRecord.objects.filter(
        action=AccessRecord.Action.LISTED, references=[second.reference, first.reference]
    ).exists()


@pytest.mark.django_db
def test_the_report_page_shows_everything_the_reporter_gave(client, handler):
    client.post(FORM, professional_post(sett="Han kom utan mat.", fara_nu="ja"))
    report = ConcernReport.objects.get()
    sign_in(client, handler)
    response = client.get(detail(report))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = text(response)
    for shown in (
        report.reference,
        "Noah Exempel",
        CHILD_PNR,
        "Han kom utan mat.",
        "pappa slår honom",
        "Sara Lärare",
        "Ekholmsskolan",
        "070-123 45 67",
        "sara.larare@exempel.se",
        "Yrkesperson med anmälningsplikt",
        "Skyddsbedömning senast",
        "Genast: barnet kan vara i fara",
    ):
        assert shown in page, shown
    assert "+46701234567" not in page  # the stored E.164 is shown the Swedish way


@pytest.mark.django_db
def test_a_phone_stored_in_the_old_display_form_is_shown_the_same_way(client, handler):
    report = make_report(
        anonym=False,
        anmalare_namn="Kim",
        anmalare_telefon="013-20 70 00",  # before the form stored E.164
    )
    page = text(client.get(detail(report)))
    assert "013-20 70 00" in page


@pytest.mark.django_db
def test_the_steps_run_through_the_services_in_order(client, handler):
    with time_machine.travel(NOW, tick=False):
        report = make_report()
        url = detail(report)
        response = client.post(url, {"atgard": "skyddsbedomd", "skyddsbedomd-anteckning": "Trygg."})
        assert response.status_code == 302 and response["Location"] == url
        report.refresh_from_db()
        assert report.status == "skyddsbedomd" and report.safety_assessed_at == NOW
        assert "Skyddsbedömningen är registrerad." in text(client.get(url))

        client.post(url, {"atgard": "inled", "inled-anteckning": ""})
        report.refresh_from_db()
        assert report.status == "utreds"
        first_due = services.add_months(timezone.localtime(), 4)  # the same local hour
        assert report.investigation_due_at == first_due

        # An extension needs a new, later date and a reason.
        refused = client.post(
            url, {"atgard": "forlang", "forlang-till": "2026-09-30", "forlang-skal": " "}
        )
        assert refused.status_code == 400
        assert "Skriv skälet till förlängningen." in text(refused)
        assert title(refused).startswith("Fel:")
        refused = client.post(
            url, {"atgard": "forlang", "forlang-till": "2026-07-01", "forlang-skal": "Väntar."}
        )
        assert "Välj ett datum efter nuvarande sista dag" in text(refused)
        refused = client.post(
            url, {"atgard": "forlang", "forlang-till": "30/9", "forlang-skal": "Väntar."}
        )
        assert "Skriv datumet som 2026-09-30." in text(refused)
        report.refresh_from_db()
        assert report.investigation_due_at == first_due

        client.post(
            url,
            {"atgard": "forlang", "forlang-till": "2026-09-30", "forlang-skal": "Väntar på BUP."},
        )
        report.refresh_from_db()
        new_due = timezone.localtime(report.investigation_due_at)
        assert new_due.date() == dt.date(2026, 9, 30)
        assert new_due.time() == timezone.localtime(first_due).time()
        assert report.extension_reason == "Väntar på BUP."
        page = text(client.get(url))
        assert "Skäl för förlängning" in page and "Väntar på BUP." in page
        assert "Förlängd" in page

        client.post(url, {"atgard": "avsluta", "avsluta-anteckning": "Insats beviljad."})
        report.refresh_from_db()
        assert report.status == "avslutad" and report.finished_at == NOW
        page = text(client.get(url))
        assert "Inga fler steg" in page
    events = list(report.events.values_list("from_status", "to_status"))
    assert events == [
        ("", "mottagen"),
        ("mottagen", "skyddsbedomd"),
        ("skyddsbedomd", "utreds"),
        ("utreds", "utreds"),
        ("utreds", "avslutad"),
    ]
    assert [event.note for event in report.events.all()][1] == "Trygg."
    assert all(event.by == handler for event in report.events.all()[1:])


@pytest.mark.django_db
def test_a_report_not_investigated_needs_a_reason(client, handler):
    report = make_report()
    services.report_safety_assessed(report, by=handler)
    response = client.post(detail(report), {"atgard": "inled-inte", "inled-inte-anteckning": ""})
    assert response.status_code == 400
    assert "Skriv varför ingen utredning inleds." in text(response)
    client.post(detail(report), {"atgard": "inled-inte", "inled-inte-anteckning": "Inget behov."})
    report.refresh_from_db()
    assert report.status == "ej-inledd" and report.finished_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "post",
    [
        {"atgard": "inled", "inled-anteckning": ""},
        {"atgard": "avsluta", "avsluta-anteckning": "x"},
        {"atgard": "forlang", "forlang-till": "2099-01-01", "forlang-skal": "Skäl."},
        {"atgard": "inled-inte", "inled-inte-anteckning": ""},  # not even on the page
    ],
)
def test_a_step_not_open_from_the_current_status_is_refused_plainly(client, handler, post):
    report = make_report()
    response = client.post(detail(report), post, follow=True)
    assert response.status_code == 200
    assert "Det gick inte att göra det steget nu" in text(response)
    report.refresh_from_db()
    assert report.status == "mottagen"
    assert report.events.count() == 1


@pytest.mark.django_db
def test_an_unknown_step_is_refused_plainly(client, handler):
    report = make_report()
    response = client.post(detail(report), {"atgard": "radera"}, follow=True)
    assert "Välj ett av stegen på sidan." in text(response)
    assert ConcernReport.objects.filter(pk=report.pk, status="mottagen").exists()


@pytest.mark.django_db
def test_every_view_by_staff_is_recorded(client, handler):
    first, second = make_report(), make_report()
    services.report_safety_assessed(second, by=handler)
    services.report_not_opened(second, by=handler, note="Nej.")
    AccessRecord.objects.all().delete()

    client.get(BOARD)
    listed = AccessRecord.objects.get()
    assert (listed.action, listed.kind, listed.user, listed.references) == (
        AccessRecord.Action.LISTED,
        Kind.REPORT,
        handler,
        [first.reference],  # the closed one is not on the board
    )
    client.get(detail(first))
    opened = AccessRecord.objects.filter(action=AccessRecord.Action.OPENED).get()
    assert opened.references == [first.reference] and opened.user == handler
    client.post(detail(first), {"atgard": "skyddsbedomd", "skyddsbedomd-anteckning": ""})
    changed = AccessRecord.objects.filter(action=AccessRecord.Action.CHANGED).get()
    assert changed.references == [first.reference]
    for record in AccessRecord.objects.all():
        assert "Barn" not in str(record.references)


@pytest.mark.django_db
def test_an_empty_board_says_so_and_records_nothing(client, handler):
    response = client.get(BOARD)
    assert "Inga öppna orosanmälningar just nu." in text(response)
    assert AccessRecord.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.HANDLAGGARE] + [None])
def test_other_roles_get_403_and_change_nothing(client, role):
    report = make_report()
    sign_in(client, make_staff(role))
    assert client.get(BOARD).status_code == 403
    assert client.get(detail(report)).status_code == 403
    post = {"atgard": "skyddsbedomd", "skyddsbedomd-anteckning": ""}
    assert client.post(detail(report), post).status_code == 403
    report.refresh_from_db()
    assert report.status == "mottagen"
    assert AccessRecord.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_sign_in(client):
    report = make_report()
    for path in (BOARD, detail(report)):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/personal/logga-in/")


@pytest.mark.django_db
def test_a_report_that_does_not_exist_is_404(client, handler):
    assert client.get(f"{BOARD}999999/").status_code == 404


@pytest.mark.django_db
def test_the_staff_pages_are_never_cached(client, handler):
    report = make_report()
    for path in (BOARD, detail(report)):
        assert "no-store" in client.get(path)["Cache-Control"]
