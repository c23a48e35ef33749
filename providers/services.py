"""Writes to the catalogue. Views and admin call these; nothing here runs from save() or signals.

Every write ends in `catalogue_changed`: the offerings it touches get their search text and
masks rebuilt, and the catalogue version (providers.cache) is replaced once it commits, so every
app server drops what it cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from providers import ranked_search, vocabulary
from providers.cache import catalogue_version_bump_on_commit
from providers.models import CatalogueLoad, Offering, Provider, SearchTerm, Vocabulary
from providers.search import normalise


def offering_search_text(offering: Offering) -> str:
    parts = [
        offering.name,
        offering.name_en,
        offering.summary,
        offering.summary_en,
        offering.description,
        offering.route_conditions,
        offering.provider.name,
        offering.provider.name_en,
    ]
    for related in (offering.needs.all(), offering.methods.all(), offering.areas.all()):
        for item in related:
            parts.extend([item.name, item.name_en])
    return normalise(" ".join(p for p in parts if p))


def offering_derived_fields(offering: Offering) -> dict:
    """The derived columns: search text, the needs/areas bit masks and the municipality."""
    return {
        "municipality_id": offering.provider.municipality_id,
        "search_text": offering_search_text(offering),
        "needs_mask": vocabulary.mask((n.slug for n in offering.needs.all()), vocabulary.NEED_BITS),
        "areas_mask": vocabulary.mask((a.slug for a in offering.areas.all()), vocabulary.AREA_BITS),
    }


@transaction.atomic
def offering_reindex(*, offering: Offering) -> None:
    """Rebuild one offering's derived columns after it or its relations changed."""
    derived = offering_derived_fields(offering)
    Offering.objects.filter(pk=offering.pk).update(**derived)
    search_terms_add(texts=[derived["search_text"]])
    ranked_search.postings_rebuild([offering.pk])
    catalogue_version_bump_on_commit()


@transaction.atomic
def catalogue_reindex(*, providers: list[Provider] | None = None) -> int:
    """Rebuild derived columns for all offerings (or some providers'). Returns the count."""
    offerings = Offering.objects.all()
    if providers is not None:
        offerings = offerings.filter(provider__in=providers)
    count, changed = _offerings_reindex(offerings)
    ranked_search.postings_rebuild(
        None if providers is None else offerings.values_list("pk", flat=True)
    )
    if changed:
        search_terms_rebuild()
        catalogue_version_bump_on_commit()
    return count


def _offerings_reindex(offerings) -> tuple[int, list[str]]:
    """Write the derived columns that differ from what they should be.

    Returns how many offerings were checked and the search texts that changed; rows already
    right are not written, so reindexing an unchanged catalogue changes nothing.
    """
    offerings = offerings.select_related("provider").prefetch_related("needs", "methods", "areas")
    batch, texts, count = [], [], 0
    for offering in offerings.iterator(chunk_size=2000):
        count += 1
        derived = offering_derived_fields(offering)
        if all(getattr(offering, name) == value for name, value in derived.items()):
            continue
        for name, value in derived.items():
            setattr(offering, name, value)
        batch.append(offering)
        texts.append(derived["search_text"])
    Offering.objects.bulk_update(batch, DERIVED_FIELDS, batch_size=1000)
    return count, texts


# --- Every write from the admin ----------------------------------------------------------------


def _offering_ids_touched(row: models.Model) -> set[int]:
    """The offerings whose search text or masks include the row's words or codes."""
    if isinstance(row, Offering):
        return {row.pk}
    if isinstance(row, Provider | Vocabulary) and row.pk is not None:
        return set(row.offerings.values_list("pk", flat=True))
    return set()  # contacts, places and hours are not in the search text


@transaction.atomic
def catalogue_changed(*, rows: Iterable[models.Model] = ()) -> int:
    """Bring the catalogue up to date after `rows` were written (saved or deleted).

    Rebuilds the search text and masks of every offering the rows touch (a renamed provider,
    need, area or method changes the words its offerings are found by) and replaces the
    catalogue version when the transaction commits. Returns how many offerings were rebuilt.
    """
    ids = set().union(*(_offering_ids_touched(row) for row in rows))
    changed = 0
    if ids:
        _, texts = _offerings_reindex(Offering.objects.filter(pk__in=ids))
        search_terms_add(texts=texts)
        # Published or not, renamed or reworded: the search's postings follow every change.
        ranked_search.postings_rebuild(ids)
        changed = len(texts)
    catalogue_version_bump_on_commit()
    return changed


