"""Synthetic call-log data for local demos (seed_call_log, remove_synthetic_calls): a year of
plausible, clearly marked contacts that never pass for a navigator's, and that go again."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from frontdesk import selectors, services
from frontdesk.models import CallLogEntry, validate_series_code
from frontdesk.statistics import Period, ended_without_support, report, share_without_support
from frontdesk.vocabulary import Outcome
from portal.permissions import Role
from providers.models import Offering
from providers.vocabulary import NEED_BITS, NEEDS, unmask
from tests.conftest import make_offering, make_staff, sign_in

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 16)
YESTERDAY = TODAY - dt.timedelta(days=1)
FIRST_DAY = TODAY - dt.timedelta(days=365)
LIST = "/personal/mottagning/samtal/"


@pytest.fixture(autouse=True)
def fixed_now():
    """A fixed "now" (a Monday), so the year's data is the same on every run."""
    with time_machine.travel(
        dt.datetime(2026, 3, 16, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False
    ):
        yield


def seed(*flags: str) -> str:
    out = io.StringIO()
    call_command("seed_call_log", "--tillat-utan-debug", *flags, stdout=out)
    return out.getvalue()


def remove() -> str:
    out = io.StringIO()
    call_command("remove_synthetic_calls", stdout=out)
    return out.getvalue()


def local_day(entry) -> dt.date:
    return timezone.localtime(entry.tidpunkt).date()


@pytest.fixture
def seeded(catalogue):
    seed()
    return list(CallLogEntry.objects.prefetch_related("insatser"))


def contacts(entries):
    return [entry for entry in entries if not entry.utan_innehall]


def test_a_year_of_about_1200_contacts_ending_yesterday(seeded):
    found = contacts(seeded)
    assert 1100 <= len(found) <= 1300
    days = {local_day(entry) for entry in seeded}
    assert min(days) >= FIRST_DAY and max(days) <= YESTERDAY
    assert len({day.isocalendar()[:2] for day in days}) >= 50  # spread over the whole year
    no_content = [entry for entry in seeded if entry.utan_innehall]
    assert 0.05 <= len(no_content) / len(found) <= 0.12
    for entry in no_content:
        assert (entry.behov, entry.utfall, list(entry.insatser.all())) == ([], [], [])


def test_every_row_is_marked_has_no_note_and_is_logged_by_the_inactive_synthetic_account(
    seeded,
):
    author = get_user_model().objects.get(username="syntetisk-data")
    assert not author.is_active and not author.has_usable_password()
    assert all(entry.syntetisk for entry in seeded)
    assert all(entry.anteckning == "" for entry in seeded)
    assert {entry.author_id for entry in seeded} == {author.pk}


def test_weekdays_in_office_hours_far_outnumber_weekends(seeded):
    found = contacts(seeded)
    weekend = [entry for entry in found if local_day(entry).weekday() >= 5]
    assert len(weekend) < 0.05 * len(found)
    assert all(8 <= timezone.localtime(entry.tidpunkt).hour < 17 for entry in seeded)
    channels = Counter(entry.kanal for entry in found)
    assert channels["telefon"] > 0.6 * len(found)
    assert channels["besok"] and channels["epost"] and channels["chatt"]
    assert all(3 <= entry.minuter <= 45 for entry in found)


def test_answers_come_from_the_vocabularies(seeded):
    for entry in contacts(seeded):
        assert entry.behov == [need for need in NEEDS if need in entry.behov]
        assert entry.utfall and set(entry.utfall) <= set(Outcome.values)
    callers = Counter(entry.vem for entry in contacts(seeded))
    assert set(callers) == {"jag", "barn", "narstaende", "yrkesperson", "okand"}


def test_navigations_go_to_published_offerings_for_the_contacts_needs(seeded):
    published = {offering.pk: offering for offering in Offering.objects.published()}
    navigated = 0
    for entry in contacts(seeded):
        offerings = list(entry.insatser.all())
        assert (Outcome.NAVIGATED in entry.utfall) == bool(offerings)
        for offering in offerings:
            assert offering.pk in published
            assert unmask(offering.needs_mask, NEED_BITS) & set(entry.behov)
        navigated += bool(offerings)
    assert navigated > 0.3 * len(contacts(seeded))


def test_counselling_series_have_valid_codes_and_four_or_five_sessions(seeded):
    series = defaultdict(list)
    for entry in seeded:
        if entry.serie:
            series[entry.serie].append(entry)
    assert len(series) >= 10
    for code, sessions in series.items():
        validate_series_code(code)
        assert 4 <= len(sessions) <= 5
        sessions.sort(key=lambda entry: entry.tidpunkt)
        assert Outcome.SESSIONS in sessions[0].utfall
        assert len({local_day(entry) for entry in sessions}) == len(sessions)


def test_the_statistics_show_a_share_without_further_support_like_the_seeds(seeded):
    rows = selectors.call_rows(CallLogEntry.objects.all())
    period = Period(FIRST_DAY, YESTERDAY)
    tables = {table.name: table for table in report(rows, period)}
    share = share_without_support(ended_without_support(rows, period))
    assert 35 <= share <= 55
    assert tables["utan-vidare-stod"].total.value == len(contacts(seeded))
    assert tables["samtalsserier"].antal()["personer"] not in ("0", "<5")
    # Every whole month of the year shows a count, none hidden as small.
    months = list(tables["kontakter-per-manad"].antal().values())
    assert all(count.isdigit() and int(count) >= 20 for count in months[1:-1])


def test_the_same_day_gives_the_same_data(catalogue):
    def snapshot():
        return [
            (e.tidpunkt, e.kanal, e.vem, e.aldersgrupp, e.behov, e.utfall, e.serie, e.minuter)
            + (e.utan_innehall, tuple(sorted(o.slug for o in e.insatser.all())))
            for e in CallLogEntry.objects.order_by("tidpunkt", "pk").prefetch_related("insatser")
        ]

    seed()
    first = snapshot()
    seed("--ersatt")
    assert snapshot() == first


def test_running_twice_adds_nothing_and_ersatt_replaces(catalogue):
    assert "1198 kontakter" in seed()
    count = CallLogEntry.objects.count()
    highest = CallLogEntry.objects.order_by("-pk").first().pk

    output = seed()
    assert "Det finns redan" in output
    assert CallLogEntry.objects.count() == count
    assert CallLogEntry.objects.order_by("-pk").first().pk == highest

    output = seed("--ersatt")
    assert f"{count} tidigare ersatta" in output
    assert CallLogEntry.objects.count() == count
    assert not CallLogEntry.objects.filter(pk__lte=highest).exists()


def test_remove_deletes_every_synthetic_row_and_leaves_real_ones(catalogue):
    navigator = make_staff(Role.MOTTAGNING)
    offering = Offering.objects.published().first()
    real, _created = services.call_log_entry_create(
        author=navigator,
        fields={"tidpunkt": timezone.now(), "behov": ["kris"], "utfall": ["rad", "hanvisad"]},
        insatser=[offering],
    )
    history = list(real.history.values_list("history_id", flat=True))
    seed()
    synthetic = CallLogEntry.objects.filter(syntetisk=True).count()

    assert remove().strip() == f"Tog bort {synthetic} syntetiska samtal ur samtalsloggen."
    assert list(CallLogEntry.objects.all()) == [real]
    assert list(real.insatser.all()) == [offering]
    assert list(real.history.values_list("history_id", flat=True)) == history
    assert not CallLogEntry.history.filter(syntetisk=True).exists()
    assert not get_user_model().objects.filter(username="syntetisk-data").exists()
    assert "Tog bort 0 syntetiska samtal" in remove()


def test_it_is_refused_without_debug_unless_allowed(catalogue, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_call_log", stdout=io.StringIO())
    assert not CallLogEntry.objects.exists()
    settings.DEBUG = True
    call_command("seed_call_log", stdout=io.StringIO())
    assert CallLogEntry.objects.filter(syntetisk=True).exists()


def test_a_small_catalogue_still_gives_every_navigation_an_offering(db):
    only = make_offering(needs=("ekonomi",), min_age=65)
    seed()
    for entry in contacts(CallLogEntry.objects.prefetch_related("insatser")):
        assert entry.utfall
        offerings = list(entry.insatser.all())
        assert (Outcome.NAVIGATED in entry.utfall) == bool(offerings)
        assert offerings in ([], [only])


def test_it_needs_a_catalogue(db):
    with pytest.raises(CommandError, match="load_catalogue"):
        seed()
    assert not CallLogEntry.objects.exists()


def test_it_never_takes_over_a_real_account_with_its_name(catalogue):
    make_staff(Role.MOTTAGNING, username="syntetisk-data")
    with pytest.raises(CommandError, match="syntetisk-data"):
        seed()
    assert not CallLogEntry.objects.exists()


def test_the_log_marks_synthetic_entries(client, catalogue):
    seed()
    sign_in(client, make_staff(Role.MOTTAGNING))
    html = client.get(LIST).content.decode()
    assert html.count("data-synthetic") == html.count("data-entry=") == 25
    assert "Syntetisk testdata" in html
    entry = CallLogEntry.objects.filter(syntetisk=True).first()
    page = client.get(f"{LIST}{entry.pk}/").content.decode()
    assert "data-synthetic" in page and "Syntetisk testdata" in page
