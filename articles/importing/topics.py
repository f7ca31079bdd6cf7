"""What a paragraph is about, when the page has no headings to say it: keyword scoring.

Each section kind has cue words (matched on folded text, so both scripts score alike) with
weights; a paragraph's kind is the one its cues weigh most, a nearby-word bonus aside.
`segment` turns a page's paragraphs into sections of one kind each: a paragraph whose
cues are too weak to say joins the section before it, a list stays with the line that
introduces it, and each section is headed for the reader (谁在打电话, 是否合法…) in the
page's script. Measured on the demo articles with their headings taken away
(`scripts/real_pages.py --demo-kinds`); the figures are in tests/fixtures/real/README.md.

`has_topic_word` says whether a short line speaks of the subject at all (a debt, a call,
a loan): what a title or a heading has and a site's button or label has not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.text import fold, opencc_only

# Words only text about borrowing and collection uses; folded (simplified) forms.
TOPIC_WORDS = (
    "催", "债", "逾期", "欠", "还款", "还钱", "借", "贷", "电话", "来电", "骚扰", "信用卡",
    "征信", "上门", "收数", "追数", "诈骗", "骗", "起诉", "律师", "法院", "短信", "通讯录",
    "联系人", "协商", "分期", "罚息", "白条", "花呗", "借呗", "月付", "额度", "利息",
)  # fmt: skip

# (cue, kind, weight). Longer, more telling cues weigh more; a cue inside a longer one
# (催收 in 催收方式) counts too, so the general word is light.
_CUES: list[tuple[str, str, int]] = [
    # Who calls: the lender itself, an agency it hired, a law firm, an impostor.
    ("谁打", "origin", 4), ("是谁", "origin", 2), ("打来", "origin", 2), ("哪里来", "origin", 3),
    ("哪来", "origin", 3), ("来源", "origin", 3), ("来自", "origin", 2), ("委托", "origin", 2),
    ("委外", "origin", 3), ("外包", "origin", 3), ("第三方", "origin", 2), ("催收公司", "origin", 3),
    ("催收机构", "origin", 3), ("外部机构", "origin", 3), ("贷后", "origin", 2),
    ("自称", "origin", 2), ("受托", "origin", 3), ("债权人", "origin", 1), ("出资", "origin", 2),
    ("担保", "origin", 1), ("调解", "origin", 1), ("律所", "origin", 1),
    # How and when they call: channels, numbers, frequency, stages.
    ("号码", "call_methods", 2), ("座机", "call_methods", 3), ("手机号", "call_methods", 2),
    ("虚拟号", "call_methods", 3), ("号段", "call_methods", 3), ("归属地", "call_methods", 3),
    ("短信", "call_methods", 2), ("上门", "call_methods", 2), ("律师函", "call_methods", 2),
    ("信函", "call_methods", 2), ("频率", "call_methods", 3), ("每天", "call_methods", 2),
    ("每日", "call_methods", 2), ("次数", "call_methods", 2), ("几次", "call_methods", 2),
    ("流程", "call_methods", 3), ("阶段", "call_methods", 3), ("第一天", "call_methods", 2),
    ("天后", "call_methods", 2), ("天内", "call_methods", 1), ("个月", "call_methods", 1),
    ("语音", "call_methods", 2), ("机器人", "call_methods", 3), ("外呼", "call_methods", 3),
    ("通讯录", "call_methods", 2), ("紧急联系人", "call_methods", 2), ("家人", "call_methods", 1),
    ("提醒", "call_methods", 1), ("方式", "call_methods", 1), ("打电话", "call_methods", 1),
    ("客服热线", "call_methods", 3), ("热线", "call_methods", 1), ("官方网站", "call_methods", 1),
    ("电话催收", "call_methods", 2), ("短信催收", "call_methods", 2), ("上门催收", "call_methods", 2),
    # Is it legal: laws, rules, rights, limits.
    ("合法", "legality", 3), ("违法", "legality", 3), ("违规", "legality", 3),
    ("法律", "legality", 2), ("法规", "legality", 3), ("民法典", "legality", 4),
    ("刑法", "legality", 4), ("条例", "legality", 3), ("规定", "legality", 2),
    ("条规定", "legality", 3), ("监管", "legality", 2),
    ("权益", "legality", 1), ("隐私", "legality", 2), ("个人信息", "legality", 2),
    ("不得", "legality", 2), ("禁止", "legality", 2), ("红线", "legality", 3),
    ("越界", "legality", 2), ("侵犯", "legality", 2), ("公约", "legality", 3),
    ("自律", "legality", 2), ("保护法", "legality", 4), ("罪", "legality", 2),
    ("依据", "legality", 2), ("法院", "legality", 1), ("义务", "legality", 1),
    # What to do: steps, advice, complaints.
    ("应对", "coping", 3), ("怎么办", "coping", 3), ("建议", "coping", 2), ("应该", "coping", 1),
    ("应当", "coping", 1), ("可以", "coping", 1), ("核实", "coping", 2), ("协商", "coping", 2),
    ("沟通", "coping", 2), ("投诉", "coping", 3), ("举报", "coping", 3), ("录音", "coping", 2),
    ("证据", "coping", 2), ("报警", "coping", 2), ("申请", "coping", 1), ("还款计划", "coping", 3),
    ("延期", "coping", 2), ("冷静", "coping", 3), ("主动", "coping", 2), ("记住", "coping", 2),
    ("保存", "coping", 2), ("维权", "coping", 3), ("求助", "coping", 2), ("咨询", "coping", 2),
    ("避免", "coping", 1), ("按时还款", "coping", 2), ("12378", "coping", 3), ("110", "coping", 1),
    ("如何", "coping", 1), ("怎么做", "coping", 3), ("第一步", "coping", 3), ("第二步", "coping", 3),
    ("第三步", "coping", 3), ("核对", "coping", 2), ("挂断", "coping", 2), ("问清", "coping", 2),
    # What can go wrong: consequences, credit record, scams.
    ("后果", "risks", 3), ("影响", "risks", 2), ("征信", "risks", 2), ("信用记录", "risks", 3),
    ("罚息", "risks", 2), ("滞纳金", "risks", 3), ("违约金", "risks", 3), ("诉讼", "risks", 2),
    ("起诉", "risks", 2), ("诈骗", "risks", 3), ("骗子", "risks", 3), ("骗局", "risks", 3),
    ("冒充", "risks", 3), ("陷阱", "risks", 3), ("风险", "risks", 3), ("注意", "risks", 1),
    ("警惕", "risks", 3), ("小心", "risks", 2), ("谨慎", "risks", 2), ("失信", "risks", 3),
    ("黑名单", "risks", 3), ("代价", "risks", 2), ("坑", "risks", 2), ("转账", "risks", 2),
    ("假", "risks", 1), ("真假", "risks", 3), ("真伪", "risks", 3), ("千万", "risks", 2),
    ("别", "risks", 1), ("不要", "risks", 1), ("慎重", "risks", 2), ("中介", "risks", 2),
    # What the product is: the lender, the loan.
    ("是一款", "background", 4), ("是一家", "background", 4), ("是一种", "background", 3),
    ("旗下", "background", 3), ("推出", "background", 3), ("产品", "background", 2),
    ("平台", "background", 1), ("提供", "background", 1), ("额度", "background", 2),
    ("作为", "background", 1), ("随着", "background", 2), ("近年来", "background", 3),
    ("现代社会", "background", 3), ("牌照", "background", 3), ("持牌", "background", 3),
    ("银行", "background", 1), ("消费金融", "background", 1), ("普及", "background", 2),
    ("受到", "background", 1), ("欢迎", "background", 2), ("便捷", "background", 2),
    ("定义", "background", 3), ("是指", "background", 3), ("所谓", "background", 2),
    # Closing words.
    ("总之", "summary", 6), ("综上", "summary", 6), ("总结", "summary", 5), ("总的来说", "summary", 6),
    ("总而言之", "summary", 6), ("希望", "summary", 2), ("一句话", "summary", 3),
    ("本文", "summary", 1),
]  # fmt: skip

KINDS = ("background", "origin", "call_methods", "legality", "coping", "risks", "summary")
# What a change of kind between two paragraphs costs, in cue weight; the page's first
# paragraph leans to background by OPENING (it is the page's introduction more often than not).
SWITCH = 4
OPENING = 4
# Headings written for the reader, simplified; traditional ones are converted.
READER_HEADINGS = {
    "background": "基本情况",
    "origin": "谁在打电话",
    "call_methods": "怎么催收、何时来电",
    "legality": "是否合法",
    "coping": "怎么应对",
    "risks": "风险和后果",
    "summary": "总结",
    "other": "其他说明",
}
_PATTERN = re.compile(
    "|".join(sorted({re.escape(c) for c, _k, _w in _CUES}, key=len, reverse=True))
)
_WEIGHTS: dict[str, list[tuple[str, int]]] = {}
for _cue, _kind, _weight in _CUES:
    _WEIGHTS.setdefault(_cue, []).append((_kind, _weight))
_CLOSING = re.compile(
    r"^(总之|综上|总而言之|总的来说|总体来说|总体而言|最后[,，]|以上就是|希望|所以[,，])"
)
_SENTENCE_END = ("。", "！", "!", "？", "?", "…", "”", "」")
_LIST_ITEM = re.compile(r"^(- |\d{1,3}\. |#)")
_LEAD_IN = re.compile(r"[:：]$")


def has_topic_word(text: str) -> bool:
    folded = fold(text)
    return any(word in folded for word in TOPIC_WORDS)


def scores(text: str) -> dict[str, int]:
    """Cue weight per kind in one paragraph (longest cue at each place)."""
    totals = dict.fromkeys(KINDS, 0)
    for match in _PATTERN.finditer(fold(text)):
        for kind, weight in _WEIGHTS[match.group()]:
            totals[kind] += weight
    return totals


def kind_of(text: str, position: float = 0.5) -> tuple[str, int]:
    """(kind, weight) for a paragraph; `position` is where it stands on the page (0 to 1)."""
    totals = kind_weights(text, position)
    kind = max(KINDS, key=lambda k: (totals[k], -KINDS.index(k)))
    return kind, totals[kind]


def kind_weights(text: str, position: float = 0.5) -> dict[str, int]:
    totals = scores(text)
    if position == 0:
        totals["background"] += OPENING
    if _CLOSING.match(fold(text.lstrip("-#0123456789. "))) and position > 0.5:
        totals["summary"] += 6
    if position == 1 and text.endswith(_SENTENCE_END):  # a last paragraph not cut off
        totals["summary"] += 4
    return totals


@dataclass
class Block:
    """A paragraph, with the list it introduces or the sub-heading above it."""

    parts: list[str]
    kind: str = ""
    weight: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def blocks(parts: list[str]) -> list[Block]:
    out: list[Block] = []
    for part in parts:
        joins = out and (
            (_LIST_ITEM.match(part) and not part.startswith("#"))
            and (_LEAD_IN.search(out[-1].parts[-1]) or _LIST_ITEM.match(out[-1].parts[-1]))
        )
        after_heading = out and out[-1].parts[-1].startswith("#")
        if joins or after_heading:
            out[-1].parts.append(part)
        else:
            out.append(Block(parts=[part]))
    return out


def segment(parts: list[str], script: str = "hans") -> list[tuple[str, str, list[str]]]:
    """Paragraphs → [(kind, heading, parts)], every part kept, in order."""
    found = blocks(parts)
    sections: list[tuple[str, list[str]]] = []
    for block, kind in zip(found, _kinds_along(found), strict=True):
        if sections and sections[-1][0] == kind:
            sections[-1][1].extend(block.parts)
        else:
            sections.append((kind, list(block.parts)))
    return [(kind, reader_heading(kind, script, sections[:i]), parts)
            for i, (kind, parts) in enumerate(sections)]  # fmt: skip


def _kinds_along(found: list[Block]) -> list[str]:
    """The kinds that weigh most over the page, less SWITCH for every change of kind (Viterbi):
    a paragraph that says little, or says a little of something else, stays with its neighbours."""
    weights = []
    for i, block in enumerate(found):
        position = i / (len(found) - 1) if len(found) > 1 else 0.0
        weights.append(kind_weights(block.text, position))
    best = dict(weights[0])
    back: list[dict[str, str]] = []
    for row in weights[1:]:
        came = {
            k: max(KINDS, key=lambda j, k=k: best[j] - (SWITCH if j != k else 0)) for k in KINDS
        }
        best = {k: best[came[k]] - (SWITCH if came[k] != k else 0) + row[k] for k in KINDS}
        back.append(came)
    kind = max(KINDS, key=lambda k: best[k])
    path = [kind]
    for came in reversed(back):
        kind = came[kind]
        path.append(kind)
    return path[::-1]


def reader_heading(kind: str, script: str, before: list = ()) -> str:
    heading = READER_HEADINGS[kind]
    again = sum(1 for k, _parts in before if k == kind)
    if again:
        heading += f"（{'二三四五六七八九十'[min(again, 9) - 1]}）"
    return opencc_only(heading, "zh-hant") if script == "hant" else heading
