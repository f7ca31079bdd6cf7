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

from articles.models import Section
from kb.text import fold, opencc_only

K = Section.Kind  # short: the tables below name a kind on every line

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
    ("谁打", K.ORIGIN, 4), ("是谁", K.ORIGIN, 2), ("打来", K.ORIGIN, 2), ("哪里来", K.ORIGIN, 3),
    ("哪来", K.ORIGIN, 3), ("来源", K.ORIGIN, 3), ("来自", K.ORIGIN, 2), ("委托", K.ORIGIN, 2),
    ("委外", K.ORIGIN, 3), ("外包", K.ORIGIN, 3), ("第三方", K.ORIGIN, 2), ("催收公司", K.ORIGIN, 3),
    ("催收机构", K.ORIGIN, 3), ("外部机构", K.ORIGIN, 3), ("贷后", K.ORIGIN, 2),
    ("自称", K.ORIGIN, 2), ("受托", K.ORIGIN, 3), ("债权人", K.ORIGIN, 1), ("出资", K.ORIGIN, 2),
    ("担保", K.ORIGIN, 1), ("调解", K.ORIGIN, 1), ("律所", K.ORIGIN, 1),
    # How and when they call: channels, numbers, frequency, stages.
    ("号码", K.CALL_METHODS, 2), ("座机", K.CALL_METHODS, 3), ("手机号", K.CALL_METHODS, 2),
    ("虚拟号", K.CALL_METHODS, 3), ("号段", K.CALL_METHODS, 3), ("归属地", K.CALL_METHODS, 3),
    ("短信", K.CALL_METHODS, 2), ("上门", K.CALL_METHODS, 2), ("律师函", K.CALL_METHODS, 2),
    ("信函", K.CALL_METHODS, 2), ("频率", K.CALL_METHODS, 3), ("每天", K.CALL_METHODS, 2),
    ("每日", K.CALL_METHODS, 2), ("次数", K.CALL_METHODS, 2), ("几次", K.CALL_METHODS, 2),
    ("流程", K.CALL_METHODS, 3), ("阶段", K.CALL_METHODS, 3), ("第一天", K.CALL_METHODS, 2),
    ("天后", K.CALL_METHODS, 2), ("天内", K.CALL_METHODS, 1), ("个月", K.CALL_METHODS, 1),
    ("语音", K.CALL_METHODS, 2), ("机器人", K.CALL_METHODS, 3), ("外呼", K.CALL_METHODS, 3),
    ("通讯录", K.CALL_METHODS, 2), ("紧急联系人", K.CALL_METHODS, 2), ("家人", K.CALL_METHODS, 1),
    ("提醒", K.CALL_METHODS, 1), ("方式", K.CALL_METHODS, 1), ("打电话", K.CALL_METHODS, 1),
    ("客服热线", K.CALL_METHODS, 3), ("热线", K.CALL_METHODS, 1), ("官方网站", K.CALL_METHODS, 1),
    ("电话催收", K.CALL_METHODS, 2), ("短信催收", K.CALL_METHODS, 2), ("上门催收", K.CALL_METHODS, 2),
    # Is it legal: laws, rules, rights, limits.
    ("合法", K.LEGALITY, 3), ("违法", K.LEGALITY, 3), ("违规", K.LEGALITY, 3),
    ("法律", K.LEGALITY, 2), ("法规", K.LEGALITY, 3), ("民法典", K.LEGALITY, 4),
    ("刑法", K.LEGALITY, 4), ("条例", K.LEGALITY, 3), ("规定", K.LEGALITY, 2),
    ("条规定", K.LEGALITY, 3), ("监管", K.LEGALITY, 2),
    ("权益", K.LEGALITY, 1), ("隐私", K.LEGALITY, 2), ("个人信息", K.LEGALITY, 2),
    ("不得", K.LEGALITY, 2), ("禁止", K.LEGALITY, 2), ("红线", K.LEGALITY, 3),
    ("越界", K.LEGALITY, 2), ("侵犯", K.LEGALITY, 2), ("公约", K.LEGALITY, 3),
    ("自律", K.LEGALITY, 2), ("保护法", K.LEGALITY, 4), ("罪", K.LEGALITY, 2),
    ("依据", K.LEGALITY, 2), ("法院", K.LEGALITY, 1), ("义务", K.LEGALITY, 1),
    # What to do: steps, advice, complaints.
    ("应对", K.COPING, 3), ("怎么办", K.COPING, 3), ("建议", K.COPING, 2), ("应该", K.COPING, 1),
    ("应当", K.COPING, 1), ("可以", K.COPING, 1), ("核实", K.COPING, 2), ("协商", K.COPING, 2),
    ("沟通", K.COPING, 2), ("投诉", K.COPING, 3), ("举报", K.COPING, 3), ("录音", K.COPING, 2),
    ("证据", K.COPING, 2), ("报警", K.COPING, 2), ("申请", K.COPING, 1), ("还款计划", K.COPING, 3),
    ("延期", K.COPING, 2), ("冷静", K.COPING, 3), ("主动", K.COPING, 2), ("记住", K.COPING, 2),
    ("保存", K.COPING, 2), ("维权", K.COPING, 3), ("求助", K.COPING, 2), ("咨询", K.COPING, 2),
    ("避免", K.COPING, 1), ("按时还款", K.COPING, 2), ("12378", K.COPING, 3), ("110", K.COPING, 1),
    ("如何", K.COPING, 1), ("怎么做", K.COPING, 3), ("第一步", K.COPING, 3), ("第二步", K.COPING, 3),
    ("第三步", K.COPING, 3), ("核对", K.COPING, 2), ("挂断", K.COPING, 2), ("问清", K.COPING, 2),
    # What can go wrong: consequences, credit record, scams.
    ("后果", K.RISKS, 3), ("影响", K.RISKS, 2), ("征信", K.RISKS, 2), ("信用记录", K.RISKS, 3),
    ("罚息", K.RISKS, 2), ("滞纳金", K.RISKS, 3), ("违约金", K.RISKS, 3), ("诉讼", K.RISKS, 2),
    ("起诉", K.RISKS, 2), ("诈骗", K.RISKS, 3), ("骗子", K.RISKS, 3), ("骗局", K.RISKS, 3),
    ("冒充", K.RISKS, 3), ("陷阱", K.RISKS, 3), ("风险", K.RISKS, 3), ("注意", K.RISKS, 1),
    ("警惕", K.RISKS, 3), ("小心", K.RISKS, 2), ("谨慎", K.RISKS, 2), ("失信", K.RISKS, 3),
    ("黑名单", K.RISKS, 3), ("代价", K.RISKS, 2), ("坑", K.RISKS, 2), ("转账", K.RISKS, 2),
    ("假", K.RISKS, 1), ("真假", K.RISKS, 3), ("真伪", K.RISKS, 3), ("千万", K.RISKS, 2),
    ("别", K.RISKS, 1), ("不要", K.RISKS, 1), ("慎重", K.RISKS, 2), ("中介", K.RISKS, 2),
    # What the product is: the lender, the loan.
    ("是一款", K.BACKGROUND, 4), ("是一家", K.BACKGROUND, 4), ("是一种", K.BACKGROUND, 3),
    ("旗下", K.BACKGROUND, 3), ("推出", K.BACKGROUND, 3), ("产品", K.BACKGROUND, 2),
    ("平台", K.BACKGROUND, 1), ("提供", K.BACKGROUND, 1), ("额度", K.BACKGROUND, 2),
    ("作为", K.BACKGROUND, 1), ("随着", K.BACKGROUND, 2), ("近年来", K.BACKGROUND, 3),
    ("现代社会", K.BACKGROUND, 3), ("牌照", K.BACKGROUND, 3), ("持牌", K.BACKGROUND, 3),
    ("银行", K.BACKGROUND, 1), ("消费金融", K.BACKGROUND, 1), ("普及", K.BACKGROUND, 2),
    ("受到", K.BACKGROUND, 1), ("欢迎", K.BACKGROUND, 2), ("便捷", K.BACKGROUND, 2),
    ("定义", K.BACKGROUND, 3), ("是指", K.BACKGROUND, 3), ("所谓", K.BACKGROUND, 2),
    # Closing words.
    ("总之", K.SUMMARY, 6), ("综上", K.SUMMARY, 6), ("总结", K.SUMMARY, 5), ("总的来说", K.SUMMARY, 6),
    ("总而言之", K.SUMMARY, 6), ("希望", K.SUMMARY, 2), ("一句话", K.SUMMARY, 3),
    ("本文", K.SUMMARY, 1),
]  # fmt: skip

KINDS = (K.BACKGROUND, K.ORIGIN, K.CALL_METHODS, K.LEGALITY, K.COPING, K.RISKS, K.SUMMARY)
# What a change of kind between two paragraphs costs, in cue weight; the page's first
# paragraph leans to background by OPENING (it is the page's introduction more often than not).
SWITCH = 4
OPENING = 4
# Headings written for the reader, simplified; traditional ones are converted.
READER_HEADINGS = {
    K.BACKGROUND: "基本情况",
    K.ORIGIN: "谁在打电话",
    K.CALL_METHODS: "怎么催收、何时来电",
    K.LEGALITY: "是否合法",
    K.COPING: "怎么应对",
    K.RISKS: "风险和后果",
    K.SUMMARY: "总结",
    K.OTHER: "其他说明",
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
        totals[K.BACKGROUND] += OPENING
    if _CLOSING.match(fold(text.lstrip("-#0123456789. "))) and position > 0.5:
        totals[K.SUMMARY] += 6
    if position == 1 and text.endswith(_SENTENCE_END):  # a last paragraph not cut off
        totals[K.SUMMARY] += 4
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
