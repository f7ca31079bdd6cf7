"""The project's own article file format: Markdown with YAML front matter.

Used by the demo content, by `export_articles` and read back by `import_articles`, so an
exported article imports again without loss::

    ---
    title: 微粒贷的催收电话是谁打来的
    lender: 微粒贷
    status: published
    script: hans
    summary: 一两句话。
    ---

    <!-- section: background -->
    ## 微粒贷是什么

    正文（Markdown）……

Each section starts with a `<!-- section: KIND -->` marker line followed by a `## ` heading;
the body runs to the next marker. Marker lines are what make the round trip exact: a body may
hold its own `##` lines. A body line that itself looks like a marker is written with one more
leading backslash (`\\<!-- section: … -->`) and read back without it. An article with no
sections yet (a fresh draft) is written with `kinds: []`, which is what lets it read back.

The front matter is someone else's file until checked: it is read with a YAML loader that
refuses anchors and aliases (`&a` / `*a`: a 480-byte "billion laughs" of them once took 73 s
and 3 GB), nesting deeper than a list inside the mapping, and more than
`FRONT_MATTER_MAX_CHARS`; every value must be a plain scalar (`kinds` a list of them).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import yaml
from yaml.events import AliasEvent

from .models import Section

FRONT_MATTER_KEYS = {
    "title",
    "slug",
    "lender",
    "status",
    "script",
    "summary",
    "source",
    "published_at",
    "updated_at",
    "kinds",
}
STATUSES = ("draft", "review", "published")
FRONT_MATTER_MAX_CHARS = 8192  # an exported article's needs about 3,500 at most
_SCALARS = (str, int, float, bool, datetime.date, type(None))
SCRIPTS = ("hans", "hant")

_MARKER = re.compile(r"^<!--\s*section:\s*([a-z_]+)\s*-->\s*$")
_ESCAPED_MARKER = re.compile(r"^\\+<!--\s*section:\s*([a-z_]+)\s*-->\s*$")


class DocumentError(ValueError):
    """The file looks like a front-matter document but is not a valid one."""


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader without anchors or aliases, and no deeper than front matter needs."""

    _MAX_DEPTH = 3  # the mapping, a value, an entry of `kinds`

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise DocumentError("文件头不能使用 YAML 锚点和别名（& 和 *）")
        if self._depth == self._MAX_DEPTH:
            raise DocumentError("文件头嵌套太深：每个键只能有一个值，kinds 是一列段落类型")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _load_front_matter(source: str) -> dict:
    if len(source) > FRONT_MATTER_MAX_CHARS:
        raise DocumentError(
            f"文件头太长（{len(source):,} 个字符，上限 {FRONT_MATTER_MAX_CHARS:,}）"
        )
    try:
        meta = yaml.load(source, Loader=_FrontMatterLoader) or {}  # a SafeLoader
    except DocumentError:
        raise
    except yaml.YAMLError as exc:
        raise DocumentError(f"文件头不是有效的 YAML：{' '.join(str(exc).split())}") from exc
    except ValueError as exc:  # a number of 5,000 digits, say
        raise DocumentError("文件头有无法读取的值（比如位数太多的数字）") from exc
    if not isinstance(meta, dict):
        raise DocumentError("文件头必须是“键: 值”的形式")
    for key, value in meta.items():
        if not isinstance(key, str):
            raise DocumentError("文件头的键必须是文字")
        values = value if key == "kinds" and isinstance(value, list) else [value]
        if not all(isinstance(item, _SCALARS) for item in values):
            raise DocumentError(f"文件头的 {key} 只能是一个值，不能是列表或键值表")
    return meta


@dataclass
class SectionDoc:
    kind: str
    heading: str
    body: str


@dataclass
class ArticleDoc:
    title: str
    sections: list[SectionDoc]
    slug: str = ""
    lender: str = ""
    status: str = "draft"
    script: str = "hans"
    summary: str = ""
    source: str = ""
    meta: dict = field(default_factory=dict)


def is_document(text: str) -> bool:
    return text.lstrip("\ufeff").startswith("---\n")


def parse_document(text: str) -> ArticleDoc:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("---\n"):
        raise DocumentError("没有以 --- 开头的文件头")
    end = text.find("\n---\n", 4)
    if end == -1:
        raise DocumentError("文件头没有以 --- 结束")
    meta = _load_front_matter(text[4:end])
    unknown = set(meta) - FRONT_MATTER_KEYS
    if unknown:
        raise DocumentError(f"文件头有未知的键：{', '.join(sorted(map(str, unknown)))}")
    title = str(meta.get("title") or "").strip()
    if not title:
        raise DocumentError("文件头缺少 title")
    status = str(meta.get("status") or "draft")
    if status not in STATUSES:
        raise DocumentError(f"status 只能是 {', '.join(STATUSES)}")
    script = str(meta.get("script") or "hans")
    if script not in SCRIPTS:
        raise DocumentError(f"script 只能是 {', '.join(SCRIPTS)}")

    sections: list[SectionDoc] = []
    current: SectionDoc | None = None
    awaiting_heading = False
    lines: list[str] = []
    for line in text[end + 5 :].split("\n"):
        marker = _MARKER.match(line)
        if marker:
            if current is not None:
                current.body = "\n".join(lines).strip("\n")
                sections.append(current)
            kind = marker.group(1)
            if kind not in Section.Kind.values:
                raise DocumentError(f"未知的段落类型：{kind}")
            current, lines, awaiting_heading = SectionDoc(kind=kind, heading="", body=""), [], True
            continue
        if current is None:
            if line.strip():
                raise DocumentError("正文必须以 <!-- section: 类型 --> 开始")
            continue
        if awaiting_heading:
            if not line.strip():
                continue
            if not (line.startswith("## ") or line.rstrip() == "##"):
                raise DocumentError("每个段落标记后面要紧跟一行“## 小标题”")
            current.heading = line[3:].strip()
            awaiting_heading = False
            continue
        if _ESCAPED_MARKER.match(line):
            line = line[1:]
        lines.append(line)
    if current is not None:
        current.body = "\n".join(lines).strip("\n")
        sections.append(current)
    if not sections and meta.get("kinds") != []:
        raise DocumentError("文件里没有段落")

    return ArticleDoc(
        title=title,
        sections=sections,
        slug=str(meta.get("slug") or ""),
        lender=str(meta.get("lender") or ""),
        status=status,
        script=script,
        summary=str(meta.get("summary") or "").strip(),
        source=str(meta.get("source") or ""),
        meta=meta,
    )


def dump_document(article) -> str:
    """Serialise an Article (with its sections) to the document format."""
    meta = {
        "title": article.title,
        "slug": article.slug,
        "lender": article.lender.name if article.lender_id else "",
        "status": article.status,
        "script": article.script,
        "summary": article.summary,
        "source": article.source,
        "published_at": article.published_at.isoformat() if article.published_at else "",
        "updated_at": article.updated_at.isoformat() if article.updated_at else "",
        "kinds": [section.kind for section in article.sections.all()],
    }
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    parts = [f"---\n{head}---\n"]
    for section in article.sections.all():
        heading = section.heading.replace("\r", " ").replace("\n", " ")
        parts.append(
            f"<!-- section: {section.kind} -->\n## {heading}\n\n{_escape_body(section.body)}\n"
        )
    return "\n".join(parts)


def _escape_body(body: str) -> str:
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(
        "\\" + line if _MARKER.match(line) or _ESCAPED_MARKER.match(line) else line
        for line in lines
    )
