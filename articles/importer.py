"""Import article files: scraped pages (like ../shared/seeds/) and the project's own documents.

`import_files(paths, publish=False)` imports each file on its own, all-or-nothing, inside a
django-reversion revision ("导入 000_xxx.txt"), and returns an `ImportReport` whose lines
the `import_articles` command prints. Re-importing a file updates the article that came
from it (matched on the file's base name; a document also on its slug), never duplicates.
Which files are read, and how (no symbolic links, nothing outside a given directory, a size
cap), is `importing.files`; what one article may hold is `importing.limits`.

A scraped page goes through `articles.importing`: decode → refuse data files (JSON, CSV)
→ HTML to text → drop pinyin glosses → join lines wrapped at a width → break run-together
lines → refuse link lists → drop site noise → drop the lines its site repeats on the other
pages imported with it (`importing.repeats`; a file imported alone keeps them) → put back
the stripped word 电话 where sure → title, table of contents, sections → flag what is still
doubtful → recognise the lender. Flags (`Article.import_flags`) keep an article in 待审核
even with --publish. A page without headings, or whose headings come only
after most of its text, is cut into sections by what its paragraphs say (`importing.topics`),
headed for the reader and flagged (generated_sections); a title built from lender and topic
is flagged too (generated_title), and so is a lender guessed from an operator several
products share (guessed_lender). Text before the first heading is the page's intro:
its first sentences become the summary, and it opens the first section when that is the
background section (otherwise it becomes a background section of its own, 导语), so
nothing the page says is lost and no section kind is invented for it. Links in it stay text
and are flagged (`importing.links`): the page is someone else's words.

Who decides what readers see: the editor, never the file. Without --publish a scraped page
is saved as 草稿 and a document as it asks, except that `status: published` becomes 待审核.
A file never changes a published article without --publish: if it says what readers already
see it is reported 未变 and nothing is written, otherwise it is refused and the live article
is left exactly as it was. Refusing was chosen over saving the update as 待审核 because that
would take the reviewed article off the site (a 404 for readers and search engines) on the
word of a file, and a batch re-import would unpublish every article it touched; the model
has no room for a pending version beside the live one, so the file's text would also
overwrite the reviewed text. Refused, the editor loses nothing: edit in the admin, or
re-run with --publish once the file is trusted (restoring an export is such a case).
With --publish an article nothing is flagged on is published (a document keeps a draft or
review status it gives), if it passes the publishing checks (`articles.workflow`: a summary, a
section with text, a lender); otherwise it is saved as 待审核 and its line says what is missing,
and a live article is left as it was (refused, as above). A document without a lender is a
general article (通用文章): the format has no other way to say so.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import reversion
from django.db import transaction
from django.utils.dateparse import parse_datetime

from kb.text import detect_script, fold, opencc_only

from .documents import DocumentError, is_document, parse_document
from .importing import ImportRejected
from .importing.charfreq import is_han
from .importing.cleaning import (
    drop_noise,
    fill_stripped_word,
    join_wrapped_lines,
    remove_pinyin_annotations,
    split_lines,
    word_was_stripped,
)
from .importing.damage import find_damage, find_missing_words, flag, has_damage
from .importing.decoding import decode
from .importing.files import Candidate, expand, read
from .importing.formats import refuse_data, refuse_navigation
from .importing.lenders import lender_names, operator_of, recognise
from .importing.limits import check, check_page_text, fit_page
from .importing.links import as_text, find_links
from .importing.markers import split_run_together
from .importing.markup import to_text
from .importing.repeats import SiteLines, count_site_lines, drop_site_lines, site_of
from .importing.structure import ParsedSection, parse, topic_from_intro
from .models import Article, Lender, LenderAlias, Section
from .workflow import missing_for_publishing

logger = logging.getLogger(__name__)

# A short answer of two paragraphs is an article too; a few lines are not.
MIN_HAN_CHARS = 120
# Below this much prose among more text, a page is headlines and links (a list page).
MIN_PROSE_CHARS = 100
SUMMARY_MAX = 120
INTRO_HEADING = {"hans": "导语", "hant": "導語"}
GENERATED_TITLE = "generated_title"
GENERATED_SECTIONS = "generated_sections"
GUESSED_LENDER = "guessed_lender"
NEW_LENDER = "new_lender"


@dataclass
class Plan:
    """Everything to write for one file, worked out before touching the database."""

    source: str
    title: str
    script: str
    sections: list[tuple[str, str, str]]  # (kind, heading, body)
    summary: str = ""
    flags: list[dict] = field(default_factory=list)
    lender: Lender | None = None
    new_lender: str = ""
    slug: str = ""
    status: str | None = None  # a document's own status; None for a scraped page
    published_at: str = ""
    repaired: int = 0
    site_lines: list[str] = field(default_factory=list)  # removed as the site's frame


@dataclass
class FileResult:
    name: str
    ok: bool
    reason: str = ""
    created: bool = False
    unchanged: bool = False
    article: Article | None = None
    lender_created: bool = False
    repaired: int = 0
    site_lines: list[str] = field(default_factory=list)
    held: str = ""  # why --publish did not publish it

    @property
    def flags(self) -> list[dict]:
        return list(self.article.import_flags) if self.article else []

    def line(self) -> str:
        if not self.ok:
            reason = " ".join(self.reason.split())  # one line, whatever the parser said
            return f"{self.name}: 导入失败：{reason[:300]}"
        article = self.article
        if self.unchanged:
            return f"{self.name}: 未变「{article.title}」（与文件相同，{article.get_status_display()}）"
        lender = article.lender.name if article.lender_id else "无"
        if self.lender_created:
            lender += "（新建，待核实）"
        line = (
            f"{self.name}: {'已创建' if self.created else '已更新'}「{article.title}」 "
            f"{article.sections.count()} 段, 借贷产品 {lender}, {article.get_status_display()}"
        )
        if self.flags:
            line += f" ({len(self.flags)} 处问题)"
        if self.repaired:
            line += f", 补回 {self.repaired} 处“电话”"
        if self.site_lines:
            line += f", 去掉 {len(self.site_lines)} 行同一网站各页重复的内容（导航、页脚等）"
        if self.held:
            line += f"；没有发布：{self.held}"
        return line


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)

    def count(self, **kw) -> int:
        return sum(1 for r in self.results if all(getattr(r, k) == v for k, v in kw.items()))

    @property
    def failed(self) -> int:
        return self.count(ok=False)

    def summary(self) -> str:
        review = sum(1 for r in self.results if r.ok and r.article.status == Article.Status.REVIEW)
        return (
            f"共 {len(self.results)} 个文件：创建 {self.count(ok=True, created=True)}，"
            f"更新 {self.count(ok=True, created=False, unchanged=False)}，"
            f"未变 {self.count(unchanged=True)}，失败 {self.failed}；其中待审核 {review}"
        )


def import_files(paths, publish: bool = False, sites: dict | None = None) -> ImportReport:
    """Import the files given, and the article files of the directories given.

    Scraped pages imported together are compared, so that the lines their site repeats on
    them go (`importing.repeats`). A page's site is the host it says it came from, else
    its directory; `sites` (path → site) overrides both, for a caller that knows where
    each file was fetched from.
    """
    candidates = expand(paths)
    read = _read_pages(candidates, sites or {}) if len(candidates) > 1 else {}
    report = ImportReport()
    for candidate in candidates:
        report.results.append(import_file(candidate, publish=publish, page=read.get(candidate)))
    return report


@dataclass(frozen=True)
class ReadPage:
    """A scraped page as a batch's first pass read it: its lines once the noise known by
    shape is gone, and what the other pages of its site repeat (None: no other page)."""

    lines: list[str]
    was_html: bool
    site: SiteLines | None = None


def import_file(
    path: Path | str | Candidate, publish: bool = False, page: ReadPage | None = None
) -> FileResult:
    """`page`: this file as `import_files` already read it, with its site's lines."""
    candidate = path if isinstance(path, Candidate) else Candidate(Path(path))
    name = candidate.name
    try:
        if page is None:
            text = _read_text(candidate)
            if is_document(text):
                plan = _plan_document(text, name)
            else:
                plan = _plan_page(ReadPage(*_page_lines(text)), name)
        else:
            plan = _plan_page(page, name)
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment(f"导入 {name}")
            return _save(plan, publish, name)
    except ImportRejected as exc:
        return FileResult(name=name, ok=False, reason=str(exc))
    except DocumentError as exc:
        return FileResult(name=name, ok=False, reason=f"文件头格式有误：{exc}")
    except Exception as exc:
        # One bad file must not stop the others; its transaction has been rolled back.
        logger.exception("import of %s failed", candidate.path)
        reason = f"内部错误，已撤销（{type(exc).__name__}: {exc}）"
        return FileResult(name=name, ok=False, reason=reason)


