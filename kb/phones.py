"""Phone numbers as readers paste them or read them off a caller ID.

The one parser for the site: the index and the query (articles/search/analysis.py), the
number check, autocomplete and tel: links all call it, so `+86 95188`, `0086-95188`,
`（＋８６）９５１８８` and `95188` are one number.

- `parse(text)`: the whole text is one number (a number field, a query of digits only);
  separators may fall anywhere (`9538 4`).
- `find(text)`: the numbers inside running text, with their offsets (which equal offsets in
  `text`: normalising keeps one character for one). Stricter: after the first group a group
  needs three digits, so dates (2021-01-01), amounts (5000元, 12000 元), percentages (12.5%)
  and card or ID numbers are not numbers.

`digits` is the national number as dialled inside mainland China: no country code, a
landline with its area code and trunk 0 (+86 21 1234 5678 → 02112345678), an extension apart.

>>> parse("(+86)95384").digits
'95384'
>>> [(p.digits, p.kind, p.extension) for p in find("刚才 021-12345678 打给我，又打 95188 转 2")]
[('02112345678', 'landline', ''), ('95188', 'service', '2')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MOBILE = "mobile"
LANDLINE = "landline"
SERVICE = "service"  # 95xxx, 96xxx, 400/800, 10xxx, 1010xxxx: companies' service numbers
HOTLINE = "hotline"  # 12xxx: government hotlines (12378, 12363, 12321)
EMERGENCY = "emergency"
SMS = "sms"  # 106…: text-message senders, never a caller
INTERNATIONAL = "international"
OTHER = "other"  # digits of no known shape: only `parse` returns it

KIND_LABELS = {
    MOBILE: "手机号码",
    LANDLINE: "固定电话",
    SERVICE: "企业客服号码",
    HOTLINE: "政府服务热线",
    EMERGENCY: "紧急求助电话",
    SMS: "短信号码",
    INTERNATIONAL: "境外号码",
    OTHER: "号码",
}
# Kinds that are public numbers by their shape alone (tel: links in articles).
PUBLIC_KINDS = frozenset({SERVICE, HOTLINE, EMERGENCY})

MIN_DIGITS = 5  # what `parse` accepts as a number of unknown shape
MAX_DIGITS = 20  # an SMS sender 106… has up to 20

# One character for one: full-width forms, the ideographic space, dashes and brackets.
_NORMAL = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_NORMAL.update({ord(c): "-" for c in "‐‑‒–—―−﹣"})
_NORMAL.update({0x3000: " ", ord("【"): "(", ord("】"): ")", ord("〔"): "(", ord("〕"): ")"})
_NORMAL.update({ord("["): "(", ord("]"): ")"})

_EXT_WORD = r"(?:转|轉|分机|分機|内线|內線|ext\.?|x)"
# Digits with what may stand between them in one written number; a bracket or + may lead.
_CANDIDATE = re.compile(
    rf"(?:\(\s*)?(?:\+\s*)?[0-9](?:[0-9]|[ \t\-.()]{{1,4}}(?=[0-9])|\s*{_EXT_WORD}\s*(?=[0-9]))*",
    re.I,
)
_GROUP = re.compile(r"[0-9]+")
_ANY_DIGIT = re.compile("[0-9\uff10-\uff19]")  # the only characters normalise makes 0-9
_EXT = re.compile(_EXT_WORD, re.I)
_WHOLE = re.compile(rf"[0-9\s\-.()+]*(?:{_EXT_WORD}\s*[0-9]+)?\s*", re.I)
_DATE = re.compile(r"(?:19|20)[0-9]{2}[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12][0-9]|3[01])")
_COMPACT_DATE = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
# After a number these make it a quantity (5000元, 12000 人, 95%); 号码 is not 号.
_UNIT_AFTER = re.compile(
    r"\s*(?:[元块圆角万亿千百%‰年月日天个次期笔岁倍秒周条张份家位项]|号(?!码)|小时)"
)
_UNIT_BEFORE = re.compile(r"(?:[¥￥$第]|No\.?|NO\.?)\s*$")

_SHAPES = [
    (MOBILE, re.compile(r"1[3-9][0-9]{9}")),
    (SMS, re.compile(r"106[0-9]{5,17}")),
    (SERVICE, re.compile(r"(?:400|800)[0-9]{7}|9[56][0-9]{3,6}|(?!106)1[01][0-9]{3}|1010[0-9]{4}")),
    (HOTLINE, re.compile(r"12[0-9]{3}")),
    (EMERGENCY, re.compile(r"11[029]|12[02]")),
    (LANDLINE, re.compile(r"0(?:10|2[0-9])[0-9]{8}|0[3-9][0-9]{2}[0-9]{7,8}")),
]
_AREA = re.compile(r"0(?:10|2[0-9]|[3-9][0-9]{2})")
_LOCAL = re.compile(r"[2-8][0-9]{6,7}")  # a landline without its area code


@dataclass(frozen=True)
class Phone:
    digits: str  # national: 95384, 02112345678, 13800138000
    kind: str
    extension: str = ""
    area_code: str = ""  # landlines: 021, 0755
    start: int = 0  # span in the text, country code and extension included
    end: int = 0
    local_start: int = 0  # where a landline's local number starts in the text

    @property
    def local(self) -> str:
        """A landline without its area code, as a local call shows it."""
        return self.digits[len(self.area_code) :] if self.kind == LANDLINE else self.digits

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def display(self) -> str:
        """Grouped as it is usually written (021-12345678, 138 0013 8000, 400-888-8888),
        without the extension."""
        digits = self.digits
        if self.area_code:
            shown = f"{self.area_code}-{self.local}"
        elif self.kind == MOBILE:
            shown = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        elif self.kind == SERVICE and len(digits) == 10:
            shown = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
        else:
            shown = digits
        return shown

    @property
    def display_with_extension(self) -> str:
        return f"{self.display} 转 {self.extension}" if self.extension else self.display

    @property
    def dial(self) -> str:
        """For a tel: link: the extension after a pause."""
        return f"{self.digits},{self.extension}" if self.extension else self.digits


def normalise(text: str) -> str:
    """Full-width forms, dashes and brackets as ASCII; the same length as `text`."""
    return text.translate(_NORMAL)


def classify(digits: str, country_code: bool = False) -> tuple[str, str] | None:
    """(kind, national digits) of a digit string, or None when it has no known shape.

    After a +86 a landline is written without its trunk 0 (+86 21 …) and gets it back; a
    mobile shown with a leading 0 (as old handsets show a roaming caller) loses it.
    """
    if len(digits) > MAX_DIGITS:
        return None
    if re.fullmatch(r"01[3-9][0-9]{9}", digits):
        digits = digits[1:]
    for kind, shape in _SHAPES:
        if shape.fullmatch(digits):
            return kind, digits
    if country_code and digits[:1] != "0" and _SHAPES[-1][1].fullmatch("0" + digits):
        return LANDLINE, "0" + digits
    if not country_code and _LOCAL.fullmatch(digits):
        return LANDLINE, digits
    return None


def _phone(kind, digits, extension, start, end, positions=()) -> Phone:
    """A Phone; `positions` are the text offsets of the digits `digits` was read from."""
    area, local_start = "", start
    if kind == LANDLINE and digits.startswith("0"):
        area = _AREA.match(digits).group()
        written = len(positions)
        if written:
            local_start = positions[len(area) - (len(digits) - written)]
    return Phone(digits, kind, extension, area, start, end, local_start)


@dataclass
class _Group:
    digits: str
    start: int
    end: int
    before: str  # the separator before it ("" for the first)

    @property
    def is_ext(self) -> bool:
        return bool(_EXT.search(self.before))


def _groups(text: str, start: int, end: int) -> list[_Group]:
    out, last = [], start
    for match in _GROUP.finditer(text, start, end):
        out.append(_Group(match.group(), match.start(), match.end(), text[last : match.start()]))
        last = match.end()
    return out


def _country_code(groups: list[_Group]) -> tuple[int, bool]:
    """How many leading groups a country code takes (0 or 1), and whether it is +86.

    A leading group holding the code and more (+8613800138000) is cut in place.
    """
    first = groups[0]
    plus = "+" in first.before
    rest = len(groups) > 1
    for code in ("0086", "86"):
        if not first.digits.startswith(code) or (
            code == "86" and not plus and len(first.digits) != 13
        ):
            continue
        if first.digits == code:
            return (1, True) if rest else (0, False)
        cut = len(code)
        groups[0] = _Group(first.digits[cut:], first.start + cut, first.end, "")
        return 0, True
    if plus:
        return 0, False  # another country: kept whole
    if rest and first.digits in ("086", "86") and groups[1].before.strip(" ()") == "-":
        return 1, True
    if rest and first.digits == "86" and _SHAPES[0][1].fullmatch(groups[1].digits):
        return 1, True
    return 0, False


def _joins(group: _Group, strict: bool, previous: _Group | None = None) -> bool:
    """Whether a group continues the number before it. In running text it needs three
    digits, and a dot between groups needs three on its left too (12.378 is a decimal)."""
    if group.is_ext:
        return False
    if not strict:
        return True
    if "." in group.before and previous is not None and len(previous.digits) < 3:
        return False
    return len(group.digits) >= 3


def _numbers(text: str, start: int, end: int, strict: bool) -> list[Phone]:
    groups = _groups(text, start, end)
    if not groups:
        return []
    plus = "+" in groups[0].before
    skip, plus86 = _country_code(groups)
    if plus and not plus86:
        digits = "".join(g.digits for g in groups if not g.is_ext)
        if 8 <= len(digits) <= 15 and (not strict or all(_joins(g, True) for g in groups[1:])):
            return [Phone(digits, INTERNATIONAL, "", "", start, groups[-1].end)]
        return []
    body = groups[skip:]
    if len(body) > 1 and body[0].digits == "0" and "(" in body[1].before:
        body = body[1:]  # +86 (0)21 …: the trunk 0 in brackets
    found: list[Phone] = []
    i = 0
    while i < len(body):
        first = not found and i == 0
        phone, i = _number_at(text, body, i, strict, plus86 and first, start if first else None)
        if phone:
            found.append(phone)
    return found


def _number_at(text, body, i, strict, country_code, begin) -> tuple[Phone | None, int]:
    """The number starting at group i (the fewest groups that make one; an SMS sender's
    as many as follow), and where the next search starts."""
    if strict and len(body[i].digits) < 2:
        return None, i + 1
    run_start = i == 0 or not _joins(body[i], strict, body[i - 1])
    digits = ""
    for j in range(i, len(body)):
        if j > i and not _joins(body[j], strict, body[j - 1]):
            break
        digits += body[j].digits
        if len(digits) > MAX_DIGITS:
            break
        shape = classify(digits, country_code)
        if shape is None:
            continue
        kind, national = shape
        while kind == SMS and j + 1 < len(body) and _joins(body[j + 1], strict, body[j]):
            longer = classify(national + body[j + 1].digits)
            if longer is None or longer[0] != SMS:
                break
            national, j = longer[1], j + 1
        return _finish(text, body, i, j, kind, national, strict, run_start, begin)
    return None, i + 1


def _finish(text, body, i, j, kind, national, strict, run_start, begin):
    end, after = body[j].end, j + 1
    extension = ""
    if after < len(body) and _is_extension(body[after], after == len(body) - 1, strict):
        extension, end, after = body[after].digits, body[after].end, after + 1
    run_end = after == len(body) or not _joins(body[after], strict, body[after - 1])
    if strict and not _plausible(text, kind, national, body[i].start, end, run_start, run_end):
        return None, i + 1
    start = begin if begin is not None else body[i].start
    positions = [g.start + k for g in body[i : j + 1] for k in range(len(g.digits))]
    return _phone(kind, national, extension, start, end, positions), after


def _is_extension(group: _Group, last: bool, strict: bool) -> bool:
    if group.is_ext:
        return len(group.digits) <= 6
    dash = group.before.strip() == "-"
    if dash and len(group.digits) <= 4:
        return True
    return not strict and last and len(group.digits) <= 4


def _plausible(text, kind, digits, start, end, run_start, run_end) -> bool:
    """In running text: not a quantity, a date, or part of a longer run of groups."""
    if _UNIT_AFTER.match(text, end) or _UNIT_BEFORE.search(text, max(0, start - 4), start):
        return False
    if kind == LANDLINE and not digits.startswith("0"):
        # Seven or eight bare digits are a local number only standing alone.
        return run_start and run_end and not _COMPACT_DATE.fullmatch(digits)
    return True


def find(text: str) -> list[Phone]:
    """Every phone number in running text, in order, with offsets into `text`."""
    if not _ANY_DIGIT.search(text):  # most of an article's paragraphs: nothing to normalise
        return []
    normal = normalise(text)
    found = []
    for match in _CANDIDATE.finditer(normal):
        if match.start() and normal[match.start() - 1].isdigit():
            continue
        found.extend(_numbers(normal, match.start(), match.end(), strict=True))
    return found


def parse(text: str) -> Phone | None:
    """The number a whole field holds, however it is grouped; None when the text holds
    anything but a number (words, a date). Digits of no known shape give kind OTHER."""
    normal = normalise(text).strip()
    if not normal or not _WHOLE.fullmatch(normal) or _DATE.fullmatch(normal):
        return None
    groups = _groups(normal, 0, len(normal))
    if not groups:
        return None
    phones = _numbers(normal, 0, len(normal), strict=False)
    if len(phones) == 1 and phones[0].end >= groups[-1].end:
        return phones[0]
    written = "".join(g.digits for g in groups if not g.is_ext)
    digits = _strip_country_code(written, "+" in groups[0].before)
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    kind, digits = classify(digits, digits != written) or (OTHER, digits)
    return _phone(kind, digits, "", 0, len(normal))


def _strip_country_code(digits: str, plus: bool) -> str:
    if digits.startswith("0086"):
        return digits[4:]
    if digits.startswith("86") and (plus or len(digits) == 13):
        return digits[2:]
    return digits


_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def looks_like_id_number(text: str) -> bool:
    """A resident ID number (18 characters, GB 11643 check digit), however it is spaced."""
    compact = re.sub(r"[\s\-]", "", normalise(text)).upper()
    if not re.fullmatch(r"[1-9][0-9]{16}[0-9X]", compact):
        return False
    total = sum(int(c) * w for c, w in zip(compact, _ID_WEIGHTS, strict=False))
    return "10X98765432"[total % 11] == compact[-1]


def digits_of(text: str) -> str:
    """The national digits of a number as written (an official number an editor typed):
    the parsed number's, or every digit without a country code when it has no known shape."""
    phone = parse(text)
    if phone is not None:
        return phone.digits
    normal = normalise(text)
    return _strip_country_code("".join(_GROUP.findall(normal)), "+" in normal)


def typed_digits(text: str) -> str:
    """The digits of a number being typed (autocomplete), without a country code; "" when
    the text holds anything but a number."""
    normal = normalise(text).strip()
    if not normal or not re.fullmatch(r"[0-9\s\-.()+]*", normal):
        return ""
    digits = "".join(_GROUP.findall(normal))
    if digits.startswith("0086") or (normal.lstrip("( ").startswith("+86")):
        digits = digits[4:] if digits.startswith("0086") else digits[2:]
    return digits
