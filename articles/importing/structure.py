"""Cleaned lines of a scraped page → title, intro and sections.

Scraped pages hold one paragraph per line. Headings are short lines with a marker or number
(`markers.numbering`: ## …, 第一章, 【…】, ■ …, 一、, （一）, 第一步, 问：…, 1., 1.1, (1), ①),
or unmarked: a short line ending with a colon, a question, or a short line without punctuation
standing between paragraphs. Many pages list their headings first as a table of contents and
then repeat them in the body (often without the number, with a trailing colon); that list is
found by the repetition and dropped. The outermost heading style present makes the sections;
deeper ones stay inside the section body as Markdown sub-headings (`### 1. 催收公司`), and a
numbered or bulleted sentence becomes a Markdown list item (`1. 先核实身份。…`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from articles.models import Section
from kb.text import fold

from .cleaning import is_paragraph
from .kinds import OTHER, kind_for
from .markers import (
    LIST_STYLES,
    RANK,
    TAG,
    as_list_item,
    base_style,
    marker_text,
    numbering,
    rank,
    strip_answer,
)
from .titles import clean_title, is_fragment, strip_symbols
from .topics import has_topic_word, kind_of, segment

# Styles above "plain": when one of them marks headings, a colon-ended line is text.
_OUTER_STYLES = tuple(style for style, i in RANK.items() if i < RANK["plain"])
_NUMBERED_OUTER = ("chapter", "cn", "cn_paren")
_LABEL_STYLES = ("bracket", "mark", "bold")
# Headings kept whole: an unmarked one, and a step (第一步：核实身份), whose number says the order.
_WHOLE_HEADING = ("plain", "step")
# A step of a how-to (第一步…) is about coping unless its words say otherwise.
Kind = Section.Kind
_DEFAULT_KIND = {"step": Kind.COPING}

_INTRO_MARKER = re.compile(
    r"^>?\s*(?:[【\[]\s*(?:小编|本文|文章)?(?:导语|导读|摘要|前言|引言|编者按)\s*[】\]]\s*[:：]?\s*"
    r"|(?:小编|本文|文章)?(?:导语|导读|摘要|前言|引言|编者按)\s*(?:[:：]\s*|\s+|$))"
)
_KEY_STRIP = re.compile(r"[\s:：?？!！。,，、.．\-—_·\"“”'‘’《》()（）\[\]【】]")
_CONCLUSION_START = re.compile(
    r"^(总之|综上|总而言之|总的来说|总体来说|总体而言|最后[,，]|以上就是)"
)
_TOPIC = re.compile(
    r"(?:本文|本篇文章|这篇文章|本篇|下面|今天)(?:将|会|就|主要|来|为大家|为您|给大家)*"
    r"(?:探讨|介绍|讲解|分析|解析|聊聊|说说|讲讲|谈谈|带大家了解|详细介绍)(?:一下)?(?:关于)?"
    r"(?P<topic>[^，。,.;；!！?？:：“”\"]{4,30})"
)

MAX_HEADING = 40
_LABELLED_ITEM = re.compile(r"^[^:：]{2,12}[:：]\s*\S{4,}")
_LIST_ITEM = re.compile(r"^(- |\d{1,3}\. )")
SUMMARY_HEADING = {"hans": "总结", "hant": "總結"}


@dataclass
class ParsedSection:
    heading: str
    kind: str
    parts: list[str] = field(default_factory=list)  # paragraphs and "### sub-heading" lines

    @property
    def body(self) -> str:
        """Paragraphs apart by a blank line; list items of one list, and rows of one table,
        on consecutive lines."""
        body = ""
        for i, part in enumerate(self.parts):
            if i:
                before = self.parts[i - 1]
                together = (_LIST_ITEM.match(part) and _LIST_ITEM.match(before)) or (
                    part.startswith("|") and before.startswith("|")
                )
                body += "\n" if together else "\n\n"
            body += part
        return body


@dataclass
class ParsedPage:
    title: str
    intro: list[str]
    sections: list[ParsedSection]
    # True when the sections were cut by content (`topics.segment`): the intro is in them.
    generated: bool = False


def key(line: str) -> str:
    """What a heading says, whatever its number, colon, spacing or script."""
    return _KEY_STRIP.sub("", fold(numbering(line)[1]))


def _heading_like(text: str, limit: int = MAX_HEADING) -> bool:
    text = text.rstrip(":：").strip()
    return 0 < len(text) <= limit and "。" not in text and not text.endswith(("，", ",", "；", ";"))


def _intro_marker(line: str) -> re.Match | None:
    return _INTRO_MARKER.match(fold(line))


def _strip_colon(text: str) -> str:
    return strip_symbols(text.strip().rstrip(":：").strip()).rstrip(":：")


def parse(lines: list[str], script: str = "hans", names=()) -> ParsedPage:
    """`names`: lender names, folded, so a title that names a lender counts as one."""
    lines, numbered = _number_lone_headings(list(lines))
    title = _take_title(lines, names)
    lines, toc = _drop_table_of_contents(lines)
    styles = [_style(line, toc) or ("plain" if line in numbered else None) for line in lines]
    _demote_lists(lines, styles)
    _short_headings(lines, styles)
    top, sub_levels = _levels(styles)

    faq = "qa" in styles  # then 答：/A： only marks an answer
    intro: list[str] = []
    sections: list[ParsedSection] = []
    for i, (line, style) in enumerate(zip(lines, styles, strict=True)):
        if _is_caption(lines, styles, i, top):
            continue
        if not sections and (marker := _intro_marker(line)):
            rest = line[marker.end() :].strip()
            if rest:
                intro.append(rest)
            continue
        if style is not None and style == top:
            heading = _strip_colon(numbering(line)[1] if style not in _WHOLE_HEADING else line)
            kind = kind_for(heading)
            if kind == OTHER:
                kind = _DEFAULT_KIND.get(style, OTHER)
            sections.append(ParsedSection(heading=heading, kind=kind))
            continue
        target = sections[-1].parts if sections else intro
        if style in sub_levels:
            target.append(f"{'#' * sub_levels[style]} {_strip_colon(marker_text(line, style))}")
        else:
            target.append(_body_line(line, faq))

    _split_conclusion(sections, script)
    _kinds_from_cues(sections)
    if _headings_too_weak(intro, sections):
        labels = _labels_are_headings(intro)
        labelled = [f"### {part}" if labels and _is_label(part) else part for part in intro]
        made = [
            ParsedSection(heading, kind, parts)
            for kind, heading, parts in segment(labelled, script)
        ]
        return ParsedPage(title=title, intro=intro, sections=made + sections, generated=True)
    return ParsedPage(title=title, intro=intro, sections=sections)


_LONE_NUMBER = re.compile(r"\d{1,2}")


def _number_lone_headings(lines: list[str]) -> tuple[list[str], set[str]]:
    """A number alone on its line numbers the short line after it: that line is a heading.

    The number goes (the heading says what the section is); the headings are returned so
    their style can be set, whatever their punctuation (怎么判断真假?防骗第一课,).
    """
    out: list[str] = []
    headings: set[str] = set()
    for i, line in enumerate(lines):
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if _LONE_NUMBER.fullmatch(line) and _heading_like(after.rstrip(",，"), MAX_HEADING):
            continue
        if i and _LONE_NUMBER.fullmatch(lines[i - 1]) and _heading_like(line.rstrip(",，")):
            line = line.rstrip(",，")
            headings.add(line)
        out.append(line)
    return out, headings


def _labels_are_headings(intro: list[str]) -> bool:
    """Short lines are sub-headings only where they are few: a page written a line at a
    time (a story, a chat) has many, and they are its sentences."""
    return sum(1 for part in intro if _is_label(part)) * 4 <= len(intro)


# How much cue weight a heading's words need to give its kind when no keyword of
# `kinds.kind_for` is in it. Its text is not asked: on the tuning pages' headed paragraphs
# the cue words guess the kind right only half the time (tests/fixtures/real/README.md).
CONTENT_KIND_WEIGHT = 3
# Questions on every subject under one heading stay `other`.
_FAQ = re.compile(r"常见问题|问答|答疑|faq|q\s*&\s*a")


def _kinds_from_cues(sections: list[ParsedSection]) -> None:
    """A heading without a kind's keyword (某某逾期多久会打给紧急联系人) takes the kind its
    cue words weigh most (`topics.kind_of`), when they weigh enough."""
    for section in sections:
        if section.kind == OTHER and not _FAQ.search(fold(section.heading)):
            kind, weight = kind_of(section.heading)
            if weight >= CONTENT_KIND_WEIGHT:
                section.kind = kind


def _is_label(line: str) -> bool:
    """A few words alone on a line in running text (详细解答): a sub-heading of the page's."""
    return 2 <= len(line) <= 16 and not re.search(r"[\W_]", line)


