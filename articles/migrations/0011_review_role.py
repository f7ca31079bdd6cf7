"""The review step (issue 13): the publish permission, the 审核 group that holds it, the
reviewer's note to the editor, the 通用文章 mark, and editors may dismiss search misses.

Like 0003, the permission lists are frozen here; a later change of rights is a new migration.
Articles already published without a lender were general articles (the field's help text said
so): they are marked 通用, so the publishing checks do not hold them back.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR_GROUP = "编辑"
REVIEWER_GROUP = "审核"
# A reviewer reads and fixes what they publish, so the group can stand on its own.
REVIEWER_PERMISSIONS = [
    "publish_article",
    "add_article",
    "change_article",
    "view_article",
    "add_section",
    "change_section",
    "delete_section",
    "view_section",
    "view_lender",
    "view_searchmiss",
    "delete_searchmiss",
    "view_feedback",
]


def _permissions(apps, schema_editor, codenames):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    perms = list(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    missing = set(codenames) - {perm.codename for perm in perms}
    if missing:
        raise RuntimeError(f"permissions not found: {sorted(missing)}")
    return perms


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    reviewers, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    reviewers.permissions.set(_permissions(apps, schema_editor, REVIEWER_PERMISSIONS))
    editors, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    editors.permissions.add(*_permissions(apps, schema_editor, ["delete_searchmiss"]))
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status="published", lender__isnull=True).update(general=True)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=REVIEWER_GROUP).delete()
    Permission = apps.get_model("auth", "Permission")
    dismiss = Permission.objects.filter(
        content_type__app_label="articles", codename="delete_searchmiss"
    )
    for group in Group.objects.filter(name=EDITOR_GROUP):
        group.permissions.remove(*dismiss)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_number_reports"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-updated_at", "-id"],
                "permissions": [("publish_article", "可以发布文章（审核）")],
                "verbose_name": "文章",
                "verbose_name_plural": "文章",
            },
        ),
        migrations.AddField(
            model_name="article",
            name="general",
            field=models.BooleanField(
                default=False,
                help_text="适用于各家借贷产品、不讲某一家的文章（如投诉渠道、法律常识）；勾选后不选借贷产品也能发布",
                verbose_name="通用文章",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="review_note",
            field=models.TextField(
                blank=True,
                help_text="审核人退回修改时写给编辑的话；文章发布时清空",
                verbose_name="审核意见",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="lender",
            field=models.ForeignKey(
                blank=True,
                help_text="文章讲的是哪个产品的催收；通用文章可留空（并勾选“通用文章”）",
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="articles",
                to="articles.lender",
                verbose_name="借贷产品",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
