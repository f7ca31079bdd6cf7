"""What a line of a scraped page opens with: a heading number or marker, a bullet, a Q&A prefix.

`numbering(line)` gives the line's heading style and its text without the marker. Styles are
listed outermost first; `structure` decides which ones are headings on a given page.

- Markdown from a CMS: `## 一、来源` (the inner number goes with the marker);
- numbers: 第一章, 一、, （一）, 第一步, 1.1.1, 1.1, 1.、1、, (1), 1）, ①;
- markers: a whole line in 【】, a leading ■ ▍ ◆ ● ★ …, a whole line in **bold**;
- Q&A: `问：…` / `Q1：…` questions (their `答：` / `A：` answers are body text).

`split_run_together` cuts lines that lost their line breaks at such markers, and
`as_list_item` turns a numbered or bulleted sentence into a Markdown list item.
"""

from __future__ import annotations

import re

_CN_DIGITS = "一二三四五六七八九十壹贰貳叁參肆伍陆陸柒捌玖拾"  # and the "financial" forms

# (style, pattern); the pattern's match is the marker. Outermost first.
_NUMBERING: list[tuple[str, re.Pattern | None]] = [
    ("md1", re.compile(r"^#[ \t]+")),  # no space: #借呗# is a tag
    ("md2", re.compile(r"^##(?!#)[ \t]*")),
    ("md3", re.compile(r"^###(?!#)[ \t]*")),
    ("md4", re.compile(r"^#{4,6}(?!#)[ \t]*")),
    (
        "chapter",
        re.compile(r"^第[一二三四五六七八九十百零〇两兩\d]{1,4}[章节節篇部分]{1,2}[、.．:：\s]*"),
    ),
    ("bracket", None),
    ("mark", None),
    ("cn", re.compile(rf"^[{_CN_DIGITS}]{{1,3}}\s*[、.．]\s*")),
    ("cn_paren", re.compile(rf"^[（(][{_CN_DIGITS}]{{1,3}}[)）]\s*[、.．]?\s*")),
    ("step", re.compile(rf"^第[{_CN_DIGITS}\d]{{1,3}}步\s*[、.．:：，,]?\s*")),
    ("bold", None),
    ("plain", None),  # an unnumbered heading: decided by `structure`, never by a marker
    ("qa", re.compile(r"^(?:[问問][题題]?|提[问問]|[Qq])\s*\d{0,2}\s*[:：.．、]\s*")),
    ("ordinal", re.compile(rf"^第[{_CN_DIGITS}]{{1,2}}\s*[，,、:：]\s*")),
    ("num3", re.compile(r"^\d{1,2}[.．]\d{1,2}[.．]\d{1,2}(?![\d])[、.．]?\s*")),
    ("num2", re.compile(r"^\d{1,2}[.．]\d{1,2}(?![.．]?\d)[、.．]?\s*")),
    ("num", re.compile(r"^\d{1,2}\s*[、.．](?![\d])\s*")),
    ("num_zero", re.compile(r"^0\d(?:\s*[|｜丨/]\s*|\s+)")),  # 01 来源, 02丨合法性
    ("num_paren", re.compile(r"^[（(]\d{1,2}[)）]\s*[、.．]?\s*")),
    ("num_rparen", re.compile(r"^\d{1,2}\s*[)）]\s*")),
    ("circled", re.compile(r"^[①-⑳]\s*[、.．]?\s*")),
]
RANK = {style: i for i, (style, _p) in enumerate(_NUMBERING)}
# Styles that number items (1、 (1) 1） ①): a sentence in one of them is a list item.
LIST_STYLES = ("num", "num_paren", "num_rparen", "circled")

MARKS = "■□▍▌▋▎◆◇●○★☆▶►▷▸◼◾❖✦➤◉◎✅✔☑👉📌🔸🔹💡⭐"
_MARK = re.compile(rf"^([{MARKS}])\s*")
_BRACKET = re.compile(r"^[【〖]\s*([^【】〖〗]{1,40}?)\s*[】〗]\s*[:：]?$")
_BOLD = re.compile(r"^(\*\*|__)([^*_]{1,60})\1$")
# A bold heading whose closing ** the scraper moved to the next line: **逾期的影响
_OPEN_BOLD = re.compile(r"^(\*\*)([^*]{2,40})$")
_BULLET = re.compile(rf"^(?:[•·▪◦‧]|[{MARKS}])\s*")
_KEYCAP = re.compile(r"^(\d)\ufe0f?\u20e3\s*")  # 1️⃣ as an item number
_ANSWER = re.compile(r"^(?:答|回答|[Aa])\s*\d{0,2}\s*[:：.．、]\s*")


