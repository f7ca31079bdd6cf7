"""Django's Redis cache, except that Redis being down means "nothing cached", not a 500.

Django's ``RedisCache`` raises ``redis.ConnectionError`` from every call while Redis is
unreachable, and pages read the cache on every request (content version, fragments, article
bodies). Here a failed call is logged once per outage and answers as a miss: ``get`` returns
the default, ``add``/``set`` store nothing. After a failure the process stops asking Redis for
``RETRY_SECONDS`` (a dead server behind a timeout would otherwise cost every cache call that
timeout), then tries again; the first call that succeeds logs the recovery.

``set`` returns False when nothing was stored, so a caller that must not lose a write (the
content version, kb/cache.py) can try again later.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("kb.cache")

OUTAGE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 5.0

# Per process and per server: Django builds a cache object per thread.
_down_until: dict[str, float] = {}
_state_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    def _location(self) -> str:
        return ",".join(self._servers)

    def is_down(self) -> bool:
        until = _down_until.get(self._location())
        return until is not None and time.monotonic() < until

    def _call(self, method, *args, missing):
        location = self._location()
        until = _down_until.get(location)
        if until is not None and time.monotonic() < until:
            return missing
        try:
            result = method(*args)
        except OUTAGE as exc:
            with _state_lock:
                first = location not in _down_until
                _down_until[location] = time.monotonic() + RETRY_SECONDS
            if first:
                logger.error(
                    "Redis 无法连接（%s）：%s；页面暂不使用缓存，%d 秒后重试",
                    location,
                    exc,
                    RETRY_SECONDS,
                )
            return missing
        if until is not None:
            with _state_lock:
                recovered = _down_until.pop(location, None) is not None
            if recovered:
                logger.warning("Redis 已恢复（%s），页面重新使用缓存", location)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, key, value, timeout, version, missing=False)

    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, missing=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, key, value, timeout, version, missing=False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, key, timeout, version, missing=False)

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, missing=False)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, missing={})

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, missing=False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call(super().incr, key, delta, version, missing=missing)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (Redis unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, data, timeout, version, missing=list(data))

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, keys, version, missing=None)

    def clear(self):
        return self._call(super().clear, missing=False)
