from time import monotonic

from django.core.management.base import BaseCommand

from articles.search.indexing import build, merge


class Command(BaseCommand):
    help = "重建搜索索引：新索引建好后才替换旧的，重建期间搜索照常可用（--merge-only 只合并小分段）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--procs", type=int, default=None, help="写索引的进程数（默认 KB_SEARCH_BUILD_PROCS）"
        )
        parser.add_argument(
            "--limitmb",
            type=int,
            default=None,
            help="每个写进程的内存池，MB（默认 KB_SEARCH_BUILD_LIMITMB）",
        )
        parser.add_argument(
            "--merge-only", action="store_true", help="不重建，只合并编辑保存留下的小分段"
        )

    def handle(self, *args, procs, limitmb, merge_only, **options):
        started = monotonic()
        if merge_only:
            merge()
            self.stdout.write(f"搜索索引：小分段已合并，用时 {monotonic() - started:.1f} 秒")
            return
        count = build(procs=procs, limitmb=limitmb)
        self.stdout.write(f"搜索索引：已索引 {count} 篇文章，用时 {monotonic() - started:.1f} 秒")
