"""The biståndsansökan (/ansok/) through the test client, and the handläggare's queue.

Covers: the whole flow, every step's validation (empty, too long, wrong format, bad
personnummer, Skatteverket's test numbers under production settings, script tags), the check
page's change links, the draft (encrypted in the session, never in plaintext, expiring with
the session, gone after sending), exactly-once sending, a real database failure while sending,
the rate limit and the honeypot, the transitions, the IVO flag and the audit trail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from contextlib import contextmanager

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from intake import crypto, drafts, services
from intake.models import AccessRecord, Application, ApplicationEvent, Kind
from portal.permissions import Role
from tests.conftest import make_provider, make_staff, sign_in

pytestmark = pytest.mark.django_db

START = "/ansok/"
CHECK = "/ansok/kontrollera/"
DONE = "/ansok/skickad/"
QUEUE = "/personal/ansokningar/"


def step_url(name: str) -> str:
    return f"/ansok/{name}/"


def luhn(date8: str, serial: str) -> str:
    """A personnummer with a correct check digit: `luhn("19850709", "980")`."""
    digits = date8[2:] + serial
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return f"{date8}-{serial}{(10 - total % 10) % 10}"


PNR = luhn("19850709", "980")
CHILD_PNR = luhn((timezone.localdate() - dt.timedelta(days=9 * 365)).strftime("%Y%m%d"), "234")
NAME = "Alva Ansökansdotter"
DESCRIPTION = "Jag orkar inte städa och betala räkningar längre."


@pytest.fixture
def kundval(catalogue):
    """The real catalogue: several providers give support for psykisk ohälsa after a decision."""


ANSWERS = {
    "behov": {"behov": ["psykisk-ohalsa", "vardagsstod"], "beskrivning": DESCRIPTION},
    "for-vem": {"for_whom": "mig"},
    "identitet": {"namn": NAME, "personnummer": PNR},
    "barn": {"barn_namn": "Lo Ansökansdotter", "barn_personnummer": CHILD_PNR},
    "kontakt": {"telefon": "070-123 45 67", "epost": "alva@example.se"},
    "tolk": {"tolk": "ja", "tolk_sprak": "arabiska"},
    "utforare": {"utforare": "stodteam-psykiatri"},
    "samtycke": {"samtycke": "on"},
}


def begin(client) -> None:
    response = client.post(START)
    assert response.status_code == 302
    assert response["Location"] == step_url("behov")


def answer(client, step: str, data: dict, *, changing: bool = False):
    data = dict(data)
    if changing:
        data["fran"] = "kontrollera"
    return client.post(step_url(step), data)


def fill(client, **changes) -> list[str]:
    """Start and answer every question (ANSWERS, with `changes` per step), following the
    redirects; returns the steps visited. Stops at the check page."""
    begin(client)
    answers = {**ANSWERS, **changes}
    visited = []
    url = step_url("behov")
    while url != CHECK:
        step = url.strip("/").split("/")[-1]
        visited.append(step)
        response = answer(client, step, answers[step])
        assert response.status_code == 302, (step, response.content.decode()[:2000])
        url = response["Location"]
    return visited


def submit(client, **data):
    return client.post(CHECK, data)


def draft_of(client) -> drafts.Draft | None:
    token = client.session.get(drafts.DRAFT_KEY)
    if not token:
        return None
    return drafts.Draft(**{k: v for k, v in json.loads(crypto.decrypt(token)).items() if k != "v"})


def errors(response) -> str:
    """The error summary's text."""
    html = response.content.decode()
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(0)) if match else ""


def application_fields(**changes) -> dict:
    fields = {
        "behov": ["psykisk-ohalsa"],
        "beskrivning": "Behöver stöd.",
        "for_whom": "mig",
        "namn": "Kim Testsson",
        "personnummer": PNR,
        "personnummer_hash": crypto.keyed_hash("personnummer", PNR),
        "telefon": "+46701234567",
        "consent_at": timezone.now(),
    }
    fields.update(changes)
    return fields


def make_application(**changes) -> Application:
    return services.submit(Application, application_fields(**changes)).submission


# --- The start page -----------------------------------------------------------------------------


