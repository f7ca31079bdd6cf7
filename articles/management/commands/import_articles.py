from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importer import import_files

SUFFIXES = {".txt", ".md", ".markdown", ".text"}


class Command(BaseCommand):
    help = "导入文章文件（抓取的网页文本或本项目的文章格式）；可给目录，导入其中的 .txt/.md 文件"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--publish", action="store_true", help="没有待处理问题的文章直接发布（否则存为草稿）"
        )

    def handle(self, *args, paths, publish, **options):
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES))
            else:
                files.append(path)
        if not files:
            raise CommandError("目录里没有 .txt 或 .md 文件")
        report = import_files(files, publish=publish)
        for result in report.results:
            (self.stdout if result.ok else self.stderr).write(result.line())
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(f"{report.failed} 个文件导入失败，见上面的原因")