def _is_caption(lines: list[str], styles: list[str | None], i: int, top: str | None) -> bool:
    """A picture's caption: a few words without punctuation between a paragraph and a heading."""
    return (
        styles[i] is None
        and top is not None
        and len(lines[i]) <= 16
        and not re.search(r"[\W_]", lines[i])
        and 0 < i < len(lines) - 1
        and styles[i + 1] == top
        and is_paragraph(lines[i - 1])
    )


def _headings_too_weak(intro: list[str], sections: list[ParsedSection]) -> bool:
    """No heading at all, or the page's headings come only after most of its text."""
    if not sections:
        return bool(intro)
    text = [part for part in intro if not part.startswith("#")]
    after = sum(len(part) for section in sections for part in section.parts)
    return len(text) >= 3 and sum(len(part) for part in text) > after


HEAD_LINES = 4
# A site's frame can push the title further down: past the first lines the search goes on
# only while every line passed over was a fragment that says nothing (a slogan, a menu item).
MAX_HEAD_LINES = 15


def _take_title(lines: list[str], names=()) -> str:
    """Pop the title line off the page; "" when the page has none.

    The title is the first of the page's first lines that is no fragment (`titles.is_fragment`):
    a site's name, a button or a bank's name above it goes with it. What stands between the
    title and the first paragraph without saying anything (a user's rank, `正文:`) goes too,
    and so does every later line that only repeats the title.
    """
    skipped = 0
    for i, line in enumerate(lines[:MAX_HEAD_LINES]):
        if i >= HEAD_LINES and skipped < i:
            break
        if _intro_marker(line) or not _could_be_title(line, lines):
            break
        title = clean_title(line.lstrip("#").strip())
        if is_fragment(title, names):
            skipped = i + 1 if kind_for(line) == OTHER else skipped
            continue
        del lines[: i + 1]
        _drop_head_debris(lines, title)
        return title
    _drop_head_debris(lines, "", skipped)
    return ""


