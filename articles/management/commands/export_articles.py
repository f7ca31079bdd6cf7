from django.core.management.base import BaseCommand

from articles.exporter import export_articles


class Command(BaseCommand):
    help = "把所有文章（含草稿）导出为带文件头的 Markdown 文件，每篇一个 <slug>.md"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="导出目录，不存在会自动创建")

    def handle(self, *args, directory, **options):
        count = export_articles(directory)
        self.stdout.write(f"已导出 {count} 篇文章到 {directory}")
