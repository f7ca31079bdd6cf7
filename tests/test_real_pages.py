"""The real third-party pages in tests/fixtures/real/ are a well-formed measurement set,
and the importer reads the tuning pages among them as issue 11 asks.

The set's shape is checked first (manifest and files agree, a third held out, every page
has its source). Then the tuning pages, and only they, are imported once for the module
(`tuning_pages`) and judged with scripts/real_pages.py's own definitions of noise, fragment
titles and right lenders. The held-out third is measured by the script alone, never here.
"""

import importlib.util
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import transaction

from articles.demo_content import DEMO_DIR
from kb.text import fold

REAL_DIR = Path(__file__).resolve().parent / "fixtures" / "real"
MANIFEST = json.loads((REAL_DIR / "manifest.json").read_text(encoding="utf-8"))
FIELDS = {"file", "url", "query", "lender_expected", "script", "held_out", "set"}
SETS = {"tuning1", "tuning2", "held_out"}
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
    assert row["set"] in SETS
    assert row["held_out"] == (row["set"] == "held_out")


@pytest.mark.parametrize("row", MANIFEST, ids=[row["file"] for row in MANIFEST])
def test_every_page_names_the_address_it_came_from(row):
    parts = urlsplit(row["url"])
    assert parts.scheme in {"http", "https"}
    assert "." in parts.netloc


def test_no_page_is_listed_twice_under_another_name():
    urls = [row["url"] for row in MANIFEST]
    assert len(urls) == len(set(urls))


def _shingles(row) -> set[str]:
    text = re.sub(r"\s+", "", _page(row))
    return {text[i : i + 12] for i in range(len(text) - 11)}


def test_no_page_repeats_another_pages_text():
    """Two addresses can serve one text; a tuning page that repeats a held-out one would
    leak it (it happened once: tests/fixtures/real/README.md). Pages of one site share its
    ads, so only half the text in common counts. Only file names are shown."""
    shingles = {row["file"]: _shingles(row) for row in MANIFEST}
    repeated = [
        (a, b)
        for i, a in enumerate(shingles)
        for b in list(shingles)[i + 1 :]
        if len(shingles[a] & shingles[b]) > 0.5 * min(len(shingles[a]), len(shingles[b]))
    ]
    assert repeated == []


def test_files_are_numbered_in_order_without_gaps():
    numbers = [int(NAME.fullmatch(row["file"]).group(1)) for row in MANIFEST]
    assert numbers == list(range(1, len(MANIFEST) + 1))


def test_every_third_page_of_the_first_gathering_and_only_those_are_held_out():
    first = [row for row in MANIFEST if row["set"] != "tuning2"]
    assert len(first) % 3 == 0
    held_out = [row["file"] for row in MANIFEST if row["held_out"]]
    assert len(held_out) == len(first) // 3
    assert held_out == [row["file"] for row in first if int(row["file"][:3]) % 3 == 0]


def test_the_second_gathering_follows_the_first_and_is_all_for_tuning():
    second = [row for row in MANIFEST if row["set"] == "tuning2"]
    assert len(second) >= 40
    assert sum(1 for row in second if row["script"] != "hans") >= 6
    assert not any(row["held_out"] for row in second)
    assert MANIFEST[-len(second) :] == second
    first_urls = {row["url"] for row in MANIFEST if row["set"] != "tuning2"}
    assert not first_urls & {row["url"] for row in second}


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


# What the importer makes of the tuning pages


def _measure_module():
    path = Path(__file__).resolve().parent.parent / "scripts" / "real_pages.py"
    spec = importlib.util.spec_from_file_location("real_pages", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("real_pages", module)  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


TUNING = [row for row in MANIFEST if not row["held_out"]]
# A refusal is right only when the page is no article (047 is a menu and a contents list).
NOT_AN_ARTICLE = ("不是文章", "不是中文文章", "没有文章正文")


@pytest.fixture(scope="module")
def tuning_pages(django_db_setup, django_db_blocker, tmp_path_factory):
    """Import every tuning page once, in a transaction rolled back after the module, and
    keep what the tests judge as plain data."""
    from articles.importer import import_files

    from .conftest import index_at

    measure = _measure_module()
    with django_db_blocker.unblock(), transaction.atomic():
        with index_at(tmp_path_factory.mktemp("real") / "whoosh_index"):
            report = import_files([REAL_DIR / row["file"] for row in TUNING])
            pages = []
            for row, result in zip(TUNING, report.results, strict=True):
                page = {"file": row["file"], "ok": result.ok, "reason": result.reason}
                if result.ok:
                    article = result.article
                    sections = list(article.sections.order_by("order"))
                    text = "\n".join(
                        [article.title, article.summary]
                        + [f"{s.heading}\n{s.body}" for s in sections]
                    )
                    expected = row["lender_expected"]
                    page.update(
                        title=article.title,
                        noise=measure.noise_lines(text),
                        fragment=measure.fragment_reasons(article.title, article.lender, expected),
                        lender_ok=measure.lender_matches(article.lender, expected),
                        sections=len(sections),
                    )
                pages.append(page)
        transaction.set_rollback(True)
    return pages


@pytest.mark.django_db
def test_every_tuning_page_imports_or_is_refused_as_no_article(tuning_pages):
    refused = [(page["file"], page["reason"]) for page in tuning_pages if not page["ok"]]
    assert all(any(words in reason for words in NOT_AN_ARTICLE) for _file, reason in refused)
    assert len(refused) <= 1
    assert all(page["sections"] >= 1 for page in tuning_pages if page["ok"])


@pytest.mark.django_db
def test_no_tuning_page_gets_a_fragment_for_a_title(tuning_pages):
    fragments = [(p["file"], p["title"], p["fragment"]) for p in tuning_pages if p["ok"]]
    assert [fragment for fragment in fragments if fragment[2]] == []


@pytest.mark.django_db
def test_no_scraped_noise_reaches_a_tuning_pages_reader(tuning_pages):
    assert [(p["file"], p["noise"]) for p in tuning_pages if p["ok"] and p["noise"]] == []


@pytest.mark.django_db
def test_the_right_lender_is_chosen_for_nearly_every_tuning_page(tuning_pages):
    right = sum(1 for page in tuning_pages if page.get("lender_ok"))
    assert right >= len(TUNING) - 2  # 99 of 100 when measured; the 100th is the refused menu
