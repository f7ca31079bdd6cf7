"""A page title as scraped → the article's title: the site's name and channel go.

Leading tags (【原创】, [干货]) and picture notes ((组图)) go too.

Sites append themselves to every title: `…_某某网`, `…-贷款知识-某某网`, `…|某某财经`,
`… - 网贷百科`. A trailing part is the site's when it follows `_` or `|`, or follows a dash
and reads like a site or channel name (ends in 网, 财经, 百科, 知识…). What is left must
still say something (four Han characters at least), so `95188-9` and `400-xxx` stay whole.
"""

from __future__ import annotations

import re

from kb.text import fold

from .charfreq import is_han

_SITE_WORDS = (
    "网", "站", "财经", "资讯", "百科", "知识", "频道", "之家", "在线", "新闻", "社区", "头条",
    "论坛", "攻略", "问答", "专栏", "栏目", "日报", "晚报",
)  # fmt: skip
_TAIL = re.compile(
    r"^(?P<head>.+?)\s*(?P<sep>[_|｜]|\s[-—–－]\s|[-—–－]{1,2})\s*(?P<tail>[^_|｜\-—–－]{1,20})$"
)
_DOMAIN = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|cn|net|org|cc|top|info)$", re.I)
# A site's own name standing alone on a line above the title (贷款知识网, 钱袋子财经).
_SITE_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{2,10}(网|财经|资讯|百科|之家|频道|在线|头条)$")


_TAGS = re.compile(
    r"^(\s*[【\[](原创|干货|必看|收藏|推荐|最新|热门|科普|独家|转载|图文|视频|\d{4}年?最新)[】\]])+\s*"
)
_PICTURES = re.compile(r"\s*[(（](图|附图|组图|多图|图文|附视频)[)）]\s*$")


def strip_site_suffix(title: str) -> str:
    """Cut the site's name and channel, and [原创]-style tags and (组图) notes, from a title."""
    title = _PICTURES.sub("", _TAGS.sub("", title))
    while match := _TAIL.match(title.strip()):
        head, sep, tail = match.group("head"), match.group("sep").strip(), match.group("tail")
        if sum(1 for char in head if is_han(char)) < 4:
            break
        tail = fold(tail.strip())
        if sep in "_|｜" or tail.endswith(_SITE_WORDS) or _DOMAIN.match(tail):
            title = head
            continue
        break
    return title.strip()


def is_site_name(line: str) -> bool:
    return bool(_SITE_NAME.match(fold(line.strip())))
