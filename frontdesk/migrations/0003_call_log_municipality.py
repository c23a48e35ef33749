"""The call log per municipality: each entry belongs to the navigator's municipality. Entries
from before belong to the default municipality (settings.DEFAULT_MUNICIPALITY)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import providers.models.municipality


def existing_entries_to_default(apps, schema_editor):
    for name in ("CallLogEntry", "HistoricalCallLogEntry"):
        model = apps.get_model("frontdesk", name)
        if not model.objects.exists():
            continue
        Municipality = apps.get_model("providers", "Municipality")
        slug = settings.DEFAULT_MUNICIPALITY
        default, _created = Municipality.objects.get_or_create(
            slug=slug, defaults={"name": slug.replace("-", " ").title()}
        )
        model.objects.filter(municipality__isnull=True).update(municipality=default)


def constraints_now(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("frontdesk", "0002_call_log_syntetisk"),
        ("providers", "0012_provider_default_municipality_and_region"),
    ]

    operations = [
        migrations.AddField(
            model_name="calllogentry",
            name="municipality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="providers.municipality",
                verbose_name="kommun",
            ),
        ),
        migrations.AddField(
            model_name="historicalcalllogentry",
            name="municipality",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                default=providers.models.municipality.default_municipality_id,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="providers.municipality",
                verbose_name="kommun",
            ),
        ),
        migrations.RunPython(existing_entries_to_default, migrations.RunPython.noop),
        # The default municipality may just have been created (the field's default): check its
        # deferred foreign keys now, as PostgreSQL refuses to alter a table with pending checks.
        migrations.RunPython(constraints_now, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="calllogentry",
            name="municipality",
            field=models.ForeignKey(
                default=providers.models.municipality.default_municipality_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="providers.municipality",
                verbose_name="kommun",
            ),
        ),
    ]
