"""The real third-party pages in tests/fixtures/real/ are a well-formed measurement set.

Only the set's shape is checked here (manifest and files agree, a third held out, every
page has its source); what the importer makes of the pages is measured by
scripts/real_pages.py and asserted where the importer is tested.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from articles.demo_content import DEMO_DIR
from kb.text import fold

REAL_DIR = Path(__file__).resolve().parent / "fixtures" / "real"
MANIFEST = json.loads((REAL_DIR / "manifest.json").read_text(encoding="utf-8"))
FIELDS = {"file", "url", "query", "lender_expected", "script", "held_out"}
NAME = re.compile(r"(\d{3})_[a-z0-9]+(-[a-z0-9]+)*\.txt")
HAN = re.compile(r"[\u3400-\u9fff]")
SENTENCE_END = re.compile(r"[。！？!?；;\n]")
MIN_SHARED = 16


def _page(row) -> str:
    return (REAL_DIR / row["file"]).read_text(encoding="utf-8")


def test_manifest_names_exactly_the_page_files():
    listed = [row["file"] for row in MANIFEST]
    on_disk = sorted(path.name for path in REAL_DIR.glob("*.txt"))
    assert len(listed) == len(set(listed))
    assert sorted(listed) == on_disk


def test_set_is_big_enough_and_has_traditional_pages():
    assert len(MANIFEST) >= 45
    assert sum(1 for row in MANIFEST if row["script"] != "hans") >= 8
    assert len({row["lender_expected"] for row in MANIFEST if row["lender_expected"]}) >= 20


@pytest.mark.parametrize("row", MANIFEST, ids=[row["file"] for row in MANIFEST])
def test_every_entry_has_its_fields_in_shape(row):
    assert set(row) >= FIELDS
    assert NAME.fullmatch(row["file"]), row["file"]
    assert row["query"].strip()
    assert row["lender_expected"] is None or row["lender_expected"].strip()
    assert row["script"] in {"hans", "hant", "mixed"}
    assert isinstance(row["held_out"], bool)


@pytest.mark.parametrize("row", MANIFEST, ids=[row["file"] for row in MANIFEST])
def test_every_page_names_the_address_it_came_from(row):
    parts = urlsplit(row["url"])
    assert parts.scheme in {"http", "https"}
    assert "." in parts.netloc


def test_no_page_is_listed_twice_under_another_name():
    urls = [row["url"] for row in MANIFEST]
    assert len(urls) == len(set(urls))


def test_files_are_numbered_in_order_without_gaps():
    numbers = [int(NAME.fullmatch(row["file"]).group(1)) for row in MANIFEST]
    assert numbers == list(range(1, len(MANIFEST) + 1))


def test_every_third_page_and_only_those_are_held_out():
    assert len(MANIFEST) % 3 == 0
    held_out = [row["file"] for row in MANIFEST if row["held_out"]]
    assert len(held_out) == len(MANIFEST) // 3
    assert held_out == [row["file"] for row in MANIFEST if int(row["file"][:3]) % 3 == 0]


@pytest.mark.parametrize("row", MANIFEST, ids=[row["file"] for row in MANIFEST])
def test_every_page_is_chinese_text_in_utf8(row):
    text = _page(row)
    assert len(HAN.findall(text)) >= 100


def test_readme_says_the_held_out_third_is_never_tuned_on():
    readme = (REAL_DIR / "README.md").read_text(encoding="utf-8")
    assert "held-out" in readme
    assert "never" in readme


def _sentences(text: str) -> set[str]:
    folded = re.sub(r"\s+", "", fold(text))
    return {part for part in SENTENCE_END.split(folded) if len(part) >= MIN_SHARED}


def test_no_demo_article_copies_a_sentence_of_a_real_page():
    demo = re.sub(r"\s+", "", fold("\n".join(p.read_text("utf-8") for p in DEMO_DIR.glob("*.md"))))
    copied = [
        (row["file"], sentence)
        for row in MANIFEST
        for sentence in _sentences(_page(row))
        if sentence in demo
    ]
    assert copied == []
