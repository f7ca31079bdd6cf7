"""The index follows edits, survives concurrent writers, and builds from scratch."""

import json
import multiprocessing
import threading

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Article, IndexTask, LenderAlias, Section
from articles.search import backend as search_backend
from articles.search import indexing, lexicon, merging, searching, state
from articles.search.query import parse
from tests.factories import make_article, make_lender, make_number

pytestmark = pytest.mark.django_db


def _total(client, query):
    return json.loads(client.get("/api/search/", {"q": query}).content)["total"]


def _titles(client, query):
    body = json.loads(client.get("/api/search/", {"q": query}).content)
    return [result["title"] for result in body["results"]]


@pytest.fixture
def saves(search_index, django_capture_on_commit_callbacks):
    """Run the block like a committed transaction: the signal processor's work happens."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_saving_a_published_article_makes_it_searchable(client, saves):
    with saves():
        make_article("测新文章讲催收", sections=[("legality", "合法吗", "测独有词语出现在这里。")])
    assert _titles(client, "测独有词语") == ["测新文章讲催收"]


def test_a_missing_index_directory_is_created_by_the_first_save(client, saves, search_index):
    assert not search_index.exists()
    with saves():
        make_article("测建目录")
    assert search_index.is_dir()
    assert _titles(client, "测建目录") == ["测建目录"]


def test_editing_a_section_reindexes_its_article(client, saves):
    with saves():
        article = make_article("测文章", sections=[("coping", "应对", "测旧词丙丁。")])
    with saves():
        section = article.sections.get()
        section.body = "测崭新戊己。"
        section.save()
    assert _titles(client, "测崭新戊己") == ["测文章"]
    assert _titles(client, "测旧词丙丁") == []


def test_unpublishing_and_deleting_remove_the_article(client, saves):
    with saves():
        first = make_article("测下架文章")
        second = make_article("测删除文章")
    assert _titles(client, "测下架文章") == ["测下架文章"]
    with saves():
        first.status = Article.Status.DRAFT
        first.save()
        second.delete()
    assert _titles(client, "测下架文章") == []
    assert _titles(client, "测删除文章") == []


def test_an_admin_style_save_reindexes_once_per_transaction(saves, monkeypatch):
    calls = []
    original = search_backend.ChineseWhooshSearchBackend.apply

    def counting(self, index, objects=(), remove_ids=(), **options):
        calls.append(([obj.pk for obj in objects], list(remove_ids)))
        return original(self, index, objects, remove_ids, **options)

    monkeypatch.setattr(search_backend.ChineseWhooshSearchBackend, "apply", counting)
    with saves(), transaction.atomic():
        article = make_article("测一次", sections=[("background", "背景", "正文。")] * 5)
        for section in article.sections.all():
            section.body += "改。"
            section.save()
        article.summary = "摘要"
        article.save()
    assert calls == [([article.pk], [])]


def test_a_rolled_back_edit_never_reaches_the_index(client, saves):
    with saves():
        try:
            with transaction.atomic():
                make_article("测回滚文章")
                raise RuntimeError("editor's save failed")
        except RuntimeError:
            pass
    assert _titles(client, "测回滚文章") == []


def test_a_new_alias_is_searchable_at_once_and_joins_jiebas_dictionary(client, saves):
    lender = make_lender("测甲贷")
    with saves():
        make_article("测甲贷的催收", lender=lender)
    assert _titles(client, "测新别名") == []
    with saves():
        LenderAlias.objects.create(lender=lender, name="测新别名")
    assert _titles(client, "测新别名") == ["测甲贷的催收"]
    assert _titles(client, "cexinbieming") == ["测甲贷的催收"]
    assert "测新别名" in lexicon.tokenizer().lcut("我问测新别名的事")


def test_a_new_official_number_finds_the_lenders_articles_in_any_format(client, saves):
    lender = make_lender("测乙贷")
    with saves():
        make_article("测乙贷的催收", lender=lender)
    with saves():
        make_number(lender, "400-123-4567")
    for written in ("4001234567", "400 123 4567", "４００－１２３－４５６７"):
        assert _titles(client, written) == ["测乙贷的催收"], written


def test_renaming_a_lender_reindexes_its_articles(client, saves):
    lender = make_lender("测丙贷")
    with saves():
        make_article("测文章甲", lender=lender)
    with saves():
        lender.name = "测丁贷"
        lender.save()
    assert _titles(client, "测丁贷") == ["测文章甲"]


# Writers


def _write_documents(path, first, count, errors):
    """Run in a child process: index `count` documents through the project's writer."""
    from haystack import connections

    from tests.conftest import index_at

    try:
        with index_at(path):
            backend = connections["default"].get_backend()
            for number in range(first, first + count):
                with backend.writer() as writer:
                    writer.update_document(
                        id=f"articles.article.{number}",
                        django_ct="articles.article",
                        django_id=str(number),
                        title=f"并发{number}",
                    )
    except Exception as exc:  # reported to the parent, which fails the test
        errors.put(repr(exc))


