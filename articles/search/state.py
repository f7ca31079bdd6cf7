"""Where the index lives, the lock that serialises its writers, and change stamps.

Web workers are separate processes: an editor's save is handled by one of them, and every
other one must notice. Writers take an OS file lock next to the index (released by the OS if
a process dies), and caches built from the database (lender names for jieba, suggestions)
are checked against stamp files that a save replaces — one `stat` per request.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

LEXICON = "lexicon"  # lenders, aliases, numbers, synonyms
TITLES = "titles"  # published article titles (suggestions)


class WriteLockTimeout(Exception):
    pass


def index_path(using: str = "default") -> Path:
    return Path(settings.HAYSTACK_CONNECTIONS[using]["PATH"])


def _sibling(suffix: str, using: str = "default") -> Path:
    path = index_path(using)
    return path.with_name(f"{path.name}.{suffix}")


_held = threading.local()


@contextmanager
def write_lock(timeout: float | None = None, using: str = "default"):
    """Hold the index's writer lock, waiting up to `timeout` seconds for another writer.

    Re-entrant within a thread, so a function holding it may call one that takes it.
    """
    depth = getattr(_held, "depth", 0)
    if depth:
        _held.depth = depth + 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    if timeout is None:
        timeout = settings.KB_SEARCH_LOCK_TIMEOUT
    with file_lock(lock_path(using), timeout):
        _held.depth = 1
        try:
            yield
        finally:
            _held.depth = 0


@contextmanager
def file_lock(path: Path, timeout: float):
    """Hold an OS lock on `path`, waiting up to `timeout` seconds: the lock of `write_lock`,
    for a process without Django's settings (merging.py)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriteLockTimeout(f"另一个进程占用搜索索引超过 {timeout} 秒") from None
                time.sleep(0.005)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_path(using: str = "default") -> Path:
    return _sibling("lock", using)


def touch(name: str, using: str = "default") -> None:
    """Mark cached data `name` as changed, for every process."""
    path = _sibling(f"{name}.stamp", using)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}")
    tmp.write_text(uuid.uuid4().hex)
    os.replace(tmp, path)


def version(name: str, using: str = "default"):
    """A value that changes whenever `touch(name)` is called (None before the first touch)."""
    try:
        st = os.stat(_sibling(f"{name}.stamp", using))
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)
