from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from ..duplicates import same_title_articles
from ..forms import ArticleAdminForm, SectionInlineForm, SectionInlineFormSet
from ..models import Article, Section
from ..workflow import flag_count
from .actions import WorkflowActionsMixin
from .display import render_feedback_summary, render_import_flags
from .filters import ImportProblemsFilter, SectionKindFilter
from .history import ArticleHistoryMixin, BaselineVersionAdmin
from .preview import choose_variant, render_preview
from .review import ReviewMixin, may_edit
from .search import BothScriptsSearchMixin


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionInlineForm
    formset = SectionInlineFormSet
    fields = ["order", "kind", "heading", "body"]
    extra = 1
    view_on_site = False

    class Media:
        js = ["articles/admin/section-order.js"]

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 1

    def get_max_num(self, request, obj=None, **kwargs):
        # The page stops offering “添加另一个” at the limit; SectionInlineFormSet says why.
        return settings.KB_MAX_SECTIONS

    # A published article's sections are the reviewers' alone, like the article.

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_edit(request, obj)


@admin.register(Article)
class ArticleAdmin(
    WorkflowActionsMixin,
    ReviewMixin,
    ArticleHistoryMixin,
    BothScriptsSearchMixin,
    BaselineVersionAdmin,
):
    form = ArticleAdminForm
    inlines = [SectionInline]
    list_display = [
        "title",
        "lender",
        "status",
        "review_note_column",
        "updated_at",
        "script",
        "flags_column",
    ]
    list_filter = [
        "status",
        ("lender", admin.RelatedOnlyFieldListFilter),
        SectionKindFilter,
        "script",
        ImportProblemsFilter,
    ]
    search_fields = ["title", "summary", "sections__heading", "sections__body", "lender__name"]
    date_hierarchy = "updated_at"
    list_select_related = ["lender"]
    list_per_page = 50

    class Media:
        css = {"all": ["articles/admin/article.css"]}

    # Page layout

    def get_fieldsets(self, request, obj=None):
        top, bottom = self.review_fieldsets(request, obj)
        fieldsets = list(top)
        if obj is not None and obj.import_flags:
            fieldsets.append(
                (
                    "导入问题（处理后才能发布）",
                    {"fields": ["flags_display", "clear_flags"], "classes": ["import-problems"]},
                )
            )
        fieldsets.append((None, {"fields": ["title", "lender", "general", "summary"]}))
        restoring = getattr(request, "kb_restore", None)
        publishing = ["restore_status" if restoring else "status", "slug", "script", "source"]
        if obj is not None:
            publishing += ["published_at", "updated_at"]
        fieldsets.append(("发布", {"fields": publishing}))
        fieldsets.extend(bottom)
        if obj is not None and not restoring:
            fieldsets.append(("读者反馈", {"fields": ["feedback_summary"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = [
            "published_at",
            "updated_at",
            "flags_display",
            "feedback_summary",
            "review_note_display",
        ]
        # A published article's address is out in the world: keep it (a restore included).
        restoring = getattr(request, "kb_restore", None)
        published_at = restoring.published_at if restoring else getattr(obj, "published_at", None)
        if published_at is not None:
            fields.append("slug")
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("source", "原创")
        return initial

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    @admin.display(description="问题")
    def flags_column(self, obj):
        count = flag_count(obj)
        return format_html('<span title="待处理的导入问题">⚠ {}</span>', count) if count else None

    @admin.display(description="导入时发现的问题")
    def flags_display(self, obj):
        return render_import_flags(obj.import_flags)

    @admin.display(description="读者反馈")
    def feedback_summary(self, obj):
        return render_feedback_summary(obj)

    @admin.display(description="审核意见")
    def review_note_display(self, obj):
        return format_html(
            '<div class="review-note-text">{}</div>', linebreaksbr(obj.review_note, autoescape=True)
        )

    # Saving

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("clear_flags"):
            obj.import_flags = []
        self.save_review_state(request, obj, form)
        super().save_model(request, obj, form, change)
        if not change or "title" in form.changed_data:
            self._warn_about_duplicates(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Section:
            return super().save_formset(request, form, formset, change)
        sections = formset.save(commit=False)
        for section in formset.deleted_objects:
            section.delete()
        # A section whose 顺序 was left blank goes after the others.
        unnumbered = []
        for section in sections:
            if section.order is None:
                unnumbered.append(section)
            else:
                section.save()
        last = form.instance.sections.aggregate(last=Max("order"))["last"] or 0
        for section in unnumbered:
            last += 10
            section.order = last
            section.save()
        formset.save_m2m()

    def _warn_about_duplicates(self, request, article):
        others = same_title_articles(article)
        if not others:
            return
        links = format_html_join(
            "、",
            '<a href="{}">《{}》</a>（{}）',
            (
                (
                    reverse("admin:articles_article_change", args=[other.pk]),
                    other.title,
                    other.get_status_display(),
                )
                for other in others
            ),
        )
        messages.warning(
            request,
            format_html(
                "可能重复：已有标题相同的文章 {}（简繁写法、空格或标点不同也算相同）。"
                "本文已保存；如果是同一篇，请合并内容后把多余的一篇撤回为草稿。",
                links,
            ),
        )

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return HttpResponseRedirect(self._preview_url(obj))
        if self.review_message(request, obj):
            return self.response_post_save_add(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return HttpResponseRedirect(self._preview_url(obj))
        restored = self.restore_response(request, obj)
        if restored is not None:
            return restored
        if self.review_message(request, obj):
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    # Preview

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="{}_{}_preview".format(*info),
        )
        return [preview, *super().get_urls()]

    def _preview_url(self, obj):
        return reverse("admin:articles_article_preview", args=[obj.pk])

    def preview_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("没有这篇文章")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        variant = choose_variant(article, request.GET.get("variant"))
        return render_preview(request, article, variant)
