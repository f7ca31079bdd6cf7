"""Scraped-page clean-up: line ends, pinyin annotations, site noise, the stripped word 电话.

Everything here works line by line on text that is otherwise kept exactly as written.
Patterns are matched on folded text (`kb.text.fold`: simplified, lower case, same length),
so one pattern covers both scripts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

from kb.text import fold

from .markers import numbering
from .titles import is_site_name

# Normalising

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"))


def split_lines(text: str) -> list[str]:
    """Non-empty lines, stripped (also of the ideographic spaces used as paragraph indent)."""
    text = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


# Text wrapped at a fixed width (a statute, a plain-text notice): lines of one length, none
# ending a sentence; or a line that begins with a comma, which no line of its own can.
_CONTINUES = re.compile(r"^[，,、；;。：:）)」』”]")
_ENDS = ("。", "！", "!", "？", "?", "；", ";", "：", ":", "…", "”", "」", "』", ")", "）")
WRAP_WIDTH = 16
_CLAUSE_PUNCT = re.compile(r"[，,、；;]")


def _mid_sentence(line: str) -> bool:
    """A line a sentence runs on from: commas in it (a heading has none), no end, no
    table cells."""
    return bool(_CLAUSE_PUNCT.search(line)) and not line.endswith(_ENDS) and "|" not in line


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Put back together the lines of paragraphs that were wrapped at a fixed width.

    The width is known from pairs of lines of one length (±1) that both run on mid-sentence;
    a page needs two such pairs to count as wrapped. Then a line of that width that runs
    on is joined to the unnumbered line after it. A line opening with a comma is joined to
    the line before it on any page.
    """
    width = _wrap_width(lines)
    out: list[str] = []
    last = ""
    for line in lines:
        if (
            out
            and not last.endswith(_ENDS)
            and (
                _CONTINUES.match(line)
                or (
                    width
                    and _mid_sentence(last)
                    and min(abs(len(last) - width), abs(len(numbering(last)[1]) - width)) <= 1
                    and numbering(line)[0] is None
                )
            )
        ):
            out[-1] += line
        else:
            out.append(line)
        last = line
    return out


def _wrap_width(lines: list[str]) -> int:
    widths = Counter(
        len(line)
        for line, after in zip(lines, lines[1:], strict=False)
        if len(line) >= WRAP_WIDTH
        and _mid_sentence(line)
        and _mid_sentence(after)
        and abs(len(line) - len(after)) <= 1
        and numbering(after)[0] is None
    )
    if sum(widths.values()) < 2:
        return 0
    return widths.most_common(1)[0][0]


# Pinyin annotations: 導(dǎo) → 導. Some pages gloss characters with their reading in
# brackets; the reading goes, the character stays. A gloss is removed when it is a reading of
# the character before it (with or without tone marks), or when it has tone marks; on a page
# with the habit (3+ tone-marked glosses) also where the character itself was lost (?nèi)).

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_ANNOTATION = re.compile(
    r"(?<=[\u3400-\u4dbf\u4e00-\u9fff?？])[(（]([a-zü" + _TONED + r"]{1,7})[)）]"
)
_ORPHAN_ANNOTATION = re.compile(r"(?<=[?？])([a-zü" + _TONED + r"]{1,7})[)）]")


@cache
def _readings() -> dict[int, frozenset[str]]:
    from pypinyin.pinyin_dict import pinyin_dict

    return {
        code: frozenset(_toneless(r) for r in readings.split(","))
        for code, readings in pinyin_dict.items()
    }


@cache
def _syllables() -> frozenset[str]:
    return frozenset().union(*_readings().values())


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def remove_pinyin_annotations(text: str) -> tuple[str, int]:
    """Drop bracketed pinyin after a character; returns (text, how many were removed)."""
    habit = sum(1 for m in _ANNOTATION.finditer(text) if any(c in _TONED for c in m.group(1))) >= 3
    removed = 0

    def replace(match: re.Match) -> str:
        nonlocal removed
        reading = _toneless(match.group(1))
        before = match.string[match.start() - 1] if match.start() else ""
        if reading not in _syllables():
            return match.group(0)
        if (
            reading in _readings().get(ord(before or " "), ())
            or any(c in _TONED for c in match.group(1))
            or habit
        ):
            removed += 1
            return ""
        return match.group(0)

    text = _ANNOTATION.sub(replace, text)
    if habit:
        text = _ORPHAN_ANNOTATION.sub(replace, text)
    return text, removed


