import http.client
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client, override_settings

from articles.models import Article, Feedback
from kb import ratelimit
from tests.factories import make_article

pytestmark = pytest.mark.django_db


XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}
LIMITED = "你刚刚已经提交过反馈了，谢谢！请过一会儿再试。"


def url(article):
    return f"{article.get_absolute_url()}feedback/"


def test_vote_is_saved_and_reader_is_sent_back_with_thanks(client):
    article = make_article()
    response = client.post(url(article), {"vote": "yes", "comment": "  讲得很清楚  "})
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#feedback"
    feedback = Feedback.objects.get()
    assert (feedback.article, feedback.helpful, feedback.comment) == (article, True, "讲得很清楚")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("谢谢你的反馈" in m for m in messages)


def test_thanks_shows_on_the_article_page(client):
    article = make_article()
    response = client.post(url(article), {"vote": "no"}, follow=True)
    assert response.status_code == 200
    assert "谢谢你的反馈" in response.content.decode()
    assert Feedback.objects.get().helpful is False


def test_comment_is_optional(client):
    article = make_article()
    client.post(url(article), {"vote": "no"})
    assert Feedback.objects.get().comment == ""


@pytest.mark.parametrize("data", [{}, {"vote": ""}, {"vote": "maybe"}, {"comment": "只有留言"}])
def test_missing_or_invalid_vote_is_a_400_with_a_message(client, data):
    article = make_article()
    response = client.post(url(article), data)
    assert response.status_code == 400
    assert "请点“有帮助”或“没帮助”" in response.content.decode()
    assert not Feedback.objects.exists()


def test_overlong_comment_is_rejected_and_kept_for_editing(client):
    article = make_article()
    response = client.post(url(article), {"vote": "yes", "comment": "长" * 501})
    assert response.status_code == 400
    html = response.content.decode()
    assert "留言最多 500 个字" in html
    assert "长" * 501 in html  # the reader's text is still in the form
    assert 'maxlength="500"' in html
    assert not Feedback.objects.exists()


def test_comment_of_exactly_500_characters_is_accepted(client):
    article = make_article()
    assert client.post(url(article), {"vote": "yes", "comment": "字" * 500}).status_code == 302
    assert len(Feedback.objects.get().comment) == 500


def test_control_characters_are_stripped_from_comments(client):
    article = make_article()
    client.post(url(article), {"vote": "yes", "comment": "有\x00用\x1b\u202e\r\n第二行\x7f"})
    assert Feedback.objects.get().comment == "有用\n第二行"


def test_unpublished_and_unknown_articles_are_404(client):
    for status in (Article.Status.DRAFT, Article.Status.REVIEW):
        draft = make_article(title=f"草稿{status}", status=status)
        assert client.post(url(draft), {"vote": "yes"}).status_code == 404
    assert client.post("/articles/no-such-article/feedback/", {"vote": "yes"}).status_code == 404
    assert not Feedback.objects.exists()


def test_only_post_is_allowed(client):
    article = make_article()
    assert client.get(url(article)).status_code == 405


def test_a_vote_needs_no_token_from_a_page_of_this_site():
    # Article pages are cached for everyone, so the form holds no per-reader token.
    article = make_article()
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(url(article), {"vote": "yes"}, headers={"origin": "http://testserver"})
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site", "origin": "http://testserver"},
        {"sec-fetch-site": "same-site"},
        {"referer": "https://evil.example/page"},
    ],
)
def test_a_vote_another_site_makes_a_browser_send_is_refused(headers):
    article = make_article()
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(url(article), {"vote": "yes"}, headers=headers)
    assert response.status_code == 403
    assert "请在本站的页面上提交" in response.content.decode()
    assert not Feedback.objects.exists()