def test_the_start_page_explains_applying_and_keeps_no_session(client, catalogue):
    response = client.get(START)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "handläggare på socialkontoret kontaktar dig",
        "beslutet skriftligt",
        "inom tre veckor",
        "inte logga in med e-legitimation",
        "Inget sparas förrän du skickar ansökan",
    ):
        assert text in html
    assert "sessionid" not in response.cookies
    assert "no-store" in response["Cache-Control"]
    assert not Session.objects.exists()


def test_a_step_without_a_draft_leads_to_the_start_with_a_plain_message(client, catalogue):
    for path in (step_url("kontakt"), CHECK):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == START + "?utgangen=1"
    page = client.get(START + "?utgangen=1")
    assert "Dina svar finns inte kvar" in page.content.decode()
    assert client.post(CHECK).status_code == 302
    assert client.get(step_url("finns-inte")).status_code == 404


def test_a_later_question_cannot_be_reached_before_the_earlier_ones(client, catalogue):
    begin(client)
    response = client.get(step_url("kontakt"))
    assert response["Location"] == step_url("behov")
    assert client.get(CHECK)["Location"] == step_url("behov") + "?fran=kontrollera"
    # The child's page is no question for someone applying for themselves.
    answer(client, "behov", ANSWERS["behov"])
    answer(client, "for-vem", {"for_whom": "mig"})
    assert client.get(step_url("barn"))["Location"] == step_url("identitet")


# --- The whole flow -----------------------------------------------------------------------------


def test_the_whole_application_is_stored_only_when_sent(
    client, kundval, mailoutbox, django_capture_on_commit_callbacks
):
    visited = fill(client, kontakt={**ANSWERS["kontakt"], "kvitto": "on"})
    assert visited == ["behov", "for-vem", "identitet", "kontakt", "tolk", "utforare", "samtycke"]
    assert not Application.objects.exists()  # nothing stored before sending

    check = client.get(CHECK)
    assert check.status_code == 200
    html = check.content.decode()
    for shown in (NAME, PNR, "070-123 45 67", "alva@example.se", "arabiska", "Psykisk ohälsa"):
        assert shown in html, shown
    assert "Stödteam Psykiatri".lower() in html.lower()
    assert "no-store" in check["Cache-Control"]

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 302 and response["Location"] == DONE
    application = Application.objects.get()
    assert application.namn == NAME
    assert application.personnummer == PNR
    assert application.personnummer_hash == crypto.keyed_hash("personnummer", PNR)
    assert application.identity_method == "typed" and application.identity_verified is False
    assert application.behov == ["psykisk-ohalsa", "vardagsstod"]
    assert application.beskrivning == DESCRIPTION
    assert application.for_whom == "mig" and application.barn_namn == ""
    assert application.telefon == "+46701234567" and application.epost == "alva@example.se"
    assert application.tolk and application.tolk_sprak == "arabiska"
    assert application.preferred_provider.slug == "stodteam-psykiatri"
    assert application.wants_receipt
    assert application.consent_at is not None
    assert application.status == Application.Status.RECEIVED
    assert application.events.count() == 1

    assert draft_of(client) is None  # the draft is gone after sending
    done = client.get(DONE)
    assert f'data-referens="{application.reference}"' in done.content.decode()
    assert "inom tre veckor" in done.content.decode()
    assert "redan tagit emot" not in done.content.decode()
    assert "no-store" in done["Cache-Control"]
    # The resident's receipt names the reference only; the team's mail nothing personal.
    bodies = " ".join(message.body + message.subject for message in mailoutbox)
    assert application.reference in bodies
    for secret in (NAME, PNR, DESCRIPTION, "arabiska"):
        assert secret not in bodies


def test_a_guardian_applies_for_a_child(client, kundval):
    visited = fill(client, **{"for-vem": {"for_whom": "barn"}, "tolk": {"tolk": "nej"}})
    assert visited[:5] == ["behov", "for-vem", "identitet", "barn", "kontakt"]
    submit(client)
    application = Application.objects.get()
    assert application.for_whom == "barn"
    assert application.barn_namn == "Lo Ansökansdotter"
    assert application.barn_personnummer == CHILD_PNR
    assert not application.tolk and application.tolk_sprak == ""
    assert "ditt barn" in client.get(DONE).content.decode()