# Site noise: footers, link farms, take-down contacts, bylines, navigation.

_NOISE = [
    re.compile(p)
    for p in (
        r"版权所有|all rights reserved|copyright\s*(©|\(c\)|\d{4})|©",
        r"icp\s*[备证]|网安备",
        r"声明\s*[:：]?.{0,6}(来源于网络|来自网络|仅供参考|不代表本站|个人观点|转载)",
        r"^免责声明|声明\s*[:：].{0,10}(仅代表|不构成)",
        r"本文仅代表作者(本人)?(个人)?观点|不代表本站(的)?(立场|观点)|与本站(立场)?无关",
        r"^(友情链接|合作伙伴|相关链接|热门标签|相关推荐|推荐阅读|相关阅读|相关文章|猜你喜欢|热门文章|"
        r"最新文章|精彩推荐|热门推荐|延伸阅读|扩展阅读|标签|tags?|分享到|本文标签|关键词|关键字)\s*[:：]",
        r"^(https?://)?([a-z0-9-]+\.)+[a-z]{2,}(/\S*)?$",
        r"^[【\[](广告|推广|ad)[】\]]",
        r"^(文章|本文)?目录\s*[:：]",
        r"^!\[[^\]]*\]\([^)]*\)$",  # a Markdown image: the picture is not scraped
        r"^<\s*(image|img)\b|data:image/",  # an image tag or inline picture, likewise
        # The message a page shows when scripts are off: the page's frame, not its text.
        r"(浏览器|browser).{0,20}(不支持|不支援|未启用|禁用|关闭).{0,12}javascript",
        r"^[-*+]?\s*\[[^\]]{1,60}\]\(#[^)]*\)$",  # a Markdown contents entry: [来源](#来源)
        r"观点仅代表|未经(授权|许可).{0,8}转载|转载请注明|侵删",
        # A site speaking of itself: its statement, its rights, where its texts come from.
        r"^.{0,12}声明\s*[:：]",
        r"(未经|未征得).{0,12}(允许|同意|授权|许可).{0,12}(转载|复制|盗用|采集|摘编|发布)",
        r"(不得|禁止|严禁|谢绝|请勿)(任何)?.{0,6}(转载|盗用|采集|摘编)",
        r"(本站|本网|本网站|本平台)(所有|部分|的)?(文章|内容|资料|信息).{0,24}"
        r"(整理|来源|转载|原创|仅供参考|网络|侵权|删除|联系)",
        # An advertiser's contact behind a button: (微信: 点击复制微信号)
        r"点击(复制|添加|咨询|领取|获取)|[(（]\s*(微信|vx|wx|qq|v信|薇信)\s*[:：]|(?<![a-z])line\s*@",
    )
]
# Page-head and page-foot lines: short ones only, so body text that happens to start alike stays.
_SHORT_NOISE = [
    re.compile(p)
    for p in (
        r"^[(（]?(上一篇|下一篇|上一页|下一页|本文链接|原文链接|本文地址|责任编辑|文章来源|本文来源|来源|"
        r"转载自|作者|编辑|发布时间|发布日期|更新时间|浏览次数|阅读次数|阅读量|浏览量|原标题|审核|"
        r"校对|图片来源|图源|插画|摄影|配图|图片|图)\s*[:：]",
        r"^首页\s*[>»/›→＞]|位置\s*[:：]|^[^。，,！!]{1,30}[>»›＞]\s*([^。，,！!]{0,30})?[>»›＞]",
        r"(加载|载入)中",  # a placeholder the scraper caught before it filled
        r"(阅读|浏览|点击|人气)\s*[:：(（]?\s*\d+\s*[)）]?(次|人)?$",
        r"[(（\[]\s*[)）\]]\s*$",  # a counter the scraper left empty: 阅读( )
        r"^(点赞|收藏|分享|评论|回复|转发|浏览|阅读)\s*[(（]?\s*\d+\s*[)）]?$",
        r"^(小编|发布者|发布人|发布于)\s*[:：]",
        # A row of fields: 日期: 栏目:知识 浏览:11
        r"^[^\s:：]{1,6}\s*[:：]\s*[^\s:：]{0,12}(?:\s+[^\s:：]{1,6}\s*[:：]\s*[^\s:：]{0,12})+$",
    )
]
# Calls to action: short lines that do not end like a sentence ("不要随便扫描二维码。" is text).
_PROMO = re.compile(
    r"^(点击|查看|阅读)(查看)?(更多|全文|原文)|展开全文|>>$|》》$|"
    r"扫码关注|扫描二维码|扫一扫|长按识别|长按二维码|关注(我们的)?(微信)?公众号|查看大图|点击放大|"
    r"app\s*下载|下载.{0,6}app|下载客户端|立即(免费)?(注册|登录|下载|申请)|免费注册|领(取)?红包"
)
# A sign-off asking the reader to comment, follow or come back: the page's, not the article's.
_SIGN_OFF = re.compile(
    r"评论区|留言讨论|欢迎(大家)?(在)?(下方)?(留言|评论)|关注(我们|本站|我)?的?(微信)?公众号|"
    r"(访问|关注|收藏)(我们|本站)|点这里|点击这里|下回见|下期见"
)
# An advertiser's contact: the line carrying it, the list it is an item of, that list's
# heading, and the picture caption after it are one advertisement.
_CONTACT_AD = re.compile(r"点击(复制|添加|咨询)|[(（]\s*(微信|vx|wx|qq|v信|薇信)\s*[:：]")
_ITEM = re.compile(r"^(?:[-*•·▪]\s|\d{1,2}[.、．)）]\s*\S)")
_TEASER_END = re.compile(r"(\.{3,}|…+)$")
# A date stamp opening the page's first line: `date 2026-03-12 正文…`
_DATE_STAMP = re.compile(
    r"^(?:date|日期|时间|发布于?|发布时间)?\s*[:：]?\s*(19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s+(?=\S)"
)
# Take-down notices: a removal word and concrete contact details (not just "联系", and not
# a 5-digit hotline, which body text about complaints may well give).
_TAKE_DOWN = re.compile(r"侵权|删帖|删稿|删文|删除")
_CONTACT = re.compile(r"\d{7,}|qq|@|邮箱|e-?mail|微信号")
_TAKE_DOWN_PHRASE = re.compile(r"如有侵权.{0,12}(删除|删帖|删稿)")
_NAV_LINES = frozenset(
    (
        "最新文章", "随机看看", "相关文章", "热门文章", "推荐阅读", "猜你喜欢", "相关阅读",
        "精彩推荐", "热门推荐", "投诉", "举报", "收藏", "分享", "分享到", "打印", "关闭",
        "返回顶部", "返回首页", "返回列表", "阅读全文", "展开全文", "点击查看", "点赞", "评论",
        "上一篇", "下一篇", "目录", "本文目录", "文章目录", "延伸阅读", "扩展阅读", "相关推荐",
        "你可能感兴趣", "大家都在看", "相关问题", "热门标签", "广告",
        "关于我们", "联系我们", "登录", "登入", "注册", "会员登录", "会员登入", "正在加载",
        "加载中", "加载更多", "查看更多", "网站地图", "意见反馈", "回到顶部", "我要投稿",
        "隐私政策", "回复", "转发", "点赞收藏", "回列表", "分类导览", "分类导航", "栏目导航",
        "切换城市", "跳至主要内容", "跳到主要内容", "字体", "搜索", "信息查询", "收起", "展开",
    )
)  # fmt: skip
# Where reader comments begin the article has ended: comments are paragraphs too.
_COMMENTS = re.compile(
    r"^(网友评论|发表评论|我要评论|全部评论|热门评论|最新评论|精彩评论|评论区|用户评论|评论列表|"
    r"网友回复|全部回复|发表回复|\d+\s*条评论)\s*[:：]?\s*([(（]\d*[)）])?$"
)
# Headers of a list of links to other articles; the links follow on their own lines.
_RELATED_HEADER = re.compile(
    r"^(相关文章|热门文章|推荐阅读|猜你喜欢|相关阅读|精彩推荐|热门推荐|延伸阅读|扩展阅读|相关推荐|"
    r"你可能感兴趣|大家都在看|相关问题|最新文章)\s*([:：]|$)"
)
_DATE = re.compile(
    r"(19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
    r"|\b\d{1,2}\s+[a-z]{3,9}\.?,?\s+(19|20)\d{2}\b|\b[a-z]{3,9}\.?\s+\d{1,2},?\s+(19|20)\d{2}\b",
    re.I,
)
# How long ago a post was made, as sites print it beside the author: 34秒前, 5个月前,
# 昨天 12:30, 刚刚.
_AGO = re.compile(
    r"\d+\s*(秒|分钟|小时|天|周|个月|年)前|(今天|昨天|前天)\s*\d{1,2}:\d{2}|^刚刚$|\s刚刚$"
)
_SENTENCE_PUNCT = re.compile(r"[。，,；;！!]")
_SENTENCE_END = ("。", "！", "!", "？", "?", "…", "”", "」")
_BULLET_MARK = re.compile(r"^[-*•·▪◦‧]\s*")
# The site's contact block at the page's edges: 电话:0755…, Q Q:…, 邮箱:, 地址:某市某路.
_CONTACT_FIELD = re.compile(
    r"^(全国)?(咨询|服务|客服|投诉)?(电话|热线|手机|q\s?q|微信|邮箱|e-?mail|地址|传真)\s*[:：]"
    r"\s*(?P<value>[^。，,！!？?]{0,40})$"
)
# A site's banner counting its users or loans: 377947万累计借钱金额.
_COUNTER = re.compile(r"^\d[\d,.]*\s*[万亿]?\s*(累计|累积|总计|共计)")
# A table's header row, known by the separator row under it: |---|---|.
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?$")


