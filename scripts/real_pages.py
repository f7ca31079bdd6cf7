"""Measure the importer on real third-party pages (tests/fixtures/real/, see its README).

Throw-away data dir: migrate, load the demo articles, then import every page of the
manifest, in file order, through `articles.importer.import_files` without --publish. The
imported articles are then published in that throw-away database only (a queryset update)
and the index is rebuilt, so the search the JSON API uses (`articles.search.searching.search`)
sees them next to the demo articles. Every page is always imported, whichever set is
reported, so the figures of a set do not depend on the flag.

Per page: imported (or the refusal), section kinds, title, lender chosen against expected,
site boilerplate left in the saved text, and search recall. Per set (tuning, held-out):
import rate, fragment titles, lender correct, noise lines, recall@5 for the expected
lender's name typed simplified, traditional and as pinyin (an article of that lender in
the first five; and this page in the first five).

    .venv/bin/python scripts/real_pages.py             # both sets (--all)
    .venv/bin/python scripts/real_pages.py --tuning    # only the pages you may tune on (both sets)
    .venv/bin/python scripts/real_pages.py --set tuning2   # one set: tuning1, tuning2 or held-out
    .venv/bin/python scripts/real_pages.py --held-out  # the third kept out of tuning: figures only
    .venv/bin/python scripts/real_pages.py --tuning --verbose  # headings, flags, search results
    .venv/bin/python scripts/real_pages.py --set tuning2 --text  # and each page's saved text
    .venv/bin/python scripts/real_pages.py --demo-kinds  # section kinds without headings

How the pages are imported (any of the above):

    (default)     one batch, as `import_articles tests/fixtures/real/` would: the pages give no
                  source address, so all are one site (their directory) and lines repeated on
                  pages of it are removed as the site's (`articles.importing.repeats`)
    --by-site     one batch, each page's site the host of its manifest `url`
    --one-by-one  each page on its own, as `import_articles FILE` would: nothing compared

The noise and fragment-title rules below are heuristics for a reader's eye, not the
importer's rules: read the lines they print before trusting a count.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from textwrap import indent

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "real"
TOP = 5
SETS = ("tuning1", "tuning2", "held-out")

# Boilerplate anywhere in a line (compared on folded text, so traditional counts too).
NOISE_ALWAYS = (
    "未经授权",
    "未经许可",
    "未经允许不得",
    "未经同意不得",
    "data:image",
    "<image",
    "载入中",
    "加载中",
    "免费注册",
    "立即注册",
    "切换城市",
    "咨询热线",
    "javascript",
    "跳至主要内容",
    "转载",
    "版权所有",
    "icp",
    "备案号",
    "公网安备",
    "点击复制",
    "微信号",
    "扫码",
    "二维码",
    "关注我们",
    "关注公众号",
    "发表回复",
    "评论列表",
    "评论区",
    "上一篇",
    "下一篇",
    "责任编辑",
    "原标题",
    "正在加载",
    "app下载",
    "免责声明",
    "如有侵权",
    "本站所有",
    "声明:",
    "声明：",
    "访问我们的网站",
    "精彩评论",
    "相关文章",
    "相关阅读",
    "热门推荐",
    "猜你喜欢",
    "点这里",
)
# Boilerplate only in a short line (in a sentence these words are ordinary prose).
NOISE_SHORT = (
    "声明",
    "版权",
    "分享",
    "阅读",
    "浏览",
    "栏目",
    "标签",
    "来源:",
    "来源：",
    "首页",
    "位置:",
    "位置：",
    "日期:",
    "日期：",
    "评论",
    "楼主",
    "小编",
    "本站",
    "点击查看",
    "点击进入",
    "点击阅读",
    "点击下载",
    "点击关注",
    "点击:",
    "点击：",
    "推荐",
    "下载",
    "登录",
    "登入",
    "会员",
    "关于我们",
    "联系我们",
    "资讯平台",
)
SHORT_LINE = 30
BYLINE_DATE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日|\d{1,2} [A-Z][a-z]{2}, \d{4}"
)
HAN = re.compile(r"[\u3400-\u9fff]")
# Short lines of a site's frame, by shape: a breadcrumb (首页 > 栏目 > 正文), a contact
# field (电话:0755…), a relative timestamp (34秒前, 5个月前).
FRAME_SHAPES = (
    re.compile(r"\S\s*[>»›＞]\s*(\S.*)?[>»›＞]"),
    re.compile(r"^(电话|手机|热线|qq|q q|微信|邮箱|地址|传真)\s*[:：]"),
    re.compile(r"\d+\s*(秒|分钟|小时|天|个月|年)前"),
)
# A list number left alone on a line: formatting debris, not a site's boilerplate.
LIST_NUMBER = re.compile(r"\d+[.、)）]?")

TITLE_LABEL = re.compile(
    r"^(标题|正文|摘要|导读|导语|小编导语|答案|问题|回答|精彩评论|来源|位置|日期|首页|目录|内容目录)"
)
TITLE_NUMBERED = re.compile(
    r"^([一二三四五六七八九十壹]+[、.．]|\d+(\.\d+)*[、.．)）]|[（(]\d+[)）]|第.{1,3}[节章步])"
)
TITLE_TRAILING = tuple("与和及或之、，,:：（(《“-—会被把将向给")
TITLE_TOPIC = (
    "催",
    "收数",
    "追数",
    "追债",
    "讨债",
    "债",
    "逾期",
    "欠",
    "还款",
    "借",
    "贷",
    "电话",
    "骚扰",
    "信用卡",
    "征信",
    "上门",
)


@dataclass
class Page:
    row: dict
    ok: bool = False
    reason: str = ""
    article: object = None
    lender: object = None
    lender_created: bool = False
    kinds: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    flags: list = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    fragment: list[str] = field(default_factory=list)
    lender_ok: bool = False
    site_lines: int = 0
    searches: list[tuple[str, str, bool, bool, list[str]]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.row["file"]

    @property
    def expected(self) -> str | None:
        return self.row.get("lender_expected")


def _setup() -> None:
    data_dir = tempfile.mkdtemp(prefix="kb-real-pages-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    os.environ["KB_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from articles.demo_content import load_demo

    call_command("migrate", verbosity=0)
    load_demo()


def manifest() -> list[dict]:
    return json.loads((PAGES / "manifest.json").read_text(encoding="utf-8"))


def set_of(row: dict) -> str:
    """tuning1 (the first gathering), tuning2 (the second) or held-out (never tuned on)."""
    return "held-out" if row["held_out"] else row.get("set", "tuning1")


def import_pages(rows: list[dict], how: str = "batch") -> list[Page]:
    """`how`: batch (one run, sites by directory), by-site (one run, sites by the manifest's
    url host) or one-by-one (each page alone)."""
    from urllib.parse import urlsplit

    from articles.importer import import_file, import_files

    paths = [PAGES / row["file"] for row in rows]
    if how == "one-by-one":
        results = [import_file(path) for path in paths]
    else:
        sites = {}
        if how == "by-site":
            sites = {p: urlsplit(r["url"]).hostname for p, r in zip(paths, rows, strict=True)}
        results = import_files(paths, sites=sites).results
    pages = []
    for row, result in zip(rows, results, strict=True):
        page = Page(row=row, ok=result.ok, reason=" ".join(result.reason.split()))
        if result.ok:
            page.article = result.article
            page.lender = result.article.lender
            page.lender_created = result.lender_created
            page.site_lines = len(result.site_lines)
        pages.append(page)
    return pages


def publish_for_search(pages: list[Page]) -> None:
    """Publish the imported articles in the throw-away database and rebuild the index."""
    from django.utils import timezone

    from articles.models import Article
    from articles.search import searching
    from articles.search.indexing import build

    pks = [page.article.pk for page in pages if page.ok]
    Article.objects.filter(pk__in=pks).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    build(procs=1)
    searching.reset()


def lender_matches(lender, expected: str | None) -> bool:
    """The chosen lender is the expected one: its name, operator or an alias, folded."""
    from kb.text import fold

    if expected is None:
        return lender is None
    if lender is None:
        return False
    return fold(expected) in {fold(name) for name in lender.all_names()}


def noise_lines(text: str) -> list[str]:
    from kb.text import fold

    found = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line in found or LIST_NUMBER.fullmatch(line):
            continue
        folded = fold(line)
        short = len(line) <= SHORT_LINE
        if (
            any(marker in folded for marker in NOISE_ALWAYS)
            or (short and any(marker in folded for marker in NOISE_SHORT))
            or (len(line) <= 40 and BYLINE_DATE.search(line))
            or (short and not HAN.search(line) and re.search(r"[A-Za-z0-9]", line))
            or (short and any(shape.search(folded) for shape in FRAME_SHAPES))
        ):
            found.append(line)
    return found


def fragment_reasons(title: str, lender=None, expected: str | None = None) -> list[str]:
    from kb.text import fold

    folded = fold(title).strip()
    reasons = []
    if len(folded) < 6:
        reasons.append("under 6 characters")
    if TITLE_LABEL.match(folded):
        reasons.append("starts with a label")
    if TITLE_NUMBERED.match(folded):
        reasons.append("starts with a list number")
    if folded.endswith(TITLE_TRAILING):
        reasons.append("ends on a joining word or mark")
    if folded.startswith("《") and folded.endswith("》"):
        reasons.append("wrapped in 《》")
    if not any(word in folded for word in TITLE_TOPIC):
        reasons.append("no topic word (site or section name?)")
    if expected:
        names = {fold(expected)} | {fold(n) for n in (lender.all_names() if lender else [])}
        if not any(name in folded for name in names):
            reasons.append(f"names no lender though the page is about {expected} (a heading?)")
    return reasons


def saved_text(article) -> str:
    """What a reader's page holds: title, summary, each section's heading and body."""
    sections = article.sections.order_by("order")
    return "\n".join(
        [f"# {article.title}", article.summary]
        + [f"## [{section.kind}] {section.heading}\n{section.body}" for section in sections]
    )


def describe(page: Page) -> None:
    if not page.ok:
        return
    article = page.article
    sections = list(article.sections.order_by("order"))
    page.kinds = [section.kind for section in sections]
    page.headings = [section.heading for section in sections]
    page.flags = list(article.import_flags)
    text = "\n".join(
        [article.title, article.summary]
        + [f"{section.heading}\n{section.body}" for section in sections]
    )
    page.noise = noise_lines(text)
    page.fragment = fragment_reasons(article.title, page.lender, page.expected)
    page.lender_ok = lender_matches(page.lender, page.expected)


def search_forms(expected: str) -> list[tuple[str, str]]:
    from kb.text import opencc_only, pinyin_full

    return [
        ("simplified", expected),
        ("traditional", opencc_only(expected, "zh-hant")),
        ("pinyin", pinyin_full(expected)),
    ]


def run_searches(page: Page, held_out: set[int] = frozenset()) -> None:
    """`held_out`: article ids of held-out pages, never named in a listing of results."""
    from articles.search.searching import search

    if not page.expected:
        return
    for form, query in search_forms(page.expected):
        results = search(query, per_page=TOP).results[:TOP]
        lender_hit = any(lender_matches(r.article.lender, page.expected) for r in results)
        page_hit = page.ok and any(r.article.pk == page.article.pk for r in results)
        titles = [
            "(a held-out page)"
            if r.article.pk in held_out
            else f"{r.title} [{r.article.lender.name if r.article.lender_id else '-'}]"
            for r in results
        ]
        page.searches.append((form, query, lender_hit, page_hit, titles))


def print_page(page: Page, verbose: bool) -> None:
    tag = set_of(page.row)
    if not page.ok:
        print(f"{page.name} ({tag}, {page.row['script']}): REFUSED — {page.reason}")
    else:
        chosen = page.lender.name if page.lender else "none"
        if page.lender_created:
            chosen += " (new)"
        mark = "ok" if page.lender_ok else "WRONG"
        print(
            f"{page.name} ({tag}, {page.row['script']}): imported, "
            f"{article_status(page)}, kinds {'/'.join(page.kinds)}"
        )
        fragment = f"  FRAGMENT? {', '.join(page.fragment)}" if page.fragment else ""
        print(f"    title 「{page.article.title}」{fragment}")
        print(f"    lender {chosen}, expected {page.expected or 'none'}: {mark}")
        if verbose == "text":
            print(indent(saved_text(page.article), "      : "))
        elif verbose:
            for kind, heading in zip(page.kinds, page.headings, strict=True):
                print(f"      [{kind}] {heading}")
            for flag in page.flags:
                print(f"      flag {flag.get('code')}: {flag.get('excerpt', '')[:60]}")
        if page.site_lines:
            print(f"    site lines removed {page.site_lines}")
        print(f"    noise {len(page.noise)}")
        for line in page.noise:
            print(f"      | {line[:100]}")
    for form, query, lender_hit, page_hit, titles in page.searches:
        marks = f"lender {'yes' if lender_hit else 'NO'}, page {'yes' if page_hit else 'no'}"
        print(f"    search {form} {query!r}: {marks}")
        if verbose:
            for title in titles:
                print(f"      - {title}")


def article_status(page: Page) -> str:
    flags = len(page.flags)
    return f"{len(page.kinds)} sections" + (f", {flags} flags" if flags else "")


def summarise(name: str, pages: list[Page]) -> dict:
    n = len(pages)
    imported = [p for p in pages if p.ok]
    with_lender = [p for p in pages if p.expected]
    forms = ("simplified", "traditional", "pinyin")
    lender_hits = {f: 0 for f in forms}
    page_hits = {f: 0 for f in forms}
    for page in with_lender:
        for form, _query, lender_hit, page_hit, _titles in page.searches:
            lender_hits[form] += lender_hit
            page_hits[form] += page_hit
    searches = len(with_lender) * len(forms)
    figures = {
        "set": name,
        "pages": n,
        "imported": len(imported),
        "fragment": sum(1 for p in imported if p.fragment),
        "lender_ok": sum(1 for p in pages if p.lender_ok),
        "noise_lines": sum(len(p.noise) for p in imported),
        "noise_pages": sum(1 for p in imported if p.noise),
        "site_lines": sum(p.site_lines for p in imported),
        "site_pages": sum(1 for p in imported if p.site_lines),
        "searched": len(with_lender),
        "recall_lender": sum(lender_hits.values()) / searches if searches else 0.0,
        "recall_page": sum(page_hits.values()) / searches if searches else 0.0,
        "by_form": {f: (lender_hits[f], page_hits[f]) for f in forms},
        "refused": [(p.name, p.reason) for p in pages if not p.ok],
        "fragments": [(p.name, p.article.title, p.fragment) for p in imported if p.fragment],
    }
    return figures


def print_summary(all_figures: list[dict]) -> None:
    print(
        "\n| set | pages | imported | fragment titles | lender correct | noise lines (pages) "
        "| recall@5 lender | this page in top 5 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for f in all_figures:
        n = f["pages"]
        print(
            f"| {f['set']} | {n} | {f['imported']}/{n} ({f['imported'] / n:.0%}) "
            f"| {f['fragment']}/{f['imported']} | {f['lender_ok']}/{n} ({f['lender_ok'] / n:.0%}) "
            f"| {f['noise_lines']} ({f['noise_pages']}) | {f['recall_lender']:.2f} "
            f"| {f['recall_page']:.2f} |"
        )
    for f in all_figures:
        searched = f["searched"]
        forms = ", ".join(
            f"{form} {lender}/{searched} lender, {page}/{searched} page"
            for form, (lender, page) in f["by_form"].items()
        )
        print(f"\n{f['set']}: recall@5 by form — {forms}")
        print(f"  site lines removed: {f['site_lines']} on {f['site_pages']} pages")
        if f["set"].startswith("held-out"):
            continue
        for file, reason in f["refused"]:
            print(f"  refused {file}: {reason}")
        for file, title, reasons in f["fragments"]:
            print(f"  fragment? {file} 「{title}」: {', '.join(reasons)}")


def measure(which: str = "all", verbose: bool = False, how: str = "batch") -> list[dict]:
    rows = manifest()
    pages = import_pages(rows, how)
    publish_for_search(pages)
    held_out = {page.article.pk for page in pages if page.ok and page.row["held_out"]}
    for page in pages:
        describe(page)
        run_searches(page, held_out)
    sets = {name: [p for p in pages if set_of(p.row) == name] for name in SETS}
    chosen = {"all": list(SETS), "tuning": ["tuning1", "tuning2"]}.get(which, [which])
    for name in chosen:
        if name == "held-out":
            continue  # measured, never looked at page by page (tests/fixtures/real/README.md)
        print(f"\n## {name}\n")
        for page in sets[name]:
            print_page(page, verbose)
    figures = [summarise(name, sets[name]) for name in chosen]
    if "held-out" in chosen:
        # A held-out page whose text was seen (manifest field `seen`) is measured both ways.
        unseen = [p for p in sets["held-out"] if not p.row.get("seen")]
        if len(unseen) < len(sets["held-out"]):
            figures.append(summarise("held-out, never seen", unseen))
    print_summary(figures)
    return figures


# Section kinds without headings: the importer's rules against a small trained model


def demo_kinds() -> None:
    """How well paragraph kinds are guessed when the headings are gone.

    Ground truth: the demo articles (articles/demo/*.md), whose sections carry kinds. Their
    paragraphs are grouped into blocks as the importer groups them (`topics.blocks`: a list
    stays with its lead-in) and each block is classified by the importer's keyword rules
    (`topics.kind_of`), and by a naive Bayes over character bigrams trained on the other
    eleven demo articles (leave one article out): the "small model trained on the demo
    articles" issue 11 offered. Both are then tried on the tuning pages' paragraphs that
    stand under a heading whose words give a kind (`kinds.kind_for`), the model trained on
    all twelve demo articles. Also: `topics.segment` over each demo article (paragraph-level
    agreement and how many sections it makes) and `kind_for` on the demo headings.
    """
    from articles.demo_content import DEMO_DIR
    from articles.documents import parse_document
    from articles.importing import topics
    from articles.importing.cleaning import drop_noise, remove_pinyin_annotations, split_lines
    from articles.importing.kinds import kind_for
    from articles.importing.markers import split_run_together
    from articles.importing.markup import to_text
    from articles.importing.structure import parse

    docs, headings = [], []
    for path in sorted(DEMO_DIR.glob("*.md")):
        sections = parse_document(path.read_text("utf-8")).sections
        headings += [(s.heading, s.kind) for s in sections]
        docs.append(
            [
                (line.strip(), s.kind)
                for s in sections
                for line in s.body.splitlines()
                if line.strip()
            ]
        )

    def labelled_blocks(parts):
        found, i = [], 0
        for block in topics.blocks([text for text, _kind in parts]):
            found.append((block.text, parts[i][1]))
            i += len(block.parts)
        return found

    def accuracy(pairs, classify):
        known = [(text, kind) for text, kind in pairs if kind != "other"]
        return sum(classify(text) == kind for text, kind in known), len(known)

    rules = lambda text: topics.kind_of(text)[0]  # noqa: E731
    blocks = [labelled_blocks(doc) for doc in docs]
    right = total = 0
    for i, doc in enumerate(blocks):
        model = _bigram_model([b for j, other in enumerate(blocks) if j != i for b in other])
        r, n = accuracy(doc, model)
        right, total = right + r, total + n
    r_rules, n = accuracy([b for doc in blocks for b in doc], rules)
    print(
        f"demo blocks of known kind: rules {r_rules}/{n} ({r_rules / n:.2f}), "
        f"bigram model (leave one article out) {right}/{total} ({right / total:.2f})"
    )

    agree = lines = made = written = 0
    for doc in docs:
        segments = topics.segment([text for text, _kind in doc])
        guessed = [kind for kind, _heading, parts in segments for _part in parts]
        agree += sum(g == kind for g, (_text, kind) in zip(guessed, doc, strict=True))
        lines, made, written = (
            lines + len(doc),
            made + len(segments),
            written + len({k for _t, k in doc}),
        )
    print(
        f"demo articles segmented: {agree}/{lines} paragraphs ({agree / lines:.2f}) in the written "
        f"kind; {made} sections made where the articles have {written}"
    )
    r, n = sum(kind_for(h) == k for h, k in headings), len(headings)
    print(f"demo headings, kinds.kind_for: {r}/{n} ({r / n:.2f})")

    real = []
    for row in manifest():
        if row["held_out"]:
            continue
        text, _html = to_text((PAGES / row["file"]).read_text("utf-8"))
        lines = drop_noise(split_run_together(split_lines(remove_pinyin_annotations(text)[0])))
        page = parse(lines)
        if page.generated:
            continue  # its kinds come from the rules themselves
        for section in page.sections:
            real += [(part, section.kind) for part in section.parts if not part.startswith("#")]
    model = _bigram_model([b for doc in blocks for b in doc])
    r_rules, n = accuracy(real, rules)
    r_model, _n = accuracy(real, model)
    print(
        f"tuning pages' paragraphs under a telling heading: rules {r_rules}/{n} ({r_rules / n:.2f}), "
        f"bigram model {r_model}/{n} ({r_model / n:.2f})"
    )


def _bigram_model(examples, alpha: float = 0.5):
    """Multinomial naive Bayes over folded character bigrams; returns text → kind."""
    import math
    from collections import Counter

    from kb.text import fold

    def grams(text):
        folded = re.sub(r"\s+", "", fold(text))
        return [folded[i : i + 2] for i in range(len(folded) - 1)]

    counts, prior = {}, Counter()
    for text, kind in examples:
        if kind != "other":
            prior[kind] += 1
            counts.setdefault(kind, Counter()).update(grams(text))
    vocab = len(set().union(*counts.values()))
    totals = {kind: sum(c.values()) for kind, c in counts.items()}

    def classify(text):
        def score(kind):
            denominator = totals[kind] + alpha * vocab
            return math.log(prior[kind]) + sum(
                math.log((counts[kind][g] + alpha) / denominator) for g in grams(text)
            )

        return max(counts, key=score)

    return classify


if __name__ == "__main__":
    which = "all"
    if "--held-out" in sys.argv:
        which = "held-out"
    elif "--tuning" in sys.argv:
        which = "tuning"
    elif "--set" in sys.argv:
        which = sys.argv[sys.argv.index("--set") + 1]
        if which not in SETS:
            sys.exit(f"--set takes one of {', '.join(SETS)}")
    _setup()
    if "--demo-kinds" in sys.argv:
        demo_kinds()
    else:
        verbose = "text" if "--text" in sys.argv else "--verbose" in sys.argv
        how = "batch"
        if "--by-site" in sys.argv:
            how = "by-site"
        elif "--one-by-one" in sys.argv:
            how = "one-by-one"
        print(f"(pages imported: {how})")
        measure(which, verbose=verbose, how=how)
