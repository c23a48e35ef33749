"""The call log: recording a contact (DOMAIN.md's fields), no personal data, one-click calls
without content, the list, same-day edits with history, and the retention of notes."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from frontdesk import selectors, services
from frontdesk.models import CallLogEntry
from frontdesk.statistics import Period, no_content_calls
from portal.permissions import Role
from tests.conftest import make_offering, make_staff, sign_in

pytestmark = pytest.mark.django_db

NEW = "/personal/mottagning/samtal/ny/"
LIST = "/personal/mottagning/samtal/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def valid_post(**changes) -> dict:
    data = {
        "tidpunkt": "2026-03-14T09:30",
        "kanal": "telefon",
        "vem": "narstaende",
        "aldersgrupp": "25-64",
        "behov": ["missbruk", "familj"],
        "utfall": ["rad", "hanvisad"],
        "omrade": "ryd",
        "minuter": "12",
        "anteckning": "Orolig för partnerns drickande, 4–5 samtal bokade.",
        "serie": "K7-23",
        "engang": str(uuid.uuid4()),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def entry(author, **fields) -> CallLogEntry:
    fields.setdefault("utfall", ["rad"])
    return CallLogEntry.objects.create(author=author, **fields)


@pytest.fixture
def navigator(client):
    user = make_staff(Role.MOTTAGNING)
    sign_in(client, user)
    return user


@time_machine.travel(dt.datetime(2026, 3, 14, 12, 0, tzinfo=STOCKHOLM), tick=False)
def test_a_contact_with_every_field_is_saved_and_answered_with_a_redirect(client, navigator):
    first, second = make_offering(slug="al-anon"), make_offering(slug="familjeteamet")
    response = client.post(NEW, valid_post(insatser=[first.slug, second.slug]))

    assert response.status_code == 302
    assert response["Location"] == LIST
    saved = CallLogEntry.objects.get()
    assert timezone.localtime(saved.tidpunkt) == dt.datetime(2026, 3, 14, 9, 30, tzinfo=STOCKHOLM)
    assert (saved.kanal, saved.vem, saved.aldersgrupp) == ("telefon", "narstaende", "25-64")
    assert saved.behov == ["missbruk", "familj"]
    assert saved.utfall == ["rad", "hanvisad"]
    assert {o.slug for o in saved.insatser.all()} == {"al-anon", "familjeteamet"}
    assert (saved.omrade, saved.minuter, saved.serie) == ("ryd", 12, "K7-23")
    assert saved.anteckning.startswith("Orolig")
    assert saved.author == navigator
    assert saved.utan_innehall == ""
    page = client.get(LIST)
    assert "Samtalet är sparat i loggen." in page.content.decode()


def test_the_saved_entry_becomes_a_statistics_row_without_its_note(client, navigator):
    offering = make_offering(slug="al-anon")
    client.post(NEW, valid_post(tidpunkt=None, insatser=[offering.slug]) | {"tidpunkt": _now()})
    (row,) = selectors.call_rows(CallLogEntry.objects.all())
    assert row.behov == ("missbruk", "familj")
    assert row.insatser[0].offering == "al-anon"
    assert row.insatser[0].provider == offering.provider.slug
    assert row.serie == "K7-23"
    assert not hasattr(row, "anteckning")


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_missing_answers_get_plain_swedish_errors_and_fel_in_the_title(client, navigator):
    response = client.post(NEW, {"tidpunkt": "", "minuter": "en kvart"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>\s*Fel:", html)
    assert 'class="error-summary"' in html
    for message in [
        "Skriv när kontakten var, till exempel 2026-03-14 09:30.",
        "Välj hur kontakten kom: telefon, besök, e-post eller chatt.",
        "Välj vem som hörde av sig, eller Okänt.",
        "Välj en åldersgrupp, eller Okänd ålder.",
        "Välj hur kontakten slutade, minst ett alternativ.",
        "Skriv antalet minuter med siffror, till exempel 15.",
    ]:
        assert message in html
    assert not CallLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("Ringde från 070-123 45 67", "telefonnummer"),
        ("Personnummer 19811218-9876 sade hon", "personnummer"),
        ("Skriv till anna.svensson@example.se", "e-postadress"),
        ("Nås på +46 70 123 45 67", "telefonnummer"),
    ],
)
def test_a_note_with_personal_data_is_refused_with_the_guards_message(
    client, navigator, note, kind
):
    response = client.post(NEW, valid_post(anteckning=note))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>\s*Fel:", html)
    assert kind in html
    assert not CallLogEntry.objects.exists()


def test_a_note_longer_than_500_characters_is_refused(client, navigator):
    response = client.post(NEW, valid_post(anteckning="a" * 501))
    assert "Korta anteckningen till högst 500 tecken." in response.content.decode()
    assert not CallLogEntry.objects.exists()


@pytest.mark.parametrize("code", ["Anna", "19811218-9876", "0701234567", "K"])
def test_a_series_code_that_looks_like_a_name_or_a_number_is_refused(client, navigator, code):
    response = client.post(NEW, valid_post(serie=code))
    assert "Skriv en kod för samtalsserien" in response.content.decode()
    assert not CallLogEntry.objects.exists()


def test_a_time_in_the_future_is_refused(client, navigator):
    later = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(NEW, valid_post(tidpunkt=later))
    assert "Tidpunkten ligger i framtiden." in response.content.decode()


def test_an_unknown_offering_is_refused_with_what_to_do(client, navigator):
    response = client.post(NEW, valid_post(insatser=["finns-inte"]))
    assert "Insatsen finns-inte finns inte i katalogen." in response.content.decode()
    assert not CallLogEntry.objects.exists()


@time_machine.travel(dt.datetime(2026, 3, 14, 10, 17, tzinfo=STOCKHOLM), tick=False)
def test_the_console_pre_fills_the_form_and_time_defaults_to_now(client, navigator):
    make_offering(slug="al-anon", name="Al-Anon")
    response = client.get(
        NEW,
        {
            "behov": ["missbruk", "inget-behov"],
            "insatser": ["al-anon", "finns-inte"],
            "vem": "narstaende",
            "alder": "16",
            "omrade": "ryd",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="2026-03-14T10:17"' in html
    assert re.search(r'value="missbruk"[^>]*checked', html)
    assert not re.search(r'value="familj"[^>]*checked', html)
    assert re.search(r'value="al-anon"[^>]*checked', html)
    assert not re.search(r'value="finns-inte"', html)
    assert re.search(r'value="narstaende"[^>]*checked', html)
    assert re.search(r'value="13-17"[^>]*checked', html)
    assert re.search(r'value="ryd"[^>]*selected', html)
    assert re.search(r'name="engang" value="[0-9a-f-]{36}"', html)


def test_bad_pre_fill_parameters_are_dropped_not_an_error(client, navigator):
    response = client.get(NEW, {"vem": "<script>", "alder": "-3", "omrade": "mars", "kanal": "x"})
    assert response.status_code == 200
    assert "Fel:" not in response.content.decode().split("</title>")[0]


def test_the_same_form_sent_twice_is_stored_once(client, navigator):
    data = valid_post()
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert CallLogEntry.objects.count() == 1
    page = client.get(LIST).content.decode()
    assert "Samtalet var redan sparat." in page


def test_two_forms_are_two_contacts(client, navigator):
    client.post(NEW, valid_post())
    client.post(NEW, valid_post())
    assert CallLogEntry.objects.count() == 2


@pytest.mark.parametrize("kind", ["fel-nummer", "tyst", "lade-pa", "krankande", "tack"])
def test_one_click_records_a_call_without_content(client, navigator, kind):
    for _ in range(5):  # five, so the statistics show the count (fewer are "<5")
        response = client.post(NEW, {"utan_innehall": kind})
        assert response.status_code == 302
    saved = CallLogEntry.objects.first()
    assert saved.utan_innehall == kind
    assert saved.author == navigator
    rows = selectors.call_rows(CallLogEntry.objects.all())
    today = timezone.localdate()
    table = no_content_calls(rows, Period(today, today))
    assert table.total.value == 5
    assert {cell.kategori: cell.value for cell in table.cells}[kind] == 5


def test_the_list_offers_a_button_for_each_call_without_content(client, navigator):
    html = client.get(LIST).content.decode()
    for kind in ["fel-nummer", "tyst", "lade-pa", "krankande", "tack"]:
        assert f'name="utan_innehall" value="{kind}"' in html


def test_an_unknown_one_click_kind_stores_nothing(client, navigator):
    response = client.post(NEW, {"utan_innehall": "hemligt"})
    assert response.status_code == 302
    assert not CallLogEntry.objects.exists()


def test_the_list_shows_everyones_entries_newest_first(client, navigator):
    colleague = make_staff(Role.MOTTAGNING)
    base = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 0))
    entry(navigator, tidpunkt=base, anteckning="Äldst")
    entry(colleague, tidpunkt=base + dt.timedelta(hours=2), anteckning="Kollegans")
    entry(navigator, tidpunkt=base + dt.timedelta(hours=1), anteckning="Mitten")
    html = client.get(LIST).content.decode()
    assert html.index("Kollegans") < html.index("Mitten") < html.index("Äldst")


def test_an_entry_with_offerings_links_their_slip_for_a_caller_who_calls_back(client, navigator):
    first, second = make_offering(slug="al-anon"), make_offering(slug="familjeteamet")
    logged = entry(navigator, utfall=["hanvisad"])
    logged.insatser.set([first, second])
    entry(navigator, anteckning="Bara råd")
    html = client.get(LIST).content.decode()
    links = re.findall(r'<a href="([^"]+)" data-entry-slip>', html)
    assert links == ["/lapp/?insats=al-anon&amp;insats=familjeteamet"]
    slip = client.get(links[0].replace("&amp;", "&")).content.decode()
    assert 'data-offering="al-anon"' in slip and 'data-offering="familjeteamet"' in slip


def test_the_list_filters_by_dates_and_by_one_date(client, navigator):
    for day in (1, 2, 3):
        entry(
            navigator,
            tidpunkt=timezone.make_aware(dt.datetime(2026, 3, day, 23, 30)),
            anteckning=f"Dag {day}",
        )
    html = client.get(LIST, {"fran": "2026-03-02", "till": "2026-03-03"}).content.decode()
    assert "Dag 2" in html and "Dag 3" in html and "Dag 1" not in html
    html = client.get(LIST, {"datum": "2026-03-01"}).content.decode()
    assert "Dag 1" in html and "Dag 2" not in html


def test_a_bad_date_filter_says_what_to_write(client, navigator):
    response = client.get(LIST, {"fran": "14 mars", "till": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>\s*Fel:", html)
    assert "Skriv datumet som 2026-03-01." in html
    response = client.get(LIST, {"fran": "2026-03-05", "till": "2026-03-01"})
    assert "Välj ett till-datum som är samma dag som eller efter från-datumet." in (
        response.content.decode()
    )


def test_the_list_is_paginated_in_a_constant_number_of_queries(
    client, navigator, django_assert_max_num_queries
):
    offering = make_offering()
    for n in range(30):
        item = entry(navigator, tidpunkt=timezone.now() - dt.timedelta(minutes=n))
        item.insatser.set([offering])
    # The shell's municipalities are read once per catalogue version (then cached): warm them.
    client.get("/personal/")
    with django_assert_max_num_queries(12):
        first = client.get(LIST)
    assert first.content.decode().count("data-entry=") == 25
    second = client.get(LIST, {"sida": "2"})
    assert second.content.decode().count("data-entry=") == 5


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.MOTTAGNING] + [None])
def test_only_navigators_reach_the_log(client, role):
    sign_in(client, make_staff(role))
    item = entry(make_staff(Role.MOTTAGNING), anteckning="Hemlig anteckning")
    for path in (LIST, NEW, f"{LIST}{item.pk}/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Hemlig anteckning" not in response.content.decode()
    assert client.post(NEW, valid_post()).status_code == 403
    assert client.post(NEW, {"utan_innehall": "tyst"}).status_code == 403
    assert CallLogEntry.objects.count() == 1


def test_uppfoljning_never_sees_notes(client):
    sign_in(client, make_staff(Role.UPPFOLJNING))
    item = entry(make_staff(Role.MOTTAGNING), anteckning="Hemlig anteckning")
    for path in (LIST, f"{LIST}?datum=2026-03-01", f"{LIST}{item.pk}/"):
        response = client.get(path)
        assert response.status_code == 403
        assert "Hemlig anteckning" not in response.content.decode()


def test_the_author_edits_the_same_day_and_history_keeps_the_first_version(client, navigator):
    with time_machine.travel(dt.datetime(2026, 3, 14, 9, 0, tzinfo=STOCKHOLM), tick=False):
        client.post(NEW, valid_post(tidpunkt="2026-03-14T08:50", minuter="10"))
    item = CallLogEntry.objects.get()
    with time_machine.travel(dt.datetime(2026, 3, 14, 23, 30, tzinfo=STOCKHOLM), tick=False):
        sign_in(client, navigator)  # the morning's session has expired
        page = client.get(f"{LIST}{item.pk}/")
        assert 'value="10"' in page.content.decode()
        response = client.post(f"{LIST}{item.pk}/", valid_post(tidpunkt="2026-03-14T08:50"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.minuter == 12
    history = list(item.history.order_by("history_date"))
    assert [h.minuter for h in history] == [10, 12]
    assert history[-1].history_user == navigator
    assert history[-1].history_type == "~"


def test_the_next_day_the_entry_is_read_only(client, navigator):
    with time_machine.travel(dt.datetime(2026, 3, 14, 23, 50, tzinfo=STOCKHOLM), tick=False):
        client.post(NEW, valid_post(tidpunkt="2026-03-14T23:40"))
    item = CallLogEntry.objects.get()
    # 00:10 in Stockholm is still 14 March in UTC: the local date is what counts.
    with time_machine.travel(dt.datetime(2026, 3, 15, 0, 10, tzinfo=STOCKHOLM), tick=False):
        page = client.get(f"{LIST}{item.pk}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "data-read-only" in html
        assert 'name="kanal"' not in html
        assert "Ändra" not in client.get(LIST).content.decode().split("data-entry=")[-1]
        refused = client.post(f"{LIST}{item.pk}/", valid_post(minuter="99"))
    assert refused.status_code == 403
    item.refresh_from_db()
    assert item.minuter == 12


def test_a_colleague_cannot_edit_an_entry(client, navigator):
    item = entry(make_staff(Role.MOTTAGNING), minuter=5)
    page = client.get(f"{LIST}{item.pk}/")
    assert "Bara den som loggade samtalet kan ändra det" in page.content.decode()
    assert client.post(f"{LIST}{item.pk}/", valid_post(tidpunkt=_now())).status_code == 403
    item.refresh_from_db()
    assert item.minuter == 5


def test_the_edit_service_refuses_others_too(navigator):
    item = entry(make_staff(Role.MOTTAGNING))
    with pytest.raises(PermissionDenied):
        services.call_log_entry_update(entry=item, acting_user=navigator, fields={"minuter": 3})


def test_retention_blanks_old_notes_in_entries_and_history_and_keeps_the_counts(navigator):
    now = timezone.now()
    old = entry(navigator, tidpunkt=now - dt.timedelta(days=91), anteckning="Gammal")
    old.anteckning = "Gammal, ändrad"
    old.save()
    recent = entry(navigator, tidpunkt=now - dt.timedelta(days=89), anteckning="Ny")

    call_command("purge_call_notes", verbosity=0)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anteckning == ""
    assert recent.anteckning == "Ny"
    assert CallLogEntry.objects.count() == 2
    assert not old.history.exclude(anteckning="").exists()
    assert old.history.count() == 2
    assert recent.history.get().anteckning == "Ny"


def test_retention_follows_the_setting(navigator, settings):
    settings.CALL_NOTE_RETENTION_DAYS = 10
    item = entry(navigator, tidpunkt=timezone.now() - dt.timedelta(days=11), anteckning="Bort")
    call_command("purge_call_notes", verbosity=0)
    item.refresh_from_db()
    assert item.anteckning == ""


def test_the_start_page_lists_the_call_log_for_navigators(client, navigator):
    assert LIST in client.get("/personal/").content.decode()