def is_noise(line: str) -> bool:
    """A line that is never article text, wherever it appears."""
    folded = fold(line)
    if _BULLET_MARK.sub("", folded).rstrip(":：") in _NAV_LINES:
        return True
    if any(p.search(folded) for p in _NOISE):
        return True
    if len(line) <= 60 and any(p.search(folded) for p in _SHORT_NOISE):
        return True
    if len(line) <= 100 and _TAKE_DOWN.search(folded) and _CONTACT.search(folded):
        return True
    if len(line) <= 100 and _TAKE_DOWN_PHRASE.search(folded):
        return True
    if len(line) <= 60 and _PROMO.search(folded) and not line.endswith(("。", "！", "!")):
        return True
    return _is_link_farm(line)


def _is_link_farm(line: str) -> bool:
    # Link titles are words: a number or one character between spaces is a spaced-out date
    # (民國 92 年 10 月) or heading (相 關 法 條).
    tokens = [token for token in line.split() if len(token) >= 2 and not token.isdigit()]
    if len(tokens) < 6 or _SENTENCE_PUNCT.search(line):
        return False
    if sum(1 for t in tokens if any("\u4e00" <= c <= "\u9fff" for c in t)) < len(tokens) / 2:
        return False
    return sum(len(t) for t in tokens) / len(tokens) <= 8


