"""The `redaktor` group: kommun editors who may edit the catalogue and nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "redaktor"
EDITABLE = ["provider", "offering", "location", "contactpoint", "weeklyhours", "hoursexception", "method"]
WORDING_ONLY = ["need", "area"]  # fixed codes: the wording may be improved, rows not added


def codenames():
    names = [f"{action}_{model}" for model in EDITABLE for action in ("add", "change", "delete", "view")]
    names += [f"{action}_{model}" for model in WORDING_ONLY for action in ("change", "view")]
    return names


def create(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now so we can grant them.
    app_config = apps.get_app_config("providers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="providers", codename__in=codenames())
    )


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0002_vocabularies"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create, remove)]