def _could_be_title(line: str, lines: list[str]) -> bool:
    style = numbering(line)[0]
    if style == "md1":
        return sum(numbering(other)[0] == "md1" for other in lines) == 1
    return (
        style in (None, "bold")
        and len(line) <= 80
        and "。" not in line
        and not line.endswith(("。", ":", "：", "，", ","))
    )


def _drop_head_debris(lines: list[str], title: str, skipped: int = 0) -> None:
    """Lines above the first paragraph that say nothing, and the title's repetitions.

    A line says nothing when it is short, no sentence, no heading, and no word of the
    subject is in it; a contents entry (its line comes back later) is left for
    `_drop_table_of_contents`.
    """
    del lines[:skipped]
    title_key = key(TAG.sub("", title)) if title else ""
    head = next((i for i, line in enumerate(lines) if is_paragraph(line)), len(lines))
    later = {key(line) for line in lines[head:]}
    keep = []
    for i, line in enumerate(lines):
        line_key = key(TAG.sub("", line))
        if title_key and (line_key == title_key or (i < head and _retells(line_key, title_key))):
            continue  # the title again, in the page or as a picture's caption
        if (
            i < head
            and not _intro_marker(line)
            and (
                (title_key and len(line_key) >= 8 and line_key in title_key)
                or (_says_nothing(line) and line_key not in later)
                or _TAGLINE.match(line)
            )
        ):
            continue
        keep.append(line)
    lines[:] = keep