def _read_text(candidate: Candidate) -> str:
    return decode(read(candidate))[0].replace("\r\n", "\n").replace("\r", "\n")


def _read_pages(candidates: list[Candidate], sites: dict) -> dict[Candidate, ReadPage]:
    """A first reading of the scraped pages, each with its site's repeated lines. A
    document, or a page that cannot be read or cleaned, is left out: its own import reads
    it and says why."""
    pages: dict[Candidate, ReadPage] = {}
    members: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        try:
            text = _read_text(candidate)
            if is_document(text):
                continue
            pages[candidate] = ReadPage(*_page_lines(text))
        except Exception:
            continue
        site = sites.get(candidate.path) or sites.get(str(candidate.path))
        if not site:
            site = site_of(text, (candidate.directory or candidate.path.parent).absolute())
        members.setdefault(site, []).append(candidate)
    for together in members.values():
        if len(together) > 1:
            counted = count_site_lines([pages[candidate].lines for candidate in together])
            for candidate in together:
                pages[candidate] = replace(pages[candidate], site=counted)
    return pages


# Scraped pages


def _page_lines(text: str) -> tuple[list[str], bool]:
    """The page's lines once its markup, glosses and the noise known by shape are gone."""
    refuse_data(text)
    text, was_html = to_text(text)
    text, _glosses = remove_pinyin_annotations(text)
    han = sum(1 for char in text if is_han(char))
    if han < 0.3 * sum(1 for char in text if not char.isspace()):
        if was_html:
            raise ImportRejected("HTML 网页去掉标签和脚本后几乎没有中文正文，不是文章")
        raise ImportRejected("不是中文文章：几乎没有汉字")
    lines = split_run_together(join_wrapped_lines(split_lines(text)))
    refuse_navigation(lines, MIN_PROSE_CHARS)
    return drop_noise(lines), was_html


