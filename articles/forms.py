"""Forms behind the editors' admin: the rules an editor's input must pass, in Chinese."""

import re

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from .editors import may_publish
from .models import Article, Lender, OfficialNumber, Section, Synonym
from .workflow import publish_refusal, role_refusal

MARKDOWN_HELP = (
    "支持 Markdown：空一行开始新段落；“- ”或“1. ”开头为列表；**加粗**；"
    "“### ”开头为小标题；“> ”开头为引用；[文字](https://网址) 为链接。"
    "不支持 HTML 标签和脚本，写了也只会原样显示为文字。"
)
MAX_SUMMARY_CHARS = 2000
MAX_LENDER_DESCRIPTION_CHARS = 500  # “一两句话”, with room to spare


class ArticleAdminForm(forms.ModelForm):
    """The article page. `ArticleAdmin.get_form` sets, per request, the `user`, whether
    readers saw the article before this save (`was_published`) and, on the restore page,
    `restoring` (the article as it is now: `admin.history.RestoreState`).

    The review buttons (提交审核, 发布, 退回修改) post their name; the status they stand for
    replaces the one in the select. Whether the article is fit to publish needs its sections,
    so the section rows' formset asks `publish_refusal` (`SectionInlineFormSet`).
    """

    BUTTONS = {
        "_submit": Article.Status.REVIEW,
        "_publish": Article.Status.PUBLISHED,
        "_send_back": Article.Status.DRAFT,
    }
    user = None
    was_published = False
    restoring = None

    clear_flags = forms.BooleanField(
        label="问题已处理",
        required=False,
        help_text="已逐条核对并改好上面列出的导入问题后勾选；保存时会清除这些提示，之后才能发布。",
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "lender",
            "general",
            "summary",
            "status",
            "slug",
            "script",
            "source",
            "review_note",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "review_note": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "slug": {
                "invalid": "网址名只能用英文小写字母、数字和连字符（-），如 weilidai-cuishou；留空则按标题拼音自动生成。"
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        summary = self.fields.get("summary")
        if summary is not None:
            summary.max_length = MAX_SUMMARY_CHARS
            summary.validators.append(MaxLengthValidator(MAX_SUMMARY_CHARS))
            summary.widget.attrs["maxlength"] = str(MAX_SUMMARY_CHARS)
        status = self.fields.get("status")
        if status is not None and self.user is not None and not may_publish(self.user):
            # Offered only to reviewers; a forged post is refused by clean() in words.
            status.widget.choices = [
                choice for choice in status.choices if choice[0] != Article.Status.PUBLISHED
            ]

    def chosen_status(self, cleaned) -> str:
        for button, status in self.BUTTONS.items():
            if button in self.data:
                return status
        if self.restoring is not None:
            return self.restoring.chosen(cleaned.get("restore_status"))
        return cleaned.get("status") or self.instance.status

    def clean_summary(self):
        return unix_newlines(self.cleaned_data.get("summary"))

    def clean_review_note(self):
        return unix_newlines(self.cleaned_data.get("review_note"))

    def clean(self):
        cleaned = super().clean()
        status = self.chosen_status(cleaned)
        if "status" in self.fields:
            cleaned["status"] = status
        self.instance.status = status
        refusal = role_refusal(self.user, self.was_published, status)
        if refusal and self.user is not None:
            self.add_error(None, refusal)
        if "_send_back" in self.data:
            if "review_note" not in self.fields:
                self.add_error(None, "只有审核人可以退回修改。")
            elif not (cleaned.get("review_note") or "").strip():
                self.add_error(
                    "review_note",
                    "退回修改时请写明要改什么：编辑会在文章页面和列表里看到这条意见。",
                )
        if self.restoring is not None:
            self.restoring.keep_workflow(self.instance)
        # Read by SectionInlineFormSet: ticking 问题已处理 counts as settling the flags.
        self.instance.clearing_flags = bool(cleaned.get("clear_flags"))
        return cleaned


class SectionInlineFormSet(forms.BaseInlineFormSet):
    """The section rows: how many and how long all together (settings.KB_MAX_*), and, when
    the article is to be published, the publishing checks, which need the sections as they
    are about to be saved."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        self._check_limits(
            [
                form.cleaned_data.get("body") or ""
                for form in kept
                if form.instance.pk or form.has_changed()
            ]
        )
        article = self.instance
        if article.status != Article.Status.PUBLISHED:
            return
        flags = [] if getattr(article, "clearing_flags", False) else None
        refusal = publish_refusal(
            article, sections=[form.cleaned_data.get("body", "") for form in kept], flags=flags
        )
        if refusal:
            raise forms.ValidationError(refusal)

    @staticmethod
    def _check_limits(bodies: list[str]) -> None:
        if len(bodies) > settings.KB_MAX_SECTIONS:
            raise forms.ValidationError(
                f"一篇文章最多 {settings.KB_MAX_SECTIONS} 段，现在有 {len(bodies)} 段："
                "请合并几段，或把内容分成几篇文章。"
            )
        chars = sum(len(body) for body in bodies)
        if chars > settings.KB_MAX_ARTICLE_CHARS:
            raise forms.ValidationError(
                f"全文正文共 {chars} 字，超过了一篇文章 {settings.KB_MAX_ARTICLE_CHARS} 字的上限："
                "请删减，或把内容分成几篇文章。"
            )


class SectionInlineForm(forms.ModelForm):
    order = forms.IntegerField(
        label="顺序",
        required=False,
        min_value=0,
        max_value=100_000,
        help_text="数字小的排在前面；留空则排在最后。用 10、20、30 编号，以后方便插到中间。",
        widget=forms.NumberInput(attrs={"class": "section-order"}),
    )
    body = forms.CharField(
        label="正文",
        required=False,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 14, "class": "vLargeTextField section-body"}),
    )

    class Meta:
        model = Section
        fields = ["order", "kind", "heading", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength on the textarea: a browser would cut pasted text without a word.
        limit = settings.KB_MAX_SECTION_CHARS
        self.fields["body"].help_text = f"{MARKDOWN_HELP}每段最多 {limit} 字。"

    def clean_body(self):
        body = unix_newlines(self.cleaned_data.get("body"))
        limit = settings.KB_MAX_SECTION_CHARS
        if len(body) > limit:
            raise forms.ValidationError(
                f"这一段正文有 {len(body)} 字，超过了每段 {limit} 字的上限："
                "请删减，或把它分成几段（每段有自己的小标题）。"
            )
        return body


def unix_newlines(text: str | None) -> str:
    """Browsers send a textarea's line breaks as CRLF: saved as such, every save through the
    admin would change every body (and the history would say so) without a visible change."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def https_url_fields(db_field, **kwargs):
    """Form fields for a model, with https as the scheme assumed for a bare domain."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class OfficialNumberInlineForm(forms.ModelForm):
    class Meta:
        model = OfficialNumber
        formfield_callback = https_url_fields
        fields = ["number", "purpose", "source_name", "source_url", "verified_on"]
        error_messages = {
            "source_name": {
                "required": (
                    "没有来源的号码不能录入：请填写公布这个号码的官方渠道"
                    "（如“微众银行官网·联系我们”），最好再附上来源链接。"
                )
            }
        }


class LenderAdminForm(forms.ModelForm):
    class Meta:
        model = Lender
        formfield_callback = https_url_fields
        fields = ["name", "slug", "operator", "description", "website", "needs_review"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.fields.get("description")
        if description is not None:
            description.max_length = MAX_LENDER_DESCRIPTION_CHARS
            description.validators.append(MaxLengthValidator(MAX_LENDER_DESCRIPTION_CHARS))
            description.widget.attrs["maxlength"] = str(MAX_LENDER_DESCRIPTION_CHARS)


_TERM_SEPARATORS = re.compile(r"[,，、;；\s]+")


def split_terms(text: str) -> list[str]:
    """Terms of a synonym group as an editor typed them (commas, 、 or spaces between)."""
    seen, terms = set(), []
    for term in _TERM_SEPARATORS.split(text or ""):
        if term and term not in seen:
            seen.add(term)
            terms.append(term)
    return terms


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["terms"]

    def clean_terms(self):
        terms = split_terms(self.cleaned_data["terms"])
        if len(terms) < 2:
            raise forms.ValidationError("同义词至少要有两个词，用逗号分隔，如：催收, 催款")
        return ", ".join(terms)


class RestoreArticleForm(ArticleAdminForm):
    """The article page showing an old version, to restore it: who may see the article
    afterwards is an explicit choice, and keeping the current status is the default."""

    restore_status = forms.ChoiceField(
        label="恢复后谁能看到",
        widget=forms.RadioSelect,
        initial="keep",
        help_text="恢复只换回这个版本的内容；网址和发布时间保持不变。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["restore_status"].choices = self.restoring.choices()
