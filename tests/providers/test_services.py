"""Every catalogue write goes through providers.services: search follows an editor's rename at
once, and the catalogue version makes every app server drop what it had cached."""

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from providers import cache as catalogue
from providers import services
from providers.cache import VERSION_KEY, CatalogueCache
from providers.models import Area, Location, Method, Need, Offering
from tests.conftest import make_offering, make_phone, make_provider, sign_in
from tests.providers.admin_forms import post_admin_form, post_change_form

pytestmark = pytest.mark.django_db

LIST = "/stod/"


@pytest.fixture
def editor_client(client, editor):
    return sign_in(client, editor)


def another_server() -> CatalogueCache:
    """An app server of its own: its own cache connection and memory, over the same shared
    cache (Redis, or the file cache) that settings.CACHES names."""
    return CatalogueCache(caches.create_connection("default"))


def listed(response) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(r'data-offering="([^"]+)"', response.content.decode()))


def label_on(server: CatalogueCache, slug: str) -> str:
    return next(need.label for need in Need.cached(cache=server) if need.slug == slug)


def test_renaming_a_provider_in_the_admin_makes_search_find_it_on_every_server(
    editor_client, monkeypatch, django_capture_on_commit_callbacks
):
    provider = make_provider(name="Gammelgården")
    make_offering(provider=provider, slug="stod-i-vardagen", name="Stöd i vardagen")
    resident = Client()
    server_b = another_server()
    with monkeypatch.context() as on_b:
        on_b.setattr(catalogue, "catalogue_cache", server_b)
        assert listed(resident.get(LIST, {"q": "Gammelgården"})) == {"stod-i-vardagen"}

    with django_capture_on_commit_callbacks(execute=True):
        response = post_change_form(editor_client, provider, name="Kvarnbäcksgården")
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert listed(resident.get(LIST, {"q": "Kvarnbäcksgården"})) == {"stod-i-vardagen"}
    with monkeypatch.context() as on_b:
        on_b.setattr(catalogue, "catalogue_cache", server_b)
        assert listed(resident.get(LIST, {"q": "Kvarnbäcksgården"})) == {"stod-i-vardagen"}
        assert listed(resident.get(LIST, {"q": "Gammelgården"})) == set()


def test_labels_another_server_cached_are_not_shown_after_an_editors_rename(
    editor_client, monkeypatch, django_capture_on_commit_callbacks
):
    need = Need.objects.get(slug="missbruk")
    resident = Client()
    server_b = another_server()
    monkeypatch.setattr(catalogue, "catalogue_cache", server_b)  # the resident is on server B
    assert need.name in resident.get(LIST).content.decode()
    # B serves the labels from its cache: a write that bypasses the services goes unseen.
    Need.objects.filter(pk=need.pk).update(name="Ändrat förbi tjänsterna")
    assert label_on(server_b, "missbruk") == need.name

    monkeypatch.undo()  # the editor is on server A
    with django_capture_on_commit_callbacks(execute=True):
        response = post_change_form(editor_client, need, name="Alkohol, droger och spel")
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert label_on(server_b, "missbruk") == "Alkohol, droger och spel"
    monkeypatch.setattr(catalogue, "catalogue_cache", server_b)
    html = resident.get(LIST).content.decode()
    assert "Alkohol, droger och spel" in html
    assert need.name not in html


def test_servers_starting_together_keep_the_first_version(monkeypatch):
    server_a, server_b = another_server(), another_server()
    first = server_a.version()
    # B looked for a version just before A wrote one, so it tries to create its own.
    shared_get = server_b.shared.get
    missed = []

    def get_after_a_race(key, default=None, version=None):
        if key == VERSION_KEY and not missed:
            missed.append(key)
            return None
        return shared_get(key, default, version)

    monkeypatch.setattr(server_b.shared, "get", get_after_a_race)
    assert server_b.version() == first
    assert server_a.version() == first


def test_the_version_changes_only_once_the_write_has_committed(
    django_capture_on_commit_callbacks,
):
    need = Need.objects.get(slug="kris")
    before = catalogue.catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        need.name = "Akut kris"
        services.catalogue_row_save(row=need)
        # Still uncommitted: a server reading a new version now would cache the old rows.
        assert catalogue.catalogue_version() == before
    assert catalogue.catalogue_version() != before


@pytest.mark.parametrize(
    "build",
    [
        lambda: make_provider(),
        lambda: make_offering(),
        lambda: make_phone(provider=make_provider()),
        lambda: Location.objects.create(provider=make_provider(), name="Mötesplatsen"),
        lambda: Area.objects.get(slug="ryd"),
    ],
    ids=["provider", "offering", "contact point", "place", "area"],
)
def test_every_kind_of_catalogue_save_replaces_the_version(
    build, django_capture_on_commit_callbacks
):
    row = build()
    before = catalogue.catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.catalogue_row_save(row=row)
    assert catalogue.catalogue_version() != before


@pytest.mark.parametrize(
    ("kind", "new_name"),
    [("need", "Spelberoende"), ("area", "Nygårdsbacken"), ("method", "Filmcoachning")],
)
def test_renaming_a_need_area_or_method_in_the_admin_updates_search(editor_client, kind, new_name):
    method = Method.objects.create(slug="videofeedback", name="Videofeedback")
    make_offering(needs=["missbruk"], areas=["berga"], methods=["videofeedback"], slug="ordet")
    make_offering(needs=["kris"], areas=["ryd"], slug="annat")
    item = {
        "need": Need.objects.get(slug="missbruk"),
        "area": Area.objects.get(slug="berga"),
        "method": method,
    }[kind]
    assert not Offering.objects.search(new_name).exists()

    response = post_change_form(editor_client, item, name=new_name)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(Offering.objects.search(new_name).values_list("slug", flat=True)) == {"ordet"}


def test_deleting_a_method_in_the_admin_takes_its_name_out_of_search(editor_client):
    method = Method.objects.create(slug="filmcoachning", name="Filmcoachning")
    make_offering(methods=["filmcoachning"], slug="med-metod")
    assert Offering.objects.search("filmcoachning").exists()

    response = editor_client.post(
        reverse("admin:providers_method_delete", args=[method.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Offering.objects.search("filmcoachning").exists()


def test_needs_changed_on_a_revert_page_are_searchable_at_once(client, editor):
    """simple-history's revert form saves the row before its needs, areas and methods; the
    masks must be rebuilt after them (an editor may adjust the needs while reverting)."""
    sign_in(client, editor)
    offering = make_offering(needs=["missbruk"], name="Gammalt namn")
    post_change_form(client, offering, name="Nytt namn", needs=[Need.objects.get(slug="kris").pk])
    before = offering.history.filter(name="Gammalt namn").latest("history_date")
    url = reverse("admin:providers_offering_simple_history", args=[offering.pk, before.history_id])
    response = post_admin_form(client, url, needs=[Need.objects.get(slug="missbruk").pk])
    assert response.status_code == 302

    offering.refresh_from_db()
    assert offering.name == "Gammalt namn"
    assert list(Offering.objects.for_needs(["missbruk"])) == [offering]
    assert list(Offering.objects.for_needs(["kris"])) == []