def test_two_processes_writing_at_once_lose_nothing_and_raise_nothing(search_index, db):
    indexing.build(procs=1)
    context = multiprocessing.get_context("fork")
    errors = context.Queue()
    workers = [
        context.Process(target=_write_documents, args=(search_index, first, 15, errors))
        for first in (1000, 2000)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert errors.empty(), errors.get()
    assert [worker.exitcode for worker in workers] == [0, 0]
    from whoosh.filedb.filestore import FileStorage

    index = FileStorage(str(search_index)).open_index()
    assert index.doc_count() == 30


def test_a_busy_index_delays_the_update_without_an_error(client, saves, settings, caplog):
    settings.KB_SEARCH_LOCK_TIMEOUT = 0.2
    with saves():
        make_article("测先有的文章")
    held, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with state.write_lock():
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    held.wait(5)
    try:
        with saves():
            make_article("测等待的文章")
        assert "稍后由下一次写入补做索引" in caplog.text
        assert _titles(client, "测等待的文章") == []
    finally:
        release.set()
        holder.join()
    indexing.reindex([])  # the next writer picks up what was left
    assert _titles(client, "测等待的文章") == ["测等待的文章"]


def test_searches_share_one_snapshot_until_the_index_changes(client, saves):
    with saves():
        article = make_article("测快照")
    engine = searching.engine()
    _titles(client, "测快照")
    first = engine._snapshot
    _titles(client, "测快照")
    assert engine._snapshot is first
    with saves():
        article.title = "测快照改"
        article.save()
    assert _titles(client, "测快照改") == ["测快照改"]
    assert engine._snapshot is not first


def _segment_count():
    from whoosh.filedb.filestore import FileStorage

    from articles.search.whoosh_internals import segments

    return len(segments(FileStorage(str(state.index_path())).open_index()))


def test_tiny_segments_left_by_saves_are_merged_by_a_child_process(client, saves):
    with saves():
        article = make_article("测合并")
    for i in range(merging.MERGE_TINY_AFTER + 1):
        with saves():
            article.summary = f"第{i}次"
            article.save()
    merging.wait()
    assert _segment_count() < merging.MERGE_TINY_AFTER
    assert _titles(client, "测合并") == ["测合并"]
    assert _total(client, "测合并") == 1
    indexing.merge()
    assert _segment_count() == 1
    assert _titles(client, "测合并") == ["测合并"]


def test_a_save_made_while_a_merge_runs_is_kept(client, saves, monkeypatch):
    """The merge copies the tiny segments without the lock; an article saved meanwhile is
    deleted from its old segment, and its merged copy must be deleted too."""
    monkeypatch.setattr(merging, "start", lambda *args: None)
    articles = []
    for i in range(merging.MERGE_TINY_AFTER):
        with saves():
            articles.append(make_article(f"测并{i}号"))
    take_lock = merging.file_lock

    def save_then_lock(*args):
        with saves():
            articles[3].title = "测并改名"
            articles[3].save()
        return take_lock(*args)

    monkeypatch.setattr(merging, "file_lock", save_then_lock)
    assert merging.merge_tiny(state.index_path(), state.lock_path())
    assert _segment_count() == 2  # the merged one and the save's
    assert _titles(client, "测并改名") == ["测并改名"]
    assert "测并3号" not in _titles(client, "测并3号")
    assert _total(client, "测并") == merging.MERGE_TINY_AFTER


def test_a_merge_gives_up_when_a_rebuild_replaced_its_segments(
    client, saves, build_index, monkeypatch
):
    monkeypatch.setattr(merging, "start", lambda *args: None)
    for i in range(merging.MERGE_TINY_AFTER):
        with saves():
            make_article(f"测弃{i}号")
    take_lock = merging.file_lock

    def rebuild_then_lock(*args):
        build_index()
        return take_lock(*args)

    monkeypatch.setattr(merging, "file_lock", rebuild_then_lock)
    assert not merging.merge_tiny(state.index_path(), state.lock_path())
    assert _segment_count() == 1
    assert _total(client, "测弃") == merging.MERGE_TINY_AFTER


def test_a_second_merger_of_the_same_index_stands_aside(saves, monkeypatch):
    monkeypatch.setattr(merging, "start", lambda *args: None)
    for i in range(merging.MERGE_TINY_AFTER):
        with saves():
            make_article(f"测让{i}号")
    path = state.index_path()
    with merging._only_merger(path) as alone:
        assert alone
        assert not merging.merge_tiny(path, state.lock_path())
    assert _segment_count() == merging.MERGE_TINY_AFTER
    assert merging.merge_tiny(path, state.lock_path())
    assert _segment_count() == 1


def test_a_merge_killed_before_its_commit_leaves_the_index_as_it_was(client, saves, monkeypatch):
    monkeypatch.setattr(merging, "start", lambda *args: None)
    for i in range(merging.MERGE_TINY_AFTER):
        with saves():
            make_article(f"测断{i}号")

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(merging, "commit_segments", killed)
    with pytest.raises(KeyboardInterrupt):
        merging.merge_tiny(state.index_path(), state.lock_path())
    assert _segment_count() == merging.MERGE_TINY_AFTER
    assert _total(client, "测断") == merging.MERGE_TINY_AFTER
    assert not state.index_path().with_name("whoosh_index.merging").exists()


# Building


def test_rebuild_index_and_update_index_commands_work(client, search_index):
    make_article("测命令文章一")
    make_article("测命令文章二", status=Article.Status.REVIEW)
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert _titles(client, "测命令文章") == ["测命令文章一"]
    Article.objects.filter(title="测命令文章二").update(status=Article.Status.PUBLISHED)
    call_command("update_index", verbosity=0)
    assert sorted(_titles(client, "测命令文章")) == ["测命令文章一", "测命令文章二"]
    # Unpublished behind the signals' back: --remove finds the stale document.
    Article.objects.filter(title="测命令文章一").update(status=Article.Status.DRAFT)
    assert _total(client, "测命令文章") == 2
    call_command("update_index", remove=True, verbosity=0)
    assert _total(client, "测命令文章") == 1
    call_command("clear_index", interactive=False, verbosity=0)
    assert _titles(client, "测命令文章") == []


def test_build_search_index_swaps_in_a_new_index(client, search_index):
    from io import StringIO

    make_article("测重建文章")
    out = StringIO()
    call_command("build_search_index", procs=1, stdout=out)
    assert out.getvalue().startswith("搜索索引：已索引 1 篇文章")
    assert _titles(client, "测重建文章") == ["测重建文章"]
    make_article("测重建文章二")
    call_command("build_search_index", procs=1, stdout=StringIO())
    assert sorted(_titles(client, "测重建文章")) == ["测重建文章", "测重建文章二"]
    call_command("build_search_index", merge_only=True, stdout=out)
    assert "小分段已合并" in out.getvalue()


def test_a_build_with_two_processes_indexes_the_same_as_one(client, build_index):
    lender = make_lender("测戊贷")
    for i in range(30):
        make_article(f"测批量文章{i}", lender=lender, sections=[("coping", "应对", f"第{i}篇。")])
    assert build_index(procs=1) == 30
    one = _titles(client, "测批量文章")
    assert build_index(procs=2, limitmb=64) == 30
    assert _titles(client, "测批量文章") == one
    assert json.loads(client.get("/api/search/", {"q": "测戊贷"}).content)["total"] == 30
    assert build_index(procs=2, limitmb=64, multisegment=False) == 30  # Whoosh's own merge
    assert _titles(client, "测批量文章") == one
    assert json.loads(client.get("/api/search/", {"q": "测戊贷"}).content)["total"] == 30


# Scoring: no cap — every match is scored, so index order cannot decide the ranking.


def test_the_lenders_own_article_wins_even_when_indexed_last(client, build_index, saves):
    lender = make_lender("测己贷", operator="测己银行")
    make_number(lender, "95999")
    for i in range(40):
        make_article(f"测杂谈{i}", sections=[("other", "杂谈", "顺便提到测己贷和测己银行。")])
    build_index()
    with saves():
        own = make_article(
            "测己贷的催收电话", lender=lender, sections=[("origin", "来源", "说明。")]
        )
    for query in ("测己贷", "测己银行", "ceji dai", "95999"):
        titles = _titles(client, query)
        assert titles[0] == own.title, (query, titles)


def test_ranking_is_the_same_with_and_without_the_postings_cache(build_index, settings):
    lender = make_lender("测庚贷")
    for i in range(300):
        body = "测庚贷" * (1 + i % 7) + "催收电话" * (i % 3)
        make_article(
            f"测庚文章{i}",
            lender=lender if i % 5 == 0 else None,
            sections=[("other", "说明", body)],
        )
    build_index()
    plan = parse("测庚贷催收电话").plan
    settings.KB_SEARCH_POSTINGS_CACHE_MB = 0
    searching.reset()
    cold = searching.engine().run(plan, limit=300)
    settings.KB_SEARCH_POSTINGS_CACHE_MB = 64
    searching.reset()
    engine = searching.engine()
    engine.run(plan, limit=300)
    warm = engine.run(plan, limit=300)
    assert engine.postings._entries  # the long lists were served from memory
    assert warm.docnums == cold.docnums and warm.scores == cold.scores


def test_sections_of_a_deleted_article_leave_no_trace(client, saves):
    with saves():
        article = make_article("测整篇删除", sections=[("risks", "风险", "测删除后的段落。")])
    with saves():
        Section.objects.filter(article=article).delete()
        article.delete()
    assert _titles(client, "测删除后的段落") == []


def test_a_save_whose_merger_cannot_start_still_succeeds(client, saves, monkeypatch, caplog):
    def no_process(*args, **kwargs):
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(merging.subprocess, "Popen", no_process)
    monkeypatch.setattr(merging, "_child", None)
    for i in range(merging.MERGE_TINY_AFTER + 1):
        with saves():
            make_article(f"测无子{i}号")
    assert _total(client, "测无子") == merging.MERGE_TINY_AFTER + 1
    assert "没能启动合并" in caplog.text
    assert not IndexTask.objects.exists()  # nothing left queued as failed
