"""Reader pages cache their fragments ({% kbcache %}), show every edit at once, and keep
working with Redis unreachable (kb/redis_cache.py)."""

import logging
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from kb import cache as kb_cache
from kb import redis_cache
from tests.factories import make_article, make_lender, make_number
from tests.redis_helpers import closed_port, redis_caches

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_version_file(tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        yield


@pytest.fixture
def content():
    lender = make_lender(name="缓存测试贷", operator="缓存测试银行", aliases=["缓存别名"])
    make_number(lender, "95011", source_name="缓存测试银行官网")
    first = make_article(title="缓存测试贷催收电话", lender=lender, summary="第一篇的摘要。")
    second = make_article(title="缓存测试贷逾期怎么办", lender=lender)
    return lender, first, second


def _pages(lender, article):
    return ["/", "/lenders/", lender.get_absolute_url(), article.get_absolute_url()]


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


def _without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_second_view_is_served_from_cached_fragments(client, content):
    lender, article, _ = content
    for url in _pages(lender, article):
        first_count, first_html = _queries(client, url)
        second_count, second_html = _queries(client, url)
        assert second_count < first_count, url
        assert _without_tokens(second_html) == _without_tokens(first_html), url


def test_every_edit_shows_at_once_on_every_page(client, content):
    lender, article, second = content
    for url in _pages(lender, article):
        client.get(url)  # fill the cache

    lender.name = "缓存测试贷改名"
    lender.save()
    make_number(lender, "95022", source_name="缓存测试银行官网")
    second.title = "缓存测试贷逾期之后怎么办"
    second.save()

    home = client.get("/").content.decode()
    assert "缓存测试贷改名" in home and "缓存测试贷逾期之后怎么办" in home
    assert "缓存测试贷改名" in client.get("/lenders/").content.decode()
    assert "<h1>缓存测试贷改名</h1>" in client.get(lender.get_absolute_url()).content.decode()
    for url in (lender.get_absolute_url(), article.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "缓存测试贷改名" in html, url
        assert "95022" in html, url
        assert "缓存测试贷逾期之后怎么办" in html, url


def test_a_new_article_appears_in_the_lists_at_once(client, content):
    lender, article, _ = content
    for url in _pages(lender, article):
        client.get(url)
    make_article(title="缓存测试贷新发布的文章", lender=lender)
    for url in ("/", lender.get_absolute_url(), article.get_absolute_url()):
        assert "缓存测试贷新发布的文章" in client.get(url).content.decode(), url


def test_each_variant_gets_its_own_fragments(client, content):
    lender, article, _ = content
    for url in _pages(lender, article):
        simplified = client.get(url).content.decode()
        traditional = client.get(f"/zh-hant{url}").content.decode()
        assert "缓存测试贷" in simplified, url
        assert "緩存測試貸" in traditional and "缓存测试贷" not in traditional, url
        # Links inside the fragments carry the variant's prefix too.
        assert 'href="/lenders/' not in traditional and 'href="/articles/' not in traditional, url


def test_a_message_shows_once_and_never_from_the_cache(content):
    _, article, _ = content
    url = article.get_absolute_url()
    reader = Client()
    assert reader.get(url)["Cache-Control"].startswith("public")
    response = reader.post(f"{url}feedback/", {"vote": "yes"}, follow=True)
    assert "谢谢" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "谢谢" not in reader.get(url).content.decode()  # a message shows once


# Redis unreachable: pages render uncached, the outage is logged once, never a 500.


@pytest.fixture
def fresh_outage_state(monkeypatch):
    monkeypatch.setattr(redis_cache, "_down_until", {})
    monkeypatch.setattr(kb_cache, "_owed_bump", type(kb_cache._owed_bump)())


def test_pages_render_uncached_when_redis_is_down(
    client, content, build_index, caplog, fresh_outage_state
):
    lender, article, _ = content
    build_index()
    caplog.set_level(logging.WARNING, logger="kb.cache")
    with override_settings(CACHES=redis_caches(closed_port(), prefix="kbtest")):
        for url in (*_pages(lender, article), "/search/?q=缓存", "/api/suggest/?q=缓存"):
            response = client.get(url)
            assert response.status_code == 200, url
        assert "缓存测试贷催收电话" in client.get(lender.get_absolute_url()).content.decode()
        lender.name = "缓存测试贷停机改名"
        lender.save()  # an edit while Redis is down
        assert "缓存测试贷停机改名" in client.get("/").content.decode()
        feedback = client.post(f"{article.get_absolute_url()}feedback/", {"vote": "yes"})
        assert feedback.status_code == 302
    outages = [r for r in caplog.records if "Redis 无法连接" in r.getMessage()]
    assert len(outages) == 1  # once per outage, not once per cache call
    assert outages[0].levelno == logging.ERROR


def test_redis_url_selects_the_resilient_backend_and_pages_survive_a_closed_port(tmp_path):
    # The deployment's own path: REDIS_URL in the environment, nothing listening there.
    script = (
        "from django.core.cache import caches\n"
        "from django.test import Client\n"
        "print(type(caches['default']).__name__)\n"
        "for url in ('/', '/lenders/', '/lenders/weilidai/', '/search/?q=weilidai'):\n"
        "    print(url, Client().get(url).status_code)\n"
    )
    env = {
        **os.environ,
        "KB_DATA_DIR": str(tmp_path),
        "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    env.pop("DATABASE_URL", None)  # a private SQLite database for this process
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "-v", "0"], ["rebuild_index", "--noinput"], ["shell", "-c", script]):
        result = subprocess.run(
            manage + args, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "ResilientRedisCache" in lines
    for url in ("/", "/lenders/", "/lenders/weilidai/", "/search/?q=weilidai"):
        assert f"{url} 200" in lines
    assert "Redis 无法连接" in result.stderr
    assert "Traceback" not in result.stderr


# Against a real Redis (Debian's redis-server), when it is installed.


def test_with_redis_fragments_are_shared_and_a_hung_redis_costs_no_page(
    client, content, redis_server, caplog, monkeypatch, fresh_outage_state
):
    process, port = redis_server
    lender, _, _ = content
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.2)
    caplog.set_level(logging.WARNING, logger="kb.cache")
    url = lender.get_absolute_url()
    with override_settings(CACHES=redis_caches(port, prefix="kbtest")):
        from django.core.cache import cache

        cache.clear()
        first_count, _ = _queries(client, url)
        second_count, html = _queries(client, url)
        assert second_count < first_count  # served from Redis
        assert "缓存测试贷" in html

        process.send_signal(signal.SIGSTOP)  # Redis hangs: calls time out
        try:
            started = time.monotonic()
            for _ in range(3):
                assert "缓存测试贷" in client.get(url).content.decode()
            assert time.monotonic() - started < 5  # one timeout, then Redis is skipped
        finally:
            process.send_signal(signal.SIGCONT)
        time.sleep(0.3)
        _queries(client, url)
        count, _ = _queries(client, url)
        assert count == second_count  # cached again
        cache.clear()
    messages = [r.getMessage() for r in caplog.records]
    assert sum("Redis 无法连接" in m for m in messages) == 1
    assert sum("Redis 已恢复" in m for m in messages) == 1


def test_an_edit_made_while_redis_was_unreachable_is_not_lost(
    client, content, redis_server, fresh_outage_state
):
    _, port = redis_server
    lender, _, _ = content
    url = lender.get_absolute_url()
    with override_settings(CACHES=redis_caches(port, prefix="kbtest")):
        from django.core.cache import cache

        cache.clear()
        assert "缓存测试贷" in client.get(url).content.decode()  # cached in Redis
        with override_settings(CACHES=redis_caches(closed_port(), prefix="kbtest")):
            lender.name = "缓存测试贷断线时改名"
            lender.save()  # the new content version could not be stored
        # Redis answers again and still holds the fragments rendered before the edit.
        assert "<h1>缓存测试贷断线时改名</h1>" in client.get(url).content.decode()
        cache.clear()
