"""Blank call-log notes older than CALL_NOTE_RETENTION_DAYS; meant for a nightly cron job."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from frontdesk import services


class Command(BaseCommand):
    help = (
        "Blank the notes of calls older than CALL_NOTE_RETENTION_DAYS (default 90), in the "
        "entries and their history; the entries and every count stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention in days (default: the CALL_NOTE_RETENTION_DAYS setting).",
        )

    def handle(self, *args, days: int | None = None, **options):
        retention = settings.CALL_NOTE_RETENTION_DAYS if days is None else days
        if retention < 0:
            self.stderr.write("--days must be 0 or more.")
            return
        changed = services.call_notes_purge(retention_days=retention)
        if options["verbosity"] > 0:
            self.stdout.write(f"Blanked {changed} call-log notes older than {retention} days.")