def _is_byline(line: str) -> bool:
    """`用卡知识 2024-01-30 05:54:33`, `某某律师5个月前`: a short line with a date or an age
    and no sentence in it."""
    folded = fold(line)
    return (
        len(line) <= 60
        and bool(_DATE.search(folded) or _AGO.search(folded))
        and not _SENTENCE_PUNCT.search(_AGO.sub("", _DATE.sub("", line)))  # 17 Jul, 2025
    )


def _is_frame(line: str) -> bool:
    """At the page's edges only: a contact field or a banner's counter (in the body, a
    line `客服电话：95188` is what the article says)."""
    folded = fold(line)
    match = _CONTACT_FIELD.match(folded)
    if match and (not match.group("value") or re.search(r"\d|@|市|路|区|號|号", folded)):
        return True
    return bool(_COUNTER.match(folded))


def _is_site_byline(line: str) -> bool:
    """`钱袋子财经`, `钱袋子财经 小王`: the site's name, alone or with the author's."""
    tokens = line.split()
    return (
        len(tokens) <= 4
        and all(len(token) <= 10 and token.isalnum() for token in tokens)  # not 标题 - 某某网
        and any(is_site_name(token) for token in tokens)
    )


def is_paragraph(line: str) -> bool:
    return len(line) > 40 or "。" in line