def test_one_vote_per_article_per_client_then_a_friendly_429(client):
    article = make_article()
    assert client.post(url(article), {"vote": "yes"}).status_code == 302
    response = client.post(url(article), {"vote": "no"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "你刚刚已经提交过反馈了" in html
    assert f'href="{article.get_absolute_url()}"' in html
    assert Feedback.objects.count() == 1


def test_a_client_may_send_five_an_hour(client, settings):
    settings.KB_FEEDBACK_PER_HOUR = 5
    articles = [make_article(title=f"文章{i}") for i in range(6)]
    for article in articles[:5]:
        assert client.post(url(article), {"vote": "yes"}).status_code == 302
    response = client.post(url(articles[5]), {"vote": "yes"})
    assert response.status_code == 429
    assert LIMITED in response.content.decode()
    assert Feedback.objects.count() == 5


def test_limits_are_per_client():
    article = make_article()
    first = Client(REMOTE_ADDR="203.0.113.7")
    second = Client(REMOTE_ADDR="198.51.100.9")
    assert first.post(url(article), {"vote": "yes"}).status_code == 302
    assert second.post(url(article), {"vote": "yes"}).status_code == 302
    assert first.post(url(article), {"vote": "yes"}).status_code == 429


def test_client_address_is_never_stored():
    article = make_article()
    Client(REMOTE_ADDR="203.0.113.7").post(url(article), {"vote": "yes", "comment": "好"})
    row = Feedback.objects.values().get()
    assert "203.0.113.7" not in json.dumps(row, default=str)
    for path in Path(settings.DATA_DIR).glob(f"{ratelimit.FILE_NAME}*"):
        assert b"203.0.113.7" not in path.read_bytes()


def test_script_gets_json_and_no_leftover_message(client):
    article = make_article()
    response = client.post(url(article), {"vote": "yes"}, **XHR)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "message": "谢谢你的反馈！我们会据此改进这篇文章。"}
    assert list(get_messages(response.wsgi_request)) == []

    again = client.post(url(article), {"vote": "yes"}, **XHR)
    assert again.status_code == 429
    assert again.json()["ok"] is False
    assert "已经提交过" in again.json()["message"]

    bad = client.post(url(make_article(title="另一篇")), {"vote": "?"}, **XHR)
    assert bad.status_code == 400
    assert "有帮助" in bad.json()["message"]


def test_votes_are_taken_when_limits_cannot_be_counted(client, tmp_path):
    # Refusing every reader would be worse than a few extra votes.
    article = make_article()
    (tmp_path / ratelimit.FILE_NAME).mkdir()  # where the counts file should be
    with override_settings(DATA_DIR=tmp_path):
        for _ in range(3):
            assert client.post(url(article), {"vote": "yes"}).status_code == 302
    assert Feedback.objects.count() == 3


# The limit against a real gunicorn: several workers, each replaced after every request


def _manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post_vote(port, path):
    token = "a" * 32
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "Cookie": f"csrftoken={token}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
    }
    connection.request("POST", path, body=f"vote=yes&csrfmiddlewaretoken={token}", headers=headers)
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    return response.status, body["message"]


@pytest.fixture
def gunicorn_site(tmp_path):
    """A private site (own SQLite, demo articles) served by 3 gunicorn workers, each replaced
    after one request (forked from a preloaded app, so quickly): every vote meets a new process."""
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path), "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    _manage(env, "migrate", "-v", "0")
    _manage(env, "load_demo")
    script = (
        "from articles.models import Article\n"
        "for article in Article.objects.published(): print(article.get_absolute_url())"
    )
    paths = [f"{path}feedback/" for path in _manage(env, "shell", "-v", "0", "-c", script).split()]
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(
        [gunicorn, "kb.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3",
         "--max-requests", "1", "--preload"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
    yield port, paths, env
    server.terminate()
    server.wait(timeout=20)


def test_the_hourly_limit_holds_across_workers_and_their_restarts(gunicorn_site, tmp_path):
    port, paths, env = gunicorn_site
    assert len(paths) >= 7
    answers = [_post_vote(port, path) for path in paths[:7]]
    assert [status for status, _ in answers] == [200] * 5 + [429] * 2
    assert answers[-1][1] == LIMITED
    count = "from articles.models import Feedback; print(Feedback.objects.count())"
    assert _manage(env, "shell", "-v", "0", "-c", count).strip() == "5"
    counts_file = tmp_path / ratelimit.FILE_NAME
    assert stat.S_IMODE(counts_file.stat().st_mode) == 0o600
