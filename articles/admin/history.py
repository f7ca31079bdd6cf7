"""Article history in the admin: every version with what changed (from → to), a comparison of
any two versions, and restoring an old one without changing who can see the article.

django-reversion's restore page is the article's change form filled with the old version's
data, so it would also bring back the old status — a live article sent back to 草稿 and its
readers' links to 404. Here the restore page asks instead (keep the current status, the
default, or take the version's), and the slug, publish date and review note stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import reversion
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.timezone import localtime
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Revision, Version

from ..models import Article
from .changes import field_changes, section_diffs, section_summary, snapshot


class BaselineVersionAdmin(VersionAdmin):
    """VersionAdmin that also keeps what an object looked like before its first admin edit.

    Imported articles, demo content and the lender registry are written outside the admin,
    so they have no version yet; without this, an editor's first change could not be undone.
    """

    baseline_comment = "编辑前的原始内容（导入、演示数据或内置资料）"
    history_latest_first = True

    def ensure_baseline(self, obj) -> None:
        if obj is None or Version.objects.get_for_object(obj).exists():
            return
        with reversion.create_revision():
            reversion.add_to_revision(obj)
            reversion.set_comment(self.baseline_comment)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            self.ensure_baseline(self.get_object(request, unquote(object_id)))
        return super().change_view(request, object_id, form_url, extra_context)


def when(moment: datetime) -> str:
    moment = localtime(moment)
    return f"{moment.year} 年 {moment.month} 月 {moment.day} 日 {moment:%H:%M}"


@dataclass
class RestoreState:
    """The article as it is before a restore, and the version being restored."""

    status: str
    slug: str
    published_at: datetime | None
    review_note: str
    version_status: str
    version_date: datetime

    @classmethod
    def of(cls, article: Article, version: Version) -> RestoreState:
        try:
            version_status = version.field_dict.get("status") or article.status
        except (RevertError, LookupError):  # unreadable old data: reversion reports it
            version_status = article.status
        return cls(
            article.status,
            article.slug,
            article.published_at,
            article.review_note,
            version_status,
            version.revision.date_created,
        )

    def choices(self) -> list[tuple[str, str]]:
        now = Article.Status(self.status).label
        seen = "读者照常可以看到" if self.status == Article.Status.PUBLISHED else "读者看不到"
        keep = ("keep", f"保持现在的状态：{now}（{seen}）")
        if self.version_status == self.status:
            return [keep]
        then = Article.Status(self.version_status).label
        if self.version_status == Article.Status.PUBLISHED:
            effect = "读者将能看到这篇文章"
        elif self.status == Article.Status.PUBLISHED:
            effect = "读者将看不到这篇文章，他们的链接会打不开"
        else:
            effect = "读者仍然看不到"
        return [keep, ("version", f"改为这个版本当时的状态：{then}（{effect}）")]

    def chosen(self, choice: str | None) -> str:
        return self.version_status if choice == "version" else self.status

    def keep_workflow(self, article: Article) -> None:
        """What a restore never takes from the old version: the address, the date readers
        first saw the article, the reviewer's current note."""
        article.slug = self.slug
        article.published_at = self.published_at
        article.review_note = self.review_note

    def message(self, article: Article) -> str:
        done = f"已恢复 {when(self.version_date)} 的版本；"
        label = article.get_status_display()
        published = article.status == Article.Status.PUBLISHED
        if article.status == self.status:
            seen = "读者照常可以看到" if published else "读者看不到"
            return done + f"文章仍为{label}，{seen}。"
        seen = "读者现在可以看到" if published else "读者已看不到"
        return done + f"文章改为{label}，{seen}。"


