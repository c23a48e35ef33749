"""Writes to the call log: record a contact, a call without content, an edit; purge old notes.

Each is keyword-only and atomic. Who may edit is decided in `frontdesk.selectors` and checked
here again, so no view can skip it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from frontdesk.models import CallLogEntry
from frontdesk.selectors import may_edit
from frontdesk.vocabulary import AgeGroup, Caller, Channel, NoContent

# The fields a navigator fills in (DOMAIN.md's names), all but the offerings (a relation).
ENTRY_FIELDS = (
    "tidpunkt",
    "kanal",
    "vem",
    "aldersgrupp",
    "behov",
    "utfall",
    "omrade",
    "minuter",
    "anteckning",
    "serie",
)


@transaction.atomic
def call_log_entry_create(
    *,
    author,
    fields: dict,
    insatser: Iterable = (),
    submission_key: uuid.UUID | None = None,
    municipality_id: int | None = None,
) -> tuple[CallLogEntry, bool]:
    """Store one contact; `(entry, created)`. A form sent twice (same `submission_key`)
    returns the first entry and stores nothing. `municipality_id`: the navigator's
    municipality (default: settings.DEFAULT_MUNICIPALITY)."""
    if submission_key is not None:
        existing = CallLogEntry.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, False
    entry = CallLogEntry(
        author=author,
        submission_key=submission_key,
        **({"municipality_id": municipality_id} if municipality_id else {}),
        **{name: fields[name] for name in ENTRY_FIELDS if name in fields},
    )
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin may win the unique key
            entry.save()
    except IntegrityError:
        return CallLogEntry.objects.get(submission_key=submission_key), False
    entry.insatser.set(list(insatser))
    return entry, True


@transaction.atomic
def call_log_no_content_record(
    *, author, kind: str, tidpunkt: datetime | None = None, municipality_id: int | None = None
) -> CallLogEntry:
    """One click: a call with nothing to record (wrong number, silent, …), counted apart."""
    if kind not in NoContent.values:
        raise ValueError(f"Unknown no-content kind: {kind!r}")
    return CallLogEntry.objects.create(
        author=author,
        tidpunkt=tidpunkt or timezone.now(),
        kanal=Channel.PHONE,
        vem=Caller.UNKNOWN,
        aldersgrupp=AgeGroup.UNKNOWN,
        utan_innehall=kind,
        **({"municipality_id": municipality_id} if municipality_id else {}),
    )


@transaction.atomic
def call_log_entry_update(
    *, entry: CallLogEntry, acting_user, fields: dict, insatser: Iterable = ()
) -> CallLogEntry:
    """Change an entry: only its author, only on the day it was recorded (history kept)."""
    if not may_edit(entry, acting_user):
        raise PermissionDenied
    for name in ENTRY_FIELDS:
        if name in fields:
            setattr(entry, name, fields[name])
    entry._history_user = acting_user
    entry.save()
    entry.insatser.set(list(insatser))
    return entry


@transaction.atomic
def call_notes_purge(*, retention_days: int, now: datetime | None = None) -> int:
    """Blank the notes of calls older than `retention_days`, in the entries and in their
    history rows, so the text is really gone; every count stays. Returns entries changed."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days)
    old = CallLogEntry.objects.filter(tidpunkt__lt=cutoff).values("pk")
    changed = CallLogEntry.objects.with_note_older_than(cutoff).update(anteckning="")
    # Update (not save): no new history row carries the note on, and the old ones are blanked,
    # those of entries whose time was later edited included (SQL: ... OR id IN (SELECT ...)).
    CallLogEntry.history.filter(Q(tidpunkt__lt=cutoff) | Q(id__in=old)).exclude(
        anteckning=""
    ).update(anteckning="")
    return changed