def drop_noise(lines: list[str]) -> list[str]:
    """Remove noise lines, bylines and site names in the page head, and the footer block.

    After the last paragraph only short lines remain. From the first noise line there
    ("最新文章", a domain, ©) on, all are footer, and so are the bare labels before it (a
    site name); a short line ending like a sentence is kept as text. A list of links under
    "相关阅读" goes wherever it stands, and so does an advertisement (`_drop_ads`). The last
    lines asking the reader to comment, follow or come back are the site's sign-off.
    """
    lines = _drop_repeats(_drop_teasers(_drop_ads(_drop_related_links(_cut_comments(lines)))))
    paragraphs = [i for i, line in enumerate(lines) if is_paragraph(line) and not is_noise(line)]
    first = paragraphs[0] if paragraphs else len(lines)
    last = paragraphs[-1] if paragraphs else len(lines)
    lines = [_DATE_STAMP.sub("", line) if i <= first else line for i, line in enumerate(lines)]
    tail = lines[last + 1 :]
    footer = next((i for i, line in enumerate(tail) if is_noise(line)), None)
    if footer is not None:
        tail = [line for line in tail[:footer] if line.endswith(_SENTENCE_END)]
    kept = []
    lines = lines[: last + 1] + tail
    for i, line in enumerate(lines):
        if _is_table_header(lines, i):
            kept.append(line)
            continue
        if is_noise(line) or ((i < first or i > last) and (_is_byline(line) or _is_frame(line))):
            continue
        if i < first and _is_site_byline(line):
            continue
        kept.append(line)
    while kept and _SIGN_OFF.search(fold(kept[-1])):
        kept.pop()
    return kept


def _is_table_header(lines: list[str], i: int) -> bool:
    return "|" in lines[i] and i + 1 < len(lines) and bool(_TABLE_RULE.match(lines[i + 1]))


def _drop_teasers(lines: list[str]) -> list[str]:
    """A line cut off with "…" whose text the page gives in full further on, or a lead the
    next paragraphs open with again: a teaser."""
    kept = []
    for i, line in enumerate(lines):
        cut = _TEASER_END.sub("", line)
        later = lines[i + 1 :]
        if (
            cut != line
            and len(cut) >= 20
            and any(other.startswith(cut[-20:]) or cut[-20:] in other for other in later)
        ):
            continue
        if len(line) >= 30 and any(
            len(other) > len(line) and other.startswith(line) for other in later[:6]
        ):
            continue
        kept.append(line)
    return kept


