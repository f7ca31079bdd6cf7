"""Which lender a page is about, from the registry (names and aliases, folded both sides).

A name in the title beats names in the body; product names (微粒贷, 百度有钱花) beat
operators (度小满), and parent brands (腾讯, 百度) count only in a title and only when they
point to one product. Two-character aliases (金条, 随借) are common words too, so they
also count only in a title. A title like "某某借催收电话…" naming no known lender gives the
name of a new one, which the importer creates for an editor to check.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kb.text import fold

from ..models import Lender, LenderAlias

PRODUCT, OPERATOR, WEAK, BRAND = 3, 2, 1, 0

_CANDIDATE = re.compile(
    r"^(?:关于|如何应对|如何|怎么|怎样|接到|收到|遇到|被)?"
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,12}?)的?(?:暴力)?"
    r"(?:催收|催款|逾期|客服|还款|借款|贷款|上门|起诉|协商)"
)
_NOT_A_LENDER = re.compile(
    r"^(网贷|网络贷款|小额贷款|贷款|借款|借贷|信用卡|银行|平台|网贷平台|消费金融|金融|催收|电话|逾期|"
    r"暴力|债务|欠款|欠债|个人|借钱|负债|法院|律师|短信|上门|第三方|外包|正规)"
    r"|如何|怎么|怎样|什么|哪里|是否|电话|催收|接到|收到|遇到|接听|拨打|关于|应对|处理"
)


@dataclass
class LenderChoice:
    lender: Lender | None = None
    new_name: str = ""  # a lender to create, named as the page writes it


def recognise(title: str, headings: list[str], body: str) -> LenderChoice:
    names = _registry_names()
    title_hits = _scan(fold(title), names)
    body_hits = _scan(fold(body), names)

    in_title = _best(title_hits, (PRODUCT, OPERATOR, WEAK), body_hits)
    if in_title:
        return LenderChoice(lender=in_title)
    if title and not title_hits and (candidate := _candidate([title], body)):
        return LenderChoice(new_name=candidate)
    in_body = _best(body_hits, (PRODUCT, OPERATOR), body_hits, minimum=2)
    if in_body:
        return LenderChoice(lender=in_body)
    if not title and (candidate := _candidate(headings, body, minimum=2)):
        return LenderChoice(new_name=candidate)
    brands = {lender.pk for lender, level, _pos in title_hits if level == BRAND}
    if len(brands) == 1:
        return LenderChoice(lender=_best(title_hits, (BRAND,), body_hits))
    return LenderChoice()


def _registry_names() -> dict[str, list[tuple[Lender, int]]]:
    """Folded name → [(lender, level)]."""
    names: dict[str, list[tuple[Lender, int]]] = {}

    def add(name: str, lender: Lender, level: int) -> None:
        folded = fold(name).strip()
        if folded:
            names.setdefault(folded, []).append((lender, level))

    lenders = {lender.pk: lender for lender in Lender.objects.all()}
    for lender in lenders.values():
        add(lender.name, lender, PRODUCT)
        if lender.operator:
            add(lender.operator, lender, OPERATOR)
    for alias in LenderAlias.objects.all():
        lender = lenders[alias.lender_id]
        if alias.kind == LenderAlias.Kind.BRAND:
            level = BRAND
        elif alias.kind == LenderAlias.Kind.OPERATOR:
            level = OPERATOR
        else:
            level = PRODUCT if len(alias.name) > 2 else WEAK
        add(alias.name, lender, level)
    # A name several lenders share (蚂蚁消费金融: 借呗 and 花呗) says nothing on its own.
    for folded, owners in names.items():
        if len({lender.pk for lender, _level in owners}) > 1:
            names[folded] = [(lender, min(level, BRAND)) for lender, level in owners]
    return names


def _scan(folded: str, names: dict) -> list[tuple[Lender, int, int]]:
    """(lender, level, position) for each name found, longest name first at each place."""
    if not names or not folded:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    hits = []
    for match in pattern.finditer(folded):
        for lender, level in names[match.group()]:
            hits.append((lender, level, match.start()))
    return hits


def _best(hits, levels, body_hits, minimum: int = 1) -> Lender | None:
    hits = [(lender, level, pos) for lender, level, pos in hits if level in levels]
    if not hits:
        return None
    body_counts = Counter(lender.pk for lender, level, _pos in body_hits if level >= OPERATOR)
    counts = Counter(lender.pk for lender, _level, _pos in hits)
    first = {}
    best_level = {}
    for lender, level, pos in hits:
        first.setdefault(lender.pk, (pos, lender))
        best_level[lender.pk] = max(best_level.get(lender.pk, 0), level)
    ranked = sorted(
        first,
        key=lambda pk: (-best_level[pk], -body_counts[pk], -counts[pk], first[pk][0]),
    )
    choice = ranked[0]
    if counts[choice] < minimum:
        return None
    return first[choice][1]


def _candidate(texts: list[str], body: str, minimum: int = 1) -> str:
    """A lender name the title (or, failing one, the headings) gives that the registry lacks."""
    found = []
    for text in texts:
        match = _CANDIDATE.match(fold(text).strip())
        if match and not _NOT_A_LENDER.search(match.group("name")):
            found.append(text.strip()[match.start("name") : match.end("name")])
    if not found:
        return ""
    name, count = Counter(found).most_common(1)[0]
    if count < minimum or fold(name) not in fold(body):
        return ""
    return name
