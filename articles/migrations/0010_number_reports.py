"""Readers' reports of numbers that called them (NumberReport), and the 编辑 group's right to
see, hide and merge them."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP = "编辑"
PERMISSIONS = ["view_numberreport", "change_numberreport"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_registry_products"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="NumberReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "digits",
                    models.CharField(
                        db_index=True,
                        help_text="纯数字，不带 +86 和分机号",
                        max_length=20,
                        verbose_name="号码",
                    ),
                ),
                (
                    "said",
                    models.CharField(
                        choices=[
                            ("collection", "自称催收"),
                            ("court", "自称法院、律师或公安"),
                            ("transfer", "要求转账"),
                            ("other", "其他"),
                        ],
                        max_length=12,
                        verbose_name="对方说了什么",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "待审核"),
                            ("shown", "已公开计数"),
                            ("hidden", "已隐藏"),
                        ],
                        db_index=True,
                        default="pending",
                        help_text="只有“已公开计数”的报告计入页面上的人数",
                        max_length=8,
                        verbose_name="状态",
                    ),
                ),
                (
                    "client",
                    models.CharField(
                        editable=False, max_length=64, verbose_name="读者（加盐散列）"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="首次报告")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="最近更新")),
                (
                    "lender",
                    models.ForeignKey(
                        blank=True,
                        help_text="留空表示读者不确定",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="number_reports",
                        to="articles.lender",
                        verbose_name="对方提到的借贷产品",
                    ),
                ),
            ],
            options={
                "verbose_name": "读者来电报告",
                "verbose_name_plural": "读者来电报告",
                "ordering": ["-updated_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("digits", "client"), name="one_report_per_client"
                    )
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
