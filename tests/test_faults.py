"""Database unreachable, locked, damaged or deleted: readers get a friendly 503 page, the API
a JSON 503, never a trace. Errors that come from the code or its input stay 500s."""

import json

import psycopg
import pytest
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InternalError,
    NotSupportedError,
    ProgrammingError,
)
from django.test import Client, override_settings
from django.urls import path

from kb.urls import handler500  # noqa: F401
from kb.urls import urlpatterns as project_urlpatterns
from tests import sqlite_files
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


# A database file that is there but broken (tests/sqlite_files.py)


@pytest.mark.parametrize("kind", sqlite_files.KINDS)
def test_reader_pages_answer_503_when_the_database_file_is_broken(client, content, kind, tmp_path):
    lender, article = content
    with sqlite_files.broken_sqlite(kind, tmp_path):
        for url in ("/", f"/articles/{article.slug}/", f"/lenders/{lender.slug}/", "/lenders/"):
            _assert_friendly_503(client.get(url))
        _assert_friendly_503(client.get(f"/zh-hant/articles/{article.slug}/"), traditional=True)


def test_a_garbage_database_file_gives_the_api_json_503(client, tmp_path):
    with sqlite_files.broken_sqlite("garbage", tmp_path):
        response = client.get("/api/suggest/", {"q": "微粒"})
    assert response.status_code == 503
    assert json.loads(response.content)["error"] == "unavailable"
    assert "not a database" not in response.content.decode()


# Which database errors are the database's fault


def _corruption():
    """What Django raises for PostgreSQL's "invalid page in block" (SQLSTATE XX001)."""
    error = InternalError("invalid page in block 7 of relation base/16384/16385")
    error.__cause__ = psycopg.errors.DataCorrupted("invalid page in block 7")
    return error


RAISED = {
    "corrupt-file": DatabaseError("file is not a database"),
    "malformed": DatabaseError("database disk image is malformed"),
    "pg-corruption": _corruption(),
    "integrity": IntegrityError("UNIQUE constraint failed: articles_article.slug"),
    "data": DataError("value too long for type character varying(200)"),
    "programming": ProgrammingError("column articles_article.nope does not exist"),
    "not-supported": NotSupportedError("DISTINCT ON fields is not supported"),
    "aborted": InternalError("current transaction is aborted"),
}


def _raise(request, name):
    raise RAISED[name]


urlpatterns = [path("raise/<str:name>/", _raise), *project_urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    "name, status",
    [
        ("corrupt-file", 503),
        ("malformed", 503),
        ("pg-corruption", 503),
        ("integrity", 500),
        ("data", 500),
        ("programming", 500),
        ("not-supported", 500),
        ("aborted", 500),
    ],
)
def test_damaged_data_is_a_503_and_the_codes_own_errors_stay_500s(name, status):
    response = Client(raise_request_exception=False).get(f"/raise/{name}/")
    assert response.status_code == status
    assert "Traceback" not in response.content.decode()
