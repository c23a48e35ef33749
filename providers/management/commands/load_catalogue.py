"""Load or refresh the catalogue (fixtures/catalogue.json: Linköping; fixtures/kommuner.json:
the five other municipalities of the seeds) and rebuild search text.

Never silently overwrites an editor's change: see services.catalogue_load.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from providers import services


class Command(BaseCommand):
    help = (
        "Loads fixtures/catalogue.json and kommuner.json (safe to run again: rows are updated, "
        "not duplicated, and rows editors changed are kept or, if the file changed them too, "
        "refused)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixture",
            action="append",
            help="A fixture name or path; repeat for several (default: "
            f"{', '.join(services.CATALOGUE_FIXTURES)}).",
        )
        parser.add_argument(
            "--skriv-over-redaktorers-andringar",
            "--overwrite-edits",
            dest="overwrite_edits",
            action="store_true",
            help="Replace editors' changes with the file's facts (they stay in the history).",
        )

    def handle(self, *args, fixture: list[str] | None, overwrite_edits: bool, **options):
        fixture = fixture or services.CATALOGUE_FIXTURES
        try:
            report = services.catalogue_load(fixture=fixture, overwrite_edits=overwrite_edits)
        except (services.CatalogueLoadRefused, FileNotFoundError) as refusal:
            raise CommandError(str(refusal)) from None
        if report.changed:
            message = _(
                "Katalogen inläst: %(created)d nya och %(updated)d ändrade rader, "
                "%(offerings)d insatser."
            ) % {
                "created": report.created,
                "updated": report.updated,
                "offerings": report.offerings,
            }
        else:
            message = _(
                "Katalogen är redan inläst: ingenting ändrades (%(offerings)d insatser)."
            ) % {"offerings": report.offerings}
        self.stdout.write(self.style.SUCCESS(message))
        if report.overwritten:
            self.stdout.write(self.style.WARNING(_("Skrev över redaktörers ändringar i:")))
            self.stdout.write("\n".join(f"  – {row}" for row in report.overwritten))
        if report.kept:
            self.stdout.write(_("Behöll redaktörers ändringar (filen har inget nytt för dem) i:"))
            self.stdout.write("\n".join(f"  – {row}" for row in report.kept))
