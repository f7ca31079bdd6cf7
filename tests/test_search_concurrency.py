"""Search under concurrency, on a real production server (gunicorn, 3 workers, DEBUG off).

Readers search from threads while two other processes save articles: every search answers
200, every save reaches the index (no lost update) while the saves' segments are merged by
child processes, and no LockError appears anywhere. A
writer killed with SIGKILL in the middle of writing leaves an index that still answers, and
`rebuild_index --noinput` restores it.

A save that finds the index busy for longer than KB_SEARCH_LOCK_TIMEOUT (a loaded machine can
make one writer wait that long for the other) is not an error: the article stays in the
durable queue and the saving process retries after a pause (articles/search/indexing.py). So
each writer stays up after its last save, as a web worker would, until the queue has drained
(bounded by DRAIN_SECONDS), and only then are its words searched for.
"""

import http.client
import json
import random
import re
import signal
import subprocess
import threading
import time
from urllib.parse import urlencode

import pytest
from whoosh.filedb.filestore import FileStorage

from articles.search import merging
from articles.search.whoosh_internals import segments
from loadtest.server import HOST, production_server

SEARCHES = [
    "微粒贷", "微粒貸", "借呗", "花唄", "weilidai", "wld", "95188", "度小满",
    "催收打给通讯录合法吗", "紧急联系人", "上门催收", "征信", "律师函", "协商还款",
]  # fmt: skip
SAVES_PER_WRITER = 25  # 50 one-article segments: the saving workers start merging children
DRAIN_SECONDS = 120  # how long a writer waits for the queue after its last save

# Appends a unique latin word to a section of a published article, one save at a time (each
# save is its own transaction, as an editor's would be), and says what it wrote.
WRITER = """
from articles.models import Article
tag = {tag!r}
articles = list(Article.objects.published().order_by("pk"))
for i in range({saves}):
    article = articles[(i * 5 + len(tag)) % len(articles)]
    section = article.sections.order_by("order", "pk").first()
    word = tag + "".join(chr(97 + int(d)) for d in f"{{i:03d}}")
    section.body += f"\\n\\n{{word}}"
    section.save(update_fields=["body"])
    print("SAVED", article.pk, word, flush=True)

import time
from articles.search import queue
deadline = time.monotonic() + {drain_seconds}
while queue.backlog().pending and time.monotonic() < deadline:
    time.sleep(0.1)  # a save that met a busy index is retried by this process's timer
print("QUEUED", queue.backlog().pending, flush=True)
"""

# Holds the index's write lock with a Whoosh writer half full, until it is killed.
HALF_WRITE = """
from articles.models import Article
from articles.search.indexing import article_index, backend
engine, index = backend(), article_index()
articles = list(index.index_queryset().all())
with engine.writer() as writer:
    for round in range(10**6):
        for doc in engine.documents(index, articles):
            doc["title"] = f"半途{round}"
            writer.add_document(**doc)
        if round == 3:
            print("WRITING", flush=True)
"""


@pytest.fixture(scope="module")
def server():
    with production_server(workers=3, collectstatic=False) as server:
        yield server


def _segments(server):
    return segments(FileStorage(str(server.index_dir)).open_index())


def _get(path, params=None, timeout=30):
    connection = http.client.HTTPConnection(HOST, _get.port, timeout=timeout)
    try:
        connection.request("GET", path + ("?" + urlencode(params) if params else ""))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture(autouse=True)
def _port(server):
    _get.port = server.port


def _search(query):
    status, body = _get("/api/search/", {"q": query})
    return status, json.loads(body) if status in (200, 503) else body


