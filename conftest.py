"""Loaded before Django starts: every test run gets its own data dir (database + index)."""

import os
import tempfile

import pytest

os.environ.setdefault("KB_DATA_DIR", tempfile.mkdtemp(prefix="kb-test-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached fragments and rate-limit counters of one
    test must not leak into the next (the database is rolled back, the cache is not)."""
    from django.core.cache import cache

    cache.clear()
    yield
