from django.db import migrations


def install_registry(apps, schema_editor):
    """Add the products the registry gained for issue 11 (美团月付, 平安银行信用卡…)."""
    from articles import registry

    registry.install(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_vocabulary_synonyms"),
    ]

    operations = [
        migrations.RunPython(install_registry, migrations.RunPython.noop),
    ]
