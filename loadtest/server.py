"""A production server on loopback over a throw-away data dir: what `make loadtest` drives and
what the concurrency tests (tests/test_search_concurrency.py) search while editors save.

    with production_server(workers=3) as server:
        server.url("/healthz")          # http://127.0.0.1:<port>/healthz
        server.manage("shell", "-c", "...")

The same settings as `make serve`: DEBUG off, gunicorn sync workers, plain HTTP allowed only
because the address is 127.0.0.1 (KB_INSECURE_HTTP=1). The data dir gets a fresh SQLite
database, the demo articles (with `long_article=True`, also one article of a 100,000-character
section, see loadtest/mix.py) and a built search index. Services configured in the caller's
environment (DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL) are not inherited: a load test must
never write demo content into a real database.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .mix import LONG_ARTICLE_TERM, LONG_ARTICLE_TITLE

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# The flags `make serve` uses (docs/deployment.md).
GUNICORN_FLAGS = [
    "--timeout", "30", "--graceful-timeout", "20",
    "--max-requests", "2000", "--max-requests-jitter", "200",
]  # fmt: skip
LONG_SECTION_CHARS = 100_000
# Through the ORM, as legacy rows are: the admin and the importer refuse such a section now.
LONG_ARTICLE = f"""
from articles.models import Article, Section
article = Article.objects.create(
    title={LONG_ARTICLE_TITLE!r}, slug="loadtest-long-article", status="published",
    summary="压力测试：一段十万字的正文。",
)
body = ({LONG_ARTICLE_TERM!r} + " ") * ({LONG_SECTION_CHARS} // 3 + 1)
Section.objects.create(
    article=article, kind="other", heading="很长的一段", order=10, body=body[:{LONG_SECTION_CHARS}]
)
"""
NOT_INHERITED = ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "KB_DATA_DIR", "DJANGO_DEBUG")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    port: int
    root: Path
    env: dict
    process: subprocess.Popen
    log_path: Path

    @property
    def data_dir(self) -> Path:
        return Path(self.env["KB_DATA_DIR"])

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "whoosh_index"

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def manage(self, *args, timeout: float = 300, check: bool = True):
        return manage(self.env, *args, timeout=timeout, check=check)

    def popen_manage(self, *args, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, **kwargs
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def cpu_seconds(self) -> float:
        """CPU time gunicorn has used so far: the master, its live workers, and the workers it
        has already replaced (`--max-requests`), whose time the master collected."""
        return process_cpu(self.process.pid, children=True) + sum(
            process_cpu(pid) for pid in child_pids(self.process.pid)
        )


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        return handle.read().rsplit(")", 1)[1].split()  # the fields after "(command)"


def process_cpu(pid: int, children: bool = False) -> float:
    """utime + stime of a process (and of its waited-for children), in seconds; 0 if gone."""
    try:
        fields = _stat(pid)
    except OSError:
        return 0.0
    # proc(5): utime, stime, cutime, cstime are fields 14-17; fields[0] here is field 3.
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def child_pids(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(_stat(int(entry))[1]) == parent:  # field 4: ppid
                    found.append(int(entry))
            except OSError:
                continue
    return found


def server_env(root: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.pop("PYTEST_VERSION", None)  # settings would pick a data dir of their own
    env.update(
        DJANGO_DEBUG="0",
        KB_INSECURE_HTTP="1",
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_LOG_LEVEL="WARNING",
        KB_DATA_DIR=str(root / "data"),
        KB_STATIC_ROOT=str(root / "static"),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict, *args, timeout: float = 300, check: bool = True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result


def prepare(env: dict, *, collectstatic: bool = True, long_article: bool = False) -> None:
    """A database with the demo articles and a search index built from them."""
    if collectstatic:
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_demo")
    if long_article:
        manage(env, "shell", "-c", LONG_ARTICLE)
    manage(env, "build_search_index", "--procs", "1")


@contextmanager
def production_server(
    workers: int = 3,
    *,
    collectstatic: bool = True,
    long_article: bool = False,
    root: Path | None = None,
    **extra_env,
):
    own_root = root is None
    root = Path(tempfile.mkdtemp(prefix="kb-prod-")) if own_root else root
    env = server_env(root, **extra_env)
    try:
        prepare(env, collectstatic=collectstatic, long_article=long_article)
        port = free_port()
        log_path = root / "gunicorn.log"
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [gunicorn, "kb.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers),
                 *GUNICORN_FLAGS],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        server = Server(port, root, env, process, log_path)
        try:
            _wait_until_healthy(server)
            yield server
        finally:
            _stop(process)
    finally:
        if own_root:
            shutil.rmtree(root, ignore_errors=True)


def _wait_until_healthy(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.log()}")
        try:
            connection = http.client.HTTPConnection(HOST, server.port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not become healthy:\n{server.log()}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of every worker
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
