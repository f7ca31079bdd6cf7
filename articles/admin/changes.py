"""What changed between two saved versions of an article (django-reversion `Version`s):
each field from → to, and section by section, the bodies' differences (difflib, escaped).

Sections are matched by their id, which survives edits and restores; a section whose id is in
only one version was added or deleted.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from reversion.errors import RevertError

from ..models import Article, Lender, Section

# (attname, label): the fields an editor or reviewer changes, in page order.
FIELDS = [
    (name, Article._meta.get_field(name).verbose_name)
    for name in (
        "title",
        "lender",
        "general",
        "summary",
        "status",
        "slug",
        "script",
        "source",
        "review_note",
        "import_flags",
        "published_at",
    )
]
SHORT_CHARS = 40
INLINE_DIFF_MAX_CHARS = 1000  # character-level diff of a changed line up to this length
CONTEXT_LINES = 1  # unchanged lines kept around a change


@dataclass
class Snapshot:
    """An article as one version saved it: its fields and its sections by id."""

    fields: dict
    sections: dict[int, dict] = field(default_factory=dict)

    def ordered_sections(self) -> list[tuple[int, dict]]:
        return sorted(self.sections.items(), key=lambda item: (item[1]["order"], item[0]))


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class SectionDiff:
    state: str  # 新增 / 删除 / 修改 / 未改动
    heading: str
    old_heading: str
    kind: str
    old_kind: str
    body: SafeString


def snapshot(version) -> Snapshot | None:
    """None when the version's data no longer loads (a field since removed, say)."""
    try:
        fields = {
            name: version.field_dict.get(_attname(name)) for name in (*(n for n, _ in FIELDS), "id")
        }
        section_type = ContentType.objects.get_for_model(Section)
        sections = {}
        for section in version.revision.version_set.filter(content_type=section_type):
            data = section.field_dict
            if str(data.get("article_id")) == str(version.object_id):
                sections[int(section.object_id)] = data
    except (RevertError, LookupError, ValueError):
        return None
    return Snapshot(fields, sections)


def _attname(name: str) -> str:
    return Article._meta.get_field(name).attname


# Field by field


def field_changes(old: Snapshot | None, new: Snapshot, short: bool = True) -> list[FieldChange]:
    if old is None:
        return []
    lenders = _lender_names(old, new)
    changes = []
    for name, label in FIELDS:
        before, after = old.fields.get(name), new.fields.get(name)
        if before != after:
            changes.append(
                FieldChange(
                    label, _show(name, before, lenders, short), _show(name, after, lenders, short)
                )
            )
    return changes


def _lender_names(*snapshots: Snapshot) -> dict[int, str]:
    ids = {s.fields.get("lender") for s in snapshots} - {None}
    return dict(Lender.objects.filter(pk__in=ids).values_list("pk", "name"))


def _show(name: str, value, lenders: dict, short: bool) -> str:
    if name == "status":
        return Article.Status(value).label if value in Article.Status.values else str(value)
    if name == "script":
        return Article.Script(value).label if value in Article.Script.values else str(value)
    if name == "lender":
        return lenders.get(value, f"已删除的产品 #{value}") if value else "（无）"
    if name == "general":
        return "是" if value else "否"
    if name == "import_flags":
        return f"{len(value)} 个" if isinstance(value, list) and value else "无"
    if name == "published_at":
        return f"{localtime(value):%Y-%m-%d %H:%M}" if value else "（无）"
    text = str(value or "")
    if not text:
        return "（空）"
    return Truncator(text).chars(SHORT_CHARS) if short else text


# Section by section


def section_summary(old: Snapshot | None, new: Snapshot) -> list[str]:
    """One line per section change, for the history list."""
    if old is None:
        return []
    lines = []
    for pk, section in new.ordered_sections():
        before = old.sections.get(pk)
        heading = _short(section["heading"])
        if before is None:
            lines.append(f"新增段落「{heading}」")
            continue
        if before["heading"] != section["heading"]:
            lines.append(f"段落小标题「{_short(before['heading'])}」→「{heading}」")
        if before["kind"] != section["kind"]:
            lines.append(
                f"段落「{heading}」的类型：{_kind(before['kind'])} → {_kind(section['kind'])}"
            )
        if _lines(before["body"]) != _lines(section["body"]):
            lines.append(f"段落「{heading}」的正文已修改")
    for pk, section in old.ordered_sections():
        if pk not in new.sections:
            lines.append(f"删除段落「{_short(section['heading'])}」")
    kept_old = [pk for pk, _ in old.ordered_sections() if pk in new.sections]
    kept_new = [pk for pk, _ in new.ordered_sections() if pk in old.sections]
    if kept_old != kept_new:
        lines.append("段落顺序已调整")
    return lines


