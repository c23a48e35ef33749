"""Re-encrypt every stored submission with the current (first) key, and recompute the keyed
hashes with the current hash key. Run it after putting a new key first in DJANGO_INTAKE_KEYS;
remove the old key once it has finished (and the 30-minute drafts in sessions have expired)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from intake import crypto
from intake.fields import EncryptedTextField
from intake.models import (
    Application,
    ApplicationEvent,
    ConcernReport,
    ConcernReportEvent,
    ContactRequest,
    ContactRequestEvent,
)

MODELS = [
    ContactRequest,
    ContactRequestEvent,
    Application,
    ApplicationEvent,
    ConcernReport,
    ConcernReportEvent,
]
# Hash columns and the encrypted value each is computed from (with its purpose).
HASHES = {
    Application: [("personnummer_hash", "personnummer", "personnummer")],
    ConcernReport: [("barn_hash", "barn_personnummer", "barn-personnummer")],
}
BATCH = 500


def rotate_all() -> dict[str, int]:
    """Rows rewritten per model. Reading decrypts with any configured key; writing encrypts
    with the first, so saving the values as read re-encrypts them."""
    counts = {}
    for model in MODELS:
        fields = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
        hashes = HASHES.get(model, [])
        done = 0
        with transaction.atomic():
            batch = []
            for row in model.objects.order_by("pk").iterator(chunk_size=BATCH):
                for column, source, purpose in hashes:
                    setattr(row, column, crypto.keyed_hash(purpose, getattr(row, source)))
                batch.append(row)
                if len(batch) == BATCH:
                    model.objects.bulk_update(batch, fields + [h[0] for h in hashes])
                    done += len(batch)
                    batch = []
            if batch:
                model.objects.bulk_update(batch, fields + [h[0] for h in hashes])
                done += len(batch)
        counts[model._meta.label] = done
    return counts


class Command(BaseCommand):
    help = "Re-encrypts submissions with the current intake key and recomputes keyed hashes."

    def handle(self, *args, **options):
        counts = rotate_all()
        if options["verbosity"] > 0:
            for label, count in counts.items():
                self.stdout.write(f"{label}: {count} rader krypterade på nytt")
