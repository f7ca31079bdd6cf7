"""Registry products for databases made before them (抖音月付 and four banks' credit cards),
小米金融 as 小米随借's former operator name, and 抖音月付 no longer an alias of 抖音放心借:
it is a product of its own, as 美团月付 is not 美团借钱."""

from django.db import migrations


def install_registry(apps, schema_editor):
    from articles import registry

    LenderAlias = apps.get_model("articles", "LenderAlias")
    LenderAlias.objects.filter(lender__name="抖音放心借", name="抖音月付").delete()
    registry.install(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_synonym_baodao"),
    ]

    operations = [
        migrations.RunPython(install_registry, migrations.RunPython.noop),
    ]
