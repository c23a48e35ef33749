"""The shared page cache: fast repeated pages, never a stale phone number or opening state."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from portal.page_cache import HIT_HEADER, seconds_to_keep
from portal.release import fingerprint
from providers import services
from providers.cache import CatalogueCache
from providers.models import ContactPoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
RESULT = "/hitta-stod/resultat/?vem=jag&alder=30&behov=neuropsykiatri"
OFFERING = "/stod/boendestod-neuropsykiatri/"  # its phone: weekdays 08–17 (seed 000)


@pytest.fixture
def page_cache_on():
    with override_settings(PAGE_CACHE_SECONDS=600):
        yield


def test_a_repeated_page_comes_from_the_cache_without_touching_the_database(client, catalogue):
    first = client.get(RESULT)
    assert first.status_code == 200 and HIT_HEADER not in first
    with CaptureQueriesContext(connection) as queries:
        second = client.get(RESULT)
    assert second[HIT_HEADER] == "hit"
    assert second.content == first.content
    assert len(queries) == 0


def test_the_key_holds_municipality_language_and_parameters(client, catalogue):
    client.get(RESULT)
    for other in (
        RESULT + "&kommun=kinda",
        "/en" + RESULT,
        RESULT.replace("alder=30", "alder=31"),
    ):
        assert HIT_HEADER not in client.get(other), other
    # The same parameters in another order are the same page.
    reordered = "/hitta-stod/resultat/?behov=neuropsykiatri&alder=30&vem=jag"
    assert client.get(reordered)[HIT_HEADER] == "hit"


def test_a_new_phone_number_shows_at_once_on_every_server(
    client, catalogue, django_capture_on_commit_callbacks
):
    page = "/utforare/stodteam-neuropsykiatri/"
    client.get(page)
    assert client.get(page)[HIT_HEADER] == "hit"
    phone = ContactPoint.objects.filter(
        provider__slug="stodteam-neuropsykiatri", kind=ContactPoint.Kind.PHONE
    ).first()
    phone.value = "+4613999888"
    with django_capture_on_commit_callbacks(execute=True):
        services.catalogue_row_save(row=phone)
    after = client.get(page)
    assert HIT_HEADER not in after
    assert "013-99 98 88" in after.content.decode()


def test_a_change_made_through_another_server_is_seen_here(client, catalogue):
    client.get(RESULT)
    other_server = CatalogueCache()  # its own memory, the same shared cache
    other_server.bump()
    assert HIT_HEADER not in client.get(RESULT)


def test_a_server_of_another_release_never_serves_this_releases_pages(client, catalogue):
    # A rolling deploy: the old and new code share one Redis. The new release's markup
    # (wording, hashed CSS names) must not be answered with the old one's, nor the reverse.
    old = client.get(RESULT)
    with override_settings(RELEASE="next-release"):
        assert HIT_HEADER not in client.get(RESULT)
        assert client.get(RESULT)[HIT_HEADER] == "hit"  # the new release caches its own
    again = client.get(RESULT)
    assert again[HIT_HEADER] == "hit" and again.content == old.content


def test_cached_catalogue_values_are_kept_per_release():
    calls = []
    this_release, next_release = CatalogueCache(), CatalogueCache()  # two servers
    assert this_release.get_or_set("x", lambda: calls.append(1) or "old shape") == "old shape"
    with override_settings(RELEASE="next-release"):
        assert next_release.get_or_set("x", lambda: calls.append(2) or "new shape") == "new shape"
    assert calls == [1, 2]


def test_the_release_is_a_fingerprint_of_what_pages_are_made_of(tmp_path):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "home.html"
    page.write_text("<h1>Hej</h1>")
    (tmp_path / "var").mkdir()
    first = fingerprint(tmp_path)
    (tmp_path / "var" / "db.sqlite3").write_text("data is not code")
    (tmp_path / "notes.md").write_text("neither is this")
    assert fingerprint(tmp_path) == first
    page.write_text("<h1>Hej!</h1>")
    assert fingerprint(tmp_path) != first


def test_a_page_stops_saying_open_when_the_phone_closes(client, catalogue):
    before_five = dt.datetime(2026, 11, 24, 16, 58, tzinfo=STOCKHOLM)  # a Tuesday
    with time_machine.travel(before_five, tick=False):
        assert "stänger 17.00" in client.get(OFFERING).content.decode()
        assert client.get(OFFERING)[HIT_HEADER] == "hit"
    with time_machine.travel(before_five + dt.timedelta(minutes=3), tick=False):
        after = client.get(OFFERING)
        assert HIT_HEADER not in after
        assert "stänger 17.00" not in after.content.decode()
        assert "Stängt nu" in after.content.decode()


def test_pages_that_filter_on_open_now_are_never_kept(client, catalogue):
    client.get("/stod/?oppet_nu=1")
    assert HIT_HEADER not in client.get("/stod/?oppet_nu=1")


def test_forms_signed_in_staff_and_errors_are_never_kept(client, catalogue, editor):
    from tests.conftest import sign_in

    client.get("/ansok/")
    assert HIT_HEADER not in client.get("/ansok/")  # a form with its own CSRF token
    client.get("/stod/finns-inte/")
    assert HIT_HEADER not in client.get("/stod/finns-inte/")  # 404
    sign_in(client, editor)
    client.get(OFFERING)
    assert HIT_HEADER not in client.get(OFFERING)


def test_how_long_a_page_is_kept():
    now = dt.datetime(2026, 11, 24, 12, 0, tzinfo=STOCKHOLM)
    with override_settings(PAGE_CACHE_SECONDS=600):
        assert seconds_to_keep(now, []) == 600
        assert seconds_to_keep(now, [now + dt.timedelta(seconds=90)]) == 90
        later, sooner = now + dt.timedelta(hours=3), now + dt.timedelta(minutes=2)
        assert seconds_to_keep(now, [later, sooner]) == 120
        assert seconds_to_keep(now, [None]) == 0
    with override_settings(PAGE_CACHE_SECONDS=0):
        assert seconds_to_keep(now, []) == 0


def test_an_unreachable_cache_only_makes_pages_slower(client, catalogue, monkeypatch):
    from django.core.cache import caches

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(caches["default"], "get", broken)
    monkeypatch.setattr(caches["default"], "set", broken)
    monkeypatch.setattr(caches["default"], "add", broken)
    response = client.get(RESULT)
    assert response.status_code == 200
    assert 'data-offering="boendestod-neuropsykiatri"' in response.content.decode()
    assert HIT_HEADER not in client.get(RESULT)
