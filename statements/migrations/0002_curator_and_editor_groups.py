"""Create the Curator and Editor groups with their permissions.

Curators add and change everything but cannot publish or delete; editors can also publish
and delete. Permissions are normally created after migrations, so they are created here first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["official", "organization", "role", "outlet", "article", "meeting", "topic", "statement"]

GROUPS = {
    "Curator": [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")],
    "Editor": [
        f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")
    ]
    + ["publish_statement"],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="statements", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
