"""GET /healthz: database, search index and index backlog, read-only, never cached; each
failing component says why."""

import json
from datetime import timedelta

import haystack
import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone
from whoosh import fields
from whoosh.index import create_in

from articles.models import IndexTask
from articles.search import layout, searching
from articles.search.whoosh_internals import toc_file
from tests.factories import make_article
from tests.sqlite_files import broken_sqlite, migrated_copy, sqlite_at
from tests.test_search_recovery import _garbage_inside_segment
from tests.unreachable import KINDS, unreachable_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_path(tmp_path):
    """Point haystack's default connection at a directory of this test's own."""
    path = tmp_path / "whoosh_index"
    default = {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(path)}
    with override_settings(
        HAYSTACK_CONNECTIONS={**settings.HAYSTACK_CONNECTIONS, "default": default}
    ):
        haystack.connections.reload("default")
        yield path
    haystack.connections.reload("default")


def _build_index(path, documents):
    path.mkdir()
    index = create_in(str(path), fields.Schema(id=fields.ID(stored=True, unique=True)))
    with index.writer() as writer:
        for number in range(documents):
            writer.add_document(id=f"articles.article.{number}")
    layout.write(path)  # as every index the project builds
    return index


def _healthz(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def test_all_is_well(client, index_path):
    _build_index(index_path, 3)
    response, body = _healthz(client)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] in ("sqlite", "postgresql")
    assert body["database"]["ms"] >= 0
    assert body["index"] == {
        "ok": True,
        "engine": "whoosh",
        "documents": 3,
        "ms": body["index"]["ms"],
    }
    assert "no-cache" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"


def test_a_missing_index_is_degraded_and_is_not_created(client, index_path):
    response, body = _healthz(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["index"]["ok"] is False
    assert body["index"]["error"] == "missing"
    assert not index_path.exists()


def test_an_empty_index_directory_is_degraded(client, index_path):
    index_path.mkdir()
    response, body = _healthz(client)
    assert body["status"] == "degraded"
    assert body["index"]["error"] == "missing"
    assert list(index_path.iterdir()) == []


def test_an_index_built_with_an_older_layout_is_degraded_and_says_to_rebuild(client, index_path):
    _build_index(index_path, 2)
    (index_path / layout.FILE).unlink()
    response, body = _healthz(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["index"]["ok"] is False
    assert body["index"]["error"] == "layout"
    assert body["index"]["documents"] == 2
    assert "段落类型布局" in body["index"]["reason"]
    assert "rebuild_index" in body["index"]["reason"]


def test_a_corrupt_index_is_degraded_not_an_error(client, index_path):
    _build_index(index_path, 2)
    toc_file(index_path).write_bytes(b"\x00garbage, not a whoosh table of contents")
    response, body = _healthz(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["index"]["ok"] is False
    assert body["database"]["ok"] is True


def test_a_writer_holding_the_lock_does_not_block_or_fail_the_check(client, index_path):
    index = _build_index(index_path, 1)
    writer = index.writer()  # an editor's save, mid-commit
    try:
        response, body = _healthz(client)
    finally:
        writer.cancel()
    assert body["status"] == "ok"
    assert body["index"]["documents"] == 1


@pytest.mark.parametrize("kind", KINDS)
def test_an_unreachable_database_is_down_with_503(client, index_path, kind, tmp_path):
    _build_index(index_path, 1)
    with unreachable_database(kind, tmp_path):
        response, body = _healthz(client)
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == "OperationalError"
    assert body["index"]["ok"] is True


def test_it_has_no_language_prefix_and_no_https_redirect(client, index_path):
    _build_index(index_path, 0)
    assert client.get("/zh-hant/healthz").status_code == 404
    with override_settings(SECURE_SSL_REDIRECT=True):
        client = Client()  # middleware reads the setting when it is built
        response, body = _healthz(client)
        assert response.status_code == 200
        assert body["status"] == "ok"
        assert client.get("/").status_code == 301  # the rest of the site does redirect


def test_only_reads_are_allowed(client, index_path):
    assert client.post("/healthz").status_code == 405


# A real database file in the states that used to pass for "ok"


@pytest.fixture
def built(build_index):
    make_article(
        title="健康检查贷的催收电话",
        sections=[("origin", "来电来源", "健康检查贷委托的催收公司打来的催收电话。")],
    )
    # A second article: a term in one document only keeps its posting in the term table,
    # and the damage tests below need postings of the probe's terms in the postings file.
    make_article(
        title="另一篇讲催收电话的文章", sections=[("coping", "应对", "接到催收电话怎么办。")]
    )
    assert build_index() == 2


def test_a_healthy_database_file_is_ok(client, built, tmp_path):
    with sqlite_at(migrated_copy(tmp_path / "db")):
        response, body = _healthz(client)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True


@pytest.mark.parametrize(
    "kind, error, reason",
    [
        ("locked", "OperationalError", "数据库被锁住"),
        ("garbage", "DatabaseError", "数据库文件损坏"),
        ("deleted", "missing", "数据库文件不见了"),
    ],
)
def test_a_broken_database_file_is_down_with_the_reason(
    client, built, tmp_path, kind, error, reason
):
    with broken_sqlite(kind, tmp_path) as path:
        response, body = _healthz(client)
        exists_after = path.exists()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == error
    assert body["database"]["reason"].startswith(reason)
    assert "not a database" not in response.content.decode()  # raw errors stay in the log
    assert body["index"]["ok"] is True  # the search index is fine: only the database is down
    assert exists_after is (kind != "deleted")  # the check never creates a database


def test_a_deleted_database_recreated_empty_by_a_request_is_down_as_empty(client, built, tmp_path):
    with broken_sqlite("deleted", tmp_path) as path:
        assert client.get("/").status_code == 503  # SQLite silently made a new, empty file
        assert path.exists()
        response, body = _healthz(client)
    assert response.status_code == 503
    assert body["database"]["reason"].startswith("数据库是空的")


def test_a_segment_damaged_inside_is_degraded_with_the_reason(client, built, search_index):
    assert _healthz(client)[1]["status"] == "ok"
    _garbage_inside_segment(search_index)
    searching.reset()  # a worker starting now
    response, body = _healthz(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["index"]["ok"] is False
    assert body["index"]["documents"] == 2  # it opens: only a real search shows the damage
    assert body["index"]["reason"].startswith("搜索索引能打开但搜不了")


# The backlog of index updates


def _queued(age_seconds: float, attempts: int = 0):
    article = make_article(title="排队中的文章")
    IndexTask.objects.filter(article_id=article.pk).update(
        created_at=timezone.now() - timedelta(seconds=age_seconds), attempts=attempts
    )


def test_a_short_backlog_is_shown_and_still_ok(client, built):
    _queued(5)
    response, body = _healthz(client)
    assert body["status"] == "ok"
    assert body["queue"]["ok"] is True
    assert body["queue"]["pending"] == 1
    assert 5 <= body["queue"]["oldest_seconds"] < 60


def test_a_backlog_that_does_not_catch_up_is_degraded_with_the_reason(client, built, settings):
    settings.KB_SEARCH_BACKLOG_SECONDS = 300
    _queued(3600, attempts=4)
    response, body = _healthz(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["queue"]["ok"] is False
    assert body["queue"]["failing"] == 1
    assert body["queue"]["reason"] == (
        "待更新索引：1 篇，最早的已等 3600 秒，其中 1 篇上次失败；运行 manage.py index_queue --drain"
    )