@transaction.atomic
def catalogue_row_save(*, row: models.Model, acting_user=None) -> None:
    """Save a provider, offering, vocabulary word, contact point or place an editor changed."""
    if acting_user is not None:
        row._history_user = acting_user  # django-simple-history: who made the change
    row.save()
    catalogue_changed(rows=[row])


@transaction.atomic
def catalogue_row_delete(*, row: models.Model, acting_user=None) -> None:
    """Delete a catalogue row; the offerings it touched are rebuilt without it."""
    touched = _offering_ids_touched(row)  # before the delete removes the links
    if acting_user is not None:
        row._history_user = acting_user
    row.delete()
    catalogue_changed(rows=list(Offering.objects.filter(pk__in=touched)))


@transaction.atomic
def catalogue_rows_delete(*, rows: models.QuerySet, acting_user=None) -> int:
    """Delete several rows of one kind (the admin's "delete selected"). Returns the count."""
    rows = list(rows)
    for row in rows:
        catalogue_row_delete(row=row, acting_user=acting_user)
    return len(rows)


def search_terms_add(*, texts) -> None:
    """Add the words of some search texts to the typo dictionary (SearchTerm)."""
    words = {w for text in texts for w in text.split() if 2 < len(w) <= 100 and not w.isdigit()}
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=2000
    )


@transaction.atomic
def search_terms_rebuild() -> None:
    SearchTerm.objects.all().delete()
    search_terms_add(texts=Offering.objects.values_list("search_text", flat=True).iterator())


DERIVED_FIELDS = ["search_text", "needs_mask", "areas_mask", "municipality"]


# --- Loading the catalogue fixture --------------------------------------------------------------
#
# load_catalogue is run on every deploy and every `make run`, into a catalogue that editors keep
# current in the admin. After each load it stores, per fixture row, a digest of the row as
# loaded (CatalogueLoad.digests). On the next load each row is a three-way comparison between
# that digest (what the loader left), the database (what it is now) and the file (what it
# would become): a row nobody changed follows the file; a row an editor changed keeps the
# editor's version while the file still says what it said; a row both changed is a conflict,
# and the load refuses unless told to overwrite.

# Not compared: set by the database on every save, or rebuilt from the other fields.
UNCOMPARED_FIELDS = frozenset({"updated_at"})  # and Offering's DERIVED_FIELDS


# The catalogue `load_catalogue` loads: Linköping's, then the other municipalities' (issue 9).
CATALOGUE_FIXTURES = ("catalogue", "kommuner")


class CatalogueLoadRefused(Exception):
    """The file would overwrite rows that editors have changed since the last load."""

    def __init__(self, rows: list[str]) -> None:
        self.rows = rows
        lines = [
            _(
                "Katalogen har inte lästs in: redaktörer har ändrat de här uppgifterna sedan "
                "förra inläsningen, och filen skulle skriva över dem:"
            ),
            *(f"  – {row}" for row in rows),
            _(
                "För in redaktörernas ändringar i filen, eller kör load_catalogue "
                "--skriv-over-redaktorers-andringar för att ersätta dem med filens uppgifter "
                "(ändringarna finns kvar i historiken)."
            ),
        ]
        super().__init__("\n".join(lines))


