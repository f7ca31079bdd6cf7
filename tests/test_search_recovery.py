"""A missing or damaged search index: readers still get every article, search says it is
recovering (page and API answer 503), /healthz says degraded, and a rebuild brings it back."""

import io
import json
import logging
import os
import random
import shutil

import pytest
from django.core.management import call_command
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from articles.models import Article, IndexTask, Section
from articles.search import layout, searching
from articles.search.whoosh_internals import toc_file
from tests.factories import make_article, make_lender

pytestmark = pytest.mark.django_db

QUERY = "恢复测试贷"
OTHER_TITLE = "恢复测试的另一篇"
RECOVERING = "搜索正在恢复，请稍后再试。"


@pytest.fixture
def built(build_index, search_index):
    lender = make_lender(name="恢复测试贷", operator="恢复测试银行")
    article = make_article(
        title="恢复测试贷的催收电话是谁打来的",
        lender=lender,
        sections=[("origin", "来电来源", "委外催收公司代为催收。")],
    )
    # Terms in one document only keep their posting in the term table: a second article
    # puts the postings of the words searched below in the postings file.
    make_article(title=OTHER_TITLE, sections=[("coping", "应对", "委外催收公司打来时怎么办。")])
    assert build_index() >= 2
    return search_index, lender, article


def _segment(path):
    (segment,) = path.glob("*.seg")
    return segment


def _toc(path):
    return toc_file(path)


def _remove(path):
    shutil.rmtree(path)


def _empty(path):
    shutil.rmtree(path)
    path.mkdir()


def _truncate_segment(path):
    segment = _segment(path)
    with open(segment, "r+b") as handle:
        handle.truncate(segment.stat().st_size // 2)


def _garbage_segment(path):
    segment = _segment(path)
    segment.write_bytes(os.urandom(segment.stat().st_size))


def _garbage_inside_segment(path, part=".pst"):
    # The segment's directory and term table intact: the index opens and counts its
    # documents, and only reading the postings (or stored fields) fails.
    segment = _segment(path)
    parts = CompoundStorage(FileStorage(str(path)).open_file(segment.name), use_mmap=False)
    (name,) = [name for name in parts.list() if name.endswith(part)]
    offset, length = parts.range(name)
    parts.close()
    data = bytearray(segment.read_bytes())
    data[offset : offset + length] = random.Random(17).randbytes(length)
    segment.write_bytes(bytes(data))


def _garbage_stored_fields(path):
    _garbage_inside_segment(path, "_stored.col")


def _garbage_toc(path):
    _toc(path).write_bytes(b"\x00not a whoosh table of contents")


def _unreadable_toc(path):
    # chmod 000 means nothing to root (these tests may run as root): a TOC that cannot be
    # opened at all fails the same way (OSError) for every user.
    toc = _toc(path)
    toc.unlink()
    toc.mkdir()


def _built_before_layouts(path):
    # An index from before the index recorded its section-kind layout.
    (path / layout.FILE).unlink()


def _built_with_another_layout(path):
    # The bits of today's code moved: kinds numbered in order, ARTICLE_LEVEL right above them.
    kinds = {kind: 1 << i for i, kind in enumerate(Section.Kind.values)}
    old = {"format": 1, "kinds": kinds, "article_level": 1 << len(kinds)}
    (path / layout.FILE).write_text(json.dumps(old))


DAMAGE = {
    "older layout": _built_before_layouts,
    "another layout": _built_with_another_layout,
    "missing directory": _remove,
    "empty directory": _empty,
    "truncated segment": _truncate_segment,
    "garbage segment": _garbage_segment,
    "garbage postings": _garbage_inside_segment,
    "garbage stored fields": _garbage_stored_fields,
    "garbage TOC": _garbage_toc,
    "unreadable TOC": _unreadable_toc,
}


@pytest.fixture(params=list(DAMAGE))
def damaged(request, built, client):
    path, lender, article = built
    DAMAGE[request.param](path)
    searching.reset()  # a worker starting now, or the next one gunicorn forks
    return built


def _assert_recovering_page(response, message="搜索正在恢复，请稍后再试。"):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert message in html
    assert "Traceback" not in html and "Error" not in html
    return html


def test_readers_still_get_every_article(client, damaged):
    _, lender, article = damaged
    for url in ("/", lender.get_absolute_url(), article.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert article.title in response.content.decode(), url
    assert lender.name in client.get("/lenders/").content.decode()
    assert client.get(f"/zh-hant{article.get_absolute_url()}").status_code == 200


def test_the_search_page_says_search_is_recovering(client, damaged):
    _, lender, _ = damaged
    html = _assert_recovering_page(client.get("/search/", {"q": QUERY}))
    # The way on: lenders with articles (from the database) and the lender list.
    assert f'href="{lender.get_absolute_url()}"' in html
    assert 'href="/lenders/"' in html
    _assert_recovering_page(
        client.get("/zh-hant/search/", {"q": QUERY}), "搜尋正在恢復，請稍後再試。"
    )


def test_the_api_answers_503_with_an_empty_result(client, damaged):
    response = client.get("/api/search/", {"q": QUERY})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "query": QUERY,
        "total": 0,
        "results": [],
        "error": RECOVERING,
    }


def test_the_api_speaks_the_readers_script(client, damaged):
    response = client.get("/api/search/", {"q": QUERY, "lang": "zh-hant"})
    assert response.status_code == 503
    assert json.loads(response.content)["error"] == "搜尋正在恢復，請稍後再試。"


def test_suggestions_need_no_index(client, damaged):
    response = client.get("/api/suggest/", {"q": "恢复测试"})
    assert response.status_code == 200
    assert "恢复测试贷" in [s["text"] for s in json.loads(response.content)["suggestions"]]


def test_healthz_reports_degraded(client, damaged):
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["index"]["ok"] is False
    assert body["database"]["ok"] is True


def test_rebuild_index_brings_search_back(client, damaged):
    path, _, article = damaged
    call_command("rebuild_index", interactive=False, verbosity=0)
    response = client.get("/api/search/", {"q": QUERY})
    assert response.status_code == 200
    titles = [r["title"] for r in json.loads(response.content)["results"]]
    assert titles == [article.title, OTHER_TITLE]
    assert client.get("/search/", {"q": QUERY}).status_code == 200
    assert json.loads(client.get("/healthz").content)["status"] == "ok"


def test_build_search_index_brings_search_back_too(client, built):
    path, _, article = built
    _garbage_toc(path)
    assert client.get("/api/search/", {"q": QUERY}).status_code == 503
    call_command("build_search_index", procs=1, stdout=io.StringIO())
    body = json.loads(client.get("/api/search/", {"q": QUERY}).content)
    assert [r["title"] for r in body["results"]] == [article.title, OTHER_TITLE]


def test_an_editors_save_into_a_broken_index_is_kept_for_the_rebuild(
    client, built, django_capture_on_commit_callbacks, caplog
):
    path, lender, _ = built
    _garbage_toc(path)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="恢复测试贷故障时写的文章", lender=lender)  # no exception
    assert "搜索索引没能更新" in caplog.text
    assert IndexTask.objects.get(article_id=article.pk).attempts == 1
    assert json.loads(client.get("/healthz").content)["queue"]["failing"] >= 1
    call_command("rebuild_index", interactive=False, verbosity=0)
    call_command("index_queue", drain=True, stdout=io.StringIO())
    titles = [
        r["title"]
        for r in json.loads(client.get("/api/search/", {"q": "故障时写的文章"}).content)["results"]
    ]
    assert titles == ["恢复测试贷故障时写的文章"]
    assert IndexTask.objects.count() == 0