def _writer(server, tag):
    return server.popen_manage(
        "shell", "-c", _writer_script(tag, SAVES_PER_WRITER),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _writer_script(tag, saves, drain_seconds=DRAIN_SECONDS):
    return WRITER.format(tag=tag, saves=saves, drain_seconds=drain_seconds)


def _saved(stdout):
    return [line.split()[1:] for line in stdout.splitlines() if line.startswith("SAVED ")]


def _still_queued(stdout):
    return [int(line.split()[1]) for line in stdout.splitlines() if line.startswith("QUEUED ")]


def _assert_no_error(text, where):
    assert "LockError" not in text, where
    assert "Traceback" not in text, where


def _assert_clean(text, where):
    _assert_no_error(text, where)
    assert "稍后由下一次写入补做索引" not in text, where  # a save that had to wait it out


def test_searches_answer_while_editors_save_and_no_update_is_lost(server):
    writers = [_writer(server, tag) for tag in ("zq", "zxk")]
    statuses, failures = [], []
    stop = threading.Event()

    def reader(seed):
        rng = random.Random(seed)
        while not stop.is_set():
            query = rng.choice(SEARCHES)
            try:
                if rng.random() < 0.5:
                    status, _ = _get("/search/", {"q": query})
                else:
                    status, _ = _get("/api/search/", {"q": query})
            except OSError as exc:
                failures.append(repr(exc))
                continue
            statuses.append(status)

    readers = [threading.Thread(target=reader, args=(seed,)) for seed in range(6)]
    for thread in readers:
        thread.start()
    try:
        outputs = [writer.communicate(timeout=240 + DRAIN_SECONDS) for writer in writers]
    finally:
        stop.set()
        for thread in readers:
            thread.join(60)

    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        _assert_no_error(err, "writer")  # a busy index may have been waited out, and retried
        assert _still_queued(out) == [0], f"the index queue did not drain:\n{err}"
    assert failures == []
    assert len(statuses) > 50
    assert set(statuses) == {200}, server.log()[-4000:]

    saved = [pair for out, _ in outputs for pair in _saved(out)]
    assert len(saved) == 2 * SAVES_PER_WRITER
    # Children merged tiny segments while saves and searches went on: each save adds a
    # segment, a merge replaces at least MERGE_TINY_AFTER of them with one.
    merged = 1 + 2 * SAVES_PER_WRITER - merging.MERGE_TINY_AFTER + 1  # the demo's segment too
    deadline = time.monotonic() + 60
    while len(_segments(server)) > merged and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_segments(server)) <= merged
    for pk, word in saved:
        status, body = _search(word)
        assert status == 200
        assert [r["article_url"] for r in body["results"]], f"{word} (article {pk}) was lost"
    _assert_clean(server.log(), "gunicorn")


def test_a_writer_killed_mid_write_leaves_an_index_that_answers(server):
    before = _search("微粒贷")[1]["total"]
    assert before >= 1

    crashed = server.popen_manage(
        "shell", "-c", HALF_WRITE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines = iter(crashed.stdout.readline, "")
    assert "WRITING" in (line.strip() for line in lines)  # blocks until it is mid-write
    crashed.send_signal(signal.SIGKILL)  # mid-write, holding both locks
    crashed.wait(10)
    # A half-written segment besides: files no table of contents names.
    (server.index_dir / "MAIN_0123456789abcdef.seg").write_bytes(b"half a segment" * 1000)

    status, body = _search("微粒贷")
    assert status == 200 and body["total"] == before
    assert not any("半途" in r["title"] for r in body["results"])
    health = json.loads(_get("/healthz")[1])
    assert health["status"] == "ok"

    # The locks died with the process: the next save goes through at once.
    started = time.monotonic()
    result = server.manage("shell", "-c", _writer_script("zkill", 1))
    assert time.monotonic() - started < 30
    _assert_clean(result.stderr, "save after the crash")
    ((pk, word),) = _saved(result.stdout)
    assert _search(word)[1]["total"] == 1

    # And the operator's remedy works: a full rebuild, searches answering throughout.
    result = server.manage("rebuild_index", "--noinput")
    _assert_clean(result.stderr, "rebuild_index")
    assert not (server.index_dir / "MAIN_0123456789abcdef.seg").exists()
    assert _search("微粒贷")[1]["total"] == before
    assert _search(word)[1]["total"] == 1
    assert json.loads(_get("/healthz")[1])["status"] == "ok"
    _assert_clean(server.log(), "gunicorn")


def test_a_build_killed_halfway_leaves_the_old_index_in_place(server):
    before = _search("借呗")[1]["total"]
    building = server.index_dir.with_name("whoosh_index.building")
    build = server.popen_manage(
        "build_search_index", "--procs", "1",
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not building.exists() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    build.send_signal(signal.SIGKILL)
    build.wait(10)

    status, body = _search("借呗")
    assert status == 200 and body["total"] == before
    result = server.manage("build_search_index", "--procs", "1")
    assert re.search(r"已索引 \d+ 篇文章", result.stdout)
    assert not building.exists()
    assert _search("借呗")[1]["total"] == before
