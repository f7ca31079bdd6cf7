"""The search synonym 报道 / 报导 (mainland / Taiwan) for databases made before it joined the
display vocabulary. A fresh database already has it from 0008; get_or_create keeps it single."""

from django.db import migrations

TERMS = "报道, 报导"


def add_group(apps, schema_editor):
    apps.get_model("articles", "Synonym").objects.get_or_create(terms=TERMS)


def remove_group(apps, schema_editor):
    apps.get_model("articles", "Synonym").objects.filter(terms=TERMS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_review_role"),
    ]

    operations = [
        migrations.RunPython(add_group, remove_group),
    ]
