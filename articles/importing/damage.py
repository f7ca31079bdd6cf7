"""Find text an editor must check: lost characters, mojibake, words the site stripped.

Nothing here repairs text; it returns flags `{"code", "message", "excerpt"}` that
`Article.import_flags` stores and the admin shows.

- A `?` is lost text unless it ends a question (是哪里打来的?): a run of them, one before
  。，, at the start of a line, or one ending a sentence with no question word in it.
  A full-width `？` is only suspect in the first three cases: encoders write ASCII `?`.
- U+FFFD, private-use characters and 锟斤拷-style runs are what broken decoders leave.
- Mojibake is recognised by reading it back: text that was GBK shifted by one byte
  (??梢酝ㄟ^ ← 可以通過), UTF-8 read as GBK (鍙互 ← 可以) or UTF-8 read as Latin-1
  (å¾® ← 微) turns into common Chinese when re-decoded, while real text turns to noise.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from kb.text import fold

from .charfreq import COMMON, is_common, is_han
from .cleaning import find_gaps

LOST_CHARS = "lost_chars"
MOJIBAKE = "mojibake"
MISSING_WORD = "missing_word"

MESSAGES = {
    LOST_CHARS: "疑似丢字：这里的“?”或“�”不是原文的问号，字已丢失，请对照原文补正",
    MOJIBAKE: "疑似乱码：这几个字像是编码错乱产生的，请对照原文改正",
    MISSING_WORD: "疑似缺词：原网页在这里删掉了一个词（常见的是“电话”），无法确定原词，请补全",
}
MAX_PER_CODE = 20
CONTEXT = 10

_QMARKS = re.compile(r"[?？]+")
_QUESTION_WORD = re.compile(
    r"吗|呢|什么|啥|哪|谁|怎|为何|几|多少|是否|能否|可否|如何|难道|何|么|吧|咋|否|请问|还是|啊|呀"
)
_SENTENCE_END = re.compile(r"[。！!；;?？]")
_DECODER_LEFTOVERS = re.compile(r"[\ufffd\ue000-\uf8ff]+|(?:锟斤拷)+|(?:烫烫)+|(?:屯屯)+")
_STRAY_SYMBOLS = re.compile(r"[\u3100-\u312f\u31a0-\u31bf\u2500-\u257f]+")
_LATIN1_RUN = re.compile(
    r"[\u00c0-\u00ff][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]+"
)


def flag(code: str, excerpt: str, message: str | None = None) -> dict:
    return {"code": code, "message": message or MESSAGES[code], "excerpt": excerpt}


def damaged_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of every suspicious stretch in one line."""
    spans = [(m.start(), m.end(), LOST_CHARS) for m in _lost_question_marks(line)]
    spans += [(m.start(), m.end(), LOST_CHARS) for m in _DECODER_LEFTOVERS.finditer(line)]
    for match in _STRAY_SYMBOLS.finditer(line):
        before = line[match.start() - 1] if match.start() else ""
        after = line[match.end()] if match.end() < len(line) else ""
        if is_han(before) or is_han(after):
            spans.append((match.start(), match.end(), MOJIBAKE))
    common = [is_common(c) for c in line]
    spans += [(s, e, MOJIBAKE) for s, e in _shifted_gbk(line, common)]
    spans += [(s, e, MOJIBAKE) for s, e in _utf8_read_as_gbk(line, common)]
    spans += [(m.start(), m.end(), MOJIBAKE) for m in _latin1_mojibake(line)]
    return sorted(spans)


def has_damage(text: str) -> bool:
    return bool(damaged_spans(text))


def find_damage(lines: list[str]) -> list[dict]:
    """One flag per damaged stretch (nearby spans merged), in reading order."""
    flags: list[dict] = []
    for line in lines:
        merged: list[list] = []
        for start, end, code in damaged_spans(line):
            if merged and start <= merged[-1][1] + 6 and end - merged[-1][0] <= 60:
                merged[-1][1] = max(merged[-1][1], end)
                if code == LOST_CHARS:
                    merged[-1][2] = LOST_CHARS
            else:
                merged.append([start, end, code])
        for start, end, code in merged:
            flags.append(flag(code, _excerpt(line, start, end)))
    return _capped(flags)


