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

from kb.text import fold

KIND_KEYWORDS: list[tuple[str, str]] = [
    ("风险", "risks"),
    ("小心", "risks"),
    ("留心", "risks"),
    ("坑", "risks"),
    ("影响", "risks"),
    ("注意事项", "risks"),
    ("陷阱", "risks"),
    ("后果", "risks"),
    ("会怎么样", "risks"),
    ("会怎样", "risks"),
    ("征信", "risks"),
    ("诈骗", "risks"),
    ("骗局", "risks"),
    ("套路", "risks"),
    ("冒充", "risks"),
    ("真假", "risks"),
    ("是不是真的", "risks"),
    ("辨别", "risks"),
    # What to do wins over what the law says: 遇到违规催收的应对方法 is coping.
    ("应对", "coping"),
    ("怎么办", "coping"),
    ("如何处理", "coping"),
    ("怎么处理", "coping"),
    ("处理方法", "coping"),
    ("怎么做", "coping"),
    ("该做", "coping"),
    ("避免", "coping"),
    ("合法", "legality"),
    ("违法", "legality"),
    ("违规", "legality"),
    ("越界", "legality"),
    ("法律", "legality"),
    ("法规", "legality"),
    ("怎么说", "coping"),
    ("打出", "call_methods"),
    ("来源", "origin"),
    ("是谁", "origin"),
    ("可能是谁", "origin"),
    ("谁在", "origin"),
    ("谁来", "origin"),
    ("出自谁", "origin"),
    ("哪几方", "origin"),
    ("谁打", "origin"),
    ("哪里打来", "origin"),
    ("哪里来", "origin"),
    ("归属地", "origin"),
    ("打出地点", "call_methods"),
    ("打出方式", "call_methods"),
    ("拨打方式", "call_methods"),
    ("呼叫方式", "call_methods"),
    ("催收方式", "call_methods"),
    ("催收流程", "call_methods"),
    ("流程", "call_methods"),
    ("过程", "call_methods"),
    ("方式", "call_methods"),
    ("号码", "call_methods"),
    ("通知", "call_methods"),
    ("接听技巧", "coping"),
    ("准备工作", "coping"),
    ("技巧", "coping"),
    ("维权", "coping"),
    ("投诉", "coping"),
    ("沟通", "coping"),
    ("协商", "coping"),
    ("总结", "summary"),
    ("结语", "summary"),
    ("结论", "summary"),
    ("小结", "summary"),
    ("写在最后", "summary"),
    ("背景", "background"),
    ("介绍", "background"),
    ("简介", "background"),
    ("概述", "background"),
    ("是什么", "background"),
]
OTHER = "other"


def kind_for(heading: str) -> str:
    """The section kind for a top-level heading as written (either script)."""
    folded = fold(heading)
    for keyword, kind in KIND_KEYWORDS:
        if keyword in folded:
            return kind
    return OTHER
