import json

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client

from articles.models import Article, Feedback
from tests.factories import make_article

pytestmark = pytest.mark.django_db


XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


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


def test_csrf_token_is_required():
    article = make_article()
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(url(article), {"vote": "yes"}).status_code == 403
    assert not Feedback.objects.exists()

    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    response = browser.post(url(article), {"vote": "yes", "csrfmiddlewaretoken": secret})
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


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
    assert client.post(url(articles[5]), {"vote": "yes"}).status_code == 429
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
    assert not any("203.0.113.7" in key for key in getattr(cache, "_cache", {}))  # locmem keys


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
