"""Section kinds in the index: one bit each, fixed by hand, clear of ARTICLE_LEVEL, covering
every `Section.Kind`; a kind added without its own bit stops start-up."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from articles.models import Section
from articles.search import layout
from articles.search.schema import ARTICLE_LEVEL, MASK_BITS, kind_counts, marker


def test_every_section_kind_has_its_own_bit_below_article_level():
    bits = list(layout.KIND_BITS.values())
    assert set(layout.KIND_BITS) == set(Section.Kind.values)
    assert len(set(bits)) == len(bits)
    assert all(bit & (bit - 1) == 0 and 0 < bit < ARTICLE_LEVEL for bit in bits)
    assert ARTICLE_LEVEL == 1 << (MASK_BITS - 1)
    assert layout.problems(Section.Kind.values, layout.KIND_BITS) == []


def test_the_bits_do_not_follow_the_order_of_the_kinds():
    # Reordering Section.Kind's choices (say, for the admin's drop-down) moves no bit.
    reordered = list(reversed(Section.Kind.values))
    assert layout.problems(reordered, layout.KIND_BITS) == []
    assert layout.KIND_BITS[Section.Kind.BACKGROUND] == 1
    assert layout.KIND_BITS[Section.Kind.OTHER] == 1 << 7


def test_a_ninth_kind_without_a_bit_is_refused():
    kinds = [*Section.Kind.values, "debt_relief"]
    assert layout.problems(kinds, layout.KIND_BITS) == [
        "段落类型 debt_relief 在搜索索引里没有对应的位（articles/search/layout.py）"
    ]


@pytest.mark.parametrize(
    ("bit", "says"),
    [
        (1 << 8, None),  # the next free bit: fine (it was ARTICLE_LEVEL before)
        (ARTICLE_LEVEL, "不能是 ARTICLE_LEVEL"),
        (1 << 3, "用了同一个位"),
        (3, "单独一位"),
        (1 << 16, "单独一位"),
    ],
)
def test_a_ninth_kind_gets_a_free_single_bit_or_is_refused(bit, says):
    kinds = [*Section.Kind.values, "debt_relief"]
    found = layout.problems(kinds, {**layout.KIND_BITS, "debt_relief": bit})
    if says is None:
        assert found == []
    else:
        assert len(found) == 1 and says in found[0]


def test_a_ninth_kind_on_the_next_bit_is_still_section_text_not_article_text():
    # Before, the ninth kind's bit (1 << 8) was ARTICLE_LEVEL: its text counted as summary.
    value = marker(1 << 8) + "债务重组\n" + layout.with_kind(None, "总结全文\n")
    counts = kind_counts(value)
    assert counts["债务"] == (1, 1 << 8)
    assert counts["总结"] == (1, ARTICLE_LEVEL)


def test_a_kind_with_no_bit_stops_start_up(monkeypatch):
    bits = dict(layout.KIND_BITS)
    del bits[Section.Kind.RISKS]
    monkeypatch.setattr(layout, "KIND_BITS", bits)
    assert [m.id for m in checks.run_checks() if m.id.startswith("articles.")] == ["articles.E002"]
    with pytest.raises(SystemCheckError, match="risks"):
        call_command("check")


def test_a_bit_is_only_ever_one_bit_of_the_mask():
    for bad in (0, -1, 3, 1 << MASK_BITS):
        with pytest.raises(ValueError):
            marker(bad)


def test_the_layout_written_is_the_layout_checked(tmp_path):
    with pytest.raises(layout.StaleLayout, match="没有记录"):
        layout.check(tmp_path)
    layout.write(tmp_path)
    assert layout.stored(tmp_path) == layout.LAYOUT
    layout.check(tmp_path)  # no exception
    (tmp_path / layout.FILE).write_text("{not json")
    with pytest.raises(layout.StaleLayout):
        layout.check(tmp_path)
    (tmp_path / layout.FILE).write_text('{"format": 1}')
    with pytest.raises(layout.StaleLayout, match="不一致"):
        layout.check(tmp_path)
