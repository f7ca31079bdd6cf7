"""A page title as scraped → the article's title: the site's name and channel go.

Leading tags (【原创】, [干货]) and picture notes ((组图)) go too, and so do a `标题:` label,
《》 around the whole title and a tail urging the reader on (…,深入了解,点这里!).
`is_fragment` tells a title from what only sits where a title would: a button, a label,
a user's rank, a bank's name, half a phrase (see its docstring).

Sites append themselves to every title: `…_某某网`, `…-贷款知识-某某网`, `…|某某财经`,
`… - 网贷百科`. A trailing part is the site's when it follows `_` or `|`, or follows a dash
and reads like a site or channel name (ends in 网, 财经, 百科, 知识…). What is left must
still say something (four Han characters at least), so `95188-9` and `400-xxx` stay whole.
"""

from __future__ import annotations

import re
import unicodedata

from kb.text import fold

from .charfreq import is_han
from .markers import TAG, numbering
from .topics import has_topic_word

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


_PICTURES = re.compile(r"\s*[(（](图|附图|组图|多图|图文|附视频)[)）]\s*$")


def strip_site_suffix(title: str) -> str:
    """Cut the site's name and channel, and [原创]-style tags and (组图) notes, from a title."""
    title = _PICTURES.sub("", TAG.sub("", title))
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


_LABEL = re.compile(r"^(?:标题|题目|文章标题|原标题|title)\s*[:：]\s*", re.I)
_WRAPPED = re.compile(r"^[《「『“\"](?P<inner>[^《》「」『』“”\"]+)[》」』”\"]$")
_CLAUSE_END = re.compile(r"(?<=[,，!！?？])")
_URGING = re.compile(r"点这里|点击|必看|速看|不容错过|收藏|转发|建议收藏")
# A title does not end on a word that joins it to something missing.
_JOINING_END = tuple("与和及或之、,，:：(（《“-—会被把将向给")
_UI = re.compile(r"[(（\[【]\s*[)）\]】]|\d+\s*(次|人|条|楼|赞)$|[+＋]$")
MIN_HAN = 4


def strip_symbols(text: str) -> str:
    """Emoji and pictographs at either end go: `📦 催收骚扰单位该怎么处理` → `催收骚扰单位该怎么处理`."""
    chars = list(text.strip())
    while chars and (_symbol(chars[0]) or chars[0].isspace()):
        chars.pop(0)
    while chars and (_symbol(chars[-1]) or chars[-1].isspace()):
        chars.pop()
    return "".join(chars) or text.strip()


def _symbol(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Cn", "Mn", "Cf") or char == "\ufe0f"


def clean_title(line: str) -> str:
    """`标题:《某某逾期催收按程序走》_某某网` → `某某逾期催收按程序走`."""
    title = strip_symbols(line.strip().strip("*").strip())
    title = _LABEL.sub("", title)
    title = strip_site_suffix(title)
    if match := _WRAPPED.match(title):
        title = match.group("inner").strip()
    title = _drop_urging_tail(title)
    # A title is a name, not a sentence: 是哪里打来的? → 是哪里打来的
    return title.rstrip("?？!！。.,，").strip() or title


def _drop_urging_tail(title: str) -> str:
    """…家里人么,深入了解,点这里! → …家里人么: clauses after the subject that only urge."""
    clauses = [c for c in _CLAUSE_END.split(title) if c]
    exclaimed = title.rstrip().endswith(("!", "！"))
    while len(clauses) > 1 and not has_topic_word(clauses[-1]):
        if not (exclaimed or _URGING.search(clauses[-1])):
            break
        clauses.pop()
    return "".join(clauses)


def is_fragment(title: str, names=()) -> bool:
    """A title by its shape: too short, a label or heading number, a button or counter, half a
    phrase, or no word of the subject (debt, calls, a loan) and no lender's name in it.

    `names` are lender names, folded; a title naming a lender needs no other subject word.
    """
    folded = fold(title).strip()
    named = any(name in folded for name in names)
    return (
        (sum(1 for char in title if is_han(char)) < MIN_HAN and not named)
        or numbering(title)[0] not in (None, "md1")
        or title.rstrip().endswith(_JOINING_END)
        or bool(_UI.search(title))
        or not (named or has_topic_word(title))
    )
