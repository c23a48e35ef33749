"""Create the local demo editor account. Refuses to run unless DEBUG demo mode is on."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "redaktor"
DEMO_PASSWORD = "redaktor-demo"  # noqa: S105  (local demo only; refused outside DEBUG)


class Command(BaseCommand):
    help = "Creates the demo editor account for local use (never in production)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS:
            raise CommandError("Demokonton skapas bara lokalt (DJANGO_DEBUG=1).")
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True}
        )
        user.is_staff = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name="redaktor"))
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            f"Redaktör: logga in på http://127.0.0.1:{port}/admin/ som "
            f"{DEMO_USERNAME} med lösenordet {DEMO_PASSWORD}"
        )
