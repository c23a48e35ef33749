"""Load or refresh the Linköping catalogue (fixtures/catalogue.json) and rebuild search text."""

from django.core.management.base import BaseCommand

from providers import services


class Command(BaseCommand):
    help = "Loads fixtures/catalogue.json (safe to run again: rows are updated, not duplicated)."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default="catalogue")

    def handle(self, *args, fixture: str, **options):
        count = services.catalogue_load(fixture=fixture)
        self.stdout.write(self.style.SUCCESS(f"Katalogen inläst: {count} insatser."))
