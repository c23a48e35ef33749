"""load_catalogue never silently overwrites an editor's change, and keeps the history true."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from providers import services
from providers.models import CatalogueLoad, ContactPoint, Offering, Provider
from tests.conftest import sign_in
from tests.providers.admin_forms import post_change_form

pytestmark = pytest.mark.django_db

# Linköping's catalogue, then the other municipalities': loaded together, as load_catalogue does.
FIXTURES = [
    Path(settings.BASE_DIR) / "fixtures" / name for name in ("catalogue.json", "kommuner.json")
]
OVERWRITE = "--skriv-over-redaktorers-andringar"


def fixture_rows() -> list[dict]:
    return [row for path in FIXTURES for row in json.loads(path.read_text(encoding="utf-8"))]


def fixture_row(rows: list[dict], model: str, slug: str) -> dict:
    return next(r for r in rows if r["model"] == model and r["fields"].get("slug") == slug)


def new_version_of_the_file(tmp_path, change) -> str:
    """The catalogue file as its authors might send it next: `change(rows)` applied."""
    rows = fixture_rows()
    change(rows)
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return str(path)


def load(*args, **options) -> str:
    out = io.StringIO()
    call_command("load_catalogue", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def editor_client(client, editor):
    return sign_in(client, editor)


def test_first_load_creates_the_catalogue_with_history_and_digests():
    rows = fixture_rows()

    report = services.catalogue_load()

    # Linköping's areas exist from the vocabularies' migration: the file fills in their
    # municipality (and the default municipality's name, if a provider created it first).
    assert report.created + report.updated == len(rows)
    assert report.updated <= 7 and not report.kept
    assert Provider.objects.count() == sum(r["model"] == "providers.provider" for r in rows)
    load_record = CatalogueLoad.objects.get()
    assert len(load_record.digests) == len(rows)
    assert not load_record.overwrote_edits
    # One "created" history row per listing, as if an editor had added it, with its needs.
    familjeteamet = Provider.objects.get(slug="familjeteamet")
    assert [h.history_type for h in familjeteamet.history.all()] == ["+"]
    offering = Offering.objects.get(slug="rad-och-stodsamtal")
    record = offering.history.get()
    assert record.history_change_reason == "Inläst från catalogue.json, kommuner.json"
    assert {n.need.slug for n in record.needs.all()} == set(
        offering.needs.values_list("slug", flat=True)
    )
    assert ContactPoint.history.count() == ContactPoint.objects.count()


def test_loading_again_without_edits_changes_nothing(catalogue):
    updated = dict(Offering.objects.values_list("slug", "updated_at"))
    history = Offering.history.count() + Provider.history.count() + ContactPoint.history.count()

    output = load()

    assert "ingenting ändrades" in output
    assert CatalogueLoad.objects.count() == 1
    assert dict(Offering.objects.values_list("slug", "updated_at")) == updated
    assert (
        Offering.history.count() + Provider.history.count() + ContactPoint.history.count()
        == history
    )


def test_an_editors_change_is_kept_when_the_file_has_nothing_new_for_that_row(
    catalogue, editor_client
):
    provider = Provider.objects.get(slug="familjeteamet")
    response = post_change_form(editor_client, provider, name="Familjeteamet Linköping")
    assert response.status_code == 302

    output = load()

    provider.refresh_from_db()
    assert provider.name == "Familjeteamet Linköping"
    assert "Behöll redaktörers ändringar" in output
    assert "Familjeteamet Linköping" in output


def test_load_refuses_when_the_file_would_overwrite_an_editors_change(
    catalogue, editor_client, tmp_path
):
    provider = Provider.objects.get(slug="familjeteamet")
    response = post_change_form(editor_client, provider, name="Familjeteamet Linköping")
    assert response.status_code == 302

    def change(rows):
        fixture_row(rows, "providers.provider", "familjeteamet")["fields"]["name"] = "Nytt namn"
        fixture_row(rows, "providers.provider", "lunden")["fields"]["name"] = "Lunden, avlastning"

    with pytest.raises(CommandError) as refusal:
        load("--fixture", new_version_of_the_file(tmp_path, change))

    message = str(refusal.value)
    assert message.startswith("Katalogen har inte lästs in")
    assert "utförare ”Familjeteamet Linköping”" in message
    assert OVERWRITE in message
    assert "Lunden" not in message  # nobody edited Lunden: not a conflict
    # Nothing was loaded, not even the rows nobody edited.
    assert Provider.objects.get(slug="familjeteamet").name == "Familjeteamet Linköping"
    assert Provider.objects.get(slug="lunden").name == "Lunden"
    assert CatalogueLoad.objects.count() == 1


def test_overwriting_an_editors_change_on_request_writes_history(
    catalogue, editor, editor_client, tmp_path
):
    provider = Provider.objects.get(slug="familjeteamet")
    post_change_form(editor_client, provider, name="Familjeteamet Linköping")

    def change(rows):
        fixture_row(rows, "providers.provider", "familjeteamet")["fields"]["name"] = "Nytt namn"

    output = load("--fixture", new_version_of_the_file(tmp_path, change), OVERWRITE)

    assert "Skrev över redaktörers ändringar" in output
    provider.refresh_from_db()
    assert provider.name == "Nytt namn"
    latest = provider.history.latest()
    assert latest.history_type == "~"
    assert "skrev över en redaktörs ändring" in latest.history_change_reason
    # The editor's version stays in the history, just before the load's.
    assert latest.prev_record.name == "Familjeteamet Linköping"
    assert latest.prev_record.history_user == editor
    assert CatalogueLoad.objects.latest().overwrote_edits
    # The new name is searchable at once.
    assert Offering.objects.search("Nytt namn").filter(provider=provider).exists()


def test_rows_nobody_edited_follow_the_file_with_a_history_row(catalogue, tmp_path):
    def change(rows):
        fixture_row(rows, "providers.provider", "lunden")["fields"]["name"] = "Lunden avlastning"

    load("--fixture", new_version_of_the_file(tmp_path, change))

    lunden = Provider.objects.get(slug="lunden")
    assert lunden.name == "Lunden avlastning"
    assert [h.history_type for h in lunden.history.all()] == ["~", "+"]
    assert lunden.history.latest().history_change_reason == "Inläst från catalogue.json"
    assert not CatalogueLoad.objects.latest().overwrote_edits


def test_a_row_an_editor_deleted_is_not_brought_back(catalogue, tmp_path):
    point = ContactPoint.objects.filter(offering__isnull=True).first()
    pk = point.pk
    services.catalogue_row_delete(row=point)

    load()
    assert not ContactPoint.objects.filter(pk=pk).exists()

    def change(rows):
        row = next(r for r in rows if r["model"] == "providers.contactpoint" and r["pk"] == pk)
        row["fields"]["label"] = "Växeln"

    with pytest.raises(CommandError, match="borttagen av en redaktör"):
        load("--fixture", new_version_of_the_file(tmp_path, change))


def test_a_catalogue_loaded_before_digests_existed_is_not_overwritten(catalogue, tmp_path):
    CatalogueLoad.objects.all().delete()  # as in a database loaded by the old loaddata

    assert "ingenting ändrades" in load()  # identical rows: nothing to fear

    CatalogueLoad.objects.all().delete()

    def change(rows):
        fixture_row(rows, "providers.provider", "lunden")["fields"]["name"] = "Lunden avlastning"

    # Without digests the loader cannot tell the file's rows from an editor's: it asks.
    with pytest.raises(CommandError, match="Lunden"):
        load("--fixture", new_version_of_the_file(tmp_path, change))
