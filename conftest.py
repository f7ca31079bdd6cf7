"""Fixtures for the whole suite. The per-run data dir is chosen in kb/settings.py."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached fragments and rate-limit counters of one
    test must not leak into the next (the database is rolled back, the cache is not)."""
    from django.core.cache import cache

    from kb import ratelimit

    cache.clear()
    ratelimit.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the test thread; start every test in zh-hans."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _fresh_overrides():
    """Conversion overrides are cached per process by version; a rolled-back test must not
    leave its overrides' version behind for the next."""
    from kb import variants

    variants.forget_overrides_version()
    yield
    variants.forget_overrides_version()
