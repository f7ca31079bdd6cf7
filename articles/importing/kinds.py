"""Section heading → section kind, by keywords on folded text (both scripts match).

The table is read top to bottom and the first keyword found in the heading decides, so
more specific readings come first: 风险和注意事项 is risks before 应对 can make it coping,
应对催收的注意事项 is risks, 遇到违规催收怎么办 is coping before 违规 can make it legality,
法律怎么说 is legality before 怎么说 can make it coping, and 背景/介绍 come last because
介绍 is a generic word. On the demo articles' headings the table gives the written kind
for 62 of 88 (`scripts/real_pages.py --demo-kinds`).
Sub-headings never decide a kind: 有钱花的基本介绍 under a 背景 heading stays in background.
"""

from __future__ import annotations

from articles.models import Section
from kb.text import fold

Kind = Section.Kind

KIND_KEYWORDS: list[tuple[str, str]] = [
    ("风险", Kind.RISKS),
    ("小心", Kind.RISKS),
    ("留心", Kind.RISKS),
    ("坑", Kind.RISKS),
    ("影响", Kind.RISKS),
    ("注意事项", Kind.RISKS),
    ("陷阱", Kind.RISKS),
    ("后果", Kind.RISKS),
    ("会怎么样", Kind.RISKS),
    ("会怎样", Kind.RISKS),
    ("征信", Kind.RISKS),
    ("诈骗", Kind.RISKS),
    ("骗局", Kind.RISKS),
    ("套路", Kind.RISKS),
    ("冒充", Kind.RISKS),
    ("真假", Kind.RISKS),
    ("真伪", Kind.RISKS),
    ("是不是真的", Kind.RISKS),
    ("辨别", Kind.RISKS),
    # What to do wins over what the law says: 遇到违规催收的应对方法 is coping.
    ("应对", Kind.COPING),
    ("怎么办", Kind.COPING),
    ("如何处理", Kind.COPING),
    ("怎么处理", Kind.COPING),
    ("处理方法", Kind.COPING),
    ("怎么做", Kind.COPING),
    ("该做", Kind.COPING),
    ("避免", Kind.COPING),
    ("合法", Kind.LEGALITY),
    ("违法", Kind.LEGALITY),
    ("违规", Kind.LEGALITY),
    ("越界", Kind.LEGALITY),
    ("法律", Kind.LEGALITY),
    ("法规", Kind.LEGALITY),
    ("怎么说", Kind.COPING),
    ("打出", Kind.CALL_METHODS),
    ("来源", Kind.ORIGIN),
    ("是谁", Kind.ORIGIN),
    ("可能是谁", Kind.ORIGIN),
    ("谁在", Kind.ORIGIN),
    ("谁来", Kind.ORIGIN),
    ("出自谁", Kind.ORIGIN),
    ("哪几方", Kind.ORIGIN),
    ("谁打", Kind.ORIGIN),
    ("哪里打来", Kind.ORIGIN),
    ("哪里来", Kind.ORIGIN),
    ("归属地", Kind.ORIGIN),
    ("打出地点", Kind.CALL_METHODS),
    ("打出方式", Kind.CALL_METHODS),
    ("拨打方式", Kind.CALL_METHODS),
    ("呼叫方式", Kind.CALL_METHODS),
    ("催收方式", Kind.CALL_METHODS),
    ("催收流程", Kind.CALL_METHODS),
    ("流程", Kind.CALL_METHODS),
    ("过程", Kind.CALL_METHODS),
    ("方式", Kind.CALL_METHODS),
    ("号码", Kind.CALL_METHODS),
    ("通知", Kind.CALL_METHODS),
    ("接听技巧", Kind.COPING),
    ("准备工作", Kind.COPING),
    ("技巧", Kind.COPING),
    ("维权", Kind.COPING),
    ("投诉", Kind.COPING),
    ("沟通", Kind.COPING),
    ("协商", Kind.COPING),
    ("总结", Kind.SUMMARY),
    ("结语", Kind.SUMMARY),
    ("结论", Kind.SUMMARY),
    ("小结", Kind.SUMMARY),
    ("写在最后", Kind.SUMMARY),
    ("背景", Kind.BACKGROUND),
    ("介绍", Kind.BACKGROUND),
    ("简介", Kind.BACKGROUND),
    ("概述", Kind.BACKGROUND),
    ("是什么", Kind.BACKGROUND),
]
OTHER = Kind.OTHER


def kind_for(heading: str) -> str:
    """The section kind for a top-level heading as written (either script)."""
    folded = fold(heading)
    for keyword, kind in KIND_KEYWORDS:
        if keyword in folded:
            return kind
    return OTHER
