"""Default conversion overrides: words this site uses constantly that OpenCC gets wrong.

- 发布: OpenCC's phrase table turns 丝发 into 絲髮 (hair), so 粉丝发布 became 粉絲髮布; and
  Taiwan's standard form is 發布 (Hong Kong writes 發佈). An override's term is protected from
  OpenCC's phrase matching, so one row fixes both.
- 账户 / 账号 / 账单: s2tw gives 賬戶 (the Hong Kong form; Taiwan writes 帳戶), and t2s turns a
  Taiwan original's 帳戶 into 帐户 (mainland standard: 账户).

Editors may change or delete these rows in the admin.
"""

from django.db import migrations

from kb.vocabulary import DEFAULT_OVERRIDES


def add_defaults(apps, schema_editor):
    ConversionOverride = apps.get_model("articles", "ConversionOverride")
    for hans, hant, hk, note in DEFAULT_OVERRIDES:
        ConversionOverride.objects.get_or_create(
            hans=hans, defaults={"hant": hant, "hk": hk, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editor_group"),
    ]

    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
    ]
