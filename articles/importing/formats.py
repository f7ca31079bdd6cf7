"""Files that are text but not an article: data (JSON, CSV/TSV, XML) and navigation pages.

Each check raises `ImportRejected` with a reason an editor understands, so such a file is
refused up front instead of being cut into nonsense sections.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from . import ImportRejected
from .charfreq import is_han

_JSON_START = re.compile(r"^\s*[\[{]")
_JSON_KEY = re.compile(r'"[^"\n]{1,40}"\s*:')
_XML = re.compile(r"^\s*<\?xml|^\s*<(rss|feed|urlset|sitemapindex)[\s>]", re.I)
_PROSE = re.compile(r"[。，,；;！!]")
_SENTENCE = re.compile(r"[。！？]")


def refuse_data(text: str) -> None:
    """Raise for JSON, XML feeds and delimited tables."""
    if _JSON_START.match(text) and _is_json(text):
        raise ImportRejected("这是 JSON 数据，不是文章；请导出为正文文本后再导入")
    if _XML.match(text):
        raise ImportRejected("这是 XML 数据（如 RSS、站点地图），不是文章")
    delimiter = _table_delimiter(text)
    if delimiter:
        name = "TSV（制表符分隔）" if delimiter == "\t" else "CSV（逗号分隔）"
        raise ImportRejected(f"这是 {name} 表格数据，不是文章")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return len(_JSON_KEY.findall(text)) >= 3  # cut off, or with comments: still data
    return True


def _table_delimiter(text: str) -> str:
    """ "," or "\t" when at least 3 lines and 80% of them have the same number (≥2) of it.

    Lines written as sentences are prose, however many commas they hold: Chinese pages
    often use the ASCII comma, and paragraphs of one page are often alike in length.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 3 or sum(1 for line in lines if _SENTENCE.search(line)) >= len(lines) / 2:
        return ""
    for delimiter in (",", "\t"):
        counts = Counter(line.count(delimiter) for line in lines)
        fields, count = counts.most_common(1)[0]
        if fields >= 2 and count >= 0.8 * len(lines):
            return delimiter
    return ""


def refuse_navigation(lines: list[str], min_prose: int) -> None:
    """Raise for a page of headlines and links with (almost) no sentence in it: a list page."""
    han = sum(1 for line in lines for char in line if is_han(char))
    prose = sum(1 for line in lines if _PROSE.search(line) for char in line if is_han(char))
    if han >= min_prose and prose < min_prose:
        raise ImportRejected(
            f"没有成段的正文（{len(lines)} 行几乎都是标题或链接），"
            "像是导航页、列表页或链接集合，不是文章"
        )
