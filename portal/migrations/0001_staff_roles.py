"""The staff roles (DOMAIN.md) as groups. `redaktor` comes from providers' migration 0003.

Roles are checked by group name in portal.permissions; the groups carry no model permissions of
their own because their tools are staff pages, not the admin.
"""

from django.db import migrations

ROLES = ["mottagning", "uppfoljning", "handlaggare", "utforare"]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("providers", "0003_editor_group"),
    ]
    operations = [migrations.RunPython(create, remove)]
