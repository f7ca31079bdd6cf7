from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importer import import_files

SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm"}


class Command(BaseCommand):
    help = "导入文章：抓取的网页文本（UTF-8/GB18030/Big5）或本项目的文章文件（带文件头的 Markdown）"

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="文件或目录；目录导入其中的 .txt/.md/.html（README 除外）",
        )
        parser.add_argument(
            "--publish", action="store_true", help="没有待处理问题的网页直接发布（否则存为草稿）"
        )

    def handle(self, *args, paths, publish, **options):
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(
                    sorted(
                        p
                        for p in path.iterdir()
                        if p.suffix.lower() in SUFFIXES and p.stem.upper() != "README"
                    )
                )
            else:
                files.append(path)
        if not files:
            raise CommandError("没有可导入的文件（目录里没有 .txt、.md 或 .html 文件）")
        report = import_files(files, publish=publish)
        for result in report.results:
            (self.stdout if result.ok else self.stderr).write(result.line())
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(f"{report.failed} 个文件导入失败，见上面的原因")
