"""Chinese text helpers shared by every app: folding for search, phone digits, pinyin,
and OpenCC's character conversion (`opencc_only`; readers' pages add vocabulary, names
and quotes on top of it: kb/conversion.py).

Folding is for matching only; stored text is never replaced by a folded copy.

>>> fold("微粒貸ＡＢＣ　催收")
'微粒贷abc 催收'
>>> len(fold("臺灣")) == len("臺灣")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import opencc

from .variants import SCRIPT_HANS, SCRIPT_HANT, VARIANTS, variant_of

_OPENCC_DICT_DIR = Path(opencc.__file__).resolve().parent / "dictionary"


def _read_opencc_table(name: str) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    with open(_OPENCC_DICT_DIR / name, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or "\t" not in line:
                continue
            key, values = line.split("\t", 1)
            table[key] = values.split()
    return table


@cache
def _fold_table() -> dict[int, str]:
    """Build the one-character-to-one-character table behind `fold`.

    Traditional → simplified comes from OpenCC's TSCharacters (first candidate). The Taiwan
    and Hong Kong variant tables are used only where the variant leads into a TSCharacters
    entry (偽 → 僞 → 伪): their other entries map plain simplified characters too (么 → 幺,
    著 → 着), which would corrupt ordinary simplified text.
    """
    table: dict[int, str] = {}
    ts = _read_opencc_table("TSCharacters.txt")
    for trad, simps in ts.items():
        if len(trad) == 1 and simps and len(simps[0]) == 1 and simps[0] != trad:
            table[ord(trad)] = simps[0]
    for name in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for variant, standards in _read_opencc_table(name).items():
            if len(variant) != 1 or ord(variant) in table or not standards:
                continue
            standard = standards[0]
            if standard in ts and len(ts[standard][0]) == 1 and ts[standard][0] != variant:
                table[ord(variant)] = ts[standard][0]
    # Width: full-width ASCII and the ideographic space.
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    # Case, only where lower-casing keeps one character (offsets stay 1:1).
    for code in range(0x10000):
        char = chr(code)
        if code in table:
            target = table[code]
            lowered = target.lower()
            if len(lowered) == 1:
                table[code] = lowered
            continue
        lowered = char.lower()
        if lowered != char and len(lowered) == 1:
            table[code] = lowered
    return table


def fold(text: str) -> str:
    """Fold text for matching: width, traditional → simplified per character, lower case.

    The result always has the same length as the input, so an offset found in folded text
    is the same offset in the stored text (exact highlighting).
    """
    return text.translate(_fold_table())


_NON_DIGIT = re.compile(r"\D+")


def phone_digits(text: str) -> str:
    """Digits of a phone number as a reader might type it.

    Full-width digits count; spaces, dashes, dots and brackets do not; a leading +86 / 0086
    country code is dropped.

    >>> phone_digits("400-888-8888") == phone_digits("４００ ８８８ ８８８８") == "4008888888"
    True
    >>> phone_digits("+86 138 0013 8000")
    '13800138000'
    """
    digits = _NON_DIGIT.sub("", unicodedata.normalize("NFKC", text))
    if digits.startswith("0086") and len(digits) > 11:
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


@cache
def _pinyin():
    import pypinyin

    return pypinyin


def pinyin_full(text: str) -> str:
    """Toneless pinyin without separators: 微粒贷 → weilidai. Non-Chinese text is kept."""
    pypinyin = _pinyin()
    parts = pypinyin.lazy_pinyin(fold(text), style=pypinyin.Style.NORMAL, errors="default")
    return "".join(parts).replace(" ", "").lower()


def pinyin_initials(text: str) -> str:
    """First letters of each syllable: 微粒贷 → wld. Latin and digit runs are kept whole."""
    pypinyin = _pinyin()
    parts = pypinyin.lazy_pinyin(
        fold(text), style=pypinyin.Style.NORMAL, errors=lambda chars: [" " + chars]
    )
    out = []
    for part in parts:
        if part.startswith(" "):
            out.append(part.replace(" ", "").lower())
        elif part:
            out.append(part[0].lower())
    return "".join(out)


# Display conversion, characters only


@cache
def _converter(config: str):
    return opencc.OpenCC(config)


def opencc_only(text: str, variant: str | None, script: str | None = None) -> str:
    """OpenCC's character conversion alone: no vocabulary, names, quotes or overrides.

    For what must not touch the database or the vocabulary tables (the 503 page, the
    importer's matching); readers' pages use `articles.display.convert`. A traditional
    original (`script="hant"`) goes to simplified with tw2s, which also turns Taiwan forms
    such as 著 in 接著 into 着 (t2s leaves them); a simplified 么 quoted inside it is kept
    (tw2s's variant table would make it 幺).

    >>> opencc_only("粉丝发布", "zh-hant")  # OpenCC's phrase table: 丝发 → 絲髮
    '粉絲髮布'
    """
    if not text:
        return text
    target = VARIANTS[variant_of(variant)]
    if target.script == SCRIPT_HANS and script == SCRIPT_HANT:
        if "么" not in text:
            return _converter("tw2s").convert(text)
        return "么".join(_converter("tw2s").convert(part) for part in text.split("么"))
    return _converter(target.opencc).convert(text)


def detect_script(text: str) -> str:
    """Guess whether text is written in traditional (hant) or simplified (hans) script."""
    table = _fold_table()
    sample = text[:20000]
    trad = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff" and ord(ch) in table)
    simp_only = _simplified_only_chars()
    simp = sum(1 for ch in sample if ch in simp_only)
    return SCRIPT_HANT if trad > simp else SCRIPT_HANS


@cache
def _simplified_only_chars() -> frozenset[str]:
    """Characters that exist only in simplified script (keys of STCharacters that change)."""
    st = _read_opencc_table("STCharacters.txt")
    return frozenset(k for k, v in st.items() if len(k) == 1 and v and k not in v)
