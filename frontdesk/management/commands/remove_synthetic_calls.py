"""Remove the synthetic call-log data that seed_call_log wrote; real contacts are never touched."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from frontdesk.models import CallLogEntry

SYNTHETIC_USERNAME = "syntetisk-data"  # seed_call_log's author


@transaction.atomic
def remove_synthetic_calls() -> int:
    """Delete every synthetic entry, its history rows, and the synthetic author once it has no
    entries left (and only if it is still the inactive account without a password the seed
    made). Returns the number of entries deleted."""
    entries = CallLogEntry.objects.filter(syntetisk=True)
    count = entries.count()
    CallLogEntry.insatser.through.objects.filter(calllogentry__in=entries).delete()
    CallLogEntry.history.filter(syntetisk=True).delete()  # their M2M history cascades
    # Nothing else refers to an entry, so one plain DELETE does: a model delete() would first
    # write a history row for each of the ~1,300 entries (a query or three each) only for it
    # to be deleted again.
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(CallLogEntry._meta.db_table)
        # The table name is the model's own, quoted; the value is a parameter.
        cursor.execute(f"DELETE FROM {table} WHERE syntetisk = %s", [True])  # noqa: S608
    author = get_user_model().objects.filter(username=SYNTHETIC_USERNAME).first()
    if (
        author is not None
        and not author.is_active
        and not author.has_usable_password()
        and not CallLogEntry.objects.filter(author=author).exists()
    ):
        author.delete()
    return count


class Command(BaseCommand):
    help = "Deletes the synthetic call-log data made by seed_call_log (and its history)."

    def handle(self, *args, **options):
        count = remove_synthetic_calls()
        if options["verbosity"] > 0:
            self.stdout.write(f"Tog bort {count} syntetiska samtal ur samtalsloggen.")
