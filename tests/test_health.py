"""GET /healthz: database and search-index state, read-only, never cached."""

import json

import haystack
import pytest
from django.conf import settings
from django.test import Client, override_settings
from whoosh import fields
from whoosh.index import create_in

from tests.unreachable import KINDS, unreachable_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_path(tmp_path):
    """Point haystack's default connection at a directory of this test's own."""
    path = tmp_path / "whoosh_index"
    default = {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(path)}
    with override_settings(
        HAYSTACK_CONNECTIONS={**settings.HAYSTACK_CONNECTIONS, "default": default}
    ):
        haystack.connections.reload("default")
        yield path
    haystack.connections.reload("default")


def _build_index(path, documents):
    path.mkdir()
    index = create_in(str(path), fields.Schema(id=fields.ID(stored=True, unique=True)))
    with index.writer() as writer:
        for number in range(documents):
            writer.add_document(id=f"articles.article.{number}")
    return index


def _healthz(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def test_all_is_well(client, index_path):
    _build_index(index_path, 3)
    response, body = _healthz(client)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] in ("sqlite", "postgresql")
    assert body["database"]["ms"] >= 0
    assert body["index"] == {
        "ok": True,
        "engine": "whoosh",
        "documents": 3,
        "ms": body["index"]["ms"],
    }
    assert "no-cache" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"


def test_a_missing_index_is_degraded_and_is_not_created(client, index_path):
    response, body = _healthz(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["index"]["ok"] is False
    assert body["index"]["error"] == "missing"
    assert not index_path.exists()


def test_an_empty_index_directory_is_degraded(client, index_path):
    index_path.mkdir()
    response, body = _healthz(client)
    assert body["status"] == "degraded"
    assert body["index"]["error"] == "missing"
    assert list(index_path.iterdir()) == []


def test_a_corrupt_index_is_degraded_not_an_error(client, index_path):
    _build_index(index_path, 2)
    for toc in index_path.glob("*.toc"):
        toc.write_bytes(b"\x00garbage, not a whoosh table of contents")
    response, body = _healthz(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["index"]["ok"] is False
    assert body["database"]["ok"] is True


def test_a_writer_holding_the_lock_does_not_block_or_fail_the_check(client, index_path):
    index = _build_index(index_path, 1)
    writer = index.writer()  # an editor's save, mid-commit
    try:
        response, body = _healthz(client)
    finally:
        writer.cancel()
    assert body["status"] == "ok"
    assert body["index"]["documents"] == 1


@pytest.mark.parametrize("kind", KINDS)
def test_an_unreachable_database_is_down_with_503(client, index_path, kind, tmp_path):
    _build_index(index_path, 1)
    with unreachable_database(kind, tmp_path):
        response, body = _healthz(client)
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == "OperationalError"
    assert body["index"]["ok"] is True


def test_it_has_no_language_prefix_and_no_https_redirect(client, index_path):
    _build_index(index_path, 0)
    assert client.get("/zh-hant/healthz").status_code == 404
    with override_settings(SECURE_SSL_REDIRECT=True):
        client = Client()  # middleware reads the setting when it is built
        response, body = _healthz(client)
        assert response.status_code == 200
        assert body["status"] == "ok"
        assert client.get("/").status_code == 301  # the rest of the site does redirect


def test_only_reads_are_allowed(client, index_path):
    assert client.post("/healthz").status_code == 405