def base_style(style: str | None) -> str | None:
    """mark■ and mark◆ are one kind of style with different symbols."""
    return "mark" if style and style.startswith("mark") else style


def rank(style: str) -> int:
    return RANK[base_style(style)]


def _numbered(line: str) -> tuple[str | None, str]:
    for style, pattern in _NUMBERING:
        if pattern is None:
            continue
        match = pattern.match(line)
        if match and match.end() < len(line):
            return style, line[match.end() :]
    return None, line


def numbering(line: str) -> tuple[str | None, str]:
    """(style, what the heading says) — style None for an unmarked line.

    A marker's own number goes with it: `【一、来源】` and `## 一、来源` both say 来源.
    Bold is only decoration: `**一、来源**` is numbered 一、.
    """
    if match := (_BOLD.match(line) or _OPEN_BOLD.match(line)):
        inner = match.group(2).strip()
        style, rest = _numbered(inner)
        return (style, rest) if style else ("bold", inner)
    if match := _BRACKET.match(line):
        return "bracket", _numbered(match.group(1))[1]
    if (match := _MARK.match(line)) and match.end() < len(line):
        return f"mark{match.group(1)}", _numbered(line[match.end() :])[1]
    style, rest = _numbered(line)
    if style and style.startswith("md"):
        rest = rest.rstrip("#").strip().strip("*").strip() or rest  # ## 来源 ## is ## 来源
        return style, _numbered(rest)[1]
    return style, rest


def marker_text(line: str, style: str | None) -> str:
    """A sub-heading as written minus a non-numeric marker: `### 1. 催收公司` keeps its 1."""
    if match := (_BOLD.match(line) or _OPEN_BOLD.match(line)):
        return match.group(2).strip()
    if style == "bracket" and (match := _BRACKET.match(line)):
        return match.group(1)
    if style and style.startswith("mark"):
        return _MARK.sub("", line, count=1)
    if style and style.startswith("md"):
        return line.strip("#").strip()
    if style == "qa":
        return _numbered(line)[1]
    return line


def as_list_item(line: str) -> str | None:
    """`1、先核实身份。…` → `1. 先核实身份。…`; `● 不要转账。` → `- 不要转账。`; else None."""
    style, rest = _numbered(line)
    if style in LIST_STYLES:
        marker = line[: len(line) - len(rest)]
        digits = re.search(r"\d+", marker)
        number = int(digits.group()) if digits else ord(marker[0]) - ord("①") + 1
        return f"{number}. {rest.strip()}"
    if (match := _KEYCAP.match(line)) and match.end() < len(line):
        return f"{match.group(1)}. {line[match.end() :].strip()}"
    match = _BULLET.match(line)
    if match and match.end() < len(line):
        return f"- {line[match.end() :].strip()}"
    return None


def strip_answer(line: str) -> str:
    """`答：可以。` → `可以。` (the question is the heading above it)."""
    match = _ANSWER.match(line)
    return line[match.end() :] if match and match.end() < len(line) else line


# Lines that lost their breaks: 。【来源】正文…。【合法吗】…, ①…。②…。, 问：…？答：…

_SENTENCE_END = "。！!？?；;”」)）"
_INLINE_BRACKET = re.compile(rf"(?:^|(?<=[{_SENTENCE_END}]))[【〖][^【】〖〗。，！!]{{2,30}}[】〗]")
_INLINE_CIRCLED = re.compile(rf"(?<=[{_SENTENCE_END}])\s*(?=[②-⑳])")
_INLINE_QUESTION = re.compile(rf"(?<=[{_SENTENCE_END}])\s*(?=(?:[问問]|Q\d{{0,2}})\s*[:：])")
_INLINE_ANSWER = re.compile(r"(?<=[？?])\s*(?=(?:答|A)\s*[:：])")


