"""Real Chromium against a real server: the site as a borrower (and an editor) meets it.

One server for the browser tests: gunicorn on 127.0.0.1 with DEBUG off (the real 404 page, CSP,
whitenoise), over its own temp data dir — a SQLite database with the demo content and an
editor and a reviewer account, and a Whoosh index — never the database DATABASE_URL names.
One Chromium (Debian's /usr/bin/chromium; `playwright install` cannot download
here), a fresh context per test. Every test skips, saying why, when a piece is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import (
    CHROMIUM,
    EDITOR_PASSWORD,
    EDITOR_USERNAME,
    PHONE,
    REVIEWER_PASSWORD,
    REVIEWER_TOTP_KEY,
    REVIEWER_USERNAME,
    ROOT,
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-first-run",
    "--no-default-browser-check",
]

# Run once in the server's environment before it starts: schema, demo content, index, an
# editor, and a reviewer with an authenticator.
_PREPARE = """
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from articles.editors import make_editor
call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo")
make_editor({username!r}, {password!r})
reviewer, _ = make_editor({reviewer!r}, {reviewer_password!r}, reviewer=True)
TOTPDevice.objects.create(user=reviewer, name="验证器", confirmed=True, key={reviewer_key!r})
try:
    call_command("rebuild_index", interactive=False, verbosity=0)
except Exception as exc:
    import pathlib
    pathlib.Path({index_error!r}).write_text(f"{{type(exc).__name__}}: {{exc}}", encoding="utf-8")
"""


@dataclass
class Site:
    base_url: str
    data_dir: Path
    index_error: str = ""
    log_path: Path | None = None
    _process: subprocess.Popen | None = field(default=None, repr=False)

    def url(self, path: str) -> str:
        return self.base_url + path

    def require_search_index(self) -> None:
        if self.index_error:
            pytest.fail(f"the search index could not be built: {self.index_error}")

    def query(self, sql: str, params=()) -> list[tuple]:
        """Read the server's database (SQLite in its data dir) the way an auditor would."""
        with sqlite3.connect(self.data_dir / "kb.sqlite3") as connection:
            return connection.execute(sql, params).fetchall()

    def fetch(self, path: str) -> tuple[int, bytes]:
        """Raw HTML as served (before any script runs), with the status code."""
        request = urllib.request.Request(
            self.url(path), headers={"Accept-Language": "zh-CN,zh;q=0.9"}
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(data_dir: Path, static_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KB_"))}
    env.update(
        {
            "KB_DATA_DIR": str(data_dir),
            "KB_STATIC_ROOT": str(static_root),  # empty: whitenoise serves from the finders
            "DATABASE_URL": "",  # never the suite's (or a real) database: SQLite in data_dir
            "REDIS_URL": "",
            "ELASTICSEARCH_URL": "",
            "DJANGO_DEBUG": "0",
            "KB_INSECURE_HTTP": "1",  # plain HTTP, allowed on loopback only
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECRET_KEY": "browser-tests-" + os.urandom(24).hex(),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _wait_until_up(site: Site, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(site.url("/healthz"), timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    log = site.log_path.read_text(errors="replace")[-3000:] if site.log_path else ""
    pytest.fail(f"the test server did not start on {site.base_url}:\n{log}")


@pytest.fixture(scope="package")
def site():
    """A gunicorn server with the demo content, an editor, a reviewer and a search index."""
    workdir = Path(tempfile.mkdtemp(prefix="kb-browser-"))
    data_dir, static_root = workdir / "data", workdir / "static"
    data_dir.mkdir()
    static_root.mkdir()
    env = _server_env(data_dir, static_root)
    index_error_path = workdir / "index-error.txt"
    prepare = _PREPARE.format(
        username=EDITOR_USERNAME,
        password=EDITOR_PASSWORD,
        reviewer=REVIEWER_USERNAME,
        reviewer_password=REVIEWER_PASSWORD,
        reviewer_key=REVIEWER_TOTP_KEY,
        index_error=str(index_error_path),
    )
    prepared = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", prepare],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if prepared.returncode != 0:
        pytest.fail(f"preparing the test site failed:\n{prepared.stderr[-3000:]}")

    port = _free_port()
    log_path = workdir / "server.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(gunicorn), "kb.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
            + ["--threads", "8", "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    site = Site(
        base_url=f"http://127.0.0.1:{port}",
        data_dir=data_dir,
        index_error=index_error_path.read_text(encoding="utf-8")
        if index_error_path.exists()
        else "",
        log_path=log_path,
        _process=process,
    )
    try:
        _wait_until_up(site, process)
        yield site
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: `make test-deps` installs Debian's chromium "
            "(needs root and apt-get); Playwright's own download does not work here"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RequestLog:
    """Every request a context makes; none may leave 127.0.0.1."""

    def __init__(self):
        self.requests = []

    def record(self, request) -> None:
        self.requests.append(request)

    def offsite(self) -> list[str]:
        urls = []
        for request in self.requests:
            parts = urlsplit(request.url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname != "127.0.0.1":
                urls.append(request.url)
        return urls


@pytest.fixture
def new_context(browser, site):
    """Make browser contexts (a phone by default); closed, and checked for offsite requests,
    when the test ends."""
    made: list[tuple[object, RequestLog]] = []

    def make(viewport=None, **options):
        options.setdefault("locale", "zh-CN")
        options.setdefault("base_url", site.base_url)
        options.setdefault("service_workers", "block")
        context = browser.new_context(viewport=viewport or PHONE, **options)
        context.set_default_timeout(10_000)
        log = RequestLog()
        context.on("request", log.record)
        context.request_log = log
        made.append((context, log))
        return context

    yield make
    offsite = [url for _context, log in made for url in log.offsite()]
    for context, _log in made:
        context.close()
    assert not offsite, f"requests left 127.0.0.1: {offsite}"


@pytest.fixture
def page(new_context):
    """A page in a phone-sized context that follows zh-CN, like most readers."""
    return new_context().new_page()