def test_without_kundval_the_provider_question_is_skipped(client, catalogue):
    behov = {"behov": ["ekonomi"], "beskrivning": ""}  # only the social office itself
    visited = fill(client, behov=behov)
    assert "utforare" not in visited
    submit(client)
    assert Application.objects.get().preferred_provider is None


def test_the_english_flow_works_under_en(client, kundval):
    page = client.get("/en/ansok/")
    assert page.status_code == 200
    assert 'lang="en"' in page.content.decode()
    response = client.post("/en/ansok/")
    assert response["Location"] == "/en/ansok/behov/"
    response = client.post("/en/ansok/behov/", ANSWERS["behov"])
    assert response["Location"] == "/en/ansok/for-vem/"


def test_every_page_is_kept_out_of_caches_and_post_values_out_of_error_reports(client, kundval):
    begin(client)
    response = answer(client, "behov", {"behov": [], "beskrivning": ""})
    assert "no-store" in response["Cache-Control"]
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


# --- Validation, step by step -------------------------------------------------------------------


def at_step(client, step: str, **changes) -> None:
    """Answer every question before `step`."""
    begin(client)
    answers = {**ANSWERS, **changes}
    url = step_url("behov")
    while url != step_url(step):
        name = url.strip("/").split("/")[-1]
        response = answer(client, name, answers[name])
        assert response.status_code == 302, (name, errors(response))
        url = response["Location"]


def assert_refused(response, message: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<title>\s*Fel:", html), "the title starts with Fel:"
    assert message in errors(response), errors(response)


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
BAD_ANSWERS = [
    ("behov", {}, "Välj minst ett alternativ, eller berätta med egna ord"),
    ("behov", {"behov": ["finns-inte"]}, "Välj bland alternativen i listan."),
    ("behov", {"beskrivning": "x" * 3001}, "Korta texten till högst 3000 tecken (nu 3001)"),
    ("for-vem", {}, "Välj om ansökan gäller dig själv eller ditt barn."),
    ("for-vem", {"for_whom": "granne"}, "Välj om ansökan gäller dig själv eller ditt barn."),
    ("identitet", {"personnummer": PNR}, "Skriv ditt namn."),
    ("identitet", {"namn": "x" * 121, "personnummer": PNR}, "högst 120 tecken"),
    ("identitet", {"namn": NAME}, "Skriv ditt personnummer eller samordningsnummer."),
    ("identitet", {"namn": NAME, "personnummer": "abc"}, "10 eller 12 siffror"),
    ("identitet", {"namn": NAME, "personnummer": "1" * 25}, "högst 20 tecken"),
    ("identitet", {"namn": NAME, "personnummer": PNR[:-1] + "0"}, "Personnumret stämmer inte"),
    (
        "identitet",
        {"namn": NAME, "personnummer": luhn("19851309", "980")},
        "Personnumret stämmer inte",
    ),
    (
        "identitet",
        {"namn": NAME, "personnummer": luhn("20990101", "980")},
        "ett födelsedatum i framtiden",
    ),
    ("kontakt", {}, "Skriv ett telefonnummer eller en e-postadress"),
    ("kontakt", {"telefon": "hej hej"}, PHONE_LETTERS),
    ("kontakt", {"telefon": "+1 202 555 0143"}, PHONE_FOREIGN),
    ("kontakt", {"telefon": "0939-12 34 56"}, PHONE_PREMIUM),
    ("kontakt", {"telefon": "112"}, PHONE_AREA_CODE),
    ("kontakt", {"telefon": "070-12"}, PHONE_AREA_CODE),
    ("kontakt", {"telefon": "0" * 31}, "Skriv telefonnumret med högst 30 tecken."),
    ("kontakt", {"epost": "alva@"}, "Skriv e-postadressen som namn@exempel.se."),
    ("kontakt", {"epost": "a" * 250 + "@exempel.se"}, "Skriv e-postadressen med högst 254 tecken."),
    ("kontakt", {"telefon": "070-123 45 67", "kvitto": "on"}, "Skriv din e-postadress om du"),
    ("tolk", {}, "Svara ja eller nej: behöver du tolk?"),
    ("tolk", {"tolk": "kanske"}, "Svara ja eller nej: behöver du tolk?"),
    ("tolk", {"tolk": "ja"}, "Skriv vilket språk tolken ska tala."),
    ("tolk", {"tolk": "ja", "tolk_sprak": "123"}, "Skriv språkets namn med bokstäver"),
    ("tolk", {"tolk": "ja", "tolk_sprak": "<script>"}, "Skriv språkets namn med bokstäver"),
    ("tolk", {"tolk": "ja", "tolk_sprak": "a" * 61}, "högst 60 tecken"),
    ("utforare", {}, "Välj en utförare, eller ”Ingen särskild önskan”."),
    ("utforare", {"utforare": "socialkontoret"}, "Välj en utförare, eller ”Ingen särskild"),
    ("samtycke", {}, "Kryssa i rutan om du vill skicka ansökan här."),
]


@pytest.mark.parametrize(("step", "data", "message"), BAD_ANSWERS)
def test_each_question_refuses_bad_answers_with_a_plain_message(
    client, kundval, step, data, message
):
    at_step(client, step)
    response = answer(client, step, data)
    assert_refused(response, message)
    assert draft_of(client).step(step) is None  # nothing refused is kept


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Skriv barnets namn."),
        ({"barn_namn": "Lo", "barn_personnummer": PNR}, "inte ditt eget"),
        (
            {"barn_namn": "Lo", "barn_personnummer": luhn("19900101", "234")},
            "har barnet fyllt 18 år",
        ),
        ({"barn_namn": "Lo", "barn_personnummer": "2015-01-01"}, "10 eller 12 siffror"),
    ],
)
def test_the_childs_details_are_checked(client, kundval, data, message):
    at_step(client, "barn", **{"for-vem": {"for_whom": "barn"}})
    assert_refused(answer(client, "barn", data), message)