def _retells(line_key: str, title_key: str) -> bool:
    """The title told again with a word changed or a few added: a picture's alt text
    (某某陷阱-示意大图 under 某某陷阱)."""
    if len(title_key) < 8 or len(line_key) > len(title_key) + 6:
        return False
    return SequenceMatcher(None, line_key, title_key).ratio() >= 0.8


# A site's name and motto under the title: 某某通 — 法律与生活的专业见解.
_TAGLINE = re.compile(r"^[^\s。，,；;！!？?]{2,12}\s+[—–]{1,2}\s+[^。，,；;！!？?]{2,24}$")


def _says_nothing(line: str) -> bool:
    return (
        numbering(line)[0] is None
        and as_list_item(line) is None
        and not line.startswith(("- ", "* ", "+ "))
        and not re.search(r"[，,、；;]", line)
        and len(line) <= 30
        and not line.endswith(("。", "！", "!", "？", "?"))
        and kind_for(line) == OTHER
        and not has_topic_word(line)
    )


def _body_line(line: str, faq: bool) -> str:
    """A paragraph as Markdown: numbered and bulleted sentences become list items."""
    if item := as_list_item(line):
        return item
    if faq:
        line = strip_answer(line)
    if line.startswith("#"):
        return "\\" + line  # #借呗# is a tag, not a Markdown heading
    return line


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
    if style in LIST_STYLES and _LABELLED_ITEM.match(rest):
        return None  # 4. 法律后果：长时间逾期… is an item with its label, cut short or not
    if style is not None:
        return style if _heading_like(rest, 60 if style == "qa" else MAX_HEADING) else None
    if key(line) in toc and _heading_like(line):
        return toc[key(line)]
    if line.startswith(("- ", "* ", "+ ")):
        return None  # an item of a list, even when it ends with a colon
    if line.endswith((":", "：")) and _heading_like(line, 30) and not re.search(r"[,，、]", line):
        return "plain"
    if len(line) <= 16 and not re.search(r"[\W_]", line) and kind_for(line) != OTHER:
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


def _short_headings(lines: list[str], styles: list[str | None]) -> None:
    """Short lines without any punctuation between paragraphs are headings (bold on the site).

    Only on a page with two or more of them, so one stray short line stays text.
    """
    found = [
        i
        for i, line in enumerate(lines)
        if styles[i] is None
        and 4 <= len(line) <= 24
        and not re.search(r"[\W_]", line)  # no space either: 某某财经 小王 is a byline
        and i + 1 < len(lines)
        and is_paragraph(lines[i + 1])
        and (i == 0 or is_paragraph(lines[i - 1]))
    ]
    if len(found) + styles.count("plain") >= 2:
        for i in found:
            styles[i] = "plain"


def _levels(styles: list[str | None]) -> tuple[str | None, dict[str, int]]:
    first: dict[str, int] = {}
    for i, style in enumerate(styles):
        if style is not None:
            first.setdefault(style, i)
    # Outermost style first; of two styles of one kind (■ and ●), the one met first. A 【】,
    # ■ or bold line after the page's first 一、 is a label inside a section, not above it.
    numbered = min((first[s] for s in first if s in _NUMBERED_OUTER), default=len(styles))

    def order(style: str) -> tuple[float, int]:
        if base_style(style) in _LABEL_STYLES and first[style] > numbered:
            return RANK["cn_paren"] + 0.5, first[style]
        return rank(style), first[style]

    present = sorted(first, key=order)
    if not present:
        return None, {}
    if any(base_style(s) in _OUTER_STYLES for s in present) and "plain" in present:
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
    if not sections or any(s.kind == Kind.SUMMARY for s in sections):
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
        sections.append(ParsedSection(heading=heading, kind=Kind.SUMMARY, parts=moved))


def topic_from_intro(intro: list[str]) -> str:
    """The topic an intro announces: 本文将探讨有钱花催收电话的接听技巧 → 有钱花催收电话的接听技巧."""
    for paragraph in intro:
        match = _TOPIC.search(fold(paragraph))
        if match:
            return paragraph[match.start("topic") : match.end("topic")].strip()
    return ""
