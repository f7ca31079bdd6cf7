"""Which lender a page is about, from the registry (names and aliases, folded both sides).

The exact product first: the longest name at each place wins, so 平安银行信用卡 is not
平安普惠's brand 平安, and 美团月付 is not 美团借钱. A name in the title beats names in the
body; product names (微粒贷, 百度有钱花) beat operators (度小满), and parent brands (腾讯,
百度) count only in a title and only when they point to one product. An operator several
products share (京东金融: 京东金条 and 京东白条) points to the one registered first, and
the choice says it was guessed so an editor checks it. Two-character aliases (金条, 随借)
are common words too, so they also count only in a title. A title naming a product the
registry lacks ("某某借催收电话…", even 平安信用卡 when only 平安 is known) gives the name of
a new lender, which the importer creates for an editor to check, unless it is a short form
of a product the body names in full (某信信用卡 for 某信银行信用卡). A page without a title is
read by its first line; failing all else, a product the body keeps naming as a subject
becomes the new lender. A new product named after a bank has the bank as its operator.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kb.text import fold

from ..models import Lender, LenderAlias

PRODUCT, OPERATOR, SHARED, WEAK, BRAND = 4, 3, 2, 1, 0

_CANDIDATE = re.compile(
    r"^(?:关于|如何应对|如何|怎么|怎样|接到|收到|遇到|被)?"
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,12}?)的?(?:发|打|说|要|会|给|派|找)?(?:暴力)?"
    r"(?:催收|催款|逾期|客服|还款|借款|贷款|上门|起诉|协商)"
)
_NOT_A_LENDER = re.compile(
    r"^(网贷|网络贷款|网络小贷|小额|小贷|贷款|借款|借贷|信用卡|银行|平台|网贷平台|消费金融|金融|"
    r"消费贷|信用贷|现金贷|经营贷|助贷|卡债|催收|电话|逾期|暴力|债务|欠款|欠债|个人|借钱|负债|法院|"
    r"律师|短信|上门|第三方|外包|正规)"
    r"|如何|怎么|怎样|什么|哪里|是否|电话|催收|接到|收到|遇到|接听|拨打|关于|应对|处理|旗下"
)
# A name the title alone gives must look like a product's: 随手用, 某某贷, 某某花, 某某卡…
_PRODUCT_SHAPE = re.compile(
    r"(贷|借|花|呗|条|付|金融|银行|信用卡|分期|钱包|卡|用|宝|乐|罐|钱|借款)$"
)


# Where a name may begin in running text: after punctuation or a quotation mark.
_CLAUSE = re.compile(r"[，,。！!？?；;：:、\n“”\"「」『』（）()【】]+")
_QUOTED = re.compile(r"[“「『\"]([\u4e00-\u9fffA-Za-z0-9]{2,8})[”」』\"]")
BODY_MENTIONS = 3  # how often a product the registry lacks must be named in a body
_BANK_PRODUCT = re.compile(r"^(?P<bank>[\u4e00-\u9fff]{2,8}银行)(?!$)")


@dataclass
class LenderChoice:
    lender: Lender | None = None
    new_name: str = ""  # a lender to create, named as the page writes it
    named: str = ""  # the lender as the page names it (京东金融 for 京东金条 by its operator)
    guessed: bool = False  # only an operator several products share named it


def recognise(title: str, headings: list[str], body: str, lead: str = "") -> LenderChoice:
    """`lead`: the page's first line, which stands for the title of a page that has none."""
    names = _registry_names()
    title = title or lead
    title_hits = _scan(title, names)
    body_hits = _scan(body, names)

    in_title = _best(title_hits, (PRODUCT, OPERATOR, SHARED, WEAK), body_hits)
    if in_title:
        return in_title
    if title and (candidate := _candidate([title], body, names)):
        return _abbreviated(candidate, body_hits) or _new(candidate)
    in_body = _best(body_hits, (PRODUCT, OPERATOR, SHARED), body_hits, minimum=2)
    if in_body:
        return in_body
    if not title and (candidate := _candidate(headings, body, names, minimum=2)):
        return _new(candidate)
    if candidate := _named_throughout(body, names):
        return _new(candidate)
    brands = {hit[0].pk for hit in title_hits if hit[1] == BRAND}
    if len(brands) == 1:
        return _best(title_hits, (BRAND,), body_hits)
    return LenderChoice()


def operator_of(name: str) -> str:
    """The operator a new product's name gives: 某某银行信用卡 is 某某银行's."""
    match = _BANK_PRODUCT.match(fold(name))
    return name[: match.end("bank")] if match else ""


