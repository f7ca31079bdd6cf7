"""Search synonyms for the mainland / Taiwan words of the display vocabulary (短信 / 簡訊 was
already a group; 转账 / 轉帳, 身份证 / 身分證, 联系人 / 聯絡人 … are added): folding is per
character, so 轉帳 is found as 转帐, never 转账, unless the two are synonyms.

Editors may change or delete these rows in the admin; a row an editor already has with the
same text is left alone. Undoing the migration removes only rows still exactly as shipped.
"""

from django.db import migrations

from articles.search.synonyms import VOCABULARY_SYNONYMS


def add_groups(apps, schema_editor):
    Synonym = apps.get_model("articles", "Synonym")
    for terms in VOCABULARY_SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)


def remove_groups(apps, schema_editor):
    Synonym = apps.get_model("articles", "Synonym")
    Synonym.objects.filter(terms__in=VOCABULARY_SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_index_queue"),
    ]

    operations = [
        migrations.RunPython(add_groups, remove_groups),
    ]