@pytest.mark.parametrize(
    "typed",
    [
        PNR,  # with century and separator
        PNR.replace("-", ""),  # with century, no separator
        PNR[2:],  # without century, with separator
        PNR[2:].replace("-", ""),  # without century or separator
        f" {PNR[:8]} {PNR[9:]} ",  # spaces around and between
    ],
)
def test_a_personnummer_is_accepted_as_people_type_it_and_kept_canonical(client, kundval, typed):
    at_step(client, "identitet")
    response = answer(client, "identitet", {"namn": NAME, "personnummer": typed})
    assert response.status_code == 302
    assert draft_of(client).step("identitet")["personnummer"] == PNR


def test_a_samordningsnummer_has_the_day_plus_60(client, kundval):
    number = luhn("19850769", "980")  # born the 9th
    at_step(client, "identitet")
    assert answer(client, "identitet", {"namn": NAME, "personnummer": number}).status_code == 302
    impossible = luhn("19850799", "980")  # day 39 + 60
    at_step(client, "identitet")
    assert_refused(
        answer(client, "identitet", {"namn": NAME, "personnummer": impossible}),
        "Personnumret stämmer inte",
    )


def test_skatteverkets_test_numbers_are_refused_under_production_settings(client, kundval):
    tolvan = {"namn": "Tolvan Tolvansson", "personnummer": "19121212-1212"}
    with override_settings(INTAKE_REFUSE_TEST_NUMBERS=True):
        at_step(client, "identitet")
        assert_refused(answer(client, "identitet", tolvan), "testpersonnummer från Skatteverket")
    with override_settings(INTAKE_REFUSE_TEST_NUMBERS=False):
        at_step(client, "identitet")
        assert answer(client, "identitet", tolvan).status_code == 302
    # A test number kept in a draft is refused again on the check page under production.
    with override_settings(INTAKE_REFUSE_TEST_NUMBERS=False):
        fill(client, identitet=tolvan)
    with override_settings(INTAKE_REFUSE_TEST_NUMBERS=True):
        assert client.get(CHECK)["Location"] == step_url("identitet") + "?fran=kontrollera"
        assert submit(client).status_code == 302
    assert not Application.objects.exists()


def test_script_tags_are_just_text_for_the_resident_and_the_handlaggare(client, kundval):
    script = '<script>alert("x")</script>'
    fill(
        client,
        behov={"behov": [], "beskrivning": f"Hjälp {script}"},
        identitet={"namn": f"Alva {script}", "personnummer": PNR},
    )
    check = client.get(CHECK).content.decode()
    assert script not in check
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in check
    submit(client)
    application = Application.objects.get()
    assert application.beskrivning == f"Hjälp {script}"  # stored as typed
    staff = sign_in(Client(), make_staff(Role.HANDLAGGARE))
    detail = staff.get(f"{QUEUE}{application.pk}/").content.decode()
    assert script not in detail
    assert "&lt;script&gt;" in detail


