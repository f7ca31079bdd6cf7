"""Cleaned lines of a scraped page → title, intro and sections.

Scraped pages hold one paragraph per line. Headings are short lines, usually numbered
(第一章, 一、, （一）, 1., 1.1, (1), ①), sometimes unnumbered and ending with a colon. Many
pages list their headings first as a table of contents and then repeat them in the body
(often without the number, with a trailing colon); that list is found by the repetition and
dropped. The outermost heading style present makes the sections; deeper numbered headings
stay inside the section body as Markdown sub-headings (`### 1. 催收公司`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from kb.text import fold

from .kinds import kind_for

# Heading numbering styles, outermost first. "plain" is an unnumbered heading (a short
# line ending with a colon, or one listed in the table of contents).
_NUMBERING = [
    (
        "chapter",
        re.compile(r"^第[一二三四五六七八九十百零〇两\d]{1,4}[章节篇部分]{1,2}[、.．:：\s]*"),
    ),
    ("cn", re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]\s*")),
    ("cn_paren", re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]\s*[、.．]?\s*")),
    ("plain", None),
    ("num3", re.compile(r"^\d{1,2}[.．]\d{1,2}[.．]\d{1,2}(?![\d])[、.．]?\s*")),
    ("num2", re.compile(r"^\d{1,2}[.．]\d{1,2}(?![.．]?\d)[、.．]?\s*")),
    ("num", re.compile(r"^\d{1,2}\s*[、.．](?![\d])\s*")),
    ("num_paren", re.compile(r"^[（(]\d{1,2}[)）]\s*[、.．]?\s*")),
    ("circled", re.compile(r"^[①-⑳]\s*[、.．]?\s*")),
]
_RANK = {style: i for i, (style, _p) in enumerate(_NUMBERING)}
_OUTER_STYLES = ("chapter", "cn", "cn_paren")

_INTRO_MARKER = re.compile(r"^(小编)?(导语|导读|摘要|前言|引言|编者按)\s*([:：]\s*|$)")
_KEY_STRIP = re.compile(r"[\s:：?？!！。,，、.．\-—_·\"“”'‘’《》()（）\[\]【】]")
_CONCLUSION_START = re.compile(r"^(总之|综上|总而言之|总的来说|总体来说|总体而言|最后[,，])")
_TOPIC = re.compile(
    r"(?:本文|本篇文章|这篇文章|本篇|下面|今天)(?:将|会|就|主要|来|为大家|为您|给大家)*"
    r"(?:探讨|介绍|讲解|分析|解析|聊聊|说说|讲讲|谈谈|带大家了解|详细介绍)(?:一下)?(?:关于)?"
    r"(?P<topic>[^，。,.;；!！?？:：“”\"]{4,30})"
)

MAX_HEADING = 40
SUMMARY_HEADING = {"hans": "总结", "hant": "總結"}


@dataclass
class ParsedSection:
    heading: str
    kind: str
    parts: list[str] = field(default_factory=list)  # paragraphs and "### sub-heading" lines

    @property
    def body(self) -> str:
        return "\n\n".join(self.parts)


@dataclass
class ParsedPage:
    title: str
    intro: list[str]
    sections: list[ParsedSection]


def numbering(line: str) -> tuple[str | None, str]:
    """(style, text after the number) — style None for an unnumbered line."""
    for style, pattern in _NUMBERING:
        if pattern is None:
            continue
        match = pattern.match(line)
        if match and match.end() < len(line):
            return style, line[match.end() :]
    return None, line


def key(line: str) -> str:
    """What a heading says, whatever its number, colon, spacing or script."""
    return _KEY_STRIP.sub("", fold(numbering(line)[1]))


def _heading_like(text: str, limit: int = MAX_HEADING) -> bool:
    text = text.rstrip(":：").strip()
    return 0 < len(text) <= limit and "。" not in text and not text.endswith(("，", ",", "；", ";"))


def _intro_marker(line: str) -> re.Match | None:
    return _INTRO_MARKER.match(fold(line))


def _strip_colon(text: str) -> str:
    return text.strip().rstrip(":：").strip()


def parse(lines: list[str], script: str = "hans") -> ParsedPage:
    lines = list(lines)
    title = ""
    if lines and not _intro_marker(lines[0]) and _title_like(lines[0]):
        title = lines.pop(0)
        while lines and key(lines[0]) == key(title):
            lines.pop(0)
        # A title is a name, not a sentence: 是哪里打来的? → 是哪里打来的
        title = title.rstrip("?？!！。.").strip() or title

    lines, toc = _drop_table_of_contents(lines)
    styles = [_style(line, toc) for line in lines]
    _demote_lists(lines, styles)
    top, sub_levels = _levels(styles)

    intro: list[str] = []
    sections: list[ParsedSection] = []
    for line, style in zip(lines, styles, strict=True):
        if style is not None and style == top:
            heading = _strip_colon(numbering(line)[1] if style != "plain" else line)
            sections.append(ParsedSection(heading=heading, kind=kind_for(heading)))
            continue
        target = sections[-1].parts if sections else intro
        if style in sub_levels:
            target.append(f"{'#' * sub_levels[style]} {_strip_colon(line)}")
        elif not sections and (marker := _intro_marker(line)):
            rest = line[marker.end() :].strip()
            if rest:
                intro.append(rest)
        else:
            target.append(line)

    _split_conclusion(sections, script)
    return ParsedPage(title=title, intro=intro, sections=sections)


def _title_like(line: str) -> bool:
    style, _rest = numbering(line)
    return (
        style is None
        and len(line) <= 80
        and not line.endswith(("。", ":", "：", "，", ","))
        and line.count("。") == 0
    )


def _drop_table_of_contents(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Find a run of heading-like lines whose entries reappear later; drop it.

    Returns the remaining lines and {key: numbering style} of the entries, so an unnumbered
    body heading takes the level its entry had.
    """
    last = {key(line): i for i, line in enumerate(lines)}
    i = 0
    while i < len(lines):
        if not _heading_like(lines[i]):
            i += 1
            continue
        j, seen = i, set()
        # The list ends where the body begins: at the first entry said a second time.
        while j < len(lines) and _heading_like(lines[j]) and key(lines[j]) not in seen:
            seen.add(key(lines[j]))
            j += 1
        run = lines[i:j]
        if len(run) >= 3:
            matched = [line for line in run if last[key(line)] >= j]
            if len(matched) >= 2 and len(matched) >= 0.4 * len(run):
                toc = {}
                for line in run:
                    style = numbering(line)[0] or "plain"
                    toc.setdefault(key(line), style)
                return lines[:i] + lines[j:], toc
        i = j
    return lines, {}


