"""How display conversion changes the demo articles: which words, how often, which table.

    python -m articles.vocab_report            # words changed per table, both directions
    python -m articles.vocab_report --compare  # and what OpenCC's phrase tables (s2twp /
                                               # tw2sp) and zhconv-rs, if installed, would change
    python -m articles.vocab_report --draft    # TSV rows for sentences the corpus lacks

Needs no database: the rules are the shipped ones (default overrides, the registry's names).
Each article is converted in the direction a reader sees it converted: a simplified original
on the zh-hant page, a traditional one on the zh-hans page. `--draft` output is the
converter's own opinion; read every line and correct it before adding it to
tests/data/variants_corpus.tsv.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections import Counter
from pathlib import Path

from kb import conversion
from kb.conversion import Rules
from kb.text import opencc_only
from kb.variants import HANS, HANT

from . import registry
from .documents import parse_document

DEMO_DIR = Path(__file__).resolve().parent / "demo"
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "variants_corpus.tsv"
_SENTENCE = re.compile(r"[^。！？]+[。！？]?[”」』]?")
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")
_COUNTED = (conversion.VOCABULARY, conversion.FORM, conversion.OVERRIDE, conversion.QUOTES)


def shipped_rules() -> Rules:
    """The rules a fresh database has: default overrides plus the registry's names."""
    names = set()
    for lender in registry.LENDERS:
        names.update([lender["name"], lender.get("operator", "")])
        names.update(name for name, _kind in lender.get("aliases", ()))
    return Rules(
        overrides=conversion.DEFAULT_RULES.overrides,
        names=tuple(sorted(name for name in names if name and _HAS_CJK.search(name))),
    )


def demo_sentences(directory: Path = DEMO_DIR) -> list[tuple[str, str, str]]:
    """(article slug, script, sentence) for every sentence of every demo article: title,
    summary, headings and body lines (Markdown kept), cut after 。！？."""
    found = []
    for path in sorted(directory.glob("*.md")):
        doc = parse_document(path.read_text(encoding="utf-8"))
        texts = [doc.title, doc.summary]
        for section in doc.sections:
            texts += [section.heading, section.body]
        for text in texts:
            for line in text.split("\n"):
                for sentence in _SENTENCE.findall(line.strip()):
                    if sentence.strip():
                        found.append((doc.slug, doc.script, sentence.strip()))
    return found


def target_of(script: str) -> str:
    return HANT if script == "hans" else HANS


def table_counts(sentences, rules: Rules) -> dict[str, Counter]:
    """Per table, how often each change was made (a word, a quote, or an OpenCC run)."""
    counts: dict[str, Counter] = {}
    for _slug, script, sentence in sentences:
        for piece in conversion.convert_pieces(sentence, target_of(script), script, rules):
            source = sentence[piece.start : piece.end]
            if piece.table in _COUNTED:
                counts.setdefault(piece.table, Counter())[f"{source} → {piece.text}"] += 1
    return counts


def phrase_table_changes(sentences, convert) -> dict[str, tuple[int, str]]:
    """Where a converter writes differently from OpenCC's character conversion: per change
    (那 → 這), how often, and the first place it happened."""
    changes: dict[str, tuple[int, str]] = {}
    for _slug, script, sentence in sentences:
        base = opencc_only(sentence, target_of(script), script)
        other = convert(sentence, script)
        matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            key = f"{base[i1:i2] or '∅'} → {other[j1:j2] or '∅'}"
            where = f"{base[max(0, i1 - 3) : i2 + 3]} → {other[max(0, j1 - 3) : j2 + 3]}"
            count, first = changes.get(key, (0, where))
            changes[key] = (count + 1, first)
    return changes


def _candidates() -> dict:
    import opencc

    found = {
        "OpenCC s2twp / tw2sp": lambda text, script: opencc.OpenCC(
            "s2twp" if script == "hans" else "tw2sp"
        ).convert(text),
    }
    try:
        from zhconv_rs import zhconv
    except ImportError:
        pass
    else:
        found["zhconv-rs zh-tw / zh-cn"] = lambda text, script: zhconv(
            text, "zh-tw" if script == "hans" else "zh-cn"
        )
    found["this site (kb/conversion.py)"] = lambda text, script: conversion.convert(
        text, target_of(script), script, shipped_rules()
    )
    return found


def draft_rows(sentences, rules: Rules, known: set[str]) -> list[str]:
    rows = []
    for slug, script, sentence in sentences:
        if sentence in known:
            continue
        hans = conversion.convert(sentence, HANS, script, rules)
        hant = conversion.convert(sentence, HANT, script, rules)
        rows.append("\t".join((slug, script, sentence, hans, hant)))
    return rows


def main(argv=None, out=sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m articles.vocab_report")
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--draft", action="store_true")
    args = parser.parse_args(argv)
    sentences = demo_sentences()
    rules = shipped_rules()
    if args.draft:
        known = set()
        if CORPUS.exists():
            known = {line.split("\t")[2] for line in CORPUS.read_text("utf-8").splitlines()[1:]}
        for row in draft_rows(sentences, rules, known):
            print(row, file=out)
        return 0
    by_script = Counter(script for _slug, script, _sentence in sentences)
    print(
        f"{len(sentences)} sentences: {by_script['hans']} simplified shown on zh-hant, "
        f"{by_script['hant']} traditional shown on zh-hans",
        file=out,
    )
    for table, counts in sorted(table_counts(sentences, rules).items()):
        changed = {
            label: n
            for label, n in counts.items()
            if label.split(" → ")[0] != label.split(" → ")[1]
        }
        print(f"\n{table}: {sum(changed.values())} changes, {len(changed)} distinct", file=out)
        for label, n in sorted(changed.items(), key=lambda item: (-item[1], item[0])):
            print(f"  {n:4d}  {label}", file=out)
    if args.compare:
        for name, convert in _candidates().items():
            changes = phrase_table_changes(sentences, convert)
            total = sum(count for count, _first in changes.values())
            print(
                f"\n{name}, against OpenCC's characters: {total} changes, {len(changes)} distinct",
                file=out,
            )
            for label, (n, first) in sorted(changes.items(), key=lambda item: -item[1][0]):
                print(f"  {n:4d}  {label}    ({first})", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