class ArticleHistoryMixin:
    """For ArticleAdmin: the history page, the comparison page and the restore page."""

    object_history_template = "admin/articles/article/object_history.html"
    revision_form_template = "admin/articles/article/revision_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="{}_{}_compare".format(*info),
        )
        return [compare, *super().get_urls()]

    # Restore

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        restore = getattr(request, "kb_restore", None)
        if article is not None and restore is not None:
            restore.keep_workflow(article)  # the page shows the old text, today's address
        return article

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = super().get_object(request, unquote(object_id))
        version = (
            Version.objects.get_for_object_reference(Article, unquote(object_id))
            .filter(pk=version_id)
            .select_related("revision", "revision__user")
            .first()
        )
        if article is None or version is None:
            raise Http404("没有这个版本")
        restore = RestoreState.of(article, version)
        request.kb_restore = restore
        request.kb_was_published = article.status == Article.Status.PUBLISHED
        context = {
            "version_when": when(version.revision.date_created),
            "version_user": version.revision.user,
            "version_comment": version.revision.get_comment(),
            **(extra_context or {}),
        }
        response = super().revision_view(request, object_id, version_id, context)
        if request.method == "POST" and response.status_code == 302:
            article.refresh_from_db()
            latest = Version.objects.get_for_object(article).first()
            if latest is not None and latest.pk != version.pk:
                Revision.objects.filter(pk=latest.revision_id).update(
                    comment=f"恢复 {when(version.revision.date_created)} 的版本"
                    f"（{article.get_status_display()}）"
                )
        return response

    def restore_response(self, request, obj):
        restore = getattr(request, "kb_restore", None)
        if restore is None:
            return None
        self.message_user(request, restore.message(obj), messages.SUCCESS)
        return HttpResponseRedirect(self._history_url(obj.pk))

    # History

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None)
        if context is None or "action_list" not in context:
            return response
        versions = list(self._versions(object_id))
        changes = _changes_by_version(versions)
        by_revision = {version.revision_id: version.pk for version in versions}
        for action in context["action_list"]:
            version_id = by_revision.get(action["revision"].pk)
            action["version_id"] = version_id
            action["changes"] = changes.get(version_id, [])
        context["compare_url"] = reverse(
            "admin:articles_article_compare", args=[quote(unquote(object_id))]
        )
        return response

    def _versions(self, object_id):
        return (
            Version.objects.get_for_object_reference(Article, unquote(object_id))
            .select_related("revision", "revision__user")
            .order_by("pk")
        )

    def _history_url(self, pk) -> str:
        return reverse("admin:articles_article_history", args=[quote(pk)])

    # Compare two versions

    def compare_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("没有这篇文章")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = {v.pk: v for v in self._versions(object_id)}
        picked = [_version_id(request.GET.get(name)) for name in ("old", "new")]
        if None in picked or not all(pk in versions for pk in picked) or picked[0] == picked[1]:
            messages.error(request, "请在下面的列表里选两个不同的版本再比较。")
            return HttpResponseRedirect(self._history_url(article.pk))
        old, new = (versions[pk] for pk in sorted(picked))
        before, after = snapshot(old), snapshot(new)
        if before is None or after is None:
            messages.error(request, "这个版本的数据已无法读取（可能来自旧版网站），不能比较。")
            return HttpResponseRedirect(self._history_url(article.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"比较《{article.title}》的两个版本",
            "old": {"version": old, "when": when(old.revision.date_created)},
            "new": {"version": new, "when": when(new.revision.date_created)},
            "fields": field_changes(before, after, short=False),
            "sections": section_diffs(before, after),
            "history_url": self._history_url(article.pk),
        }
        return render(request, "admin/articles/article/compare.html", context)


def _version_id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _changes_by_version(versions: list[Version]) -> dict[int, list[str]]:
    """For each version, what it changed from the one before it, one line each."""
    changes, previous = {}, None
    for version in versions:
        current = snapshot(version)
        if current is None:
            changes[version.pk] = ["（这个版本的数据已无法读取）"]
            continue
        lines = [f"{c.label}：{c.old} → {c.new}" for c in field_changes(previous, current)]
        lines += section_summary(previous, current)
        changes[version.pk] = lines
        previous = current
    return changes