def _plan_page(page: ReadPage, name: str) -> Plan:
    lines, site_lines = drop_site_lines(page.lines, page.site)
    was_html = page.was_html
    check_page_text(lines)
    han = sum(1 for line in lines for char in line if is_han(char))
    if han < MIN_HAN_CHARS:
        if was_html:
            raise ImportRejected(f"HTML 网页去掉标签、脚本和导航后只剩 {han} 个汉字，没有文章正文")
        raise ImportRejected(f"内容太短（只有 {han} 个汉字），不像一篇文章")
    script = detect_script("\n".join(lines))

    repaired, stripped = 0, word_was_stripped(lines)
    if stripped:
        filled = [fill_stripped_word(line, script) for line in lines]
        lines = [line for line, _n in filled]
        repaired = sum(n for _line, n in filled)

    page = parse(lines, script, lender_names())
    if not page.sections:
        raise ImportRejected("去掉网站的导航和广告后没有剩下正文，不是文章")

    checked = [page.title, *([] if page.generated else page.intro)]
    for section in page.sections:
        checked += [section.heading, *section.parts]
    checked = [line for line in checked if line]
    flags = find_damage(checked)
    if stripped:
        flags += find_missing_words(checked)
    flags += find_links(checked)

    body = "\n".join(checked[1:] if page.title else checked)
    topic = topic_from_intro(page.intro)
    lead = "" if page.title else (page.intro or [page.sections[0].heading])[0]
    choice = recognise(page.title, [topic] + [s.heading for s in page.sections], body, lead)
    if choice.guessed:
        flags.insert(
            0,
            flag(
                GUESSED_LENDER,
                choice.named,
                f"原文只提到「{choice.named}」，它旗下有不止一个产品；借贷产品暂定为"
                f"「{choice.lender.name}」，请核实",
            ),
        )
    title = page.title
    if not title:
        title = _generated_title(page, topic, choice, script)
        flags.insert(
            0, flag(GENERATED_TITLE, title, "原文没有标题，标题是按借贷产品和主题自动拟的，请修改")
        )

    if page.generated:
        headings = "、".join(s.heading for s in page.sections if s.kind != Kind.SUMMARY)
        flags.insert(
            1 if flags and flags[0]["code"] == GENERATED_TITLE else 0,
            flag(
                GENERATED_SECTIONS,
                headings[:200],
                "原文没有可用的小标题，段落是按内容自动分组的，小标题也是自动拟的；"
                "请检查分段是否合适，并按需要修改小标题",
            ),
        )

    sections = list(page.sections)
    if page.intro and not page.generated:
        if sections[0].kind == Kind.BACKGROUND:
            sections[0].parts[:0] = page.intro
        else:
            heading = INTRO_HEADING.get(script, INTRO_HEADING["hans"])
            sections.insert(
                0, ParsedSection(heading=heading, kind=Kind.BACKGROUND, parts=page.intro)
            )
    fitted = fit_page([(s.kind, s.heading[:200], s.body) for s in sections])
    fitted = [(kind, heading, as_text(body)) for kind, heading, body in fitted]
    check(fitted)

    return Plan(
        source=name,
        title=title[:200],
        script=script,
        sections=fitted,
        summary=_summary(page.intro or [p for p in page.sections[0].parts if p[:1] != "#"]),
        flags=flags,
        lender=choice.lender,
        new_lender=choice.new_name,
        repaired=repaired,
        site_lines=site_lines,
    )