def test_a_segment_cut_short_under_a_running_process_fails_searches_not_the_process(client, built):
    # With Whoosh's default mmap, reading a mapped page past the new end of the file kills
    # the process with SIGBUS (a gunicorn worker gone mid-request); the engine reads files.
    path, _, _ = built
    assert client.get("/api/search/", {"q": QUERY}).status_code == 200  # snapshot open
    segment = _segment(path)
    with open(segment, "r+b") as handle:
        handle.truncate(segment.stat().st_size // 10)
    for query in ("委外催收", "来电来源", "催收公司", QUERY):
        assert client.get("/api/search/", {"q": query}).status_code in (200, 503), query
    assert client.get("/api/search/", {"q": "委外"}).status_code == 503  # reopened: damaged


def test_a_process_that_searched_before_sees_the_rebuilt_index(client, built):
    # rebuild_index deletes and recreates the directory: on ext4 the new one often gets the
    # old inode, and its generation number may equal the old one's.
    _, _, article = built
    client.get("/api/search/", {"q": QUERY})  # this process holds a snapshot
    Article.objects.filter(pk=article.pk).update(title="恢复测试贷改了标题")  # no signals
    call_command("rebuild_index", interactive=False, verbosity=0)
    body = json.loads(client.get("/api/search/", {"q": QUERY}).content)
    assert [r["title"] for r in body["results"]] == ["恢复测试贷改了标题", OTHER_TITLE]


def _errors_of_three_searches(client, caplog) -> list:
    caplog.set_level(logging.ERROR, logger="articles.search.searching")
    for _ in range(3):
        client.get("/api/search/", {"q": QUERY})
    return [r for r in caplog.records if r.name == "articles.search.searching"]


def test_a_missing_index_is_logged_in_one_line_without_a_traceback(client, built, caplog):
    path, _, _ = built
    _remove(path)
    records = _errors_of_three_searches(client, caplog)
    assert len(records) == 3
    assert all(r.exc_info is None for r in records)
    assert "rebuild_index" in records[0].getMessage()


def test_an_index_of_another_layout_is_logged_in_one_line_naming_rebuild_index(
    client, built, caplog
):
    path, _, _ = built
    _built_with_another_layout(path)
    searching.reset()
    records = _errors_of_three_searches(client, caplog)
    assert len(records) == 3
    assert all(r.exc_info is None for r in records)
    assert "段落类型布局" in records[0].getMessage()
    assert "rebuild_index" in records[0].getMessage()


def test_build_search_index_records_the_layout_it_built_with(client, built):
    path, _, article = built
    _built_before_layouts(path)
    searching.reset()
    assert client.get("/api/search/", {"q": QUERY}).status_code == 503
    call_command("build_search_index", procs=1, stdout=io.StringIO())
    assert layout.stored(path) == layout.LAYOUT
    body = json.loads(client.get("/api/search/", {"q": QUERY}).content)
    assert [r["title"] for r in body["results"]] == [article.title, OTHER_TITLE]


def test_a_damaged_index_logs_its_traceback_once_not_per_search(client, built, caplog, monkeypatch):
    path, _, _ = built
    monkeypatch.setattr(searching, "_last_failure", {"kind": None, "at": 0.0})
    _garbage_toc(path)
    records = _errors_of_three_searches(client, caplog)
    assert len(records) == 3
    assert [r.exc_info is not None for r in records] == [True, False, False]
