"""Bytes of an uploaded page → text, or a one-line reason why not.

UTF-16 is recognised by its byte-order mark, or without one by where its zero bytes fall.
Strict UTF-8 (with or without BOM) is tried first: a legacy-encoded Chinese file is almost
never valid UTF-8 by accident. Otherwise GB18030 (a superset of GBK and GB2312) and Big5
are each decoded and scored by how much of the result is ordinary Chinese: GB18030 decodes
nearly any byte string without error, so "no error" alone would always pick it.
"""

from __future__ import annotations

import unicodedata

from . import ImportRejected
from .charfreq import is_han, rank

_BINARY_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\xd0\xcf\x11\xe0",
    b"\x7fELF",
)
_LEGACY = ("gb18030", "cp950", "big5hkscs")
_ALLOWED_CONTROLS = set("\t\n\r\f\v")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise ImportRejected for empty, binary or undecodable data."""
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise ImportRejected("文件是空的")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError:
            raise ImportRejected("文件以 UTF-16 标记开头，但内容无法解码") from None
    if b"\x00" in data and not data.startswith(_BINARY_MAGIC) and (utf16 := _utf16(data)):
        return utf16
    if b"\x00" in data or data.startswith(_BINARY_MAGIC):
        raise ImportRejected("这是二进制文件（如图片、压缩包、PDF），不是文本")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _checked(data[3:].decode("utf-8")), "utf-8-sig"
        except UnicodeDecodeError:
            raise ImportRejected("文件以 UTF-8 标记开头，但内容不是有效的 UTF-8") from None
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass

    candidates = [(_score(text), name, text) for name, text in _legacy_decodings(data)]
    score, name, text = max(candidates, key=lambda item: item[0])
    if score <= 0:
        raise ImportRejected("无法识别文件编码：不是 UTF-8、GB18030/GBK 或 Big5 的中文文本")
    return _checked(text), name


def _utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without its byte-order mark: the byte order that reads as ordinary
    Chinese (a quarter of the characters at least, net of rare ones), if either does."""
    if len(data) % 2:
        return None
    best = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if score >= len(text) / 4 and (best is None or score > best[0]):
            best = (score, name, text)
    return (_checked(best[2]), best[1]) if best else None


def _legacy_decodings(data: bytes):
    for name in _LEGACY:
        yield name, data.decode(name, errors="replace")
    # A UTF-8 file with a few broken bytes (a cut-off download) stays UTF-8; the
    # replacement characters are then flagged as lost text.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(2, len(text) // 500):
        yield "utf-8", text


def _score(text: str) -> int:
    """Common Han characters minus rare ones and replacement characters (heavily)."""
    score = 0
    for char in text:
        if char == "\ufffd":
            score -= 10
        elif is_han(char):
            score += 1 if rank(char) < 3000 else -2
    return score


def _checked(text: str) -> str:
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS
    )
    if controls > max(2, len(text) // 1000):
        raise ImportRejected("文件里有大量控制字符，像是二进制文件，不是文本")
    return text
