from django.core.management.base import BaseCommand, CommandError

from articles.demo_content import DEMO_DIR, DemoContentError, load_demo


class Command(BaseCommand):
    help = "载入随代码发布的示例文章（articles/demo/），可重复运行，不会产生重复。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="连编辑在后台改过的示例文章也按文件覆盖",
        )

    def handle(self, *args, force=False, **options):
        try:
            result = load_demo(DEMO_DIR, force=force)
        except DemoContentError as exc:
            raise CommandError(str(exc)) from exc
        line = (
            f"示例文章：新建 {result.created} 篇，更新 {result.updated} 篇，"
            f"未变 {result.unchanged} 篇"
        )
        if result.kept:
            line += f"，保留编辑改动 {result.kept} 篇（加 --force 按文件覆盖）"
        self.stdout.write(line)
