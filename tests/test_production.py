"""Production mode from the environment: deploy checks, HTTPS, headers, static files, logins."""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

BASE_DIR = Path(settings.BASE_DIR)
SECRET = secrets.token_urlsafe(50)
HOST = "example.com"


def _env(**extra):
    """The environment of a fresh production host: only what the deployment sets."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS=HOST)
    env.update(extra)
    return env


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


# Deploy checks, as `python manage.py check --deploy` sees a fresh host


def test_deploy_check_passes_with_only_debug_secret_and_hosts():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_opt_out_shows_up_in_the_deploy_check():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        KB_INSECURE_HTTP="1", DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )  # fmt: skip
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_plain_http_is_refused_for_a_public_host_name():
    result = _manage("check", KB_INSECURE_HTTP="1")
    assert result.returncode != 0
    assert "KB_INSECURE_HTTP=1" in result.stderr
    assert "loopback" in result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    env = _env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_switching_off_hsts_preload_is_an_explicit_decision():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", KB_HSTS_PRELOAD="0")
    assert result.returncode == 0, result.stderr


# A real production server: gunicorn behind an (imagined) TLS proxy


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("production")
    env = {
        "KB_DATA_DIR": str(root / "data"),
        "KB_STATIC_ROOT": str(root / "static"),
        "KB_BEHIND_PROXY": "1",
        "DJANGO_SUPERUSER_PASSWORD": "Hu-die-2026-lantern",
    }
    for args in (
        ("collectstatic", "--noinput"),
        ("migrate", "--noinput"),
        ("createsuperuser", "--noinput", "--username", "chief", "--email", "c@example.com"),
    ):
        result = _manage(*args, **env)
        assert result.returncode == 0, result.stderr
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [gunicorn, "kb.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=BASE_DIR,
        env=_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=20)


def _get(port, path, *, https=True, headers=None, method="GET", body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    sent = {"Host": HOST, **(headers or {})}
    if https:
        sent["X-Forwarded-Proto"] = "https"
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def test_plain_http_is_redirected_to_https(server):
    response, _ = _get(server, "/articles/", https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/articles/"


def test_pages_carry_the_security_headers(server):
    response, _ = _get(server, "/")
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "same-origin"
    assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin"
    policy = response.getheader("Content-Security-Policy")
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "upgrade-insecure-requests" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "camera=()" in response.getheader("Permissions-Policy")


def test_static_files_are_hashed_compressed_and_cached_for_ever(server):
    _, page = _get(server, "/")
    match = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page.decode())
    assert match, "the page links the hashed stylesheet"
    response, body = _get(server, match.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")
    assert body[:2] == b"\x1f\x8b"


def test_health_check_answers_over_plain_http(server):
    response, body = _get(server, "/healthz", https=False)
    assert response.status == 200
    assert b'"database": {"ok": true' in body


def test_cookies_are_secure_http_only_and_same_site(server):
    response, _ = _get(server, "/admin/login/")
    assert response.status == 200
    cookie = response.getheader("Set-Cookie")
    assert cookie.startswith("csrftoken=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in cookie


def test_an_editor_can_log_in_and_gets_a_hardened_session(server):
    response, page = _get(server, "/admin/login/")
    csrf_cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.decode()).group(1)
    response, _ = _get(
        server,
        "/admin/login/?next=/admin/",
        method="POST",
        body=f"csrfmiddlewaretoken={token}&username=chief&password=Hu-die-2026-lantern&next=/admin/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": csrf_cookie,
            "Referer": f"https://{HOST}/admin/login/",
            "Origin": f"https://{HOST}",
        },
    )
    assert response.status == 302
    assert response.getheader("Location") == "/admin/"
    session = [c for c in response.headers.get_all("Set-Cookie") if c.startswith("sessionid=")][0]
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Max-Age=43200"):
        assert flag in session


# Files the site writes are its owner's alone (0600, directories 0700), even when the shell
# that starts it has the common umask 022.


def _exposed(root: Path) -> list[str]:
    """Everything under `root` (itself included) that its group or other users may touch."""
    paths = [root, *root.rglob("*")]
    return [
        f"{path} {path.stat().st_mode & 0o777:o}" for path in paths if path.stat().st_mode & 0o077
    ]


def _umask_022():
    os.umask(0o022)


def _start_make(target: str, tmp_path: Path, port: int, *variables: str) -> subprocess.Popen:
    """`make target` over a data dir and static root in tmp_path, listening on `port`."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(KB_DATA_DIR=str(tmp_path / "data"), KB_STATIC_ROOT=str(tmp_path / "static"))
    make = subprocess.Popen(
        ["make", "--no-print-directory", target, f"SERVE_PORT={port}", *variables],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_umask_022,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while True:
        if make.poll() is not None:
            pytest.fail(f"make {target} stopped: " + make.stderr.read().decode()[-3000:])
        if time.monotonic() > deadline:
            _stop(make)
            pytest.fail(f"make {target} did not start listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return make
        except OSError:
            time.sleep(0.3)


def _stop(make: subprocess.Popen) -> None:
    os.killpg(make.pid, signal.SIGTERM)
    make.wait(timeout=30)


def test_make_serve_keeps_the_secret_key_database_and_index_private(tmp_path):
    data = tmp_path / "data"
    port = _free_port()
    serve = _start_make("serve", tmp_path, port, "SERVE_WORKERS=1")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        connection.request("GET", "/healthz")
        assert connection.getresponse().status in (200, 503)
        connection.close()
    finally:
        _stop(serve)
    assert (data / "secret-key").stat().st_size > 40
    assert (data / "kb.sqlite3").exists()
    assert _exposed(data) == []
    # Static files are public: nginx may serve them as another user (docs/deployment.md).
    assert (tmp_path / "static" / "staticfiles.json").stat().st_mode & 0o004


def test_make_run_serves_the_site_as_readers_get_it(tmp_path):
    """The README's first command: the Chinese 404 page (not Django's debug page listing
    every URL pattern), the demo articles, search, compressed static files."""
    port = _free_port()
    run = _start_make("run", tmp_path, port, "RUN_WORKERS=1")
    try:
        status, headers, page = _plain_get(port, "/no-such-page/")
        assert status == 404
        assert "没有找到这个页面" in page
        assert "URLconf" not in page and "DEBUG = True" not in page
        status, _headers, article = _plain_get(port, "/articles/weilidai-cuishou-laidian-shi-shei/")
        assert status == 200 and "微粒贷" in article
        status, _headers, results = _plain_get(port, "/search/?q=weilidai")
        assert status == 200 and "/articles/weilidai-cuishou-laidian-shi-shei/" in results
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
        status, headers, _body = _plain_get(port, stylesheet, {"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
    finally:
        _stop(run)
    assert _exposed(tmp_path / "data") == []


def _plain_get(port: int, path: str, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Accept-Language": "zh-CN", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    text = "" if response.getheader("Content-Encoding") else body.decode("utf-8", "replace")
    return response.status, response.headers, text


def test_manage_py_commands_keep_what_they_write_private(tmp_path):
    data = tmp_path / "data"
    for args in (("migrate", "--noinput"), ("load_demo",), ("rebuild_index", "--noinput")):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=_env(KB_DATA_DIR=str(data)),
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=_umask_022,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    assert (data / "whoosh_index").is_dir()
    assert _exposed(data) == []


def test_the_wsgi_application_keeps_the_database_it_creates_private(tmp_path):
    data = tmp_path / "data"
    opens_the_database = (
        "import kb.wsgi; from django.db import connection; connection.ensure_connection()"
    )
    result = subprocess.run(
        [sys.executable, "-c", opens_the_database],
        cwd=BASE_DIR,
        env=_env(KB_DATA_DIR=str(data)),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_umask_022,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (data / "kb.sqlite3").exists()
    assert _exposed(data) == []


# Permissions-Policy, in-process: pages, the API, errors and static files alike


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, status",
    [
        ("/", 200),
        ("/zh-hant/", 200),
        ("/api/search/?q=微粒贷", 200),
        ("/no-such-page/", 404),
        ("/api/no-such-endpoint/", 404),
        ("/static/css/site.css", 200),
    ],
)
def test_every_response_denies_cameras_microphones_location_and_payments(
    client, build_index, path, status
):
    build_index()
    response = client.get(path)
    assert response.status_code == status
    denied = {part.strip() for part in response.headers.get("Permissions-Policy", "").split(",")}
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in denied


# Admin login throttling (django-axes), in-process


LOGIN = "/admin/login/"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "xiaozhao", password="Shan-shui-2026-pine", is_staff=True
    )


def _attempt(client, password, address="203.0.113.9"):
    return client.post(LOGIN, {"username": "xiaozhao", "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_login_for_thirty_minutes(client, editor):
    for _ in range(4):
        assert _attempt(client, "wrong").status_code == 200  # the form again, with an error
    response = _attempt(client, "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂停" in page
    assert "5 次" in page
    assert "30 分钟" in page
    # Locked out: even the right password is refused now.
    assert _attempt(client, "Shan-shui-2026-pine").status_code == 429


@pytest.mark.django_db
def test_the_lockout_is_per_username_and_address(client, editor):
    for _ in range(5):
        _attempt(client, "wrong")
    other = Client()
    response = _attempt(other, "Shan-shui-2026-pine", address="198.51.100.4")
    assert response.status_code == 302  # a colleague elsewhere still gets in


@pytest.mark.django_db
def test_a_correct_login_resets_the_count(client, editor):
    for _ in range(4):
        _attempt(client, "wrong")
    assert _attempt(client, "Shan-shui-2026-pine").status_code == 302
    client.logout()
    for _ in range(4):
        assert _attempt(client, "wrong").status_code == 200


@pytest.mark.django_db
@override_settings(KB_BEHIND_PROXY=True)
def test_behind_the_proxy_failures_count_against_the_real_client(client, editor):
    # Every request arrives from the proxy's address; X-Real-IP names the client.
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "xiaozhao", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="203.0.113.50",
        )
    other = Client()
    response = other.post(
        LOGIN,
        {"username": "xiaozhao", "password": "Shan-shui-2026-pine"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="198.51.100.60",
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_test_clients_can_still_log_in_with_a_password(client, editor):
    assert client.login(username="xiaozhao", password="Shan-shui-2026-pine")
    assert client.get("/admin/").status_code == 200


# Request size limits


@pytest.mark.django_db
def test_an_oversized_post_is_refused(client):
    response = client.post(
        "/admin/login/",
        {"username": "x", "password": "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_post_with_too_many_fields_is_refused(client):
    fields = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert client.post("/admin/login/", fields).status_code == 400


# The Content-Security-Policy against a real browser: nothing the admin or the pages need is
# blocked (Django's admin has no inline scripts since 4.x; this proves it for our templates).


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_nothing_is_blocked_by_the_csp_in_a_real_browser(live_server, admin_user, monkeypatch):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs /usr/bin/chromium (Debian package chromium)")
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import sync_playwright

    from tests.accounts import code_for
    from tests.factories import make_article, make_lender

    lender = make_lender(name="浏览器测试贷")
    article = make_article(title="浏览器测试贷的催收电话", lender=lender)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # playwright's loop shares the thread

    violations, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        page.on(
            "console",
            lambda msg: (
                violations.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        for path in (
            "/",
            f"/articles/{article.slug}/",
            f"/lenders/{lender.slug}/",
            "/search/?q=测试",
        ):
            page.goto(live_server.url + path)

        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", admin_user.username)
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        # An administrator enrols a second factor first: the QR page, then the recovery codes.
        page.wait_for_url("**/admin/second-factor/setup/**")
        assert page.locator(".second-factor-qr svg").is_visible()
        device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
        page.fill("#id_code", code_for(device))
        page.click("input[type=submit]")
        page.click("text=我已记下，进入后台")
        page.wait_for_url("**/admin/")
        page.goto(live_server.url + "/admin/articles/article/add/")
        rows = page.locator(".dynamic-sections").count()
        page.click(".add-row a")  # the inline formset's "add another", pure admin JavaScript
        assert page.locator(".dynamic-sections").count() == rows + 1
        page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
        page.goto(live_server.url + "/admin/articles/article/")
        browser.close()

    assert violations == []
    assert errors == []
