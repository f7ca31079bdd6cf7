"""The index catches up: every save queues its article in the same transaction, and the queue
is drained after the commit, after a busy lock frees (without another save) and at start-up
(`manage.py index_queue --drain`, which `make serve` and `make run` run before serving)."""

import io
import json
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from whoosh.filedb.filestore import FileStorage

from articles.models import IndexTask, LenderAlias
from articles.search import queue, signals
from loadtest.server import BASE_DIR, manage, server_env
from tests import sqlite_files
from tests.conftest import index_at
from tests.factories import make_article, make_lender
from tests.test_search_recovery import _garbage_toc

pytestmark = pytest.mark.django_db


def _titles(client, query):
    body = json.loads(client.get("/api/search/", {"q": query}).content)
    return [result["title"] for result in body["results"]]


def _total(client, query):
    return json.loads(client.get("/api/search/", {"q": query}).content)["total"]


def _queued():
    return {(task.article_id, task.reason) for task in IndexTask.objects.all()}


def _index_queue(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("index_queue", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


@pytest.fixture
def saves(search_index, django_capture_on_commit_callbacks):
    """Run the block like a committed transaction: the after-commit drain happens."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def dies_after_commit(search_index, django_capture_on_commit_callbacks, monkeypatch):
    """Commit like a process killed right after its commit: no after-commit drain."""

    @contextmanager
    def committed_then_killed():
        with monkeypatch.context() as patch:
            patch.setattr(signals, "_flush", lambda: None)
            with django_capture_on_commit_callbacks(execute=True):
                yield

    return committed_then_killed


def test_a_save_queues_its_article_until_the_index_has_it(client, saves):
    with saves(), transaction.atomic():
        article = make_article("测排队的文章")
        assert _queued() == {(article.pk, "saved")}  # in the save's own transaction
    assert _queued() == set()
    assert _titles(client, "测排队的文章") == ["测排队的文章"]


def test_a_rolled_back_save_leaves_nothing_queued(client, saves):
    with saves():
        try:
            with transaction.atomic():
                make_article("测回滚的文章")
                assert len(_queued()) == 1
                raise RuntimeError("the editor's save failed")
        except RuntimeError:
            pass
    assert _queued() == set()
    assert _titles(client, "测回滚的文章") == []


def test_saves_that_died_after_their_commit_are_indexed_by_the_start_up_drain(
    client, saves, dies_after_commit
):
    with saves():
        gone = make_article("测已删除的文章")
    gone_pk = gone.pk
    with dies_after_commit():
        article = make_article("测没来得及索引的文章")
        gone.delete()
    assert _titles(client, "测没来得及索引的文章") == []
    assert _total(client, "测已删除的文章") == 1  # still in the index
    assert _queued() == {(article.pk, "saved"), (gone_pk, "deleted")}
    assert _index_queue()[0].startswith("待更新索引：2 篇，最早的已等 ")

    assert _index_queue("--drain") == ("已更新 2 篇；待更新索引：0 篇", "")
    assert _titles(client, "测没来得及索引的文章") == ["测没来得及索引的文章"]
    assert _total(client, "测已删除的文章") == 0


def test_the_next_save_catches_up_with_what_a_dead_writer_left(client, saves, dies_after_commit):
    with dies_after_commit():
        make_article("测被遗留的文章")
    with saves():
        make_article("测后来的文章")
    assert _titles(client, "测被遗留的文章") == ["测被遗留的文章"]
    assert _queued() == set()


def test_a_lender_change_that_died_after_its_commit_is_caught_up(client, saves, dies_after_commit):
    lender = make_lender("测队列贷")
    with saves():
        article = make_article("测队列贷的催收", lender=lender)
    assert _titles(client, "测后加别名") == []  # this process has loaded the lender names
    with dies_after_commit():
        LenderAlias.objects.create(lender=lender, name="测后加别名")
    assert _queued() == {(article.pk, "lender")}
    _index_queue("--drain")
    assert _titles(client, "测后加别名") == ["测队列贷的催收"]


def test_an_article_queued_again_while_it_was_indexed_stays_queued(saves):
    with saves():
        article = make_article("测又改了一次")
    queue.add([article.pk], queue.Reason.SAVED)
    read = queue.take()
    queue.add([article.pk], queue.Reason.SAVED)  # another editor's save, mid-drain
    assert queue.done(read) == 0
    assert _queued() == {(article.pk, "saved")}
    assert queue.done(queue.take()) == 1


def test_a_drain_into_a_damaged_index_keeps_the_articles_queued_with_the_error(
    client, saves, dies_after_commit, search_index
):
    with saves():
        make_article("测先有的文章")
    with dies_after_commit():
        article = make_article("测损坏时排队的文章")
    _garbage_toc(search_index)
    out, err = _index_queue("--drain")
    assert err.startswith("搜索索引没能更新（")  # the exception's type depends on the damage
    assert err.endswith("），文章留在队列；运行 rebuild_index --noinput 重建")
    assert out == "待更新索引：1 篇，最早的已等 0 秒，其中 1 篇上次失败"
    (task,) = IndexTask.objects.all()
    assert (task.article_id, task.attempts) == (article.pk, 1)
    assert task.last_error.startswith(err[len("搜索索引没能更新（") : err.index("）")])

    call_command("build_search_index", procs=1, stdout=io.StringIO())
    assert _queued() == set()
    assert _titles(client, "测损坏时排队的文章") == ["测损坏时排队的文章"]


# Real processes: a writer killed with SIGKILL, a writer that meets a busy index


KILLED_AFTER_COMMIT = """
import os, signal
from django.db import transaction
from articles.models import Article, Section
with transaction.atomic():
    # Registered before the save's own callback: the process dies after the commit and
    # before the index is written.
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    article = Article.objects.create(title="测被杀的保存", status="published")
    Section.objects.create(article=article, kind="origin", heading="来电来源", body="测孤零零")
"""

# Saves while another process holds the index's lock, then stays alive (as a web worker
# would) until its standard input is closed.
SAVES_AND_WAITS = """
import sys
from articles.models import Article
Article.objects.create(title="测等锁的文章", status="published")
print("SAVED", flush=True)
sys.stdin.read()
"""

SEARCH = """
from articles.search.searching import search
print("|".join(result.title for result in search({query!r}).results))
"""


@pytest.fixture
def site(tmp_path):
    """A data dir of its own: a migrated SQLite file and a built (empty) index."""
    env = server_env(tmp_path, KB_SEARCH_LOCK_TIMEOUT="1", KB_SEARCH_RETRY_SECONDS="1")
    sqlite_files.migrated_copy(Path(env["KB_DATA_DIR"]))
    manage(env, "build_search_index", "--procs", "1")
    return env


def _search(env, query):
    return manage(env, "shell", "-v", "0", "-c", SEARCH.format(query=query)).stdout.strip()


def _documents(env) -> int:
    return FileStorage(str(Path(env["KB_DATA_DIR"]) / "whoosh_index")).open_index().doc_count()


def _rows_in_queue(env) -> int:
    with closing(sqlite3.connect(Path(env["KB_DATA_DIR"]) / "kb.sqlite3", timeout=30)) as db:
        return db.execute(f"SELECT count(*) FROM {IndexTask._meta.db_table}").fetchone()[0]


def test_a_writer_killed_after_its_commit_loses_nothing(site):
    killed = manage(site, "shell", "-v", "0", "-c", KILLED_AFTER_COMMIT, check=False)
    assert killed.returncode == -signal.SIGKILL
    assert _search(site, "测孤零零") == ""
    assert manage(site, "index_queue").stdout.startswith("待更新索引：1 篇")

    started = manage(site, "index_queue", "--drain")  # what make serve runs before gunicorn
    assert started.stdout.strip() == "已更新 1 篇；待更新索引：0 篇"
    assert _search(site, "测孤零零") == "测被杀的保存"


def test_a_save_that_met_a_busy_index_is_searchable_once_the_lock_frees(site):
    with index_at(Path(site["KB_DATA_DIR"]) / "whoosh_index"):
        from articles.search import state

        with state.write_lock():  # another process writing, for longer than the save waits
            writer = subprocess.Popen(
                [sys.executable, "manage.py", "shell", "-v", "0", "-c", SAVES_AND_WAITS],
                cwd=BASE_DIR,
                env=site,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                assert writer.stdout.readline().strip() == "SAVED"
                assert _documents(site) == 0
            except BaseException:
                writer.kill()
                raise
    try:
        # No other save, no command: the writer's own retry picks the article up and then
        # clears its queue row (leaving before that would rightly keep the row for a drain).
        deadline = time.monotonic() + 60
        while (_documents(site) == 0 or _rows_in_queue(site)) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        _, stderr = writer.communicate("", timeout=60)
    assert "稍后由下一次写入补做索引" in stderr  # it did meet the busy lock
    assert "Traceback" not in stderr
    assert _search(site, "测等锁的文章") == "测等锁的文章"
    assert manage(site, "index_queue").stdout.strip() == "待更新索引：0 篇"