Kind = Section.Kind

# What a generated title says, by the kind that holds most of the page's text.
_TOPIC_PHRASES = {
    Kind.ORIGIN: "催收电话是谁打来的",
    Kind.CALL_METHODS: "催收的方式和流程",
    Kind.LEGALITY: "催收是否合法",
    Kind.COPING: "催收电话的应对方法",
    Kind.RISKS: "逾期催收的风险和后果",
}
_DEFAULT_PHRASE = "催收电话须知"


def _generated_title(page, topic: str, choice, script: str) -> str:
    """Lender (as the page names it) and topic: 有钱花催收电话的接听技巧, 京东金融催收的方式和流程."""
    lender = choice.named  # as the page writes it
    if not lender and (choice.lender or choice.new_name):
        lender = choice.lender.name if choice.lender else choice.new_name
        if script == "hant":
            lender = opencc_only(lender, "zh-hant")
    if topic:
        if lender and fold(lender) not in fold(topic):
            topic = lender + topic
        return topic
    weight: dict[str, int] = {}
    for section in page.sections:
        if section.kind in _TOPIC_PHRASES:
            weight[section.kind] = weight.get(section.kind, 0) + len(section.body)
    phrase = _TOPIC_PHRASES[max(weight, key=weight.get)] if weight else _DEFAULT_PHRASE
    if script == "hant":
        phrase = opencc_only(phrase, "zh-hant")
    return lender + phrase


_SENTENCE = re.compile(r"[^。！!]+[。！!]?")
_SENTENCE_PUNCT = re.compile(r"[。！!？?]")
_ITEM_MARKER = re.compile(r"^(?:- |\d{1,3}\. )")


def _summary(intro: list[str]) -> str:
    """The intro's (or else the first section's) first clean sentences, at most SUMMARY_MAX
    characters."""
    summary = ""
    for paragraph in intro:
        paragraph = _ITEM_MARKER.sub("", paragraph)
        if paragraph.startswith("#") or not _SENTENCE_PUNCT.search(paragraph):
            continue  # a sub-heading or a label says nothing a summary needs
        for sentence in _SENTENCE.findall(paragraph):
            sentence = sentence.strip()
            if len(sentence) < 6 or has_damage(sentence):
                continue
            if len(summary) + len(sentence) > SUMMARY_MAX:
                if not summary:
                    return sentence[: SUMMARY_MAX - 1] + "…"
                return summary
            summary += sentence
    return "".join(char for char in summary if unicodedata.category(char) != "So").strip()


# Project documents (front matter + section markers): imported exactly as written.

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _plan_document(text: str, name: str) -> Plan:
    doc = parse_document(text)
    if len(doc.title) > 200:
        raise ImportRejected("标题太长（最多 200 字）")
    if doc.slug and (len(doc.slug) > 120 or not _SLUG.match(doc.slug)):
        raise ImportRejected("slug 只能由字母、数字、- 和 _ 组成，最长 120 个字符")
    for section in doc.sections:
        if len(section.heading) > 200:
            raise ImportRejected(f"小标题太长（最多 200 字）：{section.heading[:20]}…")
    lender, new_lender = None, ""
    if doc.lender:
        lender = _lender_named(doc.lender)
        if lender is None:
            new_lender = doc.lender[:50]
    check([(s.kind, s.heading, s.body) for s in doc.sections])
    published_at = str(doc.meta.get("published_at") or "")
    try:
        if published_at and parse_datetime(published_at) is None:
            raise ValueError
    except ValueError:
        raise ImportRejected(f"published_at 不是有效的时间：{published_at}") from None
    return Plan(
        source=(doc.source or name)[:255],
        title=doc.title,
        script=doc.script,
        sections=[(s.kind, s.heading, s.body) for s in doc.sections],
        summary=doc.summary,
        lender=lender,
        new_lender=new_lender,
        slug=doc.slug,
        status=doc.status,
        published_at=published_at,
    )


