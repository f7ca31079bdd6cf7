"""Merging the tiny segments that editors' saves leave, in a process of its own.

A save writes its article as a new segment of one document. Merging twenty of them costs
Whoosh most of a second, so no save does it: once a save leaves `MERGE_TINY_AFTER` tiny
segments, it starts this module as a child process (`start`) and returns.

The child writes the merged segment beside the index, holding no lock, and then, under the
writers' lock, carries over the deletions made meanwhile (an article saved again while it
ran) and commits a table of contents naming the merged segment instead of the tiny ones.
If a rebuild or another merge replaced them in the meantime, it gives up. Nothing is
deleted before that commit: a child killed at any point leaves the index as it was.

    python -m articles.search.merging INDEX_DIR LOCK_FILE

The child needs neither Django nor the database: only the index and the lock file.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from .state import file_lock
from .whoosh_internals import add_segments, commit_segments, segments
from .whoosh_writing import BulkWriter, codec

log = logging.getLogger(__name__)

TINY_SEGMENT = 10  # documents: what an editor's save or two writes
MERGE_TINY_AFTER = 20  # tiny segments
LOCK_TIMEOUT = 60  # seconds the child waits for the writers' lock to commit its merge

_child: subprocess.Popen | None = None


def tiny(index_segments) -> list:
    return [s for s in index_segments if s.doc_count_all() < TINY_SEGMENT]


def start(path, lock, index_segments) -> None:
    """Start merging in a child process if `index_segments` hold enough tiny ones (one child
    at a time per process; the child itself makes sure of one per index)."""
    global _child
    if len(tiny(index_segments)) < MERGE_TINY_AFTER:
        return
    if _child is not None and _child.poll() is None:
        return
    command = [sys.executable, "-m", __name__, str(path), str(lock)]
    try:
        _child = subprocess.Popen(
            command,
            cwd=Path(__file__).resolve().parents[2],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:  # no process to spare: the save is done, a later one tries again
        log.warning("没能启动合并搜索索引小段的子进程，下次保存后再试", exc_info=True)


def wait() -> None:
    """Wait for this process's merging child, if any (tests, and a process about to exit)."""
    if _child is not None:
        _child.wait()


@contextmanager
def _only_merger(path: Path):
    """Yield True if no other process is merging this index (False otherwise)."""
    fd = os.open(path.with_name(f"{path.name}.merging.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


def merge_tiny(path, lock) -> bool:
    """Merge the index's tiny segments into one; False if there was nothing to do or the
    index changed under the merge in a way that makes it moot."""
    path, lock = Path(path), Path(lock)
    with _only_merger(path) as alone:
        if not alone:
            return False
        scratch = path.with_name(f"{path.name}.merging")
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        try:
            return _merge(path, scratch, lock)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def _merge(path: Path, scratch: Path, lock: Path) -> bool:
    storage = FileStorage(str(path))
    index = storage.open_index()
    chosen = tiny(segments(index))
    if len(chosen) < MERGE_TINY_AFTER:
        return False
    merged_index = FileStorage(str(scratch)).create_index(index.schema)
    writer = BulkWriter(merged_index, codec=codec())
    deleted_before = {s.segment_id(): set(s.deleted_docs()) for s in chosen}
    add_segments(writer, storage, index.schema, chosen)
    writer.commit(mergetype=lambda writer, segments: segments)
    merged = segments(FileStorage(str(scratch)).open_index())
    with file_lock(lock, LOCK_TIMEOUT):
        index = storage.open_index()
        now = segments(index)
        current = {s.segment_id(): s for s in now}
        if any(s.segment_id() not in current for s in chosen):
            return False
        for new in merged:
            _carry_deletions(chosen, deleted_before, current, new)
            for name in os.listdir(scratch):
                if name.startswith(f"{new.segment_id()}."):
                    os.rename(scratch / name, path / name)
        ids = {s.segment_id() for s in chosen}
        kept = [s for s in now if s.segment_id() not in ids]
        commit_segments(storage, index, kept + merged)
    return True


def _carry_deletions(chosen, deleted_before, current, merged) -> None:
    """Delete in the merged segment what was deleted in the tiny ones after they were read
    (their live documents were copied in order, one number each)."""
    docnum = 0
    for segment in chosen:
        before = deleted_before[segment.segment_id()]
        now = current[segment.segment_id()]
        for local in range(segment.doc_count_all()):
            if local in before:
                continue
            if now.is_deleted(local):
                merged.delete_document(docnum)
            docnum += 1


def main(argv) -> int:
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    os.nice(10)  # background work: an editor's save or a reader's search goes first
    try:
        merge_tiny(argv[0], argv[1])
    except Exception:
        log.exception("合并搜索索引的小段失败（索引未改变，下次保存后再试）")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
