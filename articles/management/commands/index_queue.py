from django.core.management.base import BaseCommand

from articles.search import queue
from articles.search.indexing import reindex


class Command(BaseCommand):
    help = "显示等待写进搜索索引的文章；--drain 立即写入（make serve / make run 启动前运行）"

    def add_arguments(self, parser):
        parser.add_argument("--drain", action="store_true", help="把排队的文章写进搜索索引")

    def handle(self, *args, drain, **options):
        done = ""
        if drain:
            try:
                done = f"已更新 {reindex()} 篇；"
            except Exception as exc:  # a damaged index: the site still serves articles
                self.stderr.write(
                    f"搜索索引没能更新（{type(exc).__name__}），文章留在队列；"
                    "运行 rebuild_index --noinput 重建"
                )
        self.stdout.write(done + queue.backlog().describe())
