"""The search benchmark (`make bench`): a synthetic corpus, our engine against the tutorial set-up.

- corpus.py: the deterministic corpus (generation, insertion) and the fixed query list
- tutorial.py: haystack's stock Whoosh engine with jieba's ChineseAnalyzer, queried the tutorial way
- measure.py: build, size, latency, reindex and recall measurements for either set-up
- run.py: the command line; one child process per corpus size, one JSON report

Not part of `make test` (tests/test_bench_smoke.py runs a tiny corpus so this code cannot rot).
"""
