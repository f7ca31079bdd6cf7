"""The regression corpus: every sentence of the demo articles and how a reader of each variant
must see it (tests/data/variants_corpus.tsv). The expected forms were generated, then read and
corrected sentence by sentence; a change in conversion that alters any of them fails here.

To add sentences: `python -m articles.vocab_report --draft`, then review every line."""

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from articles import display
from articles.vocab_report import demo_sentences
from kb.variants import HANS, HANT

CORPUS = Path(__file__).parent / "data" / "variants_corpus.tsv"


@dataclass(frozen=True)
class Row:
    article: str
    script: str
    source: str
    hans: str
    hant: str


def _rows() -> list[Row]:
    with open(CORPUS, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert next(reader) == ["article", "script", "source", "zh-hans", "zh-hant"]
        return [Row(*fields) for fields in reader]


ROWS = _rows()


def test_the_corpus_holds_every_demo_sentence_and_at_least_300():
    assert len(ROWS) >= 300
    sources = {row.source for row in ROWS}
    missing = [sentence for _slug, _script, sentence in demo_sentences() if sentence not in sources]
    assert not missing, f"python -m articles.vocab_report --draft, then review: {missing[:5]}"


def test_each_sentence_is_shown_as_written_in_its_own_script():
    for row in ROWS:
        assert (row.hans if row.script == "hans" else row.hant) == row.source, row.source


@pytest.mark.django_db
@pytest.mark.parametrize("variant", [HANS, HANT])
def test_every_corpus_sentence_reads_as_reviewed(variant):
    wrong = []
    for row in ROWS:
        expected = row.hans if variant == HANS else row.hant
        got = display.convert(row.source, variant, row.script)
        if got != expected:
            wrong.append(f"{row.article}: {row.source}\n  expected {expected}\n  got      {got}")
    assert not wrong, f"{len(wrong)} of {len(ROWS)} differ:\n" + "\n".join(wrong[:20])


def test_the_report_counts_changes_per_table():
    import io

    from articles.vocab_report import main

    out = io.StringIO()
    assert main([], out=out) == 0
    report = out.getvalue()
    assert report.startswith(f"{len(ROWS)} sentences:")
    for table in ("vocabulary:", "form:", "override:", "quotes:"):
        assert f"\n{table}" in report
    assert "短信 → 簡訊" in report and "簡訊 → 短信" in report
