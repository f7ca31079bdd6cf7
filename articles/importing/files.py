"""Which files an import reads, and reading one without being led out of where it was sent.

The paths an editor gives are files or directories; a directory gives its own article files
(`SUFFIXES`, not README, not sub-directories). A symbolic link is never followed, whether it
was given or found in a directory: a link dropped into an import folder must not pull in
`/etc/passwd` or another site's files. A file found in a directory must also resolve inside
that directory. The file is then opened without following a link (`O_NOFOLLOW`), checked to
be a regular file on the open descriptor (a FIFO or device swapped in is refused, and never
blocks), and read only up to `KB_IMPORT_MAX_BYTES`.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import ImportRejected

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ".html", ".htm"})
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)
SYMLINK_REASON = "这是符号链接，为安全起见不跟随；请直接给出它指向的文件"


@dataclass(frozen=True)
class Candidate:
    path: Path
    directory: Path | None = None  # the directory it was found in, when one was given
    refused: str = ""  # why it cannot even be looked at

    @property
    def name(self) -> str:
        return self.path.name[:255] or str(self.path)[:255]


def expand(paths) -> list[Candidate]:
    """The files to import: each path given, or a given directory's article files, sorted."""
    found: list[Candidate] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not path.is_symlink():
            try:
                entries = sorted(path.iterdir())
            except OSError as exc:
                found.append(Candidate(path, refused=f"无法列出目录（{exc.strerror or exc}）"))
                continue
            found.extend(Candidate(entry, path) for entry in entries if _is_article(entry))
        else:
            found.append(Candidate(path))
    return found


def _is_article(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and path.stem.upper() != "README"


def read(candidate: Candidate) -> bytes:
    path = candidate.path
    if candidate.refused:
        raise ImportRejected(candidate.refused)
    if path.is_symlink():
        raise ImportRejected(SYMLINK_REASON)
    directory = candidate.directory
    if directory is not None and path.resolve().parent != directory.resolve():
        raise ImportRejected(f"文件实际位于导入目录 {directory} 之外，不导入")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise ImportRejected("文件不存在或不是普通文件") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # became a link after the check above
            raise ImportRejected(SYMLINK_REASON) from None
        raise ImportRejected(f"无法读取文件（{exc.strerror or exc}）") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ImportRejected("文件不存在或不是普通文件")
        limit = settings.KB_IMPORT_MAX_BYTES
        if info.st_size > limit:
            raise ImportRejected(f"文件太大（{info.st_size:,} 字节，上限 {limit:,} 字节）")
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise ImportRejected(f"无法读取文件（{exc.strerror or exc}）") from None
    if len(data) > limit:
        raise ImportRejected(f"文件太大（上限 {limit:,} 字节）")
    return data
