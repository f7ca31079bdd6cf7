from django.core.management.base import BaseCommand, CommandError

from articles.importer import import_files


class Command(BaseCommand):
    help = "导入文章：抓取的网页文本（UTF-8/GB18030/Big5）或本项目的文章文件（带文件头的 Markdown）"

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="文件或目录；目录导入其中的 .txt/.md/.html（README 除外）；符号链接一律不导入",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=(
                "没有待处理问题的文章直接发布，并允许更新已发布的文章"
                "（不加时：网页存为草稿，要求发布的文章文件存为待审核，已发布的文章不被改动）"
            ),
        )

    def handle(self, *args, paths, publish, **options):
        report = import_files(paths, publish=publish)
        if not report.results:
            raise CommandError("没有可导入的文件（目录里没有 .txt、.md 或 .html 文件）")
        for result in report.results:
            (self.stdout if result.ok else self.stderr).write(result.line())
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(f"{report.failed} 个文件导入失败，见上面的原因")
