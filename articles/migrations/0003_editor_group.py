"""The 编辑 group: may write content, may not manage users or groups.

Permissions are normally created after all migrations have run (post_migrate), so they are
created here first for a fresh database. The list is frozen in this file on purpose: a later
change of editors' rights is a new migration, not an edit of this one.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "编辑"

# (model, actions). Deleting a section, alias or number is part of editing its article or
# lender; deleting whole articles and lenders is left to administrators (withdraw instead).
PERMISSIONS = [
    ("article", ("add", "change", "view")),
    ("section", ("add", "change", "delete", "view")),
    ("lender", ("add", "change", "view")),
    ("lenderalias", ("add", "change", "delete", "view")),
    ("officialnumber", ("add", "change", "delete", "view")),
    ("conversionoverride", ("add", "change", "delete", "view")),
    ("synonym", ("add", "change", "delete", "view")),
    ("searchmiss", ("view",)),
    ("feedback", ("view",)),
]


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS for action in actions]
    perms = list(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    missing = set(codenames) - {perm.codename for perm in perms}
    if missing:
        raise RuntimeError(f"permissions not found: {sorted(missing)}")
    group.permissions.set(perms)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_lender_registry"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