def test_answering_no_to_the_interpreter_forgets_a_language(client, kundval):
    at_step(client, "tolk")
    answer(client, "tolk", {"tolk": "nej", "tolk_sprak": "arabiska"})
    assert draft_of(client).step("tolk") == {"tolk": "nej", "tolk_sprak": ""}


# --- The check page -----------------------------------------------------------------------------


def test_each_answer_has_a_change_link_that_returns_to_the_check_page(client, kundval):
    fill(client)
    html = client.get(CHECK).content.decode()
    links = re.findall(r'href="(/ansok/[a-z-]+/\?fran=kontrollera)"', html)
    assert {link.split("/")[2] for link in links} == {
        "behov",
        "for-vem",
        "identitet",
        "kontakt",
        "tolk",
        "utforare",
    }
    page = client.get(step_url("kontakt") + "?fran=kontrollera")
    page_html = page.content.decode()
    assert 'name="fran" value="kontrollera"' in page_html
    assert 'value="alva@example.se"' in page_html  # the earlier answer is filled in
    assert f'href="{CHECK}"' in page_html  # back leads to the check page
    response = answer(client, "kontakt", {"telefon": "013-20 69 68"}, changing=True)
    assert response["Location"] == CHECK
    assert "013-20 69 68" in client.get(CHECK).content.decode()


def test_a_change_that_opens_a_new_question_asks_it_before_returning(client, kundval):
    fill(client)
    response = answer(client, "for-vem", {"for_whom": "barn"}, changing=True)
    assert response["Location"] == step_url("barn") + "?fran=kontrollera"
    response = answer(client, "barn", ANSWERS["barn"], changing=True)
    assert response["Location"] == CHECK
    assert "Lo Ansökansdotter" in client.get(CHECK).content.decode()
    # And back to "mig": the child's details are forgotten.
    answer(client, "for-vem", {"for_whom": "mig"}, changing=True)
    assert draft_of(client).step("barn") is None
    assert "Lo Ansökansdotter" not in client.get(CHECK).content.decode()


# --- The draft ----------------------------------------------------------------------------------


def test_the_draft_is_never_in_plaintext_in_the_session_table(client, kundval):
    fill(client, **{"for-vem": {"for_whom": "barn"}})
    secrets = [NAME, PNR, PNR.replace("-", ""), DESCRIPTION, "Lo Ansökansdotter", CHILD_PNR]
    secrets += ["alva@example.se", "+46701234567", "arabiska"]
    rows = list(Session.objects.all())
    assert rows
    for row in rows:
        decoded = json.dumps(row.get_decoded(), ensure_ascii=False)
        for secret in secrets:
            assert secret not in row.session_data
            assert secret not in decoded
    assert row.get_decoded()[drafts.DRAFT_KEY].startswith("gAAAAA")  # a Fernet token
    # ... which the intake key does read back (so the test above means something).
    assert draft_of(client).step("identitet")["namn"] == NAME
    # After sending, the session keeps the receipt (a reference), nothing personal.
    submit(client)
    for row in Session.objects.all():
        decoded = row.get_decoded()
        assert drafts.DRAFT_KEY not in decoded
        for secret in secrets:
            assert secret not in json.dumps(decoded, ensure_ascii=False)
    assert client.session[drafts.RECEIPT_KEY]["reference"] == Application.objects.get().reference


def test_the_draft_expires_with_the_session(client, kundval):
    at_step(client, "kontakt")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        response = client.get(step_url("kontakt"))
        assert response["Location"] == START + "?utgangen=1"
        assert "Dina svar finns inte kvar" in client.get(response["Location"]).content.decode()


def test_a_draft_is_kept_while_the_person_is_active(client, kundval):
    at_step(client, "kontakt")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=25)):
        assert client.get(step_url("kontakt")).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=50)):
        assert client.get(step_url("kontakt")).status_code == 200


