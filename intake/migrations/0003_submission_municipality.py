"""Applications and reports of concern per municipality: whose social office receives each.
Those from before belong to the default municipality (settings.DEFAULT_MUNICIPALITY)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import providers.models.municipality

MODELS = ("application", "concernreport")


def existing_submissions_to_default(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("intake", name)
        if not model.objects.exists():
            continue
        Municipality = apps.get_model("providers", "Municipality")
        slug = settings.DEFAULT_MUNICIPALITY
        default, _created = Municipality.objects.get_or_create(
            slug=slug, defaults={"name": slug.replace("-", " ").title()}
        )
        model.objects.filter(municipality__isnull=True).update(municipality=default)


def field(*, null: bool):
    return models.ForeignKey(
        null=null,
        default=None if null else providers.models.municipality.default_municipality_id,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="providers.municipality",
        verbose_name="kommun",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_event_by_name"),
        ("providers", "0012_provider_default_municipality_and_region"),
    ]

    operations = [
        *(
            migrations.AddField(model_name=name, name="municipality", field=field(null=True))
            for name in MODELS
        ),
        migrations.RunPython(existing_submissions_to_default, migrations.RunPython.noop),
        *(
            migrations.AlterField(model_name=name, name="municipality", field=field(null=False))
            for name in MODELS
        ),
    ]
