"""Default synonym groups (articles/search/synonyms.py): what borrowers type for the words
articles use (爸妈 → 家人, 银保监 → 国家金融监督管理总局 / 12378, 个性化分期 → 协商还款 …).

Editors may change or delete these rows in the admin; a row an editor already has with the
same text is left alone. Undoing the migration removes only rows still exactly as shipped.
"""

from django.db import migrations

from articles.search.synonyms import DEFAULT_SYNONYMS


def add_defaults(apps, schema_editor):
    Synonym = apps.get_model("articles", "Synonym")
    for terms in DEFAULT_SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)


def remove_defaults(apps, schema_editor):
    Synonym = apps.get_model("articles", "Synonym")
    Synonym.objects.filter(terms__in=DEFAULT_SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_default_conversion_overrides"),
    ]

    operations = [
        migrations.RunPython(add_defaults, remove_defaults),
    ]
