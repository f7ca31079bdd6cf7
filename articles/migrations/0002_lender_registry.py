from django.db import migrations


def install_registry(apps, schema_editor):
    from articles import registry

    registry.install(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install_registry, migrations.RunPython.noop),
    ]
