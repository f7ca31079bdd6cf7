"""articles/search/misses.py: queries that found nothing are logged, and nobody can flood the log."""

import pytest
from django.test import Client, override_settings

from articles.models import SearchMiss
from kb import ratelimit
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(build_index):
    make_article("测试催收电话", sections=[("background", "背景", "催收电话的来历。")])
    build_index()


def _search_nothing(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert f"没有找到与“{query}”相关的文章" in response.content.decode()


def test_300_unique_misses_from_one_client_log_only_its_hourly_share(site, settings):
    settings.KB_SEARCH_MISSES_PER_HOUR = 20
    reader = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(300):
        _search_nothing(reader, f"火星移民{n}")  # every search still answers in full
    assert SearchMiss.objects.count() == 20


def test_one_client_cannot_inflate_a_misses_count_either(site, settings):
    settings.KB_SEARCH_MISSES_PER_HOUR = 3
    reader = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(10):
        _search_nothing(reader, "火星移民")
    assert SearchMiss.objects.get().count == 3
    _search_nothing(Client(REMOTE_ADDR="198.51.100.9"), "火星移民")  # another reader counts
    assert SearchMiss.objects.get().count == 4


def test_many_clients_cannot_grow_the_log_past_its_ceiling(site, settings):
    settings.KB_SEARCH_MISSES_PER_HOUR = 20
    settings.KB_SEARCH_MISSES_MAX_ROWS = 30
    _search_nothing(Client(REMOTE_ADDR="192.0.2.1"), "火星移民")
    for host in range(2, 12):
        reader = Client(REMOTE_ADDR=f"192.0.2.{host}")
        for n in range(5):
            _search_nothing(reader, f"月球移民{host}x{n}")
    assert SearchMiss.objects.count() == 30
    # A full log still counts the queries it holds.
    _search_nothing(Client(REMOTE_ADDR="192.0.2.200"), "火星移民")
    assert SearchMiss.objects.get(query="火星移民").count == 2


def test_misses_are_not_logged_when_the_limit_cannot_be_counted(site, tmp_path):
    (tmp_path / ratelimit.FILE_NAME).mkdir()  # where the counts file should be
    with override_settings(DATA_DIR=tmp_path):
        _search_nothing(Client(), "火星移民")
    assert not SearchMiss.objects.exists()
