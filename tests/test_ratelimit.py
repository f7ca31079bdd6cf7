"""kb/ratelimit.py: limits shared by every worker process, kept across restarts, with or
without Redis."""

import logging
import os
import stat
import subprocess
import sys
import time

import pytest
from django.test import RequestFactory, override_settings

from kb import ratelimit, redis_cache
from tests.redis_helpers import closed_port, redis_caches

ADDRESS = "203.0.113.5"

# Counts hits of scope "shared" by ADDRESS and prints how many were allowed. With a start time,
# waits for it, so that processes started one after the other hit at the same moment.
SCRIPT = """
import sys, time
import django
django.setup()
from django.test import RequestFactory
from kb import ratelimit
hits, limit, start, address = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
request = RequestFactory().get("/", REMOTE_ADDR=address)
time.sleep(max(0.0, start - time.time()))
print(sum(ratelimit.allow("shared", request, limit, 3600) for _ in range(hits)))
"""


def _request(address=ADDRESS):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def _process(data_dir, hits, limit, start=0.0, **env):
    command = [sys.executable, "-c", SCRIPT, str(hits), str(limit), str(start), ADDRESS]
    environment = {**os.environ, "KB_DATA_DIR": str(data_dir), **env}
    return subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _allowed(process) -> int:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return int(out)


@pytest.fixture
def data_dir(tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        yield tmp_path


def test_a_client_gets_its_limit_then_no_and_other_clients_are_not_affected(data_dir):
    assert [ratelimit.allow("t", _request(), 3, 3600) for _ in range(5)] == [True] * 3 + [False] * 2
    assert ratelimit.allow("t", _request("198.51.100.9"), 3, 3600)
    assert ratelimit.allow("other-scope", _request(), 3, 3600)


def test_the_window_ends_its_length_after_the_first_hit(data_dir):
    assert ratelimit.allow("t", _request(), 1, 1)
    assert not ratelimit.allow("t", _request(), 1, 1)
    time.sleep(1.1)
    assert ratelimit.allow("t", _request(), 1, 1)
    assert not ratelimit.allow("t", _request(), 1, 1)


def test_two_processes_hitting_at_once_are_held_to_one_limit(data_dir):
    # Two gunicorn workers, say: with a per-process counter each would allow the full limit.
    start = time.time() + 2
    workers = [_process(data_dir, 400, 500, start) for _ in range(2)]
    assert sum(_allowed(worker) for worker in workers) == 500


def test_counts_survive_a_restart(data_dir):
    assert _allowed(_process(data_dir, 3, 5)) == 3
    assert _allowed(_process(data_dir, 3, 5)) == 2  # a new process: 2 left
    assert not ratelimit.allow("shared", _request(), 5, 3600)  # and this one knows it too


def test_the_counts_file_is_private_and_holds_no_address(data_dir):
    for _ in range(3):
        ratelimit.allow("t", _request(), 5, 3600)
    files = list(data_dir.glob(f"{ratelimit.FILE_NAME}*"))
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert ADDRESS.encode() not in path.read_bytes()


def test_one_ipv6_host_is_one_client_however_many_addresses_it_uses(data_dir):
    hits = [ratelimit.allow("t", _request(f"2001:db8:1:2::{n:x}"), 3, 3600) for n in range(5)]
    assert hits == [True] * 3 + [False] * 2
    assert ratelimit.allow("t", _request("2001:db8:1:3::1"), 3, 3600)  # another /64
    assert ratelimit.client_key(_request("::ffff:192.0.2.1")) == ratelimit.client_key(
        _request("192.0.2.1")
    )


def test_when_nothing_can_count_the_caller_decides(tmp_path, caplog):
    (tmp_path / ratelimit.FILE_NAME).mkdir()  # where the counts file should be
    with override_settings(DATA_DIR=tmp_path):
        assert all(ratelimit.allow("t", _request(), 1, 60, fail_open=True) for _ in range(3))
        assert not ratelimit.allow("t", _request(), 1, 60)
    assert "无法记录访问次数" in caplog.text


# With Redis (REDIS_URL): the counts live there, shared by every server.


@pytest.fixture
def fresh_outage_state(monkeypatch):
    monkeypatch.setattr(redis_cache, "_down_until", {})


def test_with_redis_the_limit_is_shared_by_every_server(
    data_dir,
    tmp_path_factory,
    redis_server,
):
    _, port = redis_server
    with override_settings(CACHES=redis_caches(port)):
        assert all(ratelimit.allow("shared", _request(), 5, 3600) for _ in range(3))
        # Another server: its own data dir, the same Redis.
        other_host = tmp_path_factory.mktemp("other-host")
        redis_url = f"redis://127.0.0.1:{port}/0"
        assert _allowed(_process(other_host, 5, 5, REDIS_URL=redis_url)) == 2
        assert not ratelimit.allow("shared", _request(), 5, 3600)
    assert not (data_dir / ratelimit.FILE_NAME).exists()


def test_with_redis_the_window_ends_its_length_after_the_first_hit(
    data_dir,
    redis_server,
):
    _, port = redis_server
    with override_settings(CACHES=redis_caches(port)):
        assert ratelimit.allow("t", _request(), 1, 1)
        assert not ratelimit.allow("t", _request(), 1, 1)
        time.sleep(1.1)
        assert ratelimit.allow("t", _request(), 1, 1)


def test_while_redis_is_unreachable_this_host_still_holds_the_limit(
    data_dir, caplog, fresh_outage_state
):
    caplog.set_level(logging.ERROR, logger="kb.cache")
    with override_settings(CACHES=redis_caches(closed_port())):
        hits = [ratelimit.allow("t", _request(), 3, 3600) for _ in range(5)]
    assert hits == [True] * 3 + [False] * 2
    assert "Redis 无法连接" in caplog.text
    assert (data_dir / ratelimit.FILE_NAME).exists()
