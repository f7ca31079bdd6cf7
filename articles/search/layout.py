"""Which bit of a posting's kind mask (schema.py) belongs to which section kind, and the
layout an index on disk was built with.

The bits are fixed by hand, not by the order of `Section.Kind`: an index built yesterday
must mean the same bits today. A new kind takes a free bit below `ARTICLE_LEVEL`
(`problems` and the system check in checks.py refuse one that has none, or that shares a
bit). Changing a bit changes `LAYOUT`; an index built with another layout would then answer
with the wrong sections, so searches refuse it until it is rebuilt (`check`), and every
build writes the layout it used (`write`) next to its segments.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

from articles.models import Section

from .schema import ARTICLE_LEVEL, MASK_BITS, marker

KIND_BITS: dict[str, int] = {
    Section.Kind.BACKGROUND: 1 << 0,
    Section.Kind.ORIGIN: 1 << 1,
    Section.Kind.CALL_METHODS: 1 << 2,
    Section.Kind.LEGALITY: 1 << 3,
    Section.Kind.COPING: 1 << 4,
    Section.Kind.RISKS: 1 << 5,
    Section.Kind.SUMMARY: 1 << 6,
    Section.Kind.OTHER: 1 << 7,
}

# Bump when what a posting means changes in a way the bits do not show (the mask's encoding,
# the fields that carry it).
FORMAT = 2
LAYOUT = {
    "format": FORMAT,
    "kinds": {str(kind): bit for kind, bit in KIND_BITS.items()},
    "article_level": ARTICLE_LEVEL,
}
FILE = "kb-layout.json"  # inside the index directory: Whoosh's own files all start with _


class StaleLayout(Exception):
    """The index on disk was built with another layout (or before layouts were recorded)."""


def problems(kinds: Iterable[str], bits: dict[str, int]) -> list[str]:
    """What is wrong with giving `kinds` these `bits` (nothing: an empty list)."""
    found = []
    kinds = list(kinds)
    for kind in kinds:
        if kind not in bits:
            found.append(f"段落类型 {kind} 在搜索索引里没有对应的位（articles/search/layout.py）")
    owners: dict[int, str] = {}
    for kind, bit in bits.items():
        if kind not in kinds:
            found.append(f"搜索索引的位表里有不存在的段落类型 {kind}")
        if bit <= 0 or bit & (bit - 1) or bit >= ARTICLE_LEVEL:
            found.append(
                f"段落类型 {kind} 的位 {bit} 必须是 {MASK_BITS - 1} 位以内的单独一位，"
                f"且不能是 ARTICLE_LEVEL（{ARTICLE_LEVEL}）"
            )
        if bit in owners:
            found.append(f"段落类型 {kind} 和 {owners[bit]} 用了同一个位 {bit}")
        owners.setdefault(bit, kind)
    return found


def with_kind(kind: str | None, text: str) -> str:
    """A chunk of field text marked with its section kind (None: article level, the summary)."""
    return marker(ARTICLE_LEVEL if kind is None else KIND_BITS[kind]) + text


def write(directory: str | os.PathLike) -> None:
    """Record the current layout in an index directory (atomically: a reader sees the old
    file or the new one)."""
    path = Path(directory) / FILE
    tmp = path.with_name(f"{FILE}.{uuid.uuid4().hex}")
    tmp.write_text(json.dumps(LAYOUT, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def stored(directory: str | os.PathLike) -> dict | None:
    """The layout recorded in an index directory; None when none is (or it is unreadable)."""
    try:
        found = json.loads((Path(directory) / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def check(directory: str | os.PathLike) -> None:
    """Raise StaleLayout unless the index in `directory` was built with the current layout."""
    found = stored(directory)
    if found is None:
        raise StaleLayout("搜索索引没有记录段落类型布局（是旧版本建的）")
    if found != LAYOUT:
        raise StaleLayout("搜索索引的段落类型布局与当前程序不一致")
