"""`make loadtest` (loadtest/): the mix, the figures, and a short real run end to end."""

import os
import random
import re
import socket
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings

from loadtest.client import Endpoint, Results, _check, percentile, report
from loadtest.mix import LONG_ARTICLE_TERM, SCENARIOS, Site, next_request
from loadtest.server import child_pids, process_cpu


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7


def test_the_mix_covers_pages_searches_and_the_api_in_both_scripts():
    rng = random.Random(1)
    site = Site(articles=["a-b"], lenders=["weilidai"])
    requests = [next_request(rng, site) for _ in range(2000)]
    endpoints = {r.endpoint for r in requests}
    assert endpoints == {
        "article", "lender", "home", "lender index", "search page", "api search", "api suggest",
    }  # fmt: skip
    assert any(r.path.startswith("/zh-hant/") for r in requests)
    assert len({r.path for r in requests if r.endpoint == "api search"}) > 20  # varied queries


def test_readers_search_for_the_100k_character_article():
    rng = random.Random(1)
    site = Site(articles=["a-b"], lenders=["weilidai"])
    paths = [next_request(rng, site).path for _ in range(2000)]
    searches = [p for p in paths if p.startswith(("/search/", "/zh-hant/search/", "/api/search/"))]
    hits = [p for p in searches if quote(LONG_ARTICLE_TERM) in p]
    assert hits and {p.split("?")[0] for p in hits} >= {"/search/", "/api/search/"}


def test_a_second_page_is_asked_only_of_queries_that_have_one():
    rng = random.Random(1)
    site = Site(articles=["a-b"], lenders=["weilidai"], paged=["催收"])
    paths = [next_request(rng, site, SCENARIOS["search"].mix).path for _ in range(500)]
    paged = [p for p in paths if "page=2" in p]
    assert paged and all(quote("催收") in p for p in paged)
    site.paged = []
    assert not any("page=" in next_request(rng, site).path for _ in range(500))


def test_revalidating_readers_must_get_304_once_they_hold_an_etag():
    cdn = SCENARIOS["article-304"]
    assert _check(cdn, 200, None, "/a/") is None  # first sight of the URL
    assert _check(cdn, 304, 'W/"x"', "/a/") is None
    assert "304 expected" in _check(cdn, 200, 'W/"x"', "/a/")
    assert _check(SCENARIOS["mix"], 200, None, "/a/") is None
    assert _check(SCENARIOS["mix"], 400, None, "/a/") == "HTTP 400 /a/"


def test_cpu_time_is_read_for_a_process_and_its_children():
    sum(range(3_000_000))  # some CPU time of our own
    assert process_cpu(os.getpid()) > 0
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in child_pids(os.getpid())
    finally:
        child.kill()
        child.wait()
    assert process_cpu(child.pid) == 0  # gone


def test_the_report_shows_every_endpoint_and_its_errors():
    results = Results(seconds=2.0)
    results.endpoints["article"] = Endpoint([0.010, 0.020, 0.030])
    results.endpoints["api search"] = Endpoint([0.5], errors=1, error_samples=["HTTP 503 /api/"])
    text = report(results)
    assert re.search(r"article\s+3\s+1\.5\s+20\.0", text)
    assert re.search(r"api search\s+1\s+0\.5\s+500\.0.*\s1$", text, re.MULTILINE)
    assert re.search(r"^all\s+4\s+2\.0", text, re.MULTILINE)
    assert "error (api search): HTTP 503 /api/" in text


def test_a_short_load_test_runs_and_stops_everything():
    result = subprocess.run(
        [sys.executable, "-m", "loadtest", "--seconds", "3", "--warmup", "1", "--users", "4",
         "--workers", "2"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    # Which endpoints a 3-second run reaches depends on the machine's load; the mix test above
    # covers them all. Every row printed has the figures, and each total has no error.
    tables = re.split(r"^scenario ", result.stdout, flags=re.MULTILINE)[1:]
    assert [table.split()[0] for table in tables] == list(SCENARIOS)
    for table in tables:
        rows = re.findall(r"^([a-z0-9 ]+?)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+0$",
                          table, re.MULTILINE)  # fmt: skip
        assert ("all", str(sum(int(n) for name, n in rows if name != "all"))) in rows, table
        assert len(rows) >= 2, table
        assert re.search(r", 0 errors;", table)
        assert re.search(r"cpu: server [\d.]+ s \([\d.]+ ms a request", table)
    assert "article 304" in tables[1] and "search page 304" in tables[3]
    port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", result.stdout).group(1))
    with pytest.raises(ConnectionRefusedError):  # gunicorn is gone
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
