"""Search fixtures: every test that touches the index gets a directory of its own.

- `search_index`: an empty index in the test's temp dir; haystack and the search caches
  point at it for the test (the default index under KB_DATA_DIR is never touched).
- `build_index`: call it to index every published article of the test database.
- `relevance_corpus` (module scope): the demo articles and the two seed files, loaded once
  in a transaction that is rolled back after the module, and indexed once.

And `admin_client` (pytest-django's), signed in past the second factor an administrator needs;
`editor` / `editor_client`: an editor without the 审核 role, signed in on pytest-django's client;
`reviewer` / `reviewer_client`: an editor holding the 审核 role, signed in the same way, on a
client of its own (a test may drive an editor's `client` and a reviewer's side by side).

On the PostgreSQL leg (`DATABASE_URL` set) only the tests that reach the database through
Django run: the others do not touch it, and the SQLite leg has just run them.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import haystack
import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from tests.redis_helpers import redis_server  # noqa: F401 (a fixture for every test file)
from tests.seeds import SEEDS_DIR

DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_setup",
    "live_server",
}


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("DATABASE_URL"):
        return
    kept, left = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") or DATABASE_FIXTURES.intersection(
            getattr(item, "fixturenames", ())
        )
        (kept if uses_database else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@contextmanager
def index_at(path):
    from articles.search import merging, searching

    connection = {"ENGINE": "articles.search.backend.ChineseWhooshEngine", "PATH": str(path)}
    with override_settings(
        HAYSTACK_CONNECTIONS={**settings.HAYSTACK_CONNECTIONS, "default": connection}
    ):
        haystack.connections.reload("default")
        searching.reset()
        try:
            yield Path(path)
        finally:
            merging.wait()  # a merging child must not outlive the test's directory
            searching.reset()
    haystack.connections.reload("default")


@pytest.fixture
def admin_client(client, admin_user):
    from tests.accounts import sign_in_with_second_factor

    sign_in_with_second_factor(client, admin_user)
    return client


EDITOR_PASSWORD = "Lan-shan-2026-river"
REVIEWER_PASSWORD = "Shen-he-2026-river"


@pytest.fixture
def editor(db):
    """An editor (编辑 group, no 审核 role): no second factor is asked of them."""
    from articles.editors import make_editor

    user, _ = make_editor("xiaowang", EDITOR_PASSWORD)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer(db):
    from articles.editors import make_editor

    user, _ = make_editor("shenhe", REVIEWER_PASSWORD, reviewer=True)
    return user


@pytest.fixture
def reviewer_client(reviewer):
    from django.test import Client

    from tests.accounts import sign_in_with_second_factor

    client = Client()
    sign_in_with_second_factor(client, reviewer)
    return client


@pytest.fixture
def search_index(tmp_path):
    with index_at(tmp_path / "whoosh_index") as path:
        yield path


@pytest.fixture
def build_index(search_index, db):
    from articles.search.indexing import build

    return lambda **options: build(**{"procs": 1, **options})


@pytest.fixture(scope="module")
def relevance_corpus(django_db_setup, django_db_blocker, tmp_path_factory):
    from articles.demo_content import load_demo
    from articles.importer import import_files
    from articles.models import Article
    from articles.search.indexing import build

    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        import_files(seeds, publish=True)
        # The importer holds pages with repaired text for review; the corpus wants them too.
        Article.objects.filter(status=Article.Status.REVIEW).update(status=Article.Status.PUBLISHED)
        with index_at(tmp_path_factory.mktemp("relevance") / "whoosh_index"):
            count = build(procs=1)
            yield {"articles": count, "seeds": len(seeds)}
        transaction.set_rollback(True)


@pytest.fixture
def many(build_index):
    """Two lenders, enough articles for two pages of results and facets: 13 of 测甲贷 (with a
    listed number, 95016) holding legality and coping sections, 4 of 测乙贷 coping only."""
    from tests.factories import make_article, make_lender, make_number

    first = make_lender("测甲贷")
    second = make_lender("测乙贷")
    make_number(first, "95016")
    for i in range(13):
        make_article(
            f"测甲贷文章{i}",
            lender=first,
            sections=[
                ("legality", "合法吗", "紧急联系人被催收怎么办。"),
                ("coping", "应对", "保留证据。"),
            ],
        )
    for i in range(4):
        make_article(
            f"测乙贷文章{i}", lender=second, sections=[("coping", "应对", "紧急联系人被催收。")]
        )
    build_index()
    return first, second
