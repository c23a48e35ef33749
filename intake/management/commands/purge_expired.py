"""Delete submissions past their retention time, and old access records. Counts only are
logged and printed: never a reference, name or number. Meant for cron (README)."""

from __future__ import annotations

import logging
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from intake.models import AccessRecord, Application, ConcernReport, ContactRequest

logger = logging.getLogger(__name__)
MODELS = [ContactRequest, Application, ConcernReport]


# Still under way however old: a granted decision not yet carried out (it may have to be
# reported to IVO) and an investigation in progress (its deadline may have been extended).
STILL_UNDER_WAY = {
    Application: Q(status="beslutad", decision__in=["beviljad", "delvis"]),
    ConcernReport: Q(status="utreds"),
}


def purge_expired(now=None) -> dict[str, int]:
    """Per kind: finished more than INTAKE_RETENTION_DAYS[kind] days ago, or received more
    than INTAKE_RETENTION_OPEN_DAYS ago unless still under way (those are counted as kept).
    Their events go with them. Expired sessions go too: they may hold an application draft."""
    now = now or timezone.now()
    open_limit = now - timedelta(days=settings.INTAKE_RETENTION_OPEN_DAYS)
    counts = {}
    with transaction.atomic():
        for model in MODELS:
            finished_limit = now - timedelta(days=settings.INTAKE_RETENTION_DAYS[model.KIND])
            under_way = STILL_UNDER_WAY.get(model, Q(pk__in=[]))
            old_open = Q(created_at__lt=open_limit, finished_at__isnull=True)
            expired = model.objects.filter(
                Q(finished_at__lt=finished_limit) | (old_open & ~under_way)
            )
            counts[model.KIND] = expired.count()
            expired.delete()
            if model in STILL_UNDER_WAY:
                kept = model.objects.filter(old_open & under_way).count()
                counts[f"{model.KIND} kvar (pågår)"] = kept
        access_limit = now - timedelta(days=settings.INTAKE_ACCESS_LOG_DAYS)
        old_records = AccessRecord.objects.filter(at__lt=access_limit)
        counts["atkomstlogg"] = old_records.count()
        old_records.delete()
    # Sessions past their expiry, with any application draft in them (encrypted, but the key
    # is on the same server): the database backend keeps them until told to delete them.
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
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
