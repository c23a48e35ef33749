"""The numbers every page shows (Sociala jouren, Mottagningen, socialkontoret) come from the
catalogue, in one place, and are still there when the database or the cache is not."""

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from portal import context_processors, views
from providers import selectors
from providers.cache import catalogue_cache
from providers.models import ContactPoint
from providers.selectors import shell_contacts
from tests.conftest import make_phone, make_provider, sign_in
from tests.providers.admin_forms import post_change_form

pytestmark = pytest.mark.django_db


def database_down(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


def numbers(contacts) -> dict:
    return {
        "jour": contacts.jour.number,
        "mottagningen": contacts.mottagningen.number,
        "socialkontoret": [line.number for line in contacts.socialkontoret],
        "orosanmalan": contacts.orosanmalan.number,
    }


FIXTURE_NUMBERS = {
    "jour": "013-20 75 26",
    "mottagningen": "013-20 69 68",
    "socialkontoret": ["013-20 61 88", "013-20 67 36"],
    "orosanmalan": "013-20 61 88",
}


def set_jour_number(value: str) -> None:
    ContactPoint.objects.filter(provider__slug="sociala-jouren", value="+4613207526").update(
        value=value
    )


def test_the_numbers_are_the_catalogues(catalogue):
    contacts = shell_contacts()
    assert numbers(contacts) == FIXTURE_NUMBERS
    assert contacts.jour.href == "tel:+4613207526"
    assert [line.label for line in contacts.socialkontoret] == [
        "Mottagning för barn och unga",
        "Mottagning vuxna – funktionsnedsättning",
    ]


def test_changing_sociala_jourens_number_changes_the_banner(client, catalogue):
    set_jour_number("+4613123456")
    html = client.get(reverse("home")).content.decode()
    banner = html[html.index('class="emergency"') : html.index("</header>")]
    assert '<a href="tel:+4613123456">013-12 34 56</a>' in banner
    assert "013-20 75 26" not in html
    assert '<a href="tel:112">112</a>' in banner  # 112 is no catalogue fact


def test_changing_mottagningens_number_changes_the_footer_and_help_texts(client, catalogue):
    ContactPoint.objects.filter(provider__slug="mottagningen-rad-och-stod").update(
        value="+46701234567"
    )
    html = client.get(reverse("providers:provider_detail", args=["familjeteamet"])).content
    html = html.decode()
    footer = html[html.index('class="site-footer"') :]
    assert '<a href="tel:+46701234567">070-123 45 67</a>' in footer
    apply = html[html.index('class="apply"') :]
    assert '<a href="tel:+46701234567">070-123 45 67</a>' in apply
    assert "013-20 69 68" not in html


def test_socialkontorets_lines_on_the_apply_box_follow_the_catalogue(client, catalogue):
    ContactPoint.objects.filter(
        provider__slug="socialkontoret", offering=None, label="Mottagning vuxna"
    ).update(value="+4613205000")
    html = client.get(reverse("providers:provider_detail", args=["familjeteamet"])).content
    apply = html.decode().split('class="apply"')[1]
    assert 'Mottagning vuxna <a href="tel:+4613205000">013-20 50 00</a>' in apply
    assert 'Mottagning för barn och unga <a href="tel:+4613206188">013-20 61 88</a>' in apply


def test_a_new_catalogue_version_shows_an_edit_on_every_server(client, catalogue):
    client.get(reverse("home"))  # the numbers are now cached
    set_jour_number("+4613123456")
    assert "013-12 34 56" not in client.get(reverse("home")).content.decode()
    catalogue_cache.bump()  # what every catalogue write does once it commits
    assert "013-12 34 56" in client.get(reverse("home")).content.decode()


def test_an_editors_change_in_the_admin_shows_in_the_banner_at_once(
    client, catalogue, editor, django_capture_on_commit_callbacks
):
    assert "013-20 75 26" in client.get(reverse("home")).content.decode()  # now cached
    point = ContactPoint.objects.get(provider__slug="sociala-jouren", value="+4613207526")
    sign_in(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_change_form(client, point, value="013-12 34 56")
    assert response.status_code == 302, response.context["adminform"].form.errors
    html = client.get(reverse("home")).content.decode()
    assert '<a href="tel:+4613123456">013-12 34 56</a>' in html
    assert "013-20 75 26" not in html


def test_cached_numbers_need_no_database(catalogue, django_assert_num_queries):
    shell_contacts()
    with django_assert_num_queries(0):
        assert shell_contacts().jour.number == "013-20 75 26"


def test_the_numbers_are_read_only_when_a_page_prints_one_and_then_once(rf, monkeypatch):
    calls = []

    def counted(place=None):
        calls.append(1)
        return shell_contacts(place)

    monkeypatch.setattr(context_processors, "shell_contacts", counted)
    context = context_processors.site(rf.get("/"))
    assert calls == []  # a staff page or a redirect reads nothing
    assert context["EMERGENCY"]["jour_number"] == "013-20 75 26"
    assert context["MOTTAGNINGEN"]["number"] == "013-20 69 68"
    assert context["SOCIALKONTORET"]["orosanmalan"]["number"] == "013-20 61 88"
    assert calls == [1]


def test_with_the_database_down_the_last_known_numbers_are_shown(catalogue):
    set_jour_number("+4613123456")
    shell_contacts()  # read once while the database worked
    catalogue_cache.bump()  # and the cached entry is gone
    with connection.execute_wrapper(database_down):
        assert shell_contacts().jour.number == "013-12 34 56"


def test_with_the_database_and_the_cache_down_the_fixture_numbers_are_shown(catalogue, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis: connection refused")

    for method in ("get", "set", "add"):
        monkeypatch.setattr(cache, method, unreachable)
    with connection.execute_wrapper(database_down):
        assert numbers(shell_contacts()) == FIXTURE_NUMBERS


def test_with_the_database_down_and_nothing_cached_the_fixture_numbers_are_shown(db):
    with connection.execute_wrapper(database_down):
        assert numbers(shell_contacts()) == FIXTURE_NUMBERS


def test_the_error_page_shows_the_numbers_with_the_database_down(db):
    request = RequestFactory().get("/")
    with connection.execute_wrapper(database_down):
        html = views.server_error(request).content.decode()
    assert '<a href="tel:+4613207526">013-20 75 26</a>' in html
    assert '<a href="tel:+4613206968">013-20 69 68</a>' in html


def test_an_unloaded_catalogue_still_shows_the_emergency_line(client, db):
    html = client.get(reverse("home")).content.decode()
    assert '<a href="tel:+4613207526">013-20 75 26</a>' in html


def test_a_catalogue_without_one_line_keeps_the_others(db):
    jouren = make_provider(slug="sociala-jouren")
    make_phone(provider=jouren, value="+4613123456")
    contacts = shell_contacts()
    assert contacts.jour.number == "013-12 34 56"
    assert contacts.mottagningen.number == "013-20 69 68"  # not in the database: the fixture's


def test_unknown_numbers_and_112_are_never_chosen_as_a_line(db):
    jouren = make_provider(slug="sociala-jouren")
    make_phone(provider=jouren, value="112", position=0)
    make_phone(provider=jouren, value="uppgift saknas", position=1)
    make_phone(provider=jouren, value="+4613123456", position=2)
    assert shell_contacts().jour.number == "013-12 34 56"


def test_never_raises_even_without_the_fixture(db, monkeypatch, tmp_path):
    monkeypatch.setattr(selectors, "SHELL_FIXTURES", [tmp_path / "saknas.json"])
    selectors._shell_fixture_rows.cache_clear()
    try:
        with connection.execute_wrapper(database_down):
            contacts = shell_contacts()
    finally:
        selectors._shell_fixture_rows.cache_clear()
    assert contacts.jour is None and contacts.socialkontoret == ()


def test_line_labels_follow_the_page_language(catalogue):
    from django.utils import translation

    with translation.override("en"):
        labels = [line.label_text for line in shell_contacts().socialkontoret]
    assert labels == [
        "Reception for children and young people",
        "Reception for adults – disability",
    ]