def _lender_named(name: str) -> Lender | None:
    exact = Lender.objects.filter(name=name).first()
    if exact:
        return exact
    folded = fold(name)
    for lender in Lender.objects.all():
        if fold(lender.name) == folded:
            return lender
    for alias in LenderAlias.objects.select_related("lender"):
        if fold(alias.name) == folded and alias.kind != LenderAlias.Kind.BRAND:
            return alias.lender
    return None


# Saving


def _save(plan: Plan, publish: bool, name: str) -> FileResult:
    flags = list(plan.flags)
    lender, lender_created = plan.lender, False
    if plan.new_lender:
        lender, lender_created = Lender.objects.get_or_create(
            name=plan.new_lender,
            defaults={"needs_review": True, "operator": operator_of(plan.new_lender)},
        )
    if lender is not None and lender.needs_review:
        message = (
            f"新借贷产品「{lender.name}」是导入时自动创建的，请核实名称并补全运营机构等资料"
            if lender_created
            else f"借贷产品「{lender.name}」尚待核实，请在“借贷产品”里补全资料后取消“待核实”"
        )
        at = 1 if flags and flags[0]["code"] == GENERATED_TITLE else 0
        flags.insert(at, flag(NEW_LENDER, lender.name, message))

    article = _existing(plan, name)
    created = article is None
    if created:
        article = Article()
    was_published = not created and article.status == Article.Status.PUBLISHED
    if was_published and not publish:
        if _same_content(article, plan, lender):
            return FileResult(name=name, ok=True, unchanged=True, article=article)
        raise ImportRejected(
            f"「{article.title}」已发布，文件不能直接改动读者看到的文章（已保持原样）；"
            "请在后台编辑，或确认文件可信后加 --publish 再导入"
        )
    article.status = _status(plan, flags, publish)
    article.title = plan.title
    article.script = plan.script
    article.summary = plan.summary
    article.lender = lender
    if plan.status is not None:
        article.general = lender is None
    article.source = plan.source
    article.import_flags = flags
    held = _held_back(article, plan, flags, was_published)
    if plan.slug and not was_published:  # a published article keeps its address
        article.slug = plan.slug
    if plan.published_at and article.status == Article.Status.PUBLISHED:
        article.published_at = parse_datetime(plan.published_at) or article.published_at
    article.save()

    article.sections.all().delete()
    for order, (kind, heading, body) in enumerate(plan.sections, start=1):
        Section(article=article, kind=kind, heading=heading, body=body, order=order).save()
    article.save()  # again, now with its sections, for the search index
    reversion.add_to_revision(article)
    return FileResult(
        name=name,
        ok=True,
        created=created,
        article=article,
        lender_created=lender_created,
        repaired=plan.repaired,
        site_lines=plan.site_lines,
        held=held,
    )


def _held_back(article: Article, plan: Plan, flags: list, was_published: bool) -> str:
    """An article about to be published that fails the publishing checks goes to 待审核
    instead (what it lacks is returned); a live one is refused and left as it was."""
    if article.status != Article.Status.PUBLISHED:
        return ""
    bodies = [body for _kind, _heading, body in plan.sections]
    missing = "；".join(missing_for_publishing(article, sections=bodies, flags=flags))
    if missing and was_published:
        raise ImportRejected(
            f"「{article.title}」已发布，文件里的版本不能发布：{missing}（已保持原样）"
        )
    if missing:
        article.status = Article.Status.REVIEW
    return missing


def _existing(plan: Plan, name: str) -> Article | None:
    """The article an earlier import of this file made, if any."""
    articles = Article.objects.order_by("pk")
    if plan.status is None:
        return articles.filter(source=plan.source).first()
    if plan.slug:
        return articles.filter(slug=plan.slug).first()
    if plan.source == name:
        return articles.filter(source=name).first()
    return articles.filter(source=plan.source, title=plan.title).first()


def _same_content(article: Article, plan: Plan, lender: Lender | None) -> bool:
    """The file says what readers already see (its flags were the editor's to settle)."""
    sections = article.sections.order_by("order", "id").values_list("kind", "heading", "body")
    return (article.title, article.script, article.summary, article.lender_id) == (
        plan.title,
        plan.script,
        plan.summary,
        lender.pk if lender else None,
    ) and list(sections) == list(plan.sections)


def _status(plan: Plan, flags: list, publish: bool) -> str:
    """Only --publish puts an article in front of readers, and only one nothing is wrong with."""
    if flags:
        return Article.Status.REVIEW
    if plan.status is None:  # a scraped page
        return Article.Status.PUBLISHED if publish else Article.Status.DRAFT
    if plan.status == Article.Status.PUBLISHED and not publish:
        return Article.Status.REVIEW  # the file asks to be published: an editor decides
    return plan.status
