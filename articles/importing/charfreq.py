"""How common a Chinese character is, from the word frequencies in jieba's dictionary.

Used to tell real text from mojibake: a decoding (or a re-reading of garbled text) that
yields mostly common characters is the likely one. Characters are folded first, so
traditional characters rank as their simplified forms.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from kb.text import fold

COMMON = 1000  # rank below which a character counts as common (the first 1,000 cover ~90% of text)
UNKNOWN = 1_000_000


@cache
def _ranks() -> dict[str, int]:
    import jieba

    counts: Counter[str] = Counter()
    with open(Path(jieba.__file__).resolve().parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) < 2 or not parts[1].isdigit():
                continue
            weight = int(parts[1])
            for char in parts[0]:
                counts[char] += weight
    return {char: i for i, (char, _n) in enumerate(counts.most_common())}


@cache
def rank(char: str) -> int:
    """0 for the most frequent character; UNKNOWN for one never seen in a word."""
    return _ranks().get(fold(char), UNKNOWN)


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def is_common(char: str, limit: int = COMMON) -> bool:
    return is_han(char) and rank(char) < limit