# A heading with its paragraph on the same line: 【来源】安逸花的…。 / 一、来源：安逸花的…。
_HEAD_IN_LINE = re.compile(
    rf"^(?:[【〖][^【】〖〗。，！!]{{2,30}}[】〗]"
    rf"|(?:第[{_CN_DIGITS}\d]{{1,3}}[章节節步]|[{_CN_DIGITS}]{{1,3}}\s*[、.．]|[（(][{_CN_DIGITS}]{{1,3}}[)）])"
    r"[^。，,；;！!？?:：]{2,24}[:：])"
)


# A tag in front of a title or a paragraph (【原创】, [2026最新]): a label, never a heading.
TAG = re.compile(
    r"^(\s*[【\[](原创|干货|必看|收藏|推荐|最新|热门|科普|独家|转载|图文|视频|\d{4}年?最新)[】\]])+\s*"
)


# A numbered heading and its paragraph apart by a space only: 一、某某简介与催收原则 某某消费金融…
_HEAD_BEFORE_SPACE = re.compile(
    rf"^(?:第[{_CN_DIGITS}\d]{{1,3}}[章节節]|[{_CN_DIGITS}]{{1,3}}\s*[、.．]|[（(][{_CN_DIGITS}]{{1,3}}[)）])"
    r"[^\s。，,；;！!？?:：]{2,24}(?=\s+[^\s。，,；;！!？?:：])"
)
# An item number run into the sentence before it: …存入银行卡内。2、通讯录
_INLINE_NUMBER = re.compile(rf"(?<=[。！？!?)）])\s*(?=(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})、\S)")
# A list marker left alone on its line, its text on the next: "-" / "1." then the item.
_LONE_MARKER = re.compile(rf"^(?:[-*•·▪◦‧]|\d{{1,2}}[.．、]|[①-⑳]|[{_CN_DIGITS}]{{1,3}}、)$")


def split_run_together(lines: list[str]) -> list[str]:
    """Put back the line breaks a scraper lost before in-line headings, items and answers.

    A heading with its first paragraph on one line is split off only when the page does it
    twice or more: a single 【案例】 opening a paragraph is a label. A numbered heading with
    its paragraph after a space is split off wherever it stands, and so are item numbers run
    into the sentence before them when the page does it twice or more. A marker alone on
    its line is joined to the line it numbers.
    """
    lines = _join_lone_markers(lines)
    out: list[str] = []
    for line in lines:
        out.extend(_split(line))
    if sum(len(_INLINE_NUMBER.findall(line)) for line in out) >= 2:
        out = [part.strip() for line in out for part in _INLINE_NUMBER.split(line) if part.strip()]
    out = [part for line in out for part in _split_head_before_space(line)]
    heads = [line for line in out if _head_in_line(line)]
    if len(heads) < 2:
        return out
    split: list[str] = []
    for line in out:
        match = _head_in_line(line)
        if match:
            split += [match.group().rstrip(":："), line[match.end() :].strip()]
        else:
            split.append(line)
    return split


def _head_in_line(line: str) -> re.Match | None:
    match = _HEAD_IN_LINE.match(line)
    if match and len(line) - match.end() > 20 and not TAG.match(line):
        return match
    return None


def _join_lone_markers(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and _LONE_MARKER.match(out[-1]) and not _LONE_MARKER.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _split_head_before_space(line: str) -> list[str]:
    match = _HEAD_BEFORE_SPACE.match(line)
    rest = line[match.end() :].strip() if match else ""
    if not match or len(rest) <= 20 or not re.search(r"[。，,]", rest):
        return [line]
    return [match.group(), rest]


def _split(line: str) -> list[str]:
    pieces = [line]
    brackets = list(_INLINE_BRACKET.finditer(line))
    if len(brackets) >= 2:  # one 【】 label inside a paragraph is just a label
        pieces, pos = [], 0
        for match in brackets:
            pieces += [line[pos : match.start()], match.group()]
            pos = match.end()
        pieces.append(line[pos:])
    if line.startswith("①") and "②" in line:
        pieces = [part for piece in pieces for part in _INLINE_CIRCLED.split(piece)]
    if _numbered(line)[0] == "qa" or _INLINE_QUESTION.search(line):
        pieces = [part for piece in pieces for part in _INLINE_QUESTION.split(piece)]
        pieces = [part for piece in pieces for part in _INLINE_ANSWER.split(piece)]
    return [piece.strip() for piece in pieces if piece.strip()]