def section_diffs(old: Snapshot, new: Snapshot) -> list[SectionDiff]:
    """Every section of both versions, in the newer one's order, deleted ones last."""
    diffs = []
    for pk, section in new.ordered_sections():
        before = old.sections.get(pk)
        if before is None:
            diffs.append(_diff("新增", None, section))
        else:
            same = (before["heading"], before["kind"], _lines(before["body"])) == (
                section["heading"],
                section["kind"],
                _lines(section["body"]),
            )
            diffs.append(_diff("未改动" if same else "修改", before, section))
    for pk, section in old.ordered_sections():
        if pk not in new.sections:
            diffs.append(_diff("删除", section, None))
    return diffs


def _diff(state: str, before: dict | None, after: dict | None) -> SectionDiff:
    shown = after or before
    return SectionDiff(
        state=state,
        heading=shown["heading"],
        old_heading=before["heading"] if before and after else "",
        kind=_kind(shown["kind"]),
        old_kind=_kind(before["kind"]) if before and after else "",
        body=body_diff(before["body"] if before else "", after["body"] if after else "")
        if state != "未改动"
        else mark_safe(""),
    )


def _lines(body: str | None) -> list[str]:
    """A body's lines, whatever line ends it was saved with (older saves kept a browser's CRLF)."""
    return (body or "").splitlines()


def _kind(value: str) -> str:
    return Section.Kind(value).label if value in Section.Kind.values else str(value)


def _short(text: str) -> str:
    return Truncator(text or "").chars(SHORT_CHARS)


# Bodies


def body_diff(old: str, new: str) -> SafeString:
    """Line by line (a line is a paragraph or a list item); a changed line shows its deleted
    characters in <del> and added ones in <ins>. Everything the editor wrote is escaped."""
    a, b = _lines(old), _lines(new)
    rows: list[tuple[str, str, SafeString]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(_context(a[i1:i2], first=i1 == 0, last=i2 == len(a)))
        elif tag == "delete":
            rows.extend(("removed", "−", escape(line)) for line in a[i1:i2])
        elif tag == "insert":
            rows.extend(("added", "+", escape(line)) for line in b[j1:j2])
        else:
            rows.extend(_replaced(a[i1:i2], b[j1:j2]))
    return format_html_join(
        "",
        '<div class="diff-line diff-{}"><span class="diff-sign" aria-hidden="true">{}</span>'
        "<span>{}</span></div>",
        ((kind, sign, text or "\u00a0") for kind, sign, text in rows),
    )


def _context(lines: list[str], first: bool, last: bool):
    """Unchanged lines: a line either side of a change, the rest counted."""
    keep_head = 0 if first else CONTEXT_LINES
    keep_tail = 0 if last else CONTEXT_LINES
    if len(lines) <= keep_head + keep_tail + 1:
        yield from (("same", "", escape(line)) for line in lines)
        return
    yield from (("same", "", escape(line)) for line in lines[:keep_head])
    skipped = len(lines) - keep_head - keep_tail
    yield ("skipped", "", escape(f"……（{skipped} 行未改动）"))
    yield from (("same", "", escape(line)) for line in lines[len(lines) - keep_tail :])


def _replaced(old_lines: list[str], new_lines: list[str]):
    for index in range(max(len(old_lines), len(new_lines))):
        before = old_lines[index] if index < len(old_lines) else None
        after = new_lines[index] if index < len(new_lines) else None
        if before is None:
            yield ("added", "+", escape(after))
        elif after is None:
            yield ("removed", "−", escape(before))
        elif max(len(before), len(after)) <= INLINE_DIFF_MAX_CHARS:
            yield ("changed", "±", _inline(before, after))
        else:
            yield ("removed", "−", escape(before))
            yield ("added", "+", escape(after))


def _inline(before: str, after: str) -> SafeString:
    parts = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape(before[i1:i2]))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", before[i1:i2]))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", after[j1:j2]))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above