def _new(name: str) -> LenderChoice:
    return LenderChoice(new_name=name, named=name)


def _abbreviated(name: str, body_hits) -> LenderChoice | None:
    """A short form of a product the body names in full: 某信信用卡 for 某信银行信用卡."""
    short = fold(name)
    for lender, level, _pos, written in body_hits:
        full = fold(written)
        if level >= SHARED and len(full) > len(short) and _is_short_form(short, full):
            return LenderChoice(lender=lender, named=written)
    return None


def _is_short_form(short: str, full: str) -> bool:
    """Same first character and same ending, the rest of `short` in order within `full`."""
    if short[0] != full[0] or short[-2:] != full[-2:]:
        return False
    rest = iter(full)
    return all(char in rest for char in short)


def _named_throughout(body: str, names: dict) -> str:
    """A product the registry lacks that the body names as a subject, where a clause begins
    (某某银行逾期几天…) or in quotation marks (“某某花”), at least twice, and BODY_MENTIONS
    times or more in all, the first time near the page's start."""
    folded = fold(body)
    subject: Counter[str] = Counter(
        m.group("name")
        for clause in _CLAUSE.split(folded)
        if (m := _CANDIDATE.match(clause.strip()))
    )
    subject.update(_QUOTED.findall(folded))
    ranked = sorted(
        (
            (count, folded.count(name), name)
            for name, count in subject.items()
            if count >= 2
            and name not in names
            and _PRODUCT_SHAPE.search(name)
            and not _NOT_A_LENDER.search(name)
            and folded.find(name) < 300
        ),
        reverse=True,
    )
    if not ranked or ranked[0][1] < BODY_MENTIONS:
        return ""
    start = folded.find(ranked[0][2])
    return body[start : start + len(ranked[0][2])]


def lender_names() -> frozenset[str]:
    """Every lender name and alias in the registry, folded."""
    return frozenset(_registry_names())


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
    # A name several lenders share says little on its own: the one holding it at the highest
    # level keeps it; when several do, an operator goes to the product registered first (a
    # guess), a brand (蚂蚁集团) to none of them.
    for folded, owners in names.items():
        if len({lender.pk for lender, _level in owners}) > 1:
            top = max(level for _lender, level in owners)
            holders = sorted({lender.pk for lender, level in owners if level == top})
            keeper = holders[0] if len(holders) == 1 or top == OPERATOR else None
            shared_level = top if len(holders) == 1 else SHARED
            names[folded] = [
                (lender, shared_level if lender.pk == keeper else BRAND)
                for lender, _level in owners
            ]
    return names


def _scan(text: str, names: dict) -> list[tuple[Lender, int, int, str]]:
    """(lender, level, position, name as written) for each name found, longest first at each place."""
    folded = fold(text)
    if not names or not folded:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    hits = []
    for match in pattern.finditer(folded):
        for lender, level in names[match.group()]:
            hits.append((lender, level, match.start(), text[match.start() : match.end()]))
    return hits


def _best(hits, levels, body_hits, minimum: int = 1) -> LenderChoice | None:
    hits = [hit for hit in hits if hit[1] in levels]
    if not hits:
        return None
    body_counts = Counter(lender.pk for lender, level, *_rest in body_hits if level >= SHARED)
    counts = Counter(lender.pk for lender, *_rest in hits)
    first = {}
    best_level = {}
    for lender, level, pos, written in hits:
        first.setdefault(lender.pk, (pos, lender, written))
        best_level[lender.pk] = max(best_level.get(lender.pk, 0), level)
    ranked = sorted(
        first,
        key=lambda pk: (-best_level[pk], -body_counts[pk], -counts[pk], first[pk][0]),
    )
    choice = ranked[0]
    if counts[choice] < minimum:
        return None
    _pos, lender, written = first[choice]
    return LenderChoice(lender=lender, named=written, guessed=best_level[choice] == SHARED)


def _candidate(texts: list[str], body: str, names: dict, minimum: int = 1) -> str:
    """A lender name the title (or, failing one, the headings) gives that the registry lacks.

    It must come back in the body, or, said only in the title, look like a product's name.
    """
    found = []
    for text in texts:
        match = _CANDIDATE.match(fold(text).strip())
        if match and not _NOT_A_LENDER.search(match.group("name")):
            found.append(text.strip()[match.start("name") : match.end("name")])
    if not found:
        return ""
    name, count = Counter(found).most_common(1)[0]
    folded = fold(name)
    if count < minimum or folded in names or not _PRODUCT_SHAPE.search(folded):
        return ""
    if folded in fold(body) or (len(texts) == 1 and len(name) >= 3):
        return name
    return ""