def find_missing_words(lines: list[str]) -> list[dict]:
    """Gaps left where the site stripped a word and no safe repair was possible."""
    flags = [
        flag(MISSING_WORD, _excerpt(line, m.start(), m.end()))
        for line in lines
        for m in find_gaps(line)
    ]
    return _capped(flags)


def _capped(flags: list[dict]) -> list[dict]:
    kept, counts = [], {}
    for item in flags:
        counts[item["code"]] = counts.get(item["code"], 0) + 1
        if counts[item["code"]] <= MAX_PER_CODE:
            kept.append(item)
    for code, count in counts.items():
        if count > MAX_PER_CODE:
            kept.append(
                flag(code, "", f"另有 {count - MAX_PER_CODE} 处同类问题未逐条列出，请通读全文核对")
            )
    return kept


def _excerpt(line: str, start: int, end: int) -> str:
    if end - start > 60:
        end = start + 60
    left = max(0, start - CONTEXT)
    right = min(len(line), end + CONTEXT)
    return ("…" if left else "") + line[left:right] + ("…" if right < len(line) else "")


def _lost_question_marks(line: str):
    folded = fold(line)
    ends = [m.end() for m in _SENTENCE_END.finditer(folded)]
    for match in _QMARKS.finditer(line):
        if _is_lost(line, folded, ends, *match.span()):
            yield match


def _is_lost(line: str, folded: str, ends: list[int], start: int, end: int) -> bool:
    before = line[start - 1] if start else ""
    after = line[end] if end < len(line) else ""
    if before.isascii() and (before.isalnum() or (not before.isspace() and after.isascii())):
        return False  # English, a URL query string or code, not Chinese text
    if not before or before.isspace() or (after and after in "。，、；：,;:."):
        return True
    if end - start > 1 and (is_han(after) or after.isalnum()):
        return True
    if line[start] == "？":
        return False  # encoders put an ASCII "?" for what they lose; "？" was typed
    previous = bisect_right(ends, start) - 1
    sentence_start = max(ends[previous] if previous >= 0 else 0, start - 80)
    return not _QUESTION_WORD.search(folded, sentence_start, start)


def _shifted_gbk(line: str, common: list[bool]):
    """Windows of rare characters that read as common ones when shifted by one GBK byte."""
    for i in range(len(line) - 2):
        if common[i] or common[i + 1] or common[i + 2] or not is_han(line[i]):
            continue
        window = line[i : i + 3]
        if not all(is_han(c) or _stray(c) for c in window):
            continue
        shifted = window.encode("gb18030", errors="ignore")[1:].decode("gb18030", errors="ignore")
        if len(shifted) >= 2 and all(is_common(c, COMMON) for c in shifted):
            yield i, i + 3


def _stray(char: str) -> bool:
    return (char.isascii() and char.isprintable() and not char.isspace()) or bool(
        _STRAY_SYMBOLS.match(char)
    )


def _utf8_read_as_gbk(line: str, common: list[bool]):
    for i in range(len(line) - 3):
        if sum(common[i : i + 4]) > 1:
            continue
        window = line[i : i + 4]
        if not all(is_han(c) for c in window):
            continue
        try:
            raw = window.encode("gbk")
        except UnicodeEncodeError:
            continue
        for offset in range(3):
            try:
                decoded = raw[offset : offset + 6].decode("utf-8")
            except UnicodeDecodeError:
                continue
            if len(decoded) == 2 and all(is_common(c) for c in decoded):
                yield i, i + 4
                break


def _latin1_mojibake(line: str):
    for match in _LATIN1_RUN.finditer(line):
        for codec in ("cp1252", "latin-1"):
            try:
                decoded = match.group().encode(codec).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if any(is_han(c) for c in decoded):
                yield match
                break
