"""Delete submissions past their retention time, and old access records. Counts only are
logged and printed: never a reference, name or number. Meant for cron (README)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from intake.models import AccessRecord, Application, ConcernReport, ContactRequest

logger = logging.getLogger(__name__)
MODELS = [ContactRequest, Application, ConcernReport]


def purge_expired(now=None) -> dict[str, int]:
    """Per kind: finished more than INTAKE_RETENTION_DAYS[kind] days ago, or received more
    than INTAKE_RETENTION_OPEN_DAYS ago whatever its status. Their events go with them."""
    now = now or timezone.now()
    open_limit = now - timedelta(days=settings.INTAKE_RETENTION_OPEN_DAYS)
    counts = {}
    with transaction.atomic():
        for model in MODELS:
            finished_limit = now - timedelta(days=settings.INTAKE_RETENTION_DAYS[model.KIND])
            expired = model.objects.filter(
                Q(finished_at__lt=finished_limit) | Q(created_at__lt=open_limit)
            )
            counts[model.KIND] = expired.count()
            expired.delete()
        access_limit = now - timedelta(days=settings.INTAKE_ACCESS_LOG_DAYS)
        old_records = AccessRecord.objects.filter(at__lt=access_limit)
        counts["atkomstlogg"] = old_records.count()
        old_records.delete()
    logger.info("purge_expired: %s", ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


class Command(BaseCommand):
    help = "Deletes submissions and access records past their retention time (counts only)."

    def handle(self, *args, **options):
        counts = purge_expired()
        if options["verbosity"] > 0:
            self.stdout.write(
                "Raderat: " + ", ".join(f"{kind} {count}" for kind, count in counts.items())
            )
