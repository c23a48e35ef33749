"""Create a real staff account with one role. The password is asked for, never an argument."""

import getpass
import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import services
from portal.permissions import Role
from providers.models import Municipality
from providers.models.municipality import default_municipality_id


class Command(BaseCommand):
    help = (
        "Skapar ett personalkonto med en roll. Lösenordet frågas efter (eller läses från "
        "standard in); personen aktiverar tvåstegsinloggning vid första inloggningen."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--roll", required=True, choices=Role.values, dest="role")
        parser.add_argument(
            "--utforare",
            action="append",
            default=[],
            dest="providers",
            metavar="SLUG",
            help="Utförarens adressnamn (för rollen utforare; kan upprepas).",
        )
        parser.add_argument("--epost", default="", dest="email")
        parser.add_argument(
            "--kommun",
            default=settings.DEFAULT_MUNICIPALITY,
            dest="municipality",
            metavar="SLUG",
            help=(
                "Kommunen kontot arbetar för; personal ser bara sin kommuns uppgifter "
                f"(standard: {settings.DEFAULT_MUNICIPALITY})."
            ),
        )

    def handle(self, *args, username, role, providers, email, municipality, **options):
        if municipality == settings.DEFAULT_MUNICIPALITY:  # created when missing, as for providers
            default_municipality_id()
        found = Municipality.objects.filter(slug=municipality).first()
        if found is None:
            raise CommandError(f"Okänd kommun: {municipality}")
        password = self._password()
        try:
            with transaction.atomic():
                user = services.staff_account_create(
                    username=username,
                    password=password,
                    role=role,
                    provider_slugs=providers,
                    email=email,
                )
                # Staff see only their municipality's rows; without one they would see none.
                found.staff.add(user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Kontot {user.get_username()} är skapat med rollen {role} i {found.name}. "
                "Vid första inloggningen på /personal/logga-in/ aktiverar personen "
                "tvåstegsinloggning med en app i telefonen."
            )
        )

    def _password(self) -> str:
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Lösenord (minst 12 tecken): ")
        if first != getpass.getpass("Samma lösenord igen: "):
            raise CommandError("Lösenorden var inte lika.")
        return first