def _style(line: str, toc: dict[str, str]) -> str | None:
    """The heading style of a line, or None for body text."""
    style, rest = numbering(line)
    if style is not None:
        return style if _heading_like(rest) else None
    if key(line) in toc and _heading_like(line):
        return toc[key(line)]
    if line.endswith((":", "：")) and _heading_like(line, 30) and not re.search(r"[,，、]", line):
        return "plain"
    if len(line) <= 16 and not re.search(r"[\W_]", line) and kind_for(line) != "other":
        return "plain"
    if line.endswith(("?", "？")) and _heading_like(line, 30) and not re.search(r"[,，]", line):
        return "plain"  # a question as heading: 逾期后会有什么后果？
    return None


def _demote_lists(lines: list[str], styles: list[str | None]) -> None:
    """Consecutive lines of one numbering style with no text between are a list, not headings."""
    i = 0
    while i < len(styles):
        j = i
        while j + 1 < len(styles) and styles[i] is not None and styles[j + 1] == styles[i]:
            j += 1
        if j > i:
            for k in range(i, j + 1):
                styles[k] = None
        i = j + 1


def _levels(styles: list[str | None]) -> tuple[str | None, dict[str, int]]:
    present = sorted({s for s in styles if s is not None}, key=_RANK.__getitem__)
    if not present:
        return None, {}
    if any(s in _OUTER_STYLES for s in present) and "plain" in present:
        present.remove("plain")  # "具体如下：" in a numbered page is text, not a heading
        for i, s in enumerate(styles):
            if s == "plain":
                styles[i] = None
    top, subs = present[0], present[1:]
    return top, {style: min(3 + i, 4) for i, style in enumerate(subs)}


def _split_conclusion(sections: list[ParsedSection], script: str) -> None:
    """Move a closing paragraph that is not part of the last sub-topic into a summary section.

    Scraped pages often end with a concluding paragraph directly under the last numbered
    sub-heading. When every sub-heading of the page is followed by one paragraph and the
    last one by more, or the last paragraph opens with 总之/综上…, the extra paragraphs
    are the conclusion.
    """
    if not sections or any(s.kind == "summary" for s in sections):
        return
    last = sections[-1]
    counts = []
    for section in sections:
        count = None
        for part in section.parts:
            if part.startswith("#"):
                if count is not None:
                    counts.append(count)
                count = 0
            elif count is not None:
                count += 1
        if count is not None:
            counts.append(count)
    if not last.parts or last.parts[-1].startswith("#"):
        return
    has_subs = any(p.startswith("#") for p in last.parts)
    extra = 0
    if has_subs and len(counts) >= 3:
        typical = statistics.median(counts[:-1])
        if typical <= 1 and counts[-1] > typical:
            extra = counts[-1] - int(typical)
    if not extra and _CONCLUSION_START.match(fold(last.parts[-1])) and len(last.parts) > 1:
        extra = 1
    if extra:
        moved, last.parts = last.parts[-extra:], last.parts[:-extra]
        heading = SUMMARY_HEADING.get(script, SUMMARY_HEADING["hans"])
        sections.append(ParsedSection(heading=heading, kind="summary", parts=moved))


def topic_from_intro(intro: list[str]) -> str:
    """The topic an intro announces: 本文将探讨有钱花催收电话的接听技巧 → 有钱花催收电话的接听技巧."""
    for paragraph in intro:
        match = _TOPIC.search(fold(paragraph))
        if match:
            return paragraph[match.start("topic") : match.end("topic")].strip()
    return ""