def test_a_draft_no_key_can_read_is_treated_as_gone(client, kundval):
    at_step(client, "kontakt")
    session = client.session
    session[drafts.DRAFT_KEY] = "not-a-token"
    session.save()
    assert client.get(step_url("kontakt"))["Location"] == START + "?utgangen=1"


def test_the_start_page_offers_to_continue_a_draft_or_start_again(client, kundval):
    at_step(client, "kontakt")
    html = client.get(START).content.decode()
    assert f'href="{step_url("kontakt")}" data-resume' in html
    begin(client)  # "Börja om": a new, empty draft
    assert draft_of(client).answers == {}


# --- Sending ------------------------------------------------------------------------------------


def test_the_same_content_sent_twice_is_one_application_with_the_same_reference(client, kundval):
    fill(client)
    submit(client)
    first = Application.objects.get().reference
    # A double click or a reloaded POST: the draft is gone, the receipt is shown again.
    assert submit(client)["Location"] == DONE
    # The same answers once more, from the start: the same application.
    fill(client)
    assert submit(client)["Location"] == DONE
    assert Application.objects.count() == 1
    done = client.get(DONE).content.decode()
    assert f'data-referens="{first}"' in done
    assert "Vi hade redan tagit emot den här ansökan" in done


@contextmanager
def inserts_fail(table: str):
    """A real database failure: a trigger that aborts every insert into `table`."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_insert() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'test: inserts refused'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_insert()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'test: inserts refused'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER test_refuse ON {table}")
                cursor.execute("DROP FUNCTION test_refuse_insert()")
            else:
                cursor.execute("DROP TRIGGER test_refuse")


@pytest.mark.parametrize("table", ["intake_application", "intake_applicationevent"])
def test_a_database_failure_while_sending_stores_nothing_and_keeps_the_answers(
    client, kundval, table
):
    fill(client)
    with inserts_fail(table):
        response = submit(client)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Det gick inte att skicka just nu. Inget har sparats." in html
    assert NAME in html and PNR in html  # the answers, shown again
    assert html.count("<title>") == 1 and "<title>Fel:" in html.replace("\n", "")
    assert not Application.objects.exists()
    assert not ApplicationEvent.objects.exists()
    assert draft_of(client).step("identitet")["namn"] == NAME  # the draft is kept
    # Once the database works again, the same answers go through.
    assert submit(client)["Location"] == DONE
    assert Application.objects.count() == 1


@override_settings(INTAKE_RATE_LIMIT=1)
def test_sending_is_rate_limited_with_a_clear_message_and_the_answers_kept(client, kundval):
    fill(client)
    submit(client)
    fill(client, tolk={"tolk": "nej"})
    response = submit(client)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Du har skickat många formulär på kort tid" in html
    assert NAME in html
    assert Application.objects.count() == 1
    assert draft_of(client) is not None


def test_the_honeypot_stops_a_bot_and_stores_nothing(client, kundval):
    fill(client)
    html = client.get(CHECK).content.decode()
    assert 'name="webbplats"' in html and 'tabindex="-1"' in html
    response = submit(client, webbplats="https://spam.example")
    assert response.status_code == 200
    assert "Lämna fältet" in errors(response)
    assert not Application.objects.exists()


# --- The handläggare's queue --------------------------------------------------------------------


def test_the_queue_is_for_handlaggare_only(client):
    assert client.get(QUEUE)["Location"].startswith("/personal/logga-in/")
    sign_in(client, make_staff(Role.UTFORARE))
    assert client.get(QUEUE).status_code == 403
    application = make_application()
    assert client.get(f"{QUEUE}{application.pk}/").status_code == 403
    assert client.post(f"{QUEUE}{application.pk}/", {"atgard": "utred"}).status_code == 403
    assert not AccessRecord.objects.filter(action=AccessRecord.Action.OPENED).exists()


def test_the_queue_shows_waiting_time_status_and_handlaggare_with_filters(client):
    me = make_staff(Role.HANDLAGGARE, first_name="Hanna", last_name="Handläggare")
    other = make_staff(Role.HANDLAGGARE, first_name="Olle", last_name="Annan")
    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        old = make_application(namn="Första")
    mine = make_application(namn="Andra")
    services.application_assign(mine, by=me, to_user=me)
    theirs = make_application(namn="Tredje")
    services.application_assign(theirs, by=other, to_user=other)
    sign_in(client, me)

    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    refs = re.findall(r'data-application="([^"]+)"', html)
    assert refs == [old.reference, mine.reference, theirs.reference]  # longest waiting first
    assert "3\xa0dagar" in html
    assert "Olle Annan" in html and ">Du<" in html
    assert "Första" not in html  # names stay on the application's own page
    assert "no-store" in response["Cache-Control"]

    html = client.get(QUEUE, {"mina": "on"}).content.decode()
    assert re.findall(r'data-application="([^"]+)"', html) == [mine.reference]
    html = client.get(QUEUE, {"status": "mottagen"}).content.decode()
    assert re.findall(r'data-application="([^"]+)"', html) == [old.reference]
    bad = client.get(QUEUE, {"status": "påhittad"})
    assert "Välj en status i listan." in bad.content.decode()
    assert "<title>Fel:" in bad.content.decode().replace("\n", "")


def test_closed_applications_leave_the_default_queue(client):
    user = make_staff(Role.HANDLAGGARE)
    closed = make_application()
    closed = services.application_assign(closed, by=user, to_user=user)
    closed = services.application_investigate(closed, by=user)
    closed = services.application_decide(closed, by=user, decision="avslag")
    services.application_close(closed, by=user)
    sign_in(client, user)
    assert closed.reference not in client.get(QUEUE).content.decode()
    assert closed.reference in client.get(QUEUE, {"status": "alla"}).content.decode()
    assert closed.reference in client.get(QUEUE, {"status": "avslutad"}).content.decode()


def test_granted_decisions_not_carried_out_in_three_months_stand_out_in_words(client):
    user = make_staff(Role.HANDLAGGARE)
    start = timezone.now()
    with time_machine.travel(start):
        decided = {}
        for decision in ("beviljad", "delvis", "avslag"):
            application = make_application(namn=decision)
            application = services.application_assign(application, by=user, to_user=user)
            application = services.application_investigate(application, by=user)
            decided[decision] = services.application_decide(application, by=user, decision=decision)
        # The services read the decision from the object they are given: pass the decided one.
        services.application_carry_out(decided["delvis"], by=user)
        granted = decided["beviljad"]

    with time_machine.travel(start + dt.timedelta(days=90)):
        sign_in(client, user)  # a new day, a new sign-in
        response = client.get(QUEUE)
        assert response.status_code == 200
        html = response.content.decode()
        assert granted.reference in html and "Rapporteras till IVO" not in html
    with time_machine.travel(start + dt.timedelta(days=92)):
        sign_in(client, user)
        html = client.get(QUEUE).content.decode()
        flagged = re.findall(r'data-application="([^"]+)" class="row-ivo" data-ivo', html)
        assert flagged == [granted.reference]
        assert html.count("Rapporteras till IVO") == 1
        assert "1 beviljat beslut har inte verkställts inom tre månader" in html
        detail = client.get(f"{QUEUE}{granted.pk}/").content.decode()
        assert "Rapporteras till IVO" in detail


def test_the_application_page_shows_everything_and_its_history(client, kundval):
    provider = make_provider(name="Valbar utförare")
    application = make_application(
        for_whom="barn",
        barn_namn="Lo",
        barn_personnummer=CHILD_PNR,
        epost="kim@example.se",
        tolk=True,
        tolk_sprak="somaliska",
        preferred_provider=provider,
    )
    sign_in(client, make_staff(Role.HANDLAGGARE))
    response = client.get(f"{QUEUE}{application.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for shown in (
        "Kim Testsson",
        PNR,
        CHILD_PNR,
        "070-123 45 67",
        "kim@example.se",
        "somaliska",
        "Valbar utförare",
        "Psykisk ohälsa",
        "Behöver stöd.",
        "Inte styrkt",
    ):
        assert shown in html, shown
    assert 'data-event="mottagen"' in html
    assert "no-store" in response["Cache-Control"]
    assert client.get(f"{QUEUE}999999/").status_code == 404


# --- Transitions --------------------------------------------------------------------------------


def post_action(client, application, action: str, **data):
    return client.post(f"{QUEUE}{application.pk}/", {"atgard": action, **data})


def test_the_whole_handling_through_the_forms(client):
    me = make_staff(Role.HANDLAGGARE)
    colleague = make_staff(Role.HANDLAGGARE, first_name="Kollega")
    application = make_application()
    sign_in(client, me)
    url = f"{QUEUE}{application.pk}/"

    page = client.get(url).content.decode()
    assert f'<option value="{me.pk}" selected>' in page  # assigning to oneself is the default
    assert (
        post_action(client, application, "tilldela", **{"tilldela-handlaggare": me.pk})["Location"]
        == url
    )
    application.refresh_from_db()
    assert application.status == "tilldelad" and application.assigned_to == me
    post_action(client, application, "tilldela", **{"tilldela-handlaggare": colleague.pk})
    application.refresh_from_db()
    assert application.assigned_to == colleague

    post_action(client, application, "utred")
    response = post_action(client, application, "besluta", **{"beslut-anteckning": "Inget"})
    assert response.status_code == 400
    assert "Välj beslut" in response.content.decode()
    post_action(
        client,
        application,
        "besluta",
        **{"beslut-beslut": "beviljad", "beslut-anteckning": "Boendestöd 4 h/v."},
    )
    application.refresh_from_db()
    assert application.status == "beslutad" and application.decision == "beviljad"
    assert application.decided_at is not None
    post_action(client, application, "verkstall")
    post_action(client, application, "avsluta", **{"avsluta-anteckning": "Klart."})
    application.refresh_from_db()
    assert application.status == "avslutad" and application.finished_at is not None
    events = list(application.events.values_list("to_status", "by"))
    assert [status for status, _by in events] == [
        "mottagen",
        "tilldelad",
        "tilldelad",
        "utreds",
        "beslutad",
        "verkstalld",
        "avslutad",
    ]
    assert all(by == me.pk for _status, by in events[1:])
    html = client.get(url).content.decode()
    assert "Boendestöd 4 h/v." in html and "Ärendet är avslutat." in html


def test_a_transition_from_the_wrong_status_is_refused_with_a_plain_message(client):
    me = make_staff(Role.HANDLAGGARE)
    application = make_application()
    sign_in(client, me)
    response = post_action(client, application, "utred")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Det gick inte: ansökan har status ”Mottagen”" in page
    application.refresh_from_db()
    assert application.status == "mottagen"

    # A refusal cannot be carried out, only closed.
    application = services.application_assign(application, by=me, to_user=me)
    application = services.application_investigate(application, by=me)
    services.application_decide(application, by=me, decision="avslag")
    post_action(client, application, "verkstall")
    application.refresh_from_db()
    assert application.status == "beslutad"
    post_action(client, application, "avsluta")
    application.refresh_from_db()
    assert application.status == "avslutad"
    # Unknown actions and people who are not handläggare change nothing.
    post_action(client, application, "radera")
    outsider = make_staff(Role.UTFORARE)
    other = make_application(namn="Annan")
    response = post_action(client, other, "tilldela", **{"tilldela-handlaggare": outsider.pk})
    assert response.status_code == 400
    assert "Välj en handläggare i listan." in response.content.decode()
    other.refresh_from_db()
    assert other.status == "mottagen"


# --- The audit trail ----------------------------------------------------------------------------


def test_every_look_at_applications_is_recorded(client):
    me = make_staff(Role.HANDLAGGARE)
    first, second = make_application(namn="A"), make_application(namn="B")
    sign_in(client, me)
    client.get(QUEUE)
    listed = AccessRecord.objects.get(action=AccessRecord.Action.LISTED)
    assert listed.kind == Kind.APPLICATION and listed.user == me
    assert sorted(listed.references) == sorted([first.reference, second.reference])
    client.get(f"{QUEUE}{first.pk}/")
    opened = AccessRecord.objects.get(action=AccessRecord.Action.OPENED)
    assert opened.references == [first.reference] and opened.username == me.username
    post_action(client, first, "tilldela", **{"tilldela-handlaggare": me.pk})
    changed = AccessRecord.objects.get(action=AccessRecord.Action.CHANGED)
    assert changed.references == [first.reference]
    # An empty list records nothing (no references to record).
    client.get(QUEUE, {"status": "avslutad"})
    assert AccessRecord.objects.filter(action=AccessRecord.Action.LISTED).count() == 1
