"""Database unreachable: readers get a friendly 503 page, the API a JSON 503, never a trace."""

import json

import pytest
from django.test import Client, override_settings

from tests.factories import make_article, make_lender
from tests.unreachable import KINDS, unreachable_database

pytestmark = pytest.mark.django_db


@pytest.fixture(params=KINDS)
def database_down(request, tmp_path):
    with unreachable_database(request.param, tmp_path):
        yield request.param


@pytest.fixture
def content():
    lender = make_lender(name="故障测试贷")
    article = make_article(title="故障测试贷催收电话", lender=lender)
    return lender, article


def _assert_friendly_503(response, *, traditional=False):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert ("網站暫時無法訪問" if traditional else "网站暂时无法访问") in html
    assert "Traceback" not in html
    assert "OperationalError" not in html
    assert "Content-Security-Policy" in response.headers  # the usual headers still apply


def test_reader_pages_answer_503_when_the_database_is_unreachable(client, content, tmp_path):
    lender, article = content
    with unreachable_database("postgresql", tmp_path):
        for url in ("/", f"/articles/{article.slug}/", f"/lenders/{lender.slug}/", "/lenders/"):
            _assert_friendly_503(client.get(url))


def test_traditional_readers_get_the_page_in_their_script(client, content, database_down):
    _, article = content
    _assert_friendly_503(client.get(f"/zh-hant/articles/{article.slug}/"), traditional=True)


def test_home_page_answers_503_for_both_kinds_of_failure(client, database_down):
    _assert_friendly_503(client.get("/"))


@override_settings(ROOT_URLCONF="tests.fault_urls")
def test_the_api_answers_json_503(client, database_down):
    response = client.get("/api/probe/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "60"
    body = json.loads(response.content)
    assert body == {"error": "unavailable", "message": "网站暂时无法读取资料，请稍后再试。"}


def test_the_real_search_api_never_answers_500(client, database_down):
    response = client.get("/api/search/", {"q": "微粒贷"})
    assert response.status_code in (200, 503)
    json.loads(response.content)


def test_a_json_client_posting_feedback_gets_json_503(client, content, tmp_path):
    _, article = content
    with unreachable_database("sqlite", tmp_path):
        response = client.post(
            f"/articles/{article.slug}/feedback/",
            {"helpful": "1"},
            headers={"accept": "application/json"},
        )
    assert response.status_code == 503
    assert json.loads(response.content)["error"] == "unavailable"


@pytest.mark.parametrize("kind", KINDS)
def test_an_editor_with_a_session_gets_the_503_page(client, admin_user, kind, tmp_path):
    client.force_login(admin_user)
    with unreachable_database(kind, tmp_path):
        _assert_friendly_503(client.get("/admin/articles/article/"))


@override_settings(ROOT_URLCONF="tests.fault_urls")
def test_a_failure_outside_the_view_still_gets_the_503_page(database_down):
    # The session is written by middleware after the view: only handler500 sees that error.
    client = Client(raise_request_exception=False)
    _assert_friendly_503(client.get("/session-probe/"))


def test_the_site_recovers_when_the_database_comes_back(client, content, tmp_path):
    _, article = content
    with unreachable_database("postgresql", tmp_path):
        assert client.get(f"/articles/{article.slug}/").status_code == 503
    response = client.get(f"/articles/{article.slug}/")
    assert response.status_code == 200
    assert "故障测试贷催收电话" in response.content.decode()
