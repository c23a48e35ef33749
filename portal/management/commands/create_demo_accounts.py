"""Create the local demo accounts, one per role. Refuses to run unless DEBUG demo mode is on."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from portal.permissions import Role
from providers.models import Municipality, Provider
from providers.models.municipality import default_municipality_id

# The provider the demo `utforare` works for (DOMAIN.md).
DEMO_PROVIDER = "familjeteamet"


def demo_password(role: str) -> str:
    return f"{role}-demo"  # local demo only; refused outside DEBUG


class Command(BaseCommand):
    help = "Creates one demo account per staff role for local use (never in production)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS:
            raise CommandError("Demokonton skapas bara lokalt (DJANGO_DEBUG=1).")
        port = os.environ.get("PORT", "8000")
        lines = []
        # Staff see only their municipality's rows: the demo accounts work for the default one.
        municipality = Municipality.objects.get(pk=default_municipality_id())
        for role in Role:
            user, _created = get_user_model().objects.get_or_create(username=role.value)
            user.is_staff = role == Role.REDAKTOR
            user.set_password(demo_password(role.value))
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])
            user.staff_municipalities.set([municipality])
            if role == Role.UTFORARE:
                user.staff_providers.set(Provider.objects.filter(slug=DEMO_PROVIDER))
            lines.append(
                f"  {role.value:<12} lösenord {demo_password(role.value):<17} {role.label}"
            )
        self.stdout.write(
            f"Demokonton (bara lokalt, utan tvåstegsinloggning): "
            f"logga in på http://127.0.0.1:{port}/personal/logga-in/\n" + "\n".join(lines)
        )
