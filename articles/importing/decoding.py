"""Bytes of an uploaded page → text, or a one-line reason why not.

Strict UTF-8 (with or without BOM) and UTF-16 with its byte-order mark are read as they say:
a legacy-encoded Chinese file is almost never valid UTF-8 by accident. A UTF-8 file with a
few broken bytes (a cut-off download) stays UTF-8, its replacement characters flagged later
as lost text. Everything else is charset-normalizer's to decide, among the encodings Chinese
pages come in: UTF-16 without its mark (the file has zero bytes), else GB18030 (a superset
of GBK and GB2312), CP950 and Big5-HKSCS. It reads each candidate and keeps the one with
the least "chaos" (mess of scripts and symbols): GB18030 decodes nearly any byte string
without error, so "no error" alone would always pick it.
"""

from __future__ import annotations

import unicodedata

from charset_normalizer import from_bytes

from . import ImportRejected
from .charfreq import is_han

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
_UTF16 = ["utf_16_le", "utf_16_be"]
_LEGACY = ["gb18030", "cp950", "big5hkscs"]
_ALLOWED_CONTROLS = set("\t\n\r\f\v")
# Past this much chaos charset-normalizer's best reading is still a mess of symbols.
_MAX_CHAOS = 0.2


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise ImportRejected for empty, binary or undecodable data."""
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise ImportRejected("文件是空的")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError:
            raise ImportRejected("文件以 UTF-16 标记开头，但内容无法解码") from None
    if data.startswith(_BINARY_MAGIC):
        raise ImportRejected("这是二进制文件（如图片、压缩包、PDF），不是文本")
    if b"\x00" in data:
        found = _detect(data, _UTF16)
        if found is None or not _mostly_han(found[0]):
            raise ImportRejected("这是二进制文件（如图片、压缩包、PDF），不是文本")
        return found
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _checked(data[3:].decode("utf-8")), "utf-8-sig"
        except UnicodeDecodeError:
            raise ImportRejected("文件以 UTF-8 标记开头，但内容不是有效的 UTF-8") from None
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(2, len(text) // 500):
        return _checked(text), "utf-8"
    found = _detect(data, _LEGACY)
    if found is None:
        raise ImportRejected("无法识别文件编码：不是 UTF-8、GB18030/GBK 或 Big5 的中文文本")
    return found


def _detect(data: bytes, encodings: list[str]) -> tuple[str, str] | None:
    best = from_bytes(data, cp_isolation=encodings).best()
    if best is None or best.chaos > _MAX_CHAOS:
        return None
    return _checked(str(best)), best.encoding.replace("_", "-")


def _mostly_han(text: str) -> bool:
    """UTF-16 read from a binary file is symbols; a Chinese page is a quarter Han at least."""
    visible = [char for char in text if not char.isspace()]
    return sum(1 for char in visible if is_han(char)) >= len(visible) / 4


def _checked(text: str) -> str:
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS
    )
    if controls > max(2, len(text) // 1000):
        raise ImportRejected("文件里有大量控制字符，像是二进制文件，不是文本")
    return text