def _drop_repeats(lines: list[str]) -> list[str]:
    """A caption said twice in a row under its picture, or a run of different lines the
    scraper caught twice (a list, twice over). The first saying stays; a paragraph said
    twice is left for an editor, who may know why."""
    out: list[str] = []
    for line in lines:
        out.append(line)
        for size in range(1, min(10, len(out) // 2) + 1):
            run = out[-size:]
            if run != out[-2 * size : -size]:
                continue
            if (size == 1 and _label_like(line)) or len(set(run)) > 1:
                del out[-size:]
                break
    return out


def _drop_ads(lines: list[str]) -> list[str]:
    """An advertiser's contact line, the list it belongs to, its heading and its caption."""
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if not _CONTACT_AD.search(fold(line)):
            continue
        drop.add(i)
        j = i - 1
        if _ITEM.match(line):
            while j >= 0 and _ITEM.match(lines[j]) and lines[j][0].isdigit() == line[0].isdigit():
                drop.add(j)
                j -= 1
            if j >= 0 and _label_like(lines[j]):
                drop.add(j)
        k = i + 1
        while k < len(lines) and _label_like(lines[k]) and numbering(lines[k])[0] is None:
            drop.add(k)
            k += 1
    return [line for i, line in enumerate(lines) if i not in drop]


def _label_like(line: str) -> bool:
    """A heading or a caption: short, and no sentence in it."""
    return len(line) <= 30 and not re.search(r"[。，,；;！!]", line)


def _cut_comments(lines: list[str]) -> list[str]:
    """Everything from a 网友评论 header on, once the article has begun."""
    seen_paragraph = False
    for i, line in enumerate(lines):
        if seen_paragraph and _COMMENTS.match(fold(line)):
            return lines[:i]
        seen_paragraph = seen_paragraph or is_paragraph(line)
    return lines


def _drop_related_links(lines: list[str]) -> list[str]:
    """Drop the link titles under a 相关阅读/猜你喜欢 header (the header is noise itself).

    The links are short lines without a sentence or heading number. The list ends at a
    paragraph, a numbered heading, or a short line followed by a paragraph (a heading).
    """
    kept, links = [], -1  # links: how many dropped since the last header; -1 outside a list
    for i, line in enumerate(lines):
        folded = fold(line)
        if _RELATED_HEADER.match(folded):
            kept.append(line)
            links = 0
            continue
        if links >= 0 and _link_like(line):
            heading = links > 0 and i + 1 < len(lines) and is_paragraph(lines[i + 1])
            if not heading:
                links += 1
                continue
        links = -1
        kept.append(line)
    return kept


def _link_like(line: str) -> bool:
    return len(line) <= 40 and not _SENTENCE_PUNCT.search(line) and numbering(line)[0] is None


# The stripped word. Some sites delete 电话 from their pages (微粒贷催收 是哪里打来的).
# A gap between Han characters marks the place. It is filled back only where the words
# around it leave no doubt (催收_, 拨打_, _系统, 在_中); other gaps are left for an editor.

_GAP = re.compile(
    r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff，。、；：？！,.;:!?）)」』”’]|$)"
)
_LEFT = (
    "催收",
    "拨打",
    "打",
    "接听",
    "接到",
    "诈骗",
    "骚扰",
    "通过",
    "假冒",
    "推销",
    "营销",
    "回拨",
    "拒接",
    "挂断",
)
_RIGHT = ("系统", "沟通", "号码", "录音", "联系", "催收", "诈骗", "骚扰", "轰炸", "回访", "通知")
WORD = {"hans": "电话", "hant": "電話"}


def find_gaps(line: str) -> list[re.Match]:
    return list(_GAP.finditer(fold(line)))


def _fillable(folded: str, match: re.Match) -> bool:
    start, end = match.span()
    if folded.endswith(_LEFT, 0, start) or folded.startswith(_RIGHT, end):
        return True
    return folded.endswith("在", 0, start) and folded.startswith(("中", "里"), end)


def word_was_stripped(lines: list[str]) -> bool:
    """True when the page shows the pattern: gaps where 电话 belongs, far more than 电话 itself."""
    written = fold("\n".join(lines)).count("电话")
    fillable = 0
    for line in lines:
        folded = fold(line)
        fillable += sum(1 for m in _GAP.finditer(folded) if _fillable(folded, m))
    return fillable >= 2 and fillable >= 2 * written


def fill_stripped_word(line: str, script: str) -> tuple[str, int]:
    """Put 电话 (電話 in traditional text) back into the gaps where it surely belongs."""
    folded = fold(line)
    word = WORD.get(script, WORD["hans"])
    out, pos, filled = [], 0, 0
    for match in _GAP.finditer(folded):
        if _fillable(folded, match):
            out.append(line[pos : match.start()])
            out.append(word)
            pos = match.end()
            filled += 1
    out.append(line[pos:])
    return "".join(out), filled