@dataclass
class CatalogueLoadReport:
    """What a load did. `kept`: rows editors changed that the file has nothing new for."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    offerings: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated


@transaction.atomic
def catalogue_load(
    *, fixture: str | Sequence[str] = CATALOGUE_FIXTURES, overwrite_edits: bool = False
) -> CatalogueLoadReport:
    """Load (or refresh) the catalogue fixtures without losing an editor's change.

    Several files load as one: a row may refer to a row in a later file (Linköping's Sociala
    jouren also serves Kinda, whose municipality the next file defines).
    Raises CatalogueLoadRefused, and writes nothing, when a row both the file and an editor
    changed would be overwritten; `overwrite_edits=True` makes every row equal the file.
    Rows of models with history get history rows, as an editor's save would.
    """
    names = [fixture] if isinstance(fixture, str) else list(fixture)
    paths = [fixture_path(name) for name in names]
    fixture = "+".join(names)
    text = json.dumps(
        [row for path in paths for row in json.loads(path.read_text(encoding="utf-8"))],
        ensure_ascii=False,
    )
    previous = CatalogueLoad.objects.order_by("-loaded_at", "-pk").first()
    known: dict[str, str] = previous.digests if previous else {}
    digests: dict[str, str] = {}
    report = CatalogueLoadReport()
    conflicts: list[str] = []
    written = []  # (deserialized row, created, overwrote an editor's change)

    # The deserializer resolves natural keys as it goes, so each row is saved before the next
    # is read (as loaddata does): an offering finds the provider saved just before it.
    rows = serializers.deserialize("json", text, handle_forward_references=True)
    for raw, item in zip(json.loads(text), rows, strict=True):
        row = item.object
        key = _row_key(row)
        current = (
            type(row)._default_manager.filter(pk=row.pk).first() if row.pk is not None else None
        )
        file_state = _fixture_state(row, raw)
        database_state = _database_state(current, raw) if current is not None else None
        new = _digest(file_state)
        now = _digest(database_state) if database_state is not None else None
        base = known.get(key)
        digests[key] = new
        if now == new and not item.deferred_fields:
            report.unchanged += 1
            continue
        # Changed since the last load; a row the loader never wrote counts as an editor's.
        edited = (base is None and now is not None) or (base is not None and now != base)
        if edited and base is None and _only_fills_blanks(database_state, file_state):
            # A row the loader never wrote, where the file only fills in what is empty (a
            # municipality created with only its slug, an area before its municipality was
            # known): nobody's change is lost.
            edited = False
        if edited and not overwrite_edits:
            if base == new:
                # The file says nothing new about the row: the editor's version stays.
                report.kept.append(_listing_name(current or row, deleted=current is None))
                continue
            conflicts.append(_listing_name(current or row, deleted=current is None))
            continue
        if edited:
            report.overwritten.append(_listing_name(current or row, deleted=current is None))
        _save_without_signal_history(item)
        written.append((item, current is None, edited))

    if conflicts:
        raise CatalogueLoadRefused(conflicts)  # leaving the atomic block undoes every save
    for item, _created, _edited in written:
        if item.deferred_fields:  # references to rows later in the file
            item.save_deferred_fields()
    files = ", ".join(path.name for path in paths)
    _history_record(written, reason=_("Inläst från %(file)s") % {"file": files})
    _sequences_reset({type(item.object) for item, _created, _edited in written})

    report.created = sum(1 for _item, created, _edited in written if created)
    report.updated = len(written) - report.created
    merged = {**known, **digests}
    if written or merged != known:
        CatalogueLoad.objects.create(
            fixture=fixture,
            digests=merged,
            changed=report.changed,
            overwrote_edits=bool(report.overwritten),
        )
    report.offerings = catalogue_reindex()
    if written:
        catalogue_version_bump_on_commit()
    return report


def _only_fills_blanks(database_state: dict, file_state: dict) -> bool:
    blank = (None, "", [], False)
    return all(
        database_state.get(name) in blank
        for name, value in file_state.items()
        if database_state.get(name) != value
    )


def _sequences_reset(model_classes) -> None:
    """Move PostgreSQL's id sequences past the ids the file wrote (as loaddata does), so the
    next row an editor adds does not collide with one."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def fixture_path(fixture: str) -> Path:
    """The file a fixture name means: a path, or a name in settings.FIXTURE_DIRS."""
    candidates = [Path(fixture)]
    for directory in settings.FIXTURE_DIRS:
        candidates += [Path(directory) / fixture, Path(directory) / f"{fixture}.json"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(_("Hittar ingen katalogfil som heter %(name)s.") % {"name": fixture})


def _row_key(row: models.Model) -> str:
    """The digest's key, `<model label>:<pk>`; the natural key (slug) stands for the pk of
    rows the file names by one, so a listing deleted or given a new slug is still known."""
    if hasattr(row, "natural_key"):
        return f"{row._meta.label_lower}:{'/'.join(map(str, row.natural_key()))}"
    return f"{row._meta.label_lower}:{row.pk}"


def _digest(state: dict) -> str:
    encoded = json.dumps(state, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _compared_fields(model) -> list:
    derived = DERIVED_FIELDS if model is Offering else ()
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in UNCOMPARED_FIELDS and f.name not in derived
    ]


def _reference(related_model, value):
    """A reference as the file writes it: the natural key when the model has one, else the pk.

    Comparing by natural key keeps a row's digest the same when a row it points to is
    deleted and loaded again under a new pk.
    """
    if value is None or isinstance(value, list | tuple):
        return list(value) if value is not None else None
    value = related_model._meta.pk.to_python(value)
    if hasattr(related_model, "natural_key"):
        target = related_model._default_manager.filter(pk=value).first()
        return list(target.natural_key()) if target else value
    return value


def _fixture_state(row: models.Model, raw: dict) -> dict:
    """The row as the file describes it: its own values, and references as written."""
    fields = raw.get("fields", {})
    state = {}
    for f in _compared_fields(type(row)):
        if f.is_relation:
            state[f.name] = _reference(f.related_model, fields.get(f.name))
        else:
            state[f.name] = f.value_from_object(row)  # already parsed by the deserializer
    for f in type(row)._meta.many_to_many:
        if f.name in fields:
            refs = [_reference(f.related_model, v) for v in fields[f.name]]
            state[f.name] = sorted(refs, key=str)
    return state


def _database_state(row: models.Model, raw: dict) -> dict:
    """The row as the database has it, in the same form as _fixture_state."""

    def reference(target):
        return list(target.natural_key()) if hasattr(target, "natural_key") else target.pk

    fields = raw.get("fields", {})
    state = {}
    for f in _compared_fields(type(row)):
        if not f.is_relation:
            state[f.name] = f.value_from_object(row)
        elif hasattr(f.related_model, "natural_key"):
            target = getattr(row, f.name)
            state[f.name] = reference(target) if target is not None else None
        else:
            state[f.name] = f.value_from_object(row)  # the pk, as the file writes it
    for f in type(row)._meta.many_to_many:
        if f.name in fields:  # only relations the file sets (never a provider's staff)
            state[f.name] = sorted((reference(t) for t in getattr(row, f.name).all()), key=str)
    return state


def _listing_name(row: models.Model, *, deleted: bool = False) -> str:
    """How a refusal names a row: its kind, its name, whose it is, and if it was deleted."""
    name = f"{row._meta.verbose_name} ”{row}”"
    owners = []
    try:
        if getattr(row, "contact_point_id", None):  # opening hours: name their phone line
            owners = [str(row.contact_point), str(row.contact_point.provider)]
        elif getattr(row, "provider_id", None):
            owners = [str(row.provider)]
    except models.ObjectDoesNotExist:
        pass  # the row it belongs to is gone too
    if owners:
        name = f"{name} ({', '.join(owners)})"
    return _("%(row)s, borttagen av en redaktör") % {"row": name} if deleted else name


def _save_without_signal_history(item) -> None:
    # Setting a relation sends m2m_changed, on which django-simple-history would record an
    # Offering once per relation; _history_record writes one row per change instead.
    item.object.skip_history_when_saving = True
    try:
        item.save()
    finally:
        del item.object.skip_history_when_saving


def _history_record(written, *, reason: str) -> None:
    """History rows for what the load created or changed (its raw saves record none)."""
    by_model: dict[type, dict[bool, list]] = {}
    for item, created, edited in written:
        row = item.object
        if not hasattr(type(row), "history"):
            continue  # vocabularies and hours keep no history
        if edited:
            row._change_reason = _("Inläst från katalogfilen; skrev över en redaktörs ändring")
        by_model.setdefault(type(row), {True: [], False: []})[created].append(row)
    for model, groups in by_model.items():
        for created, rows in groups.items():
            if rows:
                records = model.history.bulk_history_create(
                    rows, update=not created, default_change_reason=reason
                )
                _history_relations_record(model, records, rows)


def _history_relations_record(model, records, rows) -> None:
    """Copy the relations an Offering's history keeps (needs, areas, methods) into the new
    history rows, as django-simple-history does after an ordinary save."""
    history_model = model.history.model
    for m2m in getattr(history_model, "_history_m2m_fields", []):
        # The same lookup simple-history's own create_historical_record_m2ms uses.
        m2m_history = HistoricalRecords.m2m_models[m2m]
        through = m2m.remote_field.through
        own = m2m.m2m_field_name()
        links: dict[int, list] = {}
        for link in through.objects.filter(**{f"{own}__in": rows}):
            links.setdefault(getattr(link, f"{own}_id"), []).append(link)
        m2m_history.objects.bulk_create(
            m2m_history(
                history=record,
                **{f.attname: getattr(link, f.attname) for f in through._meta.concrete_fields},
            )
            for record, row in zip(records, rows, strict=True)
            for link in links.get(row.pk, [])
        )


@transaction.atomic
def listing_mark_reviewed(*, listings, on: dt.date | None = None) -> int:
    """Record that an editor has checked the listings' facts (they leave the review list)."""
    on = on or timezone.localdate()
    count = 0
    for listing in listings:
        listing.last_reviewed = on
        listing.save(update_fields=["last_reviewed", "updated_at"])
        count += 1
    catalogue_version_bump_on_commit()
    return count
